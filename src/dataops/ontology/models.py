"""Tables of the ontology domain: object types (and each version of their schema), link types,
mappings from datasets onto object types, and sync runs. Objects themselves live in the lake
(one Delta table per object type)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dataops.core.ids import new_id
from dataops.store.base import Base, UtcDateTime, utcnow


class ObjectType(Base):
    """A kind of business object (Aircraft, Customer): its properties and key. ``properties``
    is the current schema as JSON (a list of ``PropertySpec``); every change is a new
    ``version``, kept in :class:`ObjectTypeVersion`."""

    __tablename__ = "object_types"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(256), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    key_property: Mapped[str] = mapped_column(sa.String(128))
    classification: Mapped[str] = mapped_column(sa.String(4), default="U")
    properties: Mapped[str] = mapped_column(sa.Text, default="[]")
    version: Mapped[int] = mapped_column(sa.Integer, default=1)
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    lake_version: Mapped[int | None] = mapped_column(sa.Integer)  # of its objects table
    object_count: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ObjectTypeVersion(Base):
    """One version of an object type's schema, with what changed and how existing objects were
    migrated (``additive``: nothing to do; ``rewrite``: objects rewritten to the new schema)."""

    __tablename__ = "object_type_versions"
    __table_args__ = (
        sa.UniqueConstraint("object_type_id", "version", name="uq_object_type_versions_version"),
    )

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    object_type_id: Mapped[str] = mapped_column(
        sa.ForeignKey("object_types.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(sa.Integer)
    key_property: Mapped[str] = mapped_column(sa.String(128))
    properties: Mapped[str] = mapped_column(sa.Text)
    changes: Mapped[str] = mapped_column(sa.Text, default="[]")  # in words, as JSON
    migration: Mapped[str] = mapped_column(sa.String(16), default="additive")
    created_by: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LinkType(Base):
    """A relation between two object types, through keys: objects of ``source_type`` hold the
    key (``one_to_many``) or a list of keys (``many_to_many``) of ``target_type`` objects in
    their ``source_property``."""

    __tablename__ = "link_types"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    source_type_id: Mapped[str] = mapped_column(
        sa.ForeignKey("object_types.id", ondelete="CASCADE"), index=True
    )
    target_type_id: Mapped[str] = mapped_column(
        sa.ForeignKey("object_types.id", ondelete="CASCADE"), index=True
    )
    cardinality: Mapped[str] = mapped_column(sa.String(16))  # one_to_many | many_to_many
    source_property: Mapped[str] = mapped_column(sa.String(128))
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Mapping(Base):
    """How rows of a dataset become objects of a type: per property a column (or a path into a
    nested column), a transform and a default (``properties`` JSON: ``{property: {column, path,
    transform, default}}``), and how a sync writes them."""

    __tablename__ = "mappings"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    dataset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    object_type_id: Mapped[str] = mapped_column(
        sa.ForeignKey("object_types.id", ondelete="CASCADE"), index=True
    )
    properties: Mapped[str] = mapped_column(sa.Text, default="{}")
    sync_mode: Mapped[str] = mapped_column(sa.String(16), default="upsert")
    on_conflict: Mapped[str] = mapped_column(sa.String(16), default="overwrite")
    schedule_cron: Mapped[str | None] = mapped_column(sa.String(128))
    schedule_timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    schedule_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    misfire_policy: Mapped[str] = mapped_column(sa.String(16), default="run_once")
    next_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    seq: Mapped[int] = mapped_column(sa.Integer, default=0)  # number of the last sync created
    synced_dataset_version: Mapped[int | None] = mapped_column(sa.Integer)
    last_sync_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class SyncRun(Base):
    """One sync of a mapping: which dataset versions it read, what it wrote, what it rejected."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        sa.UniqueConstraint("mapping_id", "seq", name="uq_sync_runs_mapping_seq"),
        sa.UniqueConstraint("mapping_id", "scheduled_for", name="uq_sync_runs_mapping_tick"),
    )

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    mapping_id: Mapped[str] = mapped_column(
        sa.ForeignKey("mappings.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(sa.Integer)
    trigger: Mapped[str] = mapped_column(sa.String(16))  # manual | schedule
    status: Mapped[str] = mapped_column(sa.String(16), default="queued", index=True)
    triggered_by: Mapped[str] = mapped_column(sa.String(128))
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    worker: Mapped[str | None] = mapped_column(sa.String(128))  # host:pid executing it
    dataset_version_from: Mapped[int | None] = mapped_column(sa.Integer)  # exclusive
    dataset_version_to: Mapped[int | None] = mapped_column(sa.Integer)
    processed: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    succeeded: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    failed: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    lake_version: Mapped[int | None] = mapped_column(sa.Integer)  # of the objects table
    duration_ms: Mapped[float | None] = mapped_column(sa.Float)
    error: Mapped[str | None] = mapped_column(sa.Text)
    error_code: Mapped[str | None] = mapped_column(sa.String(64))
