"""Preview latency: the first 100 rows of the benchmark's PostgreSQL table through the dataops
postgres connector (the limit pushed down), for the table and for a filtered query.

    .venv/bin/python -m benchmarks.extract.preview --rows 10000000   # target: <= 2 s
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.extract.generate import make_table, table_name
from benchmarks.extract.postgres import PostgresServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/dataops-bench-extract"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from dataops.connectors.base import ConnectorContext, QuerySpec, TableSpec
    from dataops.connectors.registry import open_connector, parse_settings

    server = PostgresServer(args.workdir / "pg").start()
    try:
        make_table(server, args.rows)
        table = f"public.{table_name(args.rows)}"
        settings = parse_settings("postgres", server.settings())
        connector = open_connector("postgres", settings, ConnectorContext())
        specs = {
            "table": TableSpec(table=table),
            "query": QuerySpec(sql=f"SELECT * FROM {table} WHERE qty > 10"),
        }
        for name, spec in specs.items():
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                rows = connector.preview(spec, 100).num_rows
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{name}: {rows} rows from {args.rows:,}: median {statistics.median(times):.0f} ms,"
                f" max {max(times):.0f} ms ({args.repeat} runs)"
            )
        connector.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
