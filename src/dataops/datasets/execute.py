"""Executing one run: load what it needs → (reconcile if the lake already holds it) → attempts
with retries on transient errors → record the outcome and the profile.

The Delta log is the truth about what was loaded: a run whose number is already committed there
(its process died after the commit) is finished from the log, never loaded twice.
"""

from __future__ import annotations

import json
import logging
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from dataops.connectors.base import ReadStats, Watermark
from dataops.core.errors import DataOpsError
from dataops.core.settings import Settings
from dataops.datasets import runs
from dataops.datasets.errors import RunCancelledError
from dataops.datasets.extract import BadRecordLimits, ExtractPlan, ExtractResult, run_extraction
from dataops.datasets.models import Dataset, ExtractionRun
from dataops.datasets.prefetch import Prefetch
from dataops.datasets.profiling import profile_table
from dataops.datasets.quarantine import QuarantineBuffer, quarantine_table
from dataops.datasets.reprocess import reprocess
from dataops.datasets.schemas import (
    ExtractMode,
    QuarantineStatus,
    RunStatus,
    RunTrigger,
    SchemaPolicy,
)
from dataops.datasets.service import read_spec
from dataops.datasets.watermark import parse_initial, start_from
from dataops.lake.commits import RunCommit, show_value
from dataops.lake.storage import Lake, Zone
from dataops.lake.tables import LakeTable, arrow_schema
from dataops.sources.models import Source
from dataops.sources.service import source_connector
from dataops.store.base import utcnow
from dataops.store.engine import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunEnv:
    """What executing runs needs from the process."""

    sessions: sessionmaker[Session]
    settings: Settings
    lake: Lake
    worker: str
    profile: bool = True  # profile the new version after a run (False: the caller does it)

    @property
    def staging_dir(self) -> Path:
        return self.settings.home / "staging"


@dataclass(frozen=True)
class _Job:
    run: ExtractionRun
    dataset: Dataset
    source: Source

    @property
    def commit(self) -> RunCommit:
        return RunCommit(runs.app_id(self.dataset.id), self.run.seq, self.run.id)


def _load(env: RunEnv, run_id: str) -> _Job:
    with transaction(env.sessions) as session:
        run = session.get(ExtractionRun, run_id)
        assert run is not None
        dataset = session.get(Dataset, run.dataset_id)
        assert dataset is not None
        source = session.get(Source, dataset.source_id)
        assert source is not None
        session.expunge_all()
        return _Job(run, dataset, source)


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, DataOpsError):
        return exc.transient
    return isinstance(exc, ConnectionError | TimeoutError)


def execute_run(env: RunEnv, run_id: str, cancel: threading.Event) -> None:
    """Run ``run_id`` (already claimed by this worker) to its end; never raises."""
    job = _load(env, run_id)
    table = LakeTable.of(env.lake, Zone.DATASETS, job.dataset.id)
    started = time.monotonic()
    try:
        committed = table.committed_seq(job.commit.app_id)
        if committed is not None and committed >= job.run.seq:
            reconcile(env, job.run, table)
            return
        if job.run.trigger == RunTrigger.REPROCESS:
            _update_run(env, run_id, attempts=1)
            result = reprocess(env, job.dataset, job.run, table, _progress(env, run_id, cancel))
        else:
            result = _with_retries(env, job, table, cancel)
    except RunCancelledError as exc:
        _finish(env, run_id, RunStatus.CANCELLED, started, error=exc.message, code=exc.code)
        return
    except Exception as exc:
        code = exc.code if isinstance(exc, DataOpsError) else "internal_error"
        message = exc.message if isinstance(exc, DataOpsError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, DataOpsError):
            log.exception("run %s failed unexpectedly", run_id)
        _finish(env, run_id, RunStatus.FAILED, started, error=message, code=code)
        return
    _succeed(env, job, table, result, started)


def _with_retries(
    env: RunEnv, job: _Job, table: LakeTable, cancel: threading.Event
) -> ExtractResult:
    config = env.settings.datasets
    for attempt in range(1, config.retry_attempts + 1):
        _update_run(env, job.run.id, attempts=attempt)
        try:
            return _attempt(env, job, table, cancel)
        except Exception as exc:
            if not is_transient(exc) or attempt == config.retry_attempts:
                raise
            delay = config.retry_base_seconds * 2 ** (attempt - 1)
            log.warning(
                "run %s attempt %d failed (%s); retrying in %.1fs", job.run.id, attempt, exc, delay
            )
            if cancel.wait(delay):
                raise RunCancelledError("the run was cancelled") from exc
    raise AssertionError("unreachable")


def _update_run(env: RunEnv, run_id: str, **fields: Any) -> None:
    """Set columns of the run in their own transaction (visible to the API at once)."""
    with transaction(env.sessions) as session:
        session.execute(sa.update(ExtractionRun).where(ExtractionRun.id == run_id).values(fields))


def _progress(env: RunEnv, run_id: str, cancel: threading.Event) -> Callable[[int, int], None]:
    """A progress callback writing to the run at most twice a second; it also notices a cancel
    requested from any process."""
    last = [0.0]

    def report(rows: int, size: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5:
            return
        last[0] = now
        with transaction(env.sessions) as session:
            if runs.record_progress(session, run_id, rows, size):
                cancel.set()

    return report


def _attempt(env: RunEnv, job: _Job, table: LakeTable, cancel: threading.Event) -> ExtractResult:
    ds = job.dataset
    mode = ExtractMode(ds.mode)
    incremental = mode is not ExtractMode.FULL and ds.watermark_column is not None
    previous = None
    cursor = None
    if incremental and ds.watermark_column is not None:
        previous = table.last_watermark()
        if previous is None:
            previous = parse_initial(ds.watermark_initial)
        cursor = Watermark(ds.watermark_column, start_from(previous, ds.lookback))
    _update_run(env, job.run.id, watermark_before=show_value(previous))
    buffer = QuarantineBuffer(job.run.id)
    stats = ReadStats(rejects=buffer.add)
    plan = ExtractPlan(
        table=table,
        commit=job.commit,
        mode=mode,
        primary_key=json.loads(ds.primary_key),
        watermark_column=ds.watermark_column if incremental else None,
        previous_watermark=previous,
        schema_policy=SchemaPolicy(ds.schema_policy),
        limits=BadRecordLimits(ds.max_bad_records, ds.max_bad_percent),
        staging_dir=env.staging_dir,
    )
    progress = _progress(env, job.run.id, cancel)
    status = QuarantineStatus.DISCARDED
    try:
        with source_connector(
            job.source, env.settings, batch_rows=env.settings.datasets.batch_rows
        ) as connector:
            batches = Prefetch(connector.read(read_spec(ds), cursor, stats))
            try:
                result = run_extraction(
                    plan,
                    iter(batches),
                    reject=buffer.add,
                    rejected=lambda: buffer.count,
                    progress=progress,
                    cancelled=cancel.is_set,
                )
            finally:
                batches.close()
        status = QuarantineStatus.OPEN
    finally:
        buffer.flush(quarantine_table(env.lake, ds.id), job.commit, status)
        _update_run(env, job.run.id, quarantined=buffer.count)
    if stats.bytes:
        result.bytes = stats.bytes
    return result


def _finish(
    env: RunEnv,
    run_id: str,
    status: RunStatus,
    started: float,
    *,
    error: str | None = None,
    code: str | None = None,
) -> None:
    with transaction(env.sessions) as session:
        run = session.get(ExtractionRun, run_id)
        assert run is not None
        run.status = status.value
        run.finished_at = utcnow()
        run.duration_ms = (time.monotonic() - started) * 1000
        run.error, run.error_code = error, code
    log.info("run %s %s%s", run_id, status.value, f": {error}" if error else "")


def _succeed(
    env: RunEnv, job: _Job, table: LakeTable, result: ExtractResult, started: float
) -> None:
    delta = table.open(result.version if result.committed else None)
    schema = None if delta is None else arrow_schema(delta)
    with transaction(env.sessions) as session:
        run = session.get(ExtractionRun, job.run.id)
        dataset = session.get(Dataset, job.dataset.id)
        assert run is not None and dataset is not None
        run.status = RunStatus.SUCCEEDED.value
        run.finished_at = utcnow()
        run.duration_ms = (time.monotonic() - started) * 1000
        run.rows, run.bytes = result.rows, result.bytes
        run.quarantined = result.rejected
        run.lake_version = result.version
        run.watermark_after = show_value(result.watermark)
        run.schema_changes = json.dumps(result.changes)
        run.error = run.error_code = None
        if result.committed:
            dataset.lake_version = result.version
            dataset.row_count = None if delta is None else int(delta.count())
        if result.watermark is not None:
            dataset.watermark = show_value(result.watermark)
        if schema is not None:
            dataset.lake_schema = _schema_json(schema)
    log.info(
        "run %s succeeded: %d rows, version %s, %d quarantined (process peak RSS %.0f MB)",
        job.run.id,
        result.rows,
        result.version,
        result.rejected,
        peak_rss_mb(),
    )
    if env.profile and result.committed and result.version is not None:
        store_profile(env, job.dataset.id, result.version)


def store_profile(env: RunEnv, dataset_id: str, version: int) -> None:
    """Profile the new version once the run is reported done: the data is visible at once, the
    profile follows (it reads the whole table again, a row group at a time)."""
    started = time.monotonic()
    profile = profile_table(LakeTable.of(env.lake, Zone.DATASETS, dataset_id), version)
    if profile is None:
        return
    with transaction(env.sessions) as session:
        dataset = session.get(Dataset, dataset_id)
        if dataset is not None and (dataset.lake_version or 0) <= version:
            dataset.profile = profile
    log.info(
        "dataset %s version %d profiled in %.1fs", dataset_id, version, time.monotonic() - started
    )


def peak_rss_mb() -> float:
    """This process's largest resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _schema_json(schema: pa.Schema) -> str:
    return json.dumps([{"name": f.name, "type": str(f.type)} for f in schema])


def reconcile(env: RunEnv, run: ExtractionRun, table: LakeTable) -> None:
    """Finish a run the lake already holds (its process died after committing)."""
    found = next(
        (v for v in table.history(500) if v.run_id == run.id and v.kind != "quarantine"), None
    )
    with transaction(env.sessions) as session:
        stored = session.get(ExtractionRun, run.id)
        dataset = session.get(Dataset, run.dataset_id)
        assert stored is not None and dataset is not None
        stored.status = RunStatus.SUCCEEDED.value
        stored.finished_at = stored.finished_at or utcnow()
        if found is not None:
            stored.lake_version = found.version
            stored.rows = found.rows_added or stored.rows
            if found.watermark is not None:
                stored.watermark_after = show_value(found.watermark)
                dataset.watermark = show_value(found.watermark)
            if dataset.lake_version is None or found.version > dataset.lake_version:
                dataset.lake_version = found.version
                dataset.row_count = table.count(found.version)
        stored.error = "recovered from the lake: the data was committed before the worker stopped"
        stored.error_code = None
    log.info("run %s reconciled from the lake (committed before its worker stopped)", run.id)
