"""The contenders, each run in a fresh child process by ``run.py``:

    python -m benchmarks.ontology.contenders NAME '<json config>'

The child imports what its contender needs, notes its RSS (``base``), runs and times the upsert
into the objects table ``config["target"]`` (a fresh copy of the objects, made by the
parent), notes its CPU seconds and peak RSS, then (untimed, after the peak is read) checks the
result: the object count, and a sample of changed keys (new values) and of
unchanged keys (values of the copy it started from). It prints one JSON line.

Peak RSS is ``VmHWM`` (``/proc/self/status``): the high-water mark of this process's own memory.
``ru_maxrss`` is recorded too (``ru_maxrss_mb``) but is no measure here: on Linux, ``exec`` keeps
the high-water mark of the memory it replaces, the parent's when Python spawns with ``vfork``, so a
child of a large parent reports at least the parent's size.

- ``dataops_sync``: **the product**: ``run_sync`` of the mapping from dataset version 0 to 1
  (reads the files version 1 added, transforms and validates in DuckDB, stages the objects in an
  Arrow IPC file, one delta-rs MERGE into the objects). As in the server that runs syncs, the
  process uses jemalloc with the server's decay (``return_freed_memory``), and the expression
  compiler is warm (its first use imports sqlglot's DuckDB dialect, ~0.16 s, once per server).
- ``delta_merge``: the raw Delta MERGE of the same rows: the objects the sync writes, prepared
  (untimed) as a Parquet file, streamed into ``DeltaTable.merge(...).when_matched_update_all()
  .when_not_matched_insert_all().execute()``, delta-rs's defaults.
- ``dataops_select`` *(diagnostic)*: the sync's read + DuckDB query alone (``changed_rows`` and
  the product's own scan + query), every batch consumed, nothing written.

The child ends with ``os._exit`` once its line is printed, as dataops' worker processes do:
delta-rs's runtime threads can crash the interpreter's teardown.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks.extract.contenders import cpu_seconds, peak_mb, rss_mb
from benchmarks.ontology import generate

Config = dict[str, Any]
Result = dict[str, Any]

SOURCE_BATCH_ROWS = 65_536  # the sync's own batch size (dataops.ontology.sync.BATCH_ROWS)


def hwm_mb() -> float:
    """This process's peak RSS (``VmHWM``), in MB."""
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def _lake(config: Config) -> Any:
    from dataops.lake.storage import Lake

    return Lake(config["lake_root"])


def _target_uri(config: Config) -> str:
    from dataops.lake.storage import Zone

    return str(_lake(config).table_uri(Zone.OBJECTS, config["target"]))


# --- the contenders -------------------------------------------------------------------------------


def setup_dataops(config: Config) -> None:
    from dataops.lake.memory import return_freed_memory

    return_freed_memory()  # the server's allocator (dataops.api.app), in which syncs run
    import dataops.ontology.sync  # noqa: F401
    from dataops.ontology.expressions import compile_expression

    # The first compile imports sqlglot's DuckDB dialect (~0.16 s): a server pays it once.
    compile_expression("value.trim()", value_column="v", columns=["v"])


def dataops_sync(config: Config) -> Result:
    """``run_sync``: upsert, overwrite on conflict, dataset versions 0 -> 1 (seq 2)."""
    from dataops.ontology.sync import run_sync

    plan = generate.plan(
        _lake(config),
        config["dataset_id"],
        config["target"],
        from_version=0,
        to_version=1,
        seq=2,
        sync_id="dataops_sync",
        staging_dir=Path(config["staging_dir"]),
    )
    result = run_sync(plan)
    return {
        "rows": result.processed,
        "sync_result": {
            "processed": result.processed,
            "succeeded": result.succeeded,
            "failed": result.failed,
            "lake_version": result.lake_version,
        },
    }


def dataops_select(config: Config) -> Result:
    """Diagnostic: the sync's changed rows through its DuckDB query, nothing written."""
    from dataops.ontology import sync

    plan = generate.plan(
        _lake(config),
        config["dataset_id"],
        config["target"],
        from_version=0,
        to_version=1,
        seq=2,
        sync_id="dataops_select",
    )
    data = sync.changed_rows(plan.lake, plan.dataset_id, plan.from_version, plan.to_version)
    rows = 0
    with ExitStack() as stack:
        for batch in sync._transform(plan, data, stack):  # the product's scan and query
            rows += batch.num_rows
    return {"rows": rows, "check": False}


def setup_delta(config: Config) -> None:
    import deltalake  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def delta_merge(config: Config) -> Result:
    """delta-rs MERGE of the prepared objects (Parquet, streamed) on the key."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from deltalake import DeltaTable

    source = pq.ParquetFile(config["source"])
    reader = pa.RecordBatchReader.from_batches(
        source.schema_arrow, source.iter_batches(batch_size=SOURCE_BATCH_ROWS)
    )
    key = generate.KEY
    metrics = (
        DeltaTable(_target_uri(config))
        .merge(reader, f't."{key}" = s."{key}"', source_alias="s", target_alias="t")
        .when_matched_update_all()
        .when_not_matched_insert_all()
        .execute()
    )
    return {"rows": int(metrics.get("num_source_rows", source.metadata.num_rows))}


CONTENDERS: dict[str, tuple[Callable[[Config], None], Callable[[Config], Result]]] = {
    "dataops_sync": (setup_dataops, dataops_sync),
    "delta_merge": (setup_delta, delta_merge),
    "dataops_select": (setup_dataops, dataops_select),
}


# --- after the run (untimed) ----------------------------------------------------------------------


def merge_metrics(config: Config) -> dict[str, Any]:
    """The operation metrics delta-rs recorded in the newest commit of the objects (the MERGE)."""
    from deltalake import DeltaTable

    entry = DeltaTable(_target_uri(config)).history(1)[0]
    metrics = entry.get("operationMetrics") or {}
    wanted = (
        "execution_time_ms", "scan_time_ms", "rewrite_time_ms", "num_source_rows",
        "num_target_rows_updated", "num_target_rows_inserted", "num_target_rows_copied",
        "num_output_rows", "num_target_files_scanned", "num_target_files_skipped_during_scan",
        "num_target_files_added", "num_target_files_removed",
    )  # fmt: skip
    found = {k: metrics[k] for k in wanted if k in metrics}
    found["operation"] = entry.get("operation")
    return found


def check(config: Config) -> dict[str, Any]:
    """The objects after the upsert: as many as before (every changed key existed), a sample of
    the changed keys with their new values (as the prepared source has them: the exact objects
    the sync writes; provenance columns apart from ``_dataset_version`` left out), and a sample of
    unchanged keys as they were in the table the run started from."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from deltalake import DeltaTable

    from dataops.ontology.arrow_types import PROVENANCE

    key, sample = generate.KEY, int(config["sample"])
    table = DeltaTable(_target_uri(config))
    objects = table.to_pyarrow_dataset()
    count = objects.count_rows()
    source = pq.read_table(config["source"])
    step = max(1, source.num_rows // sample)
    expected = source.take(pa.array(range(0, source.num_rows, step))).slice(0, sample)
    changed_keys = set(source.column(key).to_pylist())
    unchanged = [
        k
        for k in (f"A{i:08d}" for i in range(1, config["rows"] + 1, max(1, config["rows"] // 1000)))
        if k not in changed_keys
    ][:sample]
    properties = [n for n in expected.schema.names if n not in PROVENANCE.names]
    wanted = expected.column(key).to_pylist() + unchanged
    found = objects.to_table(filter=pc.field(key).isin(wanted))
    by_key = {row[key]: row for row in found.to_pylist()}
    wrong_changed = [
        row[key]
        for row in expected.to_pylist()
        if row[key] not in by_key
        or any(by_key[row[key]][p] != row[p] for p in properties)
        or by_key[row[key]]["_dataset_version"] != 1
    ]
    before = DeltaTable(config["base_uri"]).to_pyarrow_dataset()
    base = before.to_table(filter=pc.field(key).isin(unchanged)).to_pylist()
    wrong_unchanged = [
        row[key]
        for row in base
        if row[key] not in by_key or any(by_key[row[key]][n] != v for n, v in row.items())
    ]
    wrong_unchanged += sorted(set(unchanged) - {row[key] for row in base})
    return {
        "objects": count,
        "objects_ok": count == config["rows"],
        "changed_checked": expected.num_rows,
        "changed_wrong": wrong_changed[:10],
        "unchanged_checked": len(unchanged),
        "unchanged_wrong": wrong_unchanged[:10],
        "ok": count == config["rows"] and not wrong_changed and not wrong_unchanged,
    }


def main() -> None:
    name, config = sys.argv[1], json.loads(sys.argv[2])
    setup, run = CONTENDERS[name]
    setup(config)
    base, cpu = rss_mb(), cpu_seconds()
    started = time.perf_counter()
    result = run(config)
    seconds = time.perf_counter() - started
    cpu, peak, maxrss = cpu_seconds() - cpu, hwm_mb(), peak_mb()  # before the checks
    result.update(seconds=seconds, cpu_s=cpu, base_mb=base, peak_mb=peak, ru_maxrss_mb=maxrss)
    if result.pop("check", True):
        result["merge"] = merge_metrics(config)
        result["check"] = check(config)
    print(json.dumps(result, default=str), flush=True)
    os._exit(0)  # no interpreter teardown (see the module docstring)


if __name__ == "__main__":
    main()
