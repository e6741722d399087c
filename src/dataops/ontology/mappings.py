"""Mappings from a dataset onto an object type: define (validated against the type), preview on
the dataset's first rows, auto-suggest, change, delete.

Whoever may use the dataset and see the object type reads a mapping; its owner and admins change
it. Previews read data, so they are audited like dataset previews.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.models import User
from dataops.auth.permissions import Role
from dataops.auth.principal import Principal
from dataops.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from dataops.core.settings import Settings
from dataops.datasets import schedule as schedules
from dataops.datasets import service as datasets
from dataops.datasets.schemas import MisfirePolicy
from dataops.lake.storage import Zone, lake_from_settings
from dataops.lake.tables import LakeTable
from dataops.ontology.errors import MappingError
from dataops.ontology.models import Mapping, ObjectType, SyncRun
from dataops.ontology.object_types import mappings_of, properties_of, visible_type
from dataops.ontology.schemas import (
    FieldIssue,
    MappingCheck,
    MappingCreate,
    MappingList,
    MappingOut,
    MappingPreviewOut,
    MappingSchedule,
    MappingUpdate,
    OnConflict,
    PropertyMapping,
    PropertySpec,
    SuggestionOut,
    SyncMode,
)
from dataops.ontology.suggest import SourceColumn, TargetProperty, suggest_mappings
from dataops.ontology.sync import preview_mapping, read_rejected, validate_mapping
from dataops.ontology.sync_runs import sync_out
from dataops.sources.rows import json_value
from dataops.sources.schemas import OwnerOut
from dataops.store.base import utcnow

log = logging.getLogger(__name__)

SAMPLE_ROWS = 50


def _dump(properties: dict[str, PropertyMapping]) -> str:
    return json.dumps({k: v.model_dump(mode="json") for k, v in properties.items()})


# --- access ------------------------------------------------------------------------------------


def visible_mapping(session: Session, principal: Principal, mapping_id: str) -> Mapping:
    found = session.get(Mapping, mapping_id)
    if found is None:
        raise NotFoundError(f"no mapping {mapping_id}")
    try:
        datasets.get_dataset_model(session, principal, found.dataset_id)
        visible_type(session, principal, found.object_type_id)
    except NotFoundError:
        raise NotFoundError(f"no mapping {mapping_id}") from None
    return found


def mapping_editable(principal: Principal, mapping: Mapping) -> bool:
    return principal.role == Role.ADMIN or mapping.owner_id == principal.user_id


def editable_mapping(session: Session, principal: Principal, mapping_id: str) -> Mapping:
    found = visible_mapping(session, principal, mapping_id)
    if not mapping_editable(principal, found):
        raise PermissionDeniedError(
            f"only the owner of mapping {found.name!r} or an admin may change it"
        )
    return found


# --- the dataset's data --------------------------------------------------------------------------


def _dataset_sample(
    session: Session, principal: Principal, settings: Settings, dataset_id: str, limit: int
) -> pa.Table:
    """The first ``limit`` rows of the dataset's latest version (audited as a preview)."""
    dataset = datasets.get_dataset_model(session, principal, dataset_id)
    table = LakeTable.of(lake_from_settings(settings), Zone.DATASETS, dataset.id)
    delta = table.open()
    if delta is None:
        raise ConflictError(
            f"dataset {dataset.name!r} has no data yet: run an extraction first",
            field="body.dataset_id",
        )
    rows = delta.to_pyarrow_dataset().head(limit)
    audit.record(
        session,
        principal.actor,
        "data.preview",
        target_type="dataset",
        target_id=dataset.id,
        details={"name": dataset.name, "where": "mapping", "rows": rows.num_rows},
    )
    return rows


def _issues(
    schema: pa.Schema, ot: ObjectType, properties: dict[str, PropertyMapping], mode: SyncMode
) -> list[FieldIssue]:
    specs = properties_of(ot)
    known = {p.name for p in specs}
    issues = [
        FieldIssue(property=name, message=f"{ot.name} has no property {name!r}")
        for name in properties
        if name not in known
    ]
    found = validate_mapping(
        schema, specs, ot.key_property, {k: v for k, v in properties.items() if k in known}, mode
    )
    return issues + [FieldIssue(property=p, message=m) for p, m in found]


def _refuse(issues: list[FieldIssue]) -> None:
    if issues:
        first = issues[0]
        raise MappingError(
            "; ".join(f"{i.property}: {i.message}" for i in issues),
            field=f"body.properties.{first.property}",
            details={"issues": [i.model_dump() for i in issues]},
        )


def check_mapping(
    session: Session, principal: Principal, settings: Settings, data: MappingCheck
) -> MappingPreviewOut:
    """Validate a mapping and apply it to the dataset's first rows (nothing is written)."""
    ot = visible_type(session, principal, data.object_type_id)
    sample = _dataset_sample(session, principal, settings, data.dataset_id, data.limit)
    issues = _issues(sample.schema, ot, data.properties, SyncMode.UPSERT)
    source_rows = [_jsonable(r) for r in sample.to_pylist()]
    specs = properties_of(ot)
    known = {p.name for p in specs}
    # The properties free of issues are previewed anyway: the editor shows their values while
    # the others are being fixed.
    flawed = {i.property for i in issues}
    clean = {k: v for k, v in data.properties.items() if k in known and k not in flawed}
    try:
        out, errors = preview_mapping(sample, specs, ot.key_property, clean, data.limit)
    except MappingError:
        if not issues:
            raise
        return MappingPreviewOut(
            issues=issues, columns=[], rows=[], errors=[], source_rows=source_rows
        )
    return MappingPreviewOut(
        issues=issues,
        columns=out.column_names,
        rows=[_jsonable(r) for r in out.to_pylist()],
        errors=errors,
        source_rows=source_rows,
    )


def suggest(
    session: Session, principal: Principal, settings: Settings, dataset_id: str, type_id: str
) -> list[SuggestionOut]:
    ot = visible_type(session, principal, type_id)
    sample = _dataset_sample(session, principal, settings, dataset_id, SAMPLE_ROWS)
    columns = [
        SourceColumn(
            name=field.name,
            arrow_type=str(field.type),
            samples=tuple(v for v in sample.column(field.name).to_pylist() if v is not None),
        )
        for field in sample.schema
    ]
    found = suggest_mappings(columns, [_target(p) for p in properties_of(ot)])
    return [
        SuggestionOut(
            property=s.property,
            column=s.column,
            path=s.path,
            transform=s.transform,
            confidence=s.confidence,
            reasons=list(s.reasons),
        )
        for s in found
    ]


def _target(spec: PropertySpec) -> TargetProperty:
    return TargetProperty(
        name=spec.name,
        kind=spec.kind.value,
        required=spec.required,
        enum_values=tuple(spec.enum_values),
        item_kind=spec.items.kind.value if spec.items else None,
        description=spec.description,
    )


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json_value(v) for k, v in row.items()}


# --- definitions --------------------------------------------------------------------------------


def mapping_out(session: Session, principal: Principal, mapping: Mapping) -> MappingOut:
    owner = session.get(User, mapping.owner_id)
    ot = session.get(ObjectType, mapping.object_type_id)
    dataset_name = datasets.dataset_name(session, mapping.dataset_id)
    last = session.get(SyncRun, mapping.last_sync_id) if mapping.last_sync_id else None
    schedule = None
    if mapping.schedule_cron:
        schedule = MappingSchedule(
            cron=mapping.schedule_cron,
            timezone=mapping.schedule_timezone,
            enabled=mapping.schedule_enabled,
            misfire_policy=MisfirePolicy(mapping.misfire_policy),
        )
    return MappingOut(
        id=mapping.id,
        name=mapping.name,
        description=mapping.description,
        dataset_id=mapping.dataset_id,
        dataset_name=dataset_name,
        object_type_id=mapping.object_type_id,
        object_type_name=ot.name if ot else "?",
        properties=mappings_of(mapping),
        sync_mode=SyncMode(mapping.sync_mode),
        on_conflict=OnConflict(mapping.on_conflict),
        schedule=schedule,
        next_run_at=mapping.next_run_at,
        synced_dataset_version=mapping.synced_dataset_version,
        last_sync=sync_out(last) if last else None,
        owner=OwnerOut(
            id=mapping.owner_id,
            username=owner.username if owner else "?",
            display_name=owner.display_name if owner else "?",
        ),
        created_at=mapping.created_at,
        updated_at=mapping.updated_at,
        editable=mapping_editable(principal, mapping),
    )


def list_mappings(
    session: Session,
    principal: Principal,
    dataset_id: str | None = None,
    object_type_id: str | None = None,
) -> MappingList:
    query = sa.select(Mapping).order_by(Mapping.name)
    if dataset_id:
        query = query.where(Mapping.dataset_id == dataset_id)
    if object_type_id:
        query = query.where(Mapping.object_type_id == object_type_id)
    items = []
    for mapping in session.scalars(query):
        try:
            visible_mapping(session, principal, mapping.id)
        except NotFoundError:
            continue
        items.append(mapping_out(session, principal, mapping))
    return MappingList(items=items, total=len(items))


def _check_name_free(session: Session, name: str, mapping_id: str | None = None) -> None:
    taken = session.scalar(sa.select(Mapping.id).where(Mapping.name == name))
    if taken is not None and taken != mapping_id:
        raise ConflictError(f"a mapping named {name!r} already exists", field="body.name")


def _validate_saved(
    session: Session,
    principal: Principal,
    settings: Settings,
    mapping: Mapping,
    properties: dict[str, PropertyMapping],
) -> None:
    ot = visible_type(session, principal, mapping.object_type_id)
    schema = datasets.lake_arrow_schema(session, principal, settings, mapping.dataset_id)
    if schema is None:
        raise ConflictError(
            "the dataset has no data yet: run an extraction first, then map its columns",
            field="body.dataset_id",
        )
    _refuse(_issues(schema, ot, properties, SyncMode(mapping.sync_mode)))


def _apply_schedule(mapping: Mapping, plan: MappingSchedule | None) -> None:
    if plan is None:
        mapping.schedule_cron, mapping.schedule_enabled, mapping.next_run_at = None, False, None
        return
    schedules.check_cron(plan.cron, "body.schedule.cron")
    schedules.zone(plan.timezone, "body.schedule.timezone")
    mapping.schedule_cron, mapping.schedule_timezone = plan.cron, plan.timezone
    mapping.schedule_enabled = plan.enabled
    mapping.misfire_policy = plan.misfire_policy.value
    mapping.next_run_at = (
        schedules.next_tick(plan.cron, plan.timezone, utcnow()) if plan.enabled else None
    )


def create_mapping(
    session: Session, principal: Principal, settings: Settings, data: MappingCreate
) -> MappingOut:
    _check_name_free(session, data.name)
    mapping = Mapping(
        name=data.name,
        description=data.description,
        dataset_id=datasets.get_dataset_model(session, principal, data.dataset_id).id,
        object_type_id=visible_type(session, principal, data.object_type_id).id,
        properties=_dump(data.properties),
        sync_mode=data.sync_mode.value,
        on_conflict=data.on_conflict.value,
        owner_id=principal.user_id,
        seq=0,
    )
    _validate_saved(session, principal, settings, mapping, data.properties)
    _apply_schedule(mapping, data.schedule)
    session.add(mapping)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "mapping.create",
        target_type="mapping",
        target_id=mapping.id,
        details={"name": mapping.name, "properties": len(data.properties)},
    )
    log.info("mapping %s (%s) created", mapping.id, mapping.name)
    return mapping_out(session, principal, mapping)


def update_mapping(
    session: Session, principal: Principal, settings: Settings, mapping_id: str, data: MappingUpdate
) -> MappingOut:
    mapping = editable_mapping(session, principal, mapping_id)
    if data.name is not None and data.name != mapping.name:
        _check_name_free(session, data.name, mapping.id)
        mapping.name = data.name
    if data.description is not None:
        mapping.description = data.description
    if data.sync_mode is not None:
        mapping.sync_mode = data.sync_mode.value
    if data.on_conflict is not None:
        mapping.on_conflict = data.on_conflict.value
    properties = data.properties if data.properties is not None else mappings_of(mapping)
    _validate_saved(session, principal, settings, mapping, properties)
    mapping.properties = _dump(properties)
    if data.schedule is not None or data.clear_schedule:
        _apply_schedule(mapping, data.schedule)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "mapping.update",
        target_type="mapping",
        target_id=mapping.id,
        details={"name": mapping.name},
    )
    return mapping_out(session, principal, mapping)


def delete_mapping(session: Session, principal: Principal, mapping_id: str) -> None:
    mapping = editable_mapping(session, principal, mapping_id)
    session.delete(mapping)
    audit.record(
        session,
        principal.actor,
        "mapping.delete",
        target_type="mapping",
        target_id=mapping.id,
        details={"name": mapping.name},
    )


def rejected(
    session: Session,
    principal: Principal,
    settings: Settings,
    mapping: Mapping,
    sync_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Records the mapping's syncs rejected (audited: they hold source data)."""
    items, total = read_rejected(
        lake_from_settings(settings), mapping.id, sync_id=sync_id, limit=limit, offset=offset
    )
    audit.record(
        session,
        principal.actor,
        "data.read",
        target_type="mapping",
        target_id=mapping.id,
        details={"name": mapping.name, "rejected": len(items)},
    )
    return items, total
