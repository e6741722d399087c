"""The ontology as YAML, for git: object types, link types and mappings, referenced by name (ids
differ between deployments). Import creates what is missing and updates what exists; a breaking
object-type change is refused unless the document says ``migration: rewrite``.

Shape::

    object_types:
      - name: Aircraft
        key_property: tailNumber
        properties: [{name: tailNumber, kind: string}, ...]
    link_types:
      - {name: operatedBy, source: Aircraft, target: Operator, cardinality: one_to_many,
         source_property: operator}
    mappings:
      - name: aircraft to Aircraft
        dataset: aircraft
        object_type: Aircraft
        properties: {tailNumber: {column: tail_number}}
        sync_mode: upsert
        on_conflict: overwrite
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from dataops.auth.principal import Principal
from dataops.core.errors import InvalidInputError, NotFoundError
from dataops.core.settings import Settings
from dataops.datasets import service as datasets
from dataops.ontology import mappings as mapping_service
from dataops.ontology import object_types as types
from dataops.ontology.models import LinkType, Mapping, ObjectType
from dataops.ontology.schemas import (
    Cardinality,
    LinkTypeCreate,
    MappingCreate,
    MappingSchedule,
    MappingUpdate,
    Migration,
    ObjectTypeCreate,
    ObjectTypeUpdate,
    OnConflict,
    PropertyMapping,
    SyncMode,
)

MAX_DOCUMENT_BYTES = 2 << 20


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LinkDoc(_Doc):
    name: str
    description: str = ""
    source: str
    target: str
    cardinality: Cardinality
    source_property: str


class MappingDoc(_Doc):
    name: str
    description: str = ""
    dataset: str
    object_type: str
    properties: dict[str, PropertyMapping]
    sync_mode: SyncMode = SyncMode.UPSERT
    on_conflict: OnConflict = OnConflict.OVERWRITE
    schedule: MappingSchedule | None = None


class TypeDoc(ObjectTypeCreate):
    migration: Migration | None = None


class OntologyDoc(_Doc):
    object_types: list[TypeDoc] = Field(default_factory=list)
    link_types: list[LinkDoc] = Field(default_factory=list)
    mappings: list[MappingDoc] = Field(default_factory=list)


def export_yaml(session: Session, principal: Principal) -> str:
    """Every object type, link type and mapping ``principal`` can see."""
    visible = session.scalars(
        sa.select(ObjectType).where(types.visible_types_filter(principal)).order_by(ObjectType.name)
    ).all()
    names = {t.id: t.name for t in visible}
    doc: dict[str, Any] = {
        "object_types": [
            {
                "name": t.name,
                "display_name": t.display_name,
                "description": t.description,
                "key_property": t.key_property,
                "classification": t.classification,
                "properties": [
                    p.model_dump(mode="json", exclude_defaults=True) for p in types.properties_of(t)
                ],
            }
            for t in visible
        ],
        "link_types": [
            {
                "name": link.name,
                "description": link.description,
                "source": names[link.source_type_id],
                "target": names[link.target_type_id],
                "cardinality": link.cardinality,
                "source_property": link.source_property,
            }
            for link in session.scalars(sa.select(LinkType).order_by(LinkType.name))
            if link.source_type_id in names and link.target_type_id in names
        ],
        "mappings": [
            _mapping_doc(session, principal, m)
            for m in session.scalars(sa.select(Mapping).order_by(Mapping.name))
            if m.object_type_id in names
        ],
    }
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def _mapping_doc(session: Session, principal: Principal, mapping: Mapping) -> dict[str, Any]:
    out = mapping_service.mapping_out(session, principal, mapping)
    found: dict[str, Any] = {
        "name": out.name,
        "description": out.description,
        "dataset": out.dataset_name,
        "object_type": out.object_type_name,
        "properties": {
            k: v.model_dump(mode="json", exclude_defaults=True) for k, v in out.properties.items()
        },
        "sync_mode": out.sync_mode.value,
        "on_conflict": out.on_conflict.value,
    }
    if out.schedule is not None:
        found["schedule"] = out.schedule.model_dump(mode="json")
    return found


def parse_yaml(text: str) -> OntologyDoc:
    """The document, or a 422 naming the line (YAML) or the field (shape)."""
    if len(text.encode()) > MAX_DOCUMENT_BYTES:
        raise InvalidInputError("the document is larger than 2 MB", field="body.yaml")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidInputError(f"not valid YAML{where}: {exc}", field="body.yaml") from exc
    try:
        return OntologyDoc.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInputError(f"{where}: {first['msg']}", field=f"body.yaml.{where}") from exc


def import_yaml(
    session: Session, principal: Principal, settings: Settings, text: str
) -> dict[str, list[str]]:
    """Create or update everything in the document, in the caller's transaction (all or
    nothing); returns the names created and updated."""
    doc = parse_yaml(text)
    done: dict[str, list[str]] = {"created": [], "updated": []}
    for t in doc.object_types:
        existing = session.scalar(sa.select(ObjectType).where(ObjectType.name == t.name))
        if existing is None:
            types.create_type(
                session,
                principal,
                settings,
                ObjectTypeCreate(**t.model_dump(exclude={"migration"})),
            )
            done["created"].append(f"object type {t.name}")
            continue
        update = ObjectTypeUpdate(
            display_name=t.display_name,
            description=t.description,
            classification=t.classification,
            key_property=t.key_property,
            properties=t.properties,
            migration=t.migration,
        )
        types.update_type(session, principal, settings, existing.id, update)
        done["updated"].append(f"object type {t.name}")
    by_name = {t.name: t.id for t in session.scalars(sa.select(ObjectType))}
    for link in doc.link_types:
        if session.scalar(sa.select(LinkType.id).where(LinkType.name == link.name)):
            continue  # link types are immutable: delete and re-create to change one
        types.create_link(
            session,
            principal,
            LinkTypeCreate(
                name=link.name,
                description=link.description,
                source_type_id=_type_id(by_name, link.source),
                target_type_id=_type_id(by_name, link.target),
                cardinality=link.cardinality,
                source_property=link.source_property,
            ),
        )
        done["created"].append(f"link type {link.name}")
    for m in doc.mappings:
        _import_mapping(session, principal, settings, m, by_name, done)
    return done


def _import_mapping(
    session: Session,
    principal: Principal,
    settings: Settings,
    m: MappingDoc,
    by_name: dict[str, str],
    done: dict[str, list[str]],
) -> None:
    existing = session.scalar(sa.select(Mapping).where(Mapping.name == m.name))
    if existing is not None:
        update = MappingUpdate(
            description=m.description,
            properties=m.properties,
            sync_mode=m.sync_mode,
            on_conflict=m.on_conflict,
            schedule=m.schedule,
            clear_schedule=m.schedule is None,
        )
        mapping_service.update_mapping(session, principal, settings, existing.id, update)
        done["updated"].append(f"mapping {m.name}")
        return
    dataset_id = datasets.dataset_id_by_name(session, m.dataset)
    if dataset_id is None:
        raise NotFoundError(f"mapping {m.name!r}: no dataset named {m.dataset!r}")
    mapping_service.create_mapping(
        session,
        principal,
        settings,
        MappingCreate(
            name=m.name,
            description=m.description,
            dataset_id=dataset_id,
            object_type_id=_type_id(by_name, m.object_type),
            properties=m.properties,
            sync_mode=m.sync_mode,
            on_conflict=m.on_conflict,
            schedule=m.schedule,
        ),
    )
    done["created"].append(f"mapping {m.name}")


def _type_id(by_name: dict[str, str], name: str) -> str:
    if name not in by_name:
        raise NotFoundError(f"no object type named {name!r}")
    return by_name[name]
