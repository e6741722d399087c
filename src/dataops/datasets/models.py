"""Tables of the datasets domain."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dataops.core.ids import new_id
from dataops.store.base import Base, UtcDateTime, utcnow


class Dataset(Base):
    """What to extract from a source, how, and when. The data itself lives in the lake.

    ``spec`` is the read spec (table, query, file, endpoint) as JSON. ``watermark_initial`` is a
    typed JSON value (see :mod:`dataops.lake.commits`).
    """

    __tablename__ = "datasets"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    source_id: Mapped[str] = mapped_column(
        sa.ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    spec: Mapped[str] = mapped_column(sa.Text)
    mode: Mapped[str] = mapped_column(sa.String(16), default="full")  # full | append | merge
    primary_key: Mapped[str] = mapped_column(sa.Text, default="[]")
    watermark_column: Mapped[str | None] = mapped_column(sa.String(256))
    watermark_initial: Mapped[str | None] = mapped_column(sa.Text)
    lookback: Mapped[float | None] = mapped_column(sa.Float)
    schema_policy: Mapped[str] = mapped_column(sa.String(16), default="add_columns")
    max_bad_records: Mapped[int | None] = mapped_column(sa.Integer)
    max_bad_percent: Mapped[float | None] = mapped_column(sa.Float)
    schedule_cron: Mapped[str | None] = mapped_column(sa.String(128))
    schedule_timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    schedule_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    misfire_policy: Mapped[str] = mapped_column(sa.String(16), default="run_once")
    next_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    seq: Mapped[int] = mapped_column(sa.Integer, default=0)  # number of the last run created
    lake_version: Mapped[int | None] = mapped_column(sa.Integer)
    row_count: Mapped[int | None] = mapped_column(sa.BigInteger)
    watermark: Mapped[str | None] = mapped_column(sa.Text)  # copy of the lake's, for display
    lake_schema: Mapped[str | None] = mapped_column(sa.Text)  # [{name, type}] as JSON
    profile: Mapped[str | None] = mapped_column(sa.Text)  # engine.profile as JSON
    last_run_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ExtractionRun(Base):
    """One extraction of a dataset. ``scheduled_for`` is the schedule tick it serves: unique per
    dataset, so two scheduler processes can never start the same tick twice."""

    __tablename__ = "extraction_runs"
    __table_args__ = (
        sa.UniqueConstraint("dataset_id", "seq", name="uq_extraction_runs_dataset_seq"),
        sa.UniqueConstraint("dataset_id", "scheduled_for", name="uq_extraction_runs_dataset_tick"),
    )

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    dataset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(sa.Integer)
    trigger: Mapped[str] = mapped_column(sa.String(16))  # manual | schedule | reprocess
    status: Mapped[str] = mapped_column(sa.String(16), default="queued", index=True)
    triggered_by: Mapped[str] = mapped_column(sa.String(128))
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    worker: Mapped[str | None] = mapped_column(sa.String(128))
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    rows: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    duration_ms: Mapped[float | None] = mapped_column(sa.Float)
    watermark_before: Mapped[str | None] = mapped_column(sa.Text)
    watermark_after: Mapped[str | None] = mapped_column(sa.Text)
    lake_version: Mapped[int | None] = mapped_column(sa.Integer)
    quarantined: Mapped[int] = mapped_column(sa.Integer, default=0)
    schema_changes: Mapped[str] = mapped_column(sa.Text, default="[]")
    error: Mapped[str | None] = mapped_column(sa.Text)
    error_code: Mapped[str | None] = mapped_column(sa.String(64))
    options: Mapped[str] = mapped_column(sa.Text, default="{}")  # e.g. reprocess: record ids
