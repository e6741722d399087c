"""API shapes of the datasets domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dataops.connectors.base import ReadSpec
from dataops.sources.schemas import ColumnOut, OwnerOut, PreviewOut, SourceName

DatasetName = SourceName


class ExtractMode(StrEnum):
    FULL = "full"  # every run replaces the table (a new version)
    APPEND = "append"  # incremental: rows past the watermark are appended
    MERGE = "merge"  # incremental: rows past the watermark are upserted on the primary key


class SchemaPolicy(StrEnum):
    ALLOW_ALL = "allow_all"  # any change: the table takes the new schema
    ADD_COLUMNS = "add_columns"  # new columns and safe widenings; anything else fails the run
    BLOCK = "block"  # any change fails the run


class MisfirePolicy(StrEnum):
    SKIP = "skip"  # ticks missed while down are dropped; the next tick runs
    RUN_ONCE = "run_once"  # ticks missed while down are coalesced into one run at start


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RunTrigger(StrEnum):
    MANUAL = "manual"
    SCHEDULE = "schedule"
    REPROCESS = "reprocess"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


ColumnName = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class Incremental(_In):
    """Incremental extraction: only rows whose ``column`` is past the last watermark."""

    column: ColumnName = Field(description="Watermark column (e.g. updated_at or an id).")
    initial_value: str | None = Field(
        default=None,
        max_length=256,
        description="Start from here on the first run (ISO date/time or number); null: all rows.",
    )
    lookback: float | None = Field(
        default=None,
        ge=0,
        description="Re-read this much before the watermark (seconds for date/time columns, "
        "units for numbers) to catch late rows; needs mode merge.",
    )


class Schedule(_In):
    cron: Annotated[str, StringConstraints(strip_whitespace=True, min_length=9, max_length=128)] = (
        Field(description="Five-field cron expression, e.g. '0 2 * * *'.")
    )
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        default="UTC", description="IANA time zone the cron expression is read in."
    )
    enabled: bool = True
    misfire_policy: MisfirePolicy = MisfirePolicy.RUN_ONCE


class DatasetCreate(_In):
    name: DatasetName
    description: Annotated[str, StringConstraints(max_length=4000)] = ""
    source_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    spec: ReadSpec
    mode: ExtractMode = ExtractMode.FULL
    primary_key: list[ColumnName] = Field(default_factory=list, max_length=32)
    incremental: Incremental | None = None
    schema_policy: SchemaPolicy = SchemaPolicy.ADD_COLUMNS
    max_bad_records: int | None = Field(
        default=None, ge=0, description="Fail the run above this many bad records (null: no limit)."
    )
    max_bad_percent: float | None = Field(
        default=None, ge=0, le=100, description="Fail the run above this share of bad records."
    )
    schedule: Schedule | None = None


class DatasetUpdate(_In):
    """Fields left out keep their value; ``incremental``/``schedule`` null removes them."""

    name: DatasetName | None = None
    description: Annotated[str, StringConstraints(max_length=4000)] | None = None
    spec: ReadSpec | None = None
    mode: ExtractMode | None = None
    primary_key: list[ColumnName] | None = Field(default=None, max_length=32)
    incremental: Incremental | None = None
    schema_policy: SchemaPolicy | None = None
    max_bad_records: int | None = Field(default=None, ge=0)
    max_bad_percent: float | None = Field(default=None, ge=0, le=100)
    schedule: Schedule | None = None


class SourceRef(BaseModel):
    id: str
    name: str
    type: str


class RunOut(BaseModel):
    id: str
    dataset_id: str
    seq: int
    trigger: RunTrigger
    status: RunStatus
    triggered_by: str
    scheduled_for: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    rows: int = Field(description="Rows read so far (live while running).")
    bytes: int
    duration_ms: float | None
    watermark_before: str | None
    watermark_after: str | None
    lake_version: int | None
    quarantined: int
    schema_changes: list[str] = Field(description="Schema drift seen by this run, in words.")
    error: str | None
    error_code: str | None
    worker: str | None = Field(description="host:pid of the process executing (or that ran) it.")


class RunList(BaseModel):
    items: list[RunOut]
    total: int


class DatasetOut(BaseModel):
    id: str
    name: str
    description: str
    source: SourceRef
    spec: ReadSpec
    mode: ExtractMode
    primary_key: list[str]
    incremental: Incremental | None
    schema_policy: SchemaPolicy
    max_bad_records: int | None
    max_bad_percent: float | None
    schedule: Schedule | None
    next_run_at: datetime | None
    owner: OwnerOut
    can_edit: bool
    lake_uri: str = Field(description="Where the Delta table lives.")
    lake_version: int | None
    row_count: int | None
    watermark: str | None
    columns: list[ColumnOut] = Field(description="Columns of the lake table (empty before a run).")
    last_run: RunOut | None
    created_at: datetime
    updated_at: datetime


class DatasetList(BaseModel):
    items: list[DatasetOut]


class VersionOut(BaseModel):
    version: int
    timestamp: datetime
    operation: str
    run_id: str | None
    rows_added: int | None
    watermark: str | None


class VersionList(BaseModel):
    items: list[VersionOut]


class TopValueOut(BaseModel):
    value: str
    count: int


class ColumnProfileOut(BaseModel):
    name: str
    data_type: str
    null_count: int
    null_percent: float
    distinct_estimate: int | None
    min: str | None
    max: str | None
    mean: float | None
    top_values: list[TopValueOut]


class ProfileOut(BaseModel):
    row_count: int
    sampled: bool
    sample_rows: int | None
    lake_version: int | None
    columns: list[ColumnProfileOut]


class QuarantineStatus(StrEnum):
    OPEN = "open"  # set aside by a run that loaded the rest: fix and re-process it
    RESOLVED = "resolved"  # re-processed into the table
    DISCARDED = "discarded"  # from a run that failed and loaded nothing (kept to explain why)


class QuarantinedRecord(BaseModel):
    id: str
    run_id: str
    reason: str
    raw: str
    line: int | None
    row: int | None
    file: str | None
    status: QuarantineStatus
    quarantined_at: datetime


class QuarantineList(BaseModel):
    items: list[QuarantinedRecord]
    total: int


class ReprocessRequest(_In):
    ids: list[Annotated[str, StringConstraints(max_length=64)]] | None = Field(
        default=None, max_length=100_000, description="Records to re-process; null: every open one."
    )
    corrections: dict[str, Annotated[str, StringConstraints(max_length=65_536)]] = Field(
        default_factory=dict,
        max_length=10_000,
        description="Corrected raw text per record id (the fix), used instead of the stored raw.",
    )


class DataPreviewOut(PreviewOut):
    lake_version: int | None = Field(description="The table version shown (time travel).")


class CronPreviewOut(BaseModel):
    next_runs: list[datetime]
