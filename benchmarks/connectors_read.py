"""Read a 1M-row x 8-column table from PostgreSQL and MySQL/MariaDB through the connectors'
``read()``, next to the drivers used directly: rows/s and peak RSS, each run in a fresh process.

Needs running servers (the RECIPES show how to start throw-away ones) and a user that may create
the table on the first run::

    uv run python benchmarks/connectors_read.py --prepare \\
      --postgres '{"host": "127.0.0.1", "port": 5432, "database": "bench", "user": "postgres"}' \\
      --mysql '{"host": "127.0.0.1", "port": 3306, "database": "bench", "user": "u"}'

Peak RSS is ``ru_maxrss`` of the process that read; "base" is the RSS once everything is
imported, so peak - base is what reading cost.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

TABLE = "bench_read"

POSTGRES_DDL = (
    f"CREATE TABLE {TABLE} (id bigint PRIMARY KEY, amount numeric(12,2), qty int, "
    "price double precision, name varchar(40), created timestamptz, day date, flag boolean)"
)
POSTGRES_FILL = (
    f"INSERT INTO {TABLE} SELECT g, g * 1.25, g % 1000, g / 7.0, 'name-' || g, "
    "timestamptz '2024-01-01' + g * interval '1 second', date '2024-01-01' + (g % 365), "
    "g % 2 = 0 FROM generate_series(1, %s) g"
)
MYSQL_DDL = (
    f"CREATE TABLE {TABLE} (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), qty INT, price DOUBLE, "
    "name VARCHAR(40), created DATETIME(6), day DATE, flag TINYINT(1))"
)
MYSQL_FILL = (
    f"INSERT INTO {TABLE} SELECT seq, seq * 1.25, seq % 1000, seq / 7, CONCAT('name-', seq), "
    "TIMESTAMP('2024-01-01') + INTERVAL seq SECOND, DATE('2024-01-01') + INTERVAL (seq % 365) "
    "DAY, seq % 2 FROM seq_1_to_{rows}"
)


def rss_mb() -> float:
    with open("/proc/self/status") as status:  # noqa: PTH123 - Linux only, like the RECIPES
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- preparing the table ------------------------------------------------------------------------


def prepare_postgres(settings: dict[str, Any], rows: int) -> None:
    import psycopg

    conninfo = {k: v for k, v in settings.items() if k in ("host", "port", "user", "password")}
    with psycopg.connect(**conninfo, dbname=settings["database"], autocommit=True) as connection:
        found = connection.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()
        if found and found[0]:
            count = connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
            if count and count[0] == rows:
                return
            connection.execute(f"DROP TABLE {TABLE}")
        connection.execute(POSTGRES_DDL)
        connection.execute(POSTGRES_FILL.replace("%s", str(rows)))
        connection.execute(f"ANALYZE {TABLE}")


def prepare_mysql(settings: dict[str, Any], rows: int) -> None:
    import pymysql

    with (
        pymysql.connect(
            host=settings["host"],
            port=settings["port"],
            user=settings["user"],
            password=settings.get("password") or "",
            database=settings["database"],
            autocommit=True,
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute("SHOW TABLES LIKE %s", (TABLE,))
        if cursor.fetchone():
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
            if cursor.fetchone() == (rows,):
                return
            cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(MYSQL_DDL)
        cursor.execute(MYSQL_FILL.format(rows=rows))


# --- the readers (each runs in a child process) ------------------------------------------------


def read_connector(engine: str, settings: dict[str, Any]) -> tuple[int, int]:
    from dataops.connectors.base import ConnectorContext, ReadStats, TableSpec
    from dataops.connectors.registry import open_connector, parse_settings

    connector = open_connector(
        engine, parse_settings(engine, settings), ConnectorContext(batch_rows=50_000)
    )
    stats = ReadStats()
    batches = sum(1 for _ in connector.read(TableSpec(table=TABLE), stats=stats))
    connector.close()
    return stats.rows, batches


def read_adbc_whole_table(settings: dict[str, Any]) -> tuple[int, int]:
    import adbc_driver_postgresql.dbapi as adbc_pg

    uri = (
        f"host={settings['host']} port={settings['port']} dbname={settings['database']} "
        f"user={settings['user']}"
    )
    with adbc_pg.connect(uri) as connection, connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE}")
        table = cursor.fetch_arrow_table()
    return table.num_rows, 1


def connectorx_url(engine: str, settings: dict[str, Any]) -> str:
    scheme = "postgresql" if engine == "postgres" else "mysql"
    password = f":{settings['password']}" if settings.get("password") else ""
    return (
        f"{scheme}://{settings['user']}{password}@{settings['host']}:{settings['port']}/"
        f"{settings['database']}"
    )


def read_connectorx_stream(engine: str, settings: dict[str, Any]) -> tuple[int, int]:
    import connectorx

    reader = connectorx.read_sql(
        connectorx_url(engine, settings),
        f"SELECT * FROM {TABLE}",
        return_type="arrow_stream",
        batch_size=50_000,
    )
    rows = batches = 0
    for batch in reader:
        rows, batches = rows + batch.num_rows, batches + 1
    return rows, batches


def read_pymysql_sscursor(settings: dict[str, Any]) -> tuple[int, int]:
    import pyarrow as pa
    import pymysql
    import pymysql.cursors

    connection = pymysql.connect(
        host=settings["host"],
        port=settings["port"],
        user=settings["user"],
        password=settings.get("password") or "",
        database=settings["database"],
        cursorclass=pymysql.cursors.SSCursor,
    )
    rows = batches = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE}")
        names = [d[0] for d in cursor.description]
        while chunk := cursor.fetchmany(50_000):
            columns = [pa.array(c) for c in zip(*chunk, strict=True)]
            batch = pa.RecordBatch.from_arrays(columns, names=names)
            rows, batches = rows + batch.num_rows, batches + 1
    connection.close()
    return rows, batches


READERS: dict[str, Callable[[str, dict[str, Any]], tuple[int, int]]] = {
    "dataops read()": read_connector,
    "ADBC fetch_arrow_table (whole table)": lambda e, s: read_adbc_whole_table(s),
    "connectorx arrow_stream (unbounded read-ahead)": read_connectorx_stream,
    "pymysql SSCursor + pa.array": lambda e, s: read_pymysql_sscursor(s),
}
PEERS = {
    "postgres": [
        "dataops read()",
        "ADBC fetch_arrow_table (whole table)",
        "connectorx arrow_stream (unbounded read-ahead)",
    ],
    "mysql": [
        "dataops read()",
        "connectorx arrow_stream (unbounded read-ahead)",
        "pymysql SSCursor + pa.array",
    ],
}


def child(engine: str, reader: str, settings: dict[str, Any]) -> None:
    # Import everything first so "base" is the RSS before any data.
    import adbc_driver_postgresql.dbapi  # noqa: F401
    import connectorx  # noqa: F401
    import pyarrow  # noqa: F401
    import pymysql  # noqa: F401

    import dataops.connectors.mysql
    import dataops.connectors.postgres  # noqa: F401

    base = rss_mb()
    started = time.perf_counter()
    rows, batches = READERS[reader](engine, settings)
    seconds = time.perf_counter() - started
    result = {"rows": rows, "batches": batches, "seconds": seconds, "base": base, "peak": peak_mb()}
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", type=json.loads, help="postgres connector settings (JSON)")
    parser.add_argument("--mysql", type=json.loads, help="mysql connector settings (JSON)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--prepare", action="store_true", help="create the table if missing")
    parser.add_argument("--repeat", type=int, default=2, help="runs per reader (best is shown)")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "READER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, reader = args.child
        child(engine, reader, args.postgres if engine == "postgres" else args.mysql)
        return
    print(f"{'engine':<9} {'reader':<48} {'rows':>9} {'seconds':>8} {'rows/s':>11} {'RSS MB':>16}")
    for engine, settings in (("postgres", args.postgres), ("mysql", args.mysql)):
        if not settings:
            continue
        if args.prepare:
            (prepare_postgres if engine == "postgres" else prepare_mysql)(settings, args.rows)
        for reader in PEERS[engine]:
            runs = []
            for _ in range(args.repeat):
                output = subprocess.run(
                    [sys.executable, __file__, "--child", engine, reader,
                     f"--{engine}", json.dumps(settings)],
                    check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                runs.append(json.loads(output.strip().splitlines()[-1]))
            best = min(runs, key=lambda r: r["seconds"])
            rss = f"{best['base']:.0f} -> {max(r['peak'] for r in runs):.0f}"
            print(
                f"{engine:<9} {reader:<48} {best['rows']:>9} {best['seconds']:>8.2f} "
                f"{best['rows'] / best['seconds']:>11,.0f} {rss:>16}"
            )


if __name__ == "__main__":
    main()
