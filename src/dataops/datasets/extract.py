"""One extraction, as named steps: peek the schema → plan it → stream (conform, quarantine, track
the watermark, report progress) → commit once to Delta.

Nothing here touches the metadata store; :mod:`dataops.datasets.execute` does. The data never
exists as Python rows: batches go from the connector through pyarrow casts into the table's
Parquet files as they are read, and one Delta commit at the end makes them visible (with the new
watermark). Raising inside the stream (cancel, too many bad records) removes the files before
any commit.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dataops.connectors.base import Reject
from dataops.datasets.errors import (
    BadRecordsError,
    DuplicateKeyError,
    ExtractionError,
    RunCancelledError,
)
from dataops.datasets.schema_policy import plan_schema
from dataops.datasets.schemas import ExtractMode, SchemaPolicy
from dataops.lake.commits import RunCommit
from dataops.lake.staging import staged
from dataops.lake.tables import LakeTable, WriteMode
from dataops.lake.types import cast_column, conform_batch, lake_schema
from dataops.sources.rows import json_value

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # rows so far, bytes so far


@dataclass(frozen=True)
class BadRecordLimits:
    max_records: int | None = None
    max_percent: float | None = None

    def check_count(self, bad: int) -> None:
        if self.max_records is not None and bad > self.max_records:
            raise BadRecordsError(
                f"{bad} bad records, more than the dataset allows ({self.max_records}); "
                "see the run's quarantined records"
            )

    def check_share(self, bad: int, total: int) -> None:
        self.check_count(bad)
        if self.max_percent is not None and total and bad * 100 / total > self.max_percent:
            raise BadRecordsError(
                f"{bad} of {total} records are bad ({bad * 100 / total:.2f}%), more than the "
                f"dataset allows ({self.max_percent}%); see the run's quarantined records"
            )


@dataclass(frozen=True)
class ExtractPlan:
    table: LakeTable
    commit: RunCommit  # watermark filled in by the extraction
    mode: ExtractMode
    primary_key: list[str] = field(default_factory=list)
    watermark_column: str | None = None
    previous_watermark: Any = None
    schema_policy: SchemaPolicy = SchemaPolicy.ADD_COLUMNS
    limits: BadRecordLimits = field(default_factory=BadRecordLimits)
    staging_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))


@dataclass
class ExtractResult:
    rows: int = 0
    bytes: int = 0
    version: int | None = None
    watermark: Any = None
    changes: list[str] = field(default_factory=list)
    rejected: int = 0
    committed: bool = False


class _Stream:
    """The batches on their way to the writer, with counters."""

    def __init__(
        self,
        plan: ExtractPlan,
        schema: pa.Schema,
        reject: Callable[[Reject], None],
        progress: Progress,
        cancelled: Callable[[], bool],
    ) -> None:
        self.plan, self.schema = plan, schema
        self.reject, self.progress, self.cancelled = reject, progress, cancelled
        self.rows = self.bytes = self.bad = 0
        self.watermark = plan.previous_watermark

    def conform(self, batch: pa.RecordBatch, rejected_before: Callable[[], int]) -> pa.RecordBatch:
        if self.cancelled():
            raise RunCancelledError("the run was cancelled")
        good = self._conform(batch)
        self.rows += good.num_rows
        self.bytes += good.nbytes
        self._track_watermark(good)
        self.plan.limits.check_count(rejected_before() + self.bad)
        self.progress(self.rows, self.bytes)
        return good

    def _conform(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        try:
            return conform_batch(batch, self.schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        # Some value does not fit its column's type: find the rows, quarantine them, keep the rest.
        reasons: dict[int, str] = {}
        for target in self.schema:
            index = batch.schema.get_field_index(target.name)
            if index >= 0:
                for offset, value in _unfit(batch.column(index), target.type):
                    reasons.setdefault(
                        offset, f"column {target.name!r}: {value!r} is not {target.type}"
                    )
        for offset in sorted(reasons):
            self.bad += 1
            row = batch.slice(offset, 1).to_pylist()[0]
            self.reject(
                Reject(
                    reason=reasons[offset],
                    raw=json.dumps({k: json_value(v) for k, v in row.items()}),
                    row=self.rows + offset + 1,
                )
            )
        keep = pa.array([i not in reasons for i in range(batch.num_rows)], pa.bool_())
        return conform_batch(batch.filter(keep), self.schema)

    def _track_watermark(self, batch: pa.RecordBatch) -> None:
        column = self.plan.watermark_column
        if column is None or batch.num_rows == 0:
            return
        top = pc.max(batch.column(column)).as_py()
        if top is not None and (self.watermark is None or top > self.watermark):
            self.watermark = top


def _unfit(values: pa.Array, target: pa.DataType) -> Iterator[tuple[int, Any]]:
    """(offset, value) of each value that cannot be cast to ``target`` (checked value by value:
    only on the rare batch that failed as a whole)."""
    for i in range(len(values)):
        try:
            cast_column(values.slice(i, 1), target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            yield i, values[i].as_py()


def _peek(batches: Iterator[pa.RecordBatch]) -> tuple[pa.Schema | None, Iterator[pa.RecordBatch]]:
    """The schema, and the batches with empty ones dropped (the first may only carry a schema)."""
    for first in batches:

        def chained(head: pa.RecordBatch = first) -> Iterator[pa.RecordBatch]:
            if head.num_rows:
                yield head
            for batch in batches:
                if batch.num_rows:
                    yield batch

        return first.schema, chained()
    return None, iter(())


def run_extraction(
    plan: ExtractPlan,
    batches: Iterator[pa.RecordBatch],
    *,
    reject: Callable[[Reject], None],
    rejected: Callable[[], int],
    progress: Progress,
    cancelled: Callable[[], bool],
) -> ExtractResult:
    """Stream ``batches`` into ``plan.table`` as one commit. ``reject`` receives records that do
    not fit (``rejected()`` counts every reject so far, the connector's included)."""
    source_schema, rest = _peek(batches)
    existing = plan.table.schema()
    if source_schema is None:
        # Some sources send no batch at all for an empty result: nothing new for an
        # increment; for a full refresh, an empty version of the table as it is.
        if plan.mode is not ExtractMode.FULL:
            return ExtractResult(watermark=plan.previous_watermark, rejected=rejected())
        if existing is None:
            raise ExtractionError("the source returned no rows and no columns: nothing to load")
        source_schema = existing
    incoming = lake_schema(source_schema)
    if plan.watermark_column is not None and plan.watermark_column not in incoming.names:
        raise ExtractionError(
            f"watermark column {plan.watermark_column!r} is not among the source's columns "
            f"({', '.join(incoming.names)})"
        )
    missing_keys = [k for k in plan.primary_key if k not in incoming.names]
    if missing_keys:
        raise ExtractionError(
            f"primary key column(s) {', '.join(map(repr, missing_keys))} are not among the "
            f"source's columns ({', '.join(incoming.names)})"
        )
    full = plan.mode is ExtractMode.FULL
    schema_plan = plan_schema(existing, incoming, plan.schema_policy, replaces_all=full)
    stream = _Stream(plan, schema_plan.schema, reject, progress, cancelled)

    def conformed() -> Iterator[pa.RecordBatch]:
        for batch in rest:
            yield stream.conform(batch, rejected)
        plan.limits.check_share(rejected(), stream.rows + rejected())

    result = ExtractResult(changes=[c.describe() for c in schema_plan.changes])
    reader = pa.RecordBatchReader.from_batches(schema_plan.schema, conformed())
    add_columns = schema_plan.schema_mode is not None
    if plan.mode is ExtractMode.MERGE:
        # The new watermark is known only once every row is read, and it must go into the same
        # commit as the rows: stage the increment on local disk (Arrow IPC, streamed), then
        # MERGE it with the watermark.
        with staged(plan.staging_dir, schema_plan.schema, reader) as increment:
            if stream.rows == 0:
                return _unchanged(plan, result, rejected())
            if schema_plan.retype_existing:
                retype_table(plan.table, schema_plan.schema, plan.commit)
            commit = replace(plan.commit, watermark=stream.watermark)
            result.version = _merge(plan, increment, commit, add_columns)
    else:
        # Rows go into the table's files as they are read; the commit, with the new watermark,
        # comes once the last row is in.
        files = plan.table.stage(reader)
        try:
            if not full and stream.rows == 0:
                return _unchanged(plan, result, rejected())
            if schema_plan.retype_existing:
                retype_table(plan.table, schema_plan.schema, plan.commit)
            commit = replace(plan.commit, watermark=stream.watermark)
            mode: WriteMode = "overwrite" if full else "append"
            result.version = plan.table.commit(files, commit, mode=mode, add_columns=add_columns)
        except BaseException:
            files.abort()
            raise
    result.committed = True
    result.rows, result.bytes, result.rejected = stream.rows, stream.bytes, rejected()
    result.watermark = stream.watermark
    return result


def _unchanged(plan: ExtractPlan, result: ExtractResult, rejected: int) -> ExtractResult:
    """An increment with no new rows: no commit, the table stays as it is."""
    result.watermark = plan.previous_watermark
    result.rejected = rejected
    return result


def retype_table(table: LakeTable, schema: pa.Schema, commit: RunCommit) -> None:
    """Rewrite the table with ``schema``'s (wider) types, in one commit that changes no data."""
    dataset = table.dataset()
    assert dataset is not None
    batches = (conform_batch(b, schema) for b in dataset.to_batches())
    reader = pa.RecordBatchReader.from_batches(schema, batches)
    retype = RunCommit(commit.app_id + ":retype", commit.seq, commit.run_id, kind="retype")
    table.write(reader, retype, mode="overwrite")
    log.info("lake %s: retyped for run %s", table.uri, commit.run_id)


def _merge(
    plan: ExtractPlan, increment: pa.RecordBatchReader, commit: RunCommit, add_columns: bool
) -> int:
    try:
        return plan.table.merge(increment, plan.primary_key, commit, add_columns=add_columns)
    except Exception as exc:
        if "multiple source rows matched" in str(exc).lower() or "duplicate" in str(exc).lower():
            raise DuplicateKeyError(
                f"the extracted rows repeat a primary key ({', '.join(plan.primary_key)}) value, "
                "so the merge cannot decide which row wins; fix the key or deduplicate the source"
            ) from exc
        raise
