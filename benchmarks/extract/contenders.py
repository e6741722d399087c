"""The peers, each run in a fresh child process by ``run.py``:

    python -m benchmarks.extract.contenders NAME '<json config>'

The child imports what its contender needs, notes its RSS (``base``), runs and times the
extraction, then (untimed) reads back what it wrote: row count and Arrow schema. It prints one JSON
line: rows, seconds, CPU seconds, base and peak RSS (``ru_maxrss`` of itself and of any child it
waited for), output rows and types. dataops end to end is not here: it runs in its own server
process (``server.py``); ``dataops_read`` and ``dataops_write`` are diagnostics, parts of it run
alone to show where its time goes.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Config = dict[str, Any]
Result = dict[str, Any]

PARQUET_BATCH_ROWS = 100_000


def rss_mb() -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    """User + system CPU of this process and the children it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def parquet_output(folder: Path) -> tuple[int, dict[str, str]]:
    """Rows and column types of the Parquet files under ``folder`` (dlt's own columns left out)."""
    import pyarrow.parquet as pq

    files = sorted(folder.rglob("*.parquet"))
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    schema = pq.read_schema(files[0]) if files else None
    types = {} if schema is None else {f.name: str(f.type) for f in schema}
    return rows, {k: v for k, v in types.items() if not k.startswith("_dlt")}


# --- PostgreSQL -> ... ---------------------------------------------------------------------------


def setup_copy_binary(config: Config) -> None:
    import psycopg  # noqa: F401


def copy_binary(config: Config) -> Result:
    """``COPY table TO STDOUT (FORMAT binary)`` through psycopg into /dev/null: the ceiling."""
    import psycopg

    with (
        psycopg.connect(config["conninfo"]) as connection,
        connection.cursor() as cursor,
        Path(os.devnull).open("wb") as sink,
    ):
        with cursor.copy(f"COPY {config['table']} TO STDOUT (FORMAT binary)") as copy:
            for block in copy:
                sink.write(block)
        rows = cursor.rowcount
    return {"rows": rows, "output_rows": rows, "types": {}}


def setup_connectorx(config: Config) -> None:
    import connectorx  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def connectorx_parquet(config: Config) -> Result:
    """connectorx ``arrow_stream`` (batches of 100k) into one Parquet file (pyarrow writer)."""
    import connectorx
    import pyarrow.parquet as pq

    out = Path(config["out"])
    out.mkdir(parents=True)
    reader = connectorx.read_sql(
        config["url"],
        f"SELECT * FROM {config['table']}",
        return_type="arrow_stream",
        batch_size=PARQUET_BATCH_ROWS,
    )
    writer, rows = None, 0
    for batch in reader:
        if writer is None:
            writer = pq.ParquetWriter(out / "part-0.parquet", batch.schema)
        writer.write_batch(batch)
        rows += batch.num_rows
    if writer is not None:
        writer.close()
    return {"rows": rows}


def setup_dlt(config: Config) -> None:
    # dlt reads its config from the environment: no telemetry, no ~/.dlt.
    os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
    import dlt
    import dlt.sources.sql_database  # noqa: F401
    import pyarrow  # noqa: F401
    import sqlalchemy  # noqa: F401


def _dlt(config: Config, backend: str) -> Result:
    """dlt 1.31 ``sql_table`` with ``backend`` -> ``filesystem`` destination, Parquet files.

    dlt's defaults otherwise: ``reflection_level="full"`` (precision and scale of numerics),
    ``chunk_size=50000``; the connectorx backend reads the whole table as one Arrow table
    (``return_type="arrow"``, dlt's default for it).
    """
    import dlt
    from dlt.sources.sql_database import sql_table

    out = Path(config["out"])
    schema, table = config["table"].split(".")
    pipeline = dlt.pipeline(
        pipeline_name=f"bench_{backend}",
        pipelines_dir=str(out / "pipelines"),
        destination=dlt.destinations.filesystem(bucket_url=(out / "bucket").as_uri()),
        dataset_name="bench",
    )
    resource = sql_table(
        credentials=config["sqlalchemy_url"], table=table, schema=schema, backend=backend
    )
    info = pipeline.run(resource, loader_file_format="parquet")
    info.raise_on_failed_jobs()
    trace = pipeline.last_trace
    rows = trace.last_normalize_info.row_counts.get(table, 0) if trace.last_normalize_info else 0
    return {"rows": rows, "output_dir": str(out / "bucket")}


def dlt_pyarrow(config: Config) -> Result:
    return _dlt(config, "pyarrow")


def dlt_connectorx(config: Config) -> Result:
    return _dlt(config, "connectorx")


def setup_dataops_read(config: Config) -> None:
    from dataops.connectors.registry import connector_type

    connector_type(config["type"])  # imports the connector's module


def _dataops_batches(config: Config) -> Any:
    """The connector and its ``read()`` batches, as the product opens them."""
    from dataops.connectors.base import ConnectorContext, FileSpec, ReadStats, TableSpec
    from dataops.connectors.registry import open_connector, parse_settings

    context = ConnectorContext(
        batch_rows=config["batch_rows"],
        allowed_roots=tuple(Path(p) for p in config.get("allowed_roots", ())),
        timeout_seconds=60,
    )
    connector = open_connector(
        config["type"], parse_settings(config["type"], config["settings"]), context
    )
    kind = FileSpec if config["spec"]["kind"] == "file" else TableSpec
    stats = ReadStats()
    return connector, connector.read(kind(**config["spec"]), stats=stats), stats


def dataops_read(config: Config) -> Result:
    """Diagnostic: the dataops connector's ``read()`` alone (no lake write, no server)."""
    connector, batches, stats = _dataops_batches(config)
    schema = None
    for batch in batches:
        schema = batch.schema
    connector.close()
    types = {} if schema is None else {f.name: str(f.type) for f in schema}
    return {"rows": stats.rows, "output_rows": stats.rows, "types": types}


def setup_dataops_write(config: Config) -> None:
    setup_dataops_read(config)
    import deltalake  # noqa: F401


def dataops_write(config: Config) -> Result:
    """Diagnostic: the connector's ``read()``, each batch conformed to the lake's types as the
    product does (``lake_schema``/``conform_batch``: nanoseconds to microseconds...), streamed
    into ``deltalake.write_deltalake`` with the product's row groups (``ROW_GROUP_ROWS``); no
    server, no quarantine checks, no run bookkeeping, no profile."""
    import pyarrow as pa
    from deltalake import WriterProperties, write_deltalake

    from dataops.lake import tables
    from dataops.lake.types import conform_batch, lake_schema

    rows = getattr(tables, "ROW_GROUP_ROWS", None)
    properties = WriterProperties(max_row_group_size=rows) if rows else None

    connector, batches, stats = _dataops_batches(config)
    first = next(batches)
    schema = lake_schema(first.schema)
    rest = (b for b in batches if b.num_rows)
    chained = (b for part in ([first] if first.num_rows else [], rest) for b in part)
    conformed = (conform_batch(b, schema) for b in chained)
    reader = pa.RecordBatchReader.from_batches(schema, conformed)
    write_deltalake(config["out"], reader, mode="overwrite", writer_properties=properties)
    connector.close()
    return {"rows": stats.rows, "delta": True}


# --- CSV -> ... ----------------------------------------------------------------------------------


def setup_duckdb(config: Config) -> None:
    import duckdb  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def duckdb_csv(config: Config) -> Result:
    """DuckDB ``COPY (SELECT * FROM read_csv(...)) TO '...parquet'`` (its threads: all cores)."""
    import duckdb

    out = Path(config["out"])
    out.mkdir(parents=True)
    target = out / "part-0.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT * FROM read_csv('{config['csv']}')) TO '{target}' (FORMAT parquet)"
        )
    return {"rows": None}


CONTENDERS: dict[str, tuple[Callable[[Config], None], Callable[[Config], Result]]] = {
    "copy_binary": (setup_copy_binary, copy_binary),
    "connectorx": (setup_connectorx, connectorx_parquet),
    "dlt_pyarrow": (setup_dlt, dlt_pyarrow),
    "dlt_connectorx": (setup_dlt, dlt_connectorx),
    "dataops_read": (setup_dataops_read, dataops_read),
    "dataops_write": (setup_dataops_write, dataops_write),
    "duckdb_csv": (setup_duckdb, duckdb_csv),
}


def main() -> None:
    name, config = sys.argv[1], json.loads(sys.argv[2])
    setup, run = CONTENDERS[name]
    if config.get("out"):
        shutil.rmtree(config["out"], ignore_errors=True)
    setup(config)
    base, cpu = rss_mb(), cpu_seconds()
    started = time.perf_counter()
    result = run(config)
    seconds = time.perf_counter() - started
    cpu, peak = cpu_seconds() - cpu, peak_mb()
    if result.pop("delta", False):  # read back what was written (untimed)
        from benchmarks.extract.server import delta_output

        output_rows, types = delta_output(config["out"])
        result.update(output_rows=output_rows, types=types)
    elif "types" not in result:
        output_rows, types = parquet_output(Path(result.get("output_dir") or config["out"]))
        result.update(output_rows=output_rows, types=types)
    if result.get("rows") is None:
        result["rows"] = result["output_rows"]
    result.update(seconds=seconds, cpu_s=cpu, base_mb=base, peak_mb=peak)
    if config.get("out") and not config.get("keep"):
        shutil.rmtree(config["out"], ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
