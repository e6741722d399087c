"""Dataset definitions: create, read, change, delete. Runs are in :mod:`.runs`, lake reads in
:mod:`.data`, execution in :mod:`.execute`."""

from __future__ import annotations

import json
import logging

import pyarrow as pa
import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.models import User
from dataops.auth.principal import Principal
from dataops.connectors.base import ReadSpec
from dataops.connectors.registry import connector_type
from dataops.core.errors import ConflictError, InvalidInputError
from dataops.core.settings import Settings
from dataops.datasets import schedule as schedules
from dataops.datasets.access import (
    dataset_editable,
    editable_dataset,
    usable_dataset,
    visible_datasets_filter,
)
from dataops.datasets.models import Dataset, ExtractionRun
from dataops.datasets.runs import run_out
from dataops.datasets.schemas import (
    DatasetCreate,
    DatasetList,
    DatasetOut,
    DatasetUpdate,
    ExtractMode,
    Incremental,
    MisfirePolicy,
    Schedule,
    SchemaPolicy,
    SourceRef,
)
from dataops.lake.storage import Zone, lake_from_settings
from dataops.lake.tables import LakeTable
from dataops.sources.access import usable_source
from dataops.sources.dependents import register_dependents_finder
from dataops.sources.models import Source
from dataops.sources.schemas import ColumnOut, DependentsOut, OwnerOut
from dataops.store.base import utcnow

log = logging.getLogger(__name__)

_SPEC = TypeAdapter[ReadSpec](ReadSpec)


def read_spec(ds: Dataset) -> ReadSpec:
    """The dataset's read spec (table, query, file or endpoint)."""
    return _SPEC.validate_json(ds.spec)


def lake_uri(settings: Settings, dataset_id: str) -> str:
    return lake_from_settings(settings).table_uri(Zone.DATASETS, dataset_id)


def to_out(session: Session, principal: Principal, settings: Settings, ds: Dataset) -> DatasetOut:
    owner = session.get(User, ds.owner_id)
    source = session.get(Source, ds.source_id)
    assert source is not None
    last = session.get(ExtractionRun, ds.last_run_id) if ds.last_run_id else None
    incremental = None
    if ds.watermark_column:
        incremental = Incremental(
            column=ds.watermark_column, initial_value=ds.watermark_initial, lookback=ds.lookback
        )
    plan = None
    if ds.schedule_cron:
        plan = Schedule(
            cron=ds.schedule_cron,
            timezone=ds.schedule_timezone,
            enabled=ds.schedule_enabled,
            misfire_policy=MisfirePolicy(ds.misfire_policy),
        )
    columns = [
        ColumnOut(name=c["name"], data_type=c["type"], nullable=True, source_type=None)
        for c in json.loads(ds.lake_schema or "[]")
    ]
    return DatasetOut(
        id=ds.id,
        name=ds.name,
        description=ds.description,
        source=SourceRef(id=source.id, name=source.name, type=source.type),
        spec=read_spec(ds),
        mode=ExtractMode(ds.mode),
        primary_key=json.loads(ds.primary_key),
        incremental=incremental,
        schema_policy=SchemaPolicy(ds.schema_policy),
        max_bad_records=ds.max_bad_records,
        max_bad_percent=ds.max_bad_percent,
        schedule=plan,
        next_run_at=ds.next_run_at if ds.schedule_enabled else None,
        owner=OwnerOut(
            id=ds.owner_id,
            username=owner.username if owner else "?",
            display_name=owner.display_name if owner else "?",
        ),
        can_edit=dataset_editable(session, principal, ds),
        lake_uri=lake_uri(settings, ds.id),
        lake_version=ds.lake_version,
        row_count=ds.row_count,
        watermark=ds.watermark,
        columns=columns,
        last_run=run_out(last) if last else None,
        created_at=ds.created_at,
        updated_at=ds.updated_at,
    )


def list_datasets(session: Session, principal: Principal, settings: Settings) -> DatasetList:
    query = (
        sa.select(Dataset)
        .join(Source, Source.id == Dataset.source_id)
        .where(visible_datasets_filter(principal))
        .order_by(Dataset.name)
    )
    return DatasetList(
        items=[to_out(session, principal, settings, d) for d in session.scalars(query)]
    )


def get_dataset(
    session: Session, principal: Principal, settings: Settings, dataset_id: str
) -> DatasetOut:
    return to_out(session, principal, settings, usable_dataset(session, principal, dataset_id))


def get_dataset_model(session: Session, principal: Principal, dataset_id: str) -> Dataset:
    """The dataset, if ``principal`` may use it (for other domains: mappings, pipelines)."""
    return usable_dataset(session, principal, dataset_id)


def dataset_id_by_name(session: Session, name: str) -> str | None:
    return session.scalar(sa.select(Dataset.id).where(Dataset.name == name))


def dataset_name(session: Session, dataset_id: str) -> str:
    found = session.get(Dataset, dataset_id)
    return found.name if found else "?"


def lake_arrow_schema(
    session: Session, principal: Principal, settings: Settings, dataset_id: str
) -> pa.Schema | None:
    """The schema of the dataset's lake table (None: nothing extracted yet)."""
    dataset = usable_dataset(session, principal, dataset_id)
    return LakeTable.of(lake_from_settings(settings), Zone.DATASETS, dataset.id).schema()


def _check_name_free(session: Session, name: str, dataset_id: str | None = None) -> None:
    taken = session.scalar(sa.select(Dataset.id).where(Dataset.name == name))
    if taken is not None and taken != dataset_id:
        raise ConflictError(f"a dataset named {name!r} already exists", field="body.name")


def _check_spec(source: Source, spec: ReadSpec) -> None:
    kinds = connector_type(source.type).spec_kinds
    if spec.kind not in kinds:
        raise InvalidInputError(
            f"a {source.type} source reads {', '.join(kinds)} specs, not {spec.kind!r}",
            field="body.spec.kind",
        )


def _check_consistent(ds: Dataset) -> None:
    """Rules across fields, checked on the result of a create or an update."""
    keys = json.loads(ds.primary_key)
    if ds.mode == ExtractMode.MERGE and not keys:
        raise InvalidInputError(
            "mode merge needs a primary key to match rows on", field="body.primary_key"
        )
    if ds.mode != ExtractMode.FULL and not ds.watermark_column:
        raise InvalidInputError(
            f"mode {ds.mode} is incremental: set incremental.column (the watermark column)",
            field="body.incremental",
        )
    if ds.lookback and ds.mode != ExtractMode.MERGE:
        raise InvalidInputError(
            "a lookback re-reads rows already loaded: it needs mode merge (append would "
            "duplicate them)",
            field="body.incremental.lookback",
        )
    if len(set(keys)) != len(keys):
        raise InvalidInputError("primary key columns repeat", field="body.primary_key")


def _apply_incremental(ds: Dataset, incremental: Incremental | None) -> None:
    ds.watermark_column = incremental.column if incremental else None
    ds.watermark_initial = incremental.initial_value if incremental else None
    ds.lookback = incremental.lookback if incremental else None


def _apply_schedule(ds: Dataset, plan: Schedule | None) -> None:
    if plan is None:
        ds.schedule_cron, ds.schedule_enabled, ds.next_run_at = None, False, None
        return
    schedules.check_cron(plan.cron, field="body.schedule.cron")
    schedules.zone(plan.timezone, field="body.schedule.timezone")
    ds.schedule_cron = plan.cron
    ds.schedule_timezone = plan.timezone
    ds.schedule_enabled = plan.enabled
    ds.misfire_policy = plan.misfire_policy.value
    ds.next_run_at = (
        schedules.next_tick(plan.cron, plan.timezone, utcnow()) if plan.enabled else None
    )


def create_dataset(
    session: Session, principal: Principal, settings: Settings, data: DatasetCreate
) -> DatasetOut:
    source = usable_source(session, principal, data.source_id)
    _check_spec(source, data.spec)
    _check_name_free(session, data.name)
    ds = Dataset(
        name=data.name,
        description=data.description,
        source_id=source.id,
        spec=data.spec.model_dump_json(),
        mode=data.mode.value,
        primary_key=json.dumps(data.primary_key),
        schema_policy=data.schema_policy.value,
        max_bad_records=data.max_bad_records,
        max_bad_percent=data.max_bad_percent,
        owner_id=principal.user_id,
        seq=0,
    )
    _apply_incremental(ds, data.incremental)
    _apply_schedule(ds, data.schedule)
    _check_consistent(ds)
    session.add(ds)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "dataset.create",
        target_type="dataset",
        target_id=ds.id,
        details={"name": ds.name, "source": source.name, "mode": ds.mode},
    )
    log.info("dataset %s (%s) created from source %s", ds.id, ds.name, source.id)
    return to_out(session, principal, settings, ds)


def update_dataset(
    session: Session,
    principal: Principal,
    settings: Settings,
    dataset_id: str,
    data: DatasetUpdate,
) -> DatasetOut:
    ds = editable_dataset(session, principal, dataset_id)
    given = data.model_fields_set
    if data.name is not None:
        _check_name_free(session, data.name, ds.id)
        ds.name = data.name
    if data.description is not None:
        ds.description = data.description
    if data.spec is not None:
        source = session.get(Source, ds.source_id)
        assert source is not None
        _check_spec(source, data.spec)
        ds.spec = data.spec.model_dump_json()
    if data.mode is not None:
        ds.mode = data.mode.value
    if data.primary_key is not None:
        ds.primary_key = json.dumps(data.primary_key)
    if "incremental" in given:
        _apply_incremental(ds, data.incremental)
    if data.schema_policy is not None:
        ds.schema_policy = data.schema_policy.value
    if "max_bad_records" in given:
        ds.max_bad_records = data.max_bad_records
    if "max_bad_percent" in given:
        ds.max_bad_percent = data.max_bad_percent
    if "schedule" in given:
        _apply_schedule(ds, data.schedule)
    _check_consistent(ds)
    audit.record(
        session,
        principal.actor,
        "dataset.update",
        target_type="dataset",
        target_id=ds.id,
        details={"name": ds.name, "fields": sorted(given)},
    )
    session.flush()
    return to_out(session, principal, settings, ds)


def delete_dataset(session: Session, principal: Principal, dataset_id: str) -> None:
    ds = editable_dataset(session, principal, dataset_id)
    active = session.scalar(
        sa.select(sa.func.count())
        .select_from(ExtractionRun)
        .where(ExtractionRun.dataset_id == ds.id, ExtractionRun.status.in_(["queued", "running"]))
    )
    if active:
        raise ConflictError(
            f"dataset {ds.name!r} has a run in progress; cancel it or wait before deleting"
        )
    session.execute(sa.delete(ExtractionRun).where(ExtractionRun.dataset_id == ds.id))
    session.delete(ds)
    audit.record(
        session,
        principal.actor,
        "dataset.delete",
        target_type="dataset",
        target_id=ds.id,
        details={"name": ds.name},
    )


def _dependents(session: Session, source_id: str) -> list[DependentsOut]:
    rows = session.execute(
        sa.select(Dataset.id, Dataset.name)
        .where(Dataset.source_id == source_id)
        .order_by(Dataset.name)
    ).all()
    return [DependentsOut(kind="dataset", id=i, name=n) for i, n in rows]


register_dependents_finder(_dependents)
