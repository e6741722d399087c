"""Object types and link types: define, read, change (versioned), delete.

An object type is visible to whoever's clearance dominates its classification; its owner and
admins change it. Every schema change is a new version; breaking changes need ``migration``.
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.models import User
from dataops.auth.permissions import Role
from dataops.auth.principal import Principal
from dataops.core.classification import Classification
from dataops.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from dataops.core.settings import Settings
from dataops.lake.storage import Zone, lake_from_settings
from dataops.ontology.migrate_objects import rewrite_objects
from dataops.ontology.models import LinkType, Mapping, ObjectType, ObjectTypeVersion
from dataops.ontology.schema_diff import diff_schemas
from dataops.ontology.schemas import (
    Cardinality,
    LinkTypeCreate,
    LinkTypeOut,
    ObjectTypeCreate,
    ObjectTypeList,
    ObjectTypeOut,
    ObjectTypeUpdate,
    ObjectTypeVersionOut,
    PropertyKind,
    PropertyMapping,
    PropertySpec,
    SchemaChangeOut,
)
from dataops.sources.schemas import OwnerOut

log = logging.getLogger(__name__)

_PROPERTIES = TypeAdapter(list[PropertySpec])
_PROPERTY_MAPPINGS = TypeAdapter(dict[str, PropertyMapping])
_KEY_KINDS = {PropertyKind.STRING, PropertyKind.INTEGER, PropertyKind.DATE, PropertyKind.ENUM}


def properties_of(object_type: ObjectType | ObjectTypeVersion) -> list[PropertySpec]:
    return _PROPERTIES.validate_json(object_type.properties)


def mappings_of(mapping: Mapping) -> dict[str, PropertyMapping]:
    """A mapping's stored per-property sources."""
    return _PROPERTY_MAPPINGS.validate_json(mapping.properties)


def _dump(properties: list[PropertySpec]) -> str:
    return json.dumps([p.model_dump(mode="json") for p in properties])


# --- access ------------------------------------------------------------------------------------


def visible_types_filter(principal: Principal) -> sa.ColumnElement[bool]:
    allowed = [c.value for c in Classification if principal.clearance.dominates(c)]
    return ObjectType.classification.in_(allowed)


def visible_type(session: Session, principal: Principal, type_id: str) -> ObjectType:
    found = session.get(ObjectType, type_id)
    if found is None or not principal.clearance.dominates(Classification(found.classification)):
        raise NotFoundError(f"no object type {type_id}")
    return found


def type_editable(principal: Principal, object_type: ObjectType) -> bool:
    return principal.role == Role.ADMIN or object_type.owner_id == principal.user_id


def editable_type(session: Session, principal: Principal, type_id: str) -> ObjectType:
    found = visible_type(session, principal, type_id)
    if not type_editable(principal, found):
        raise PermissionDeniedError(
            f"only the owner of object type {found.name!r} or an admin may change it"
        )
    return found


# --- checks -------------------------------------------------------------------------------------


def check_definition(key: str, properties: list[PropertySpec]) -> None:
    """Refuse definitions that cannot become a table (the message names the property)."""
    _check_properties(properties, "body.properties")
    by_name = {p.name: p for p in properties}
    if key not in by_name:
        raise InvalidInputError(
            f"key property {key!r} is not one of the properties ({', '.join(by_name)})",
            field="body.key_property",
        )
    if by_name[key].kind not in _KEY_KINDS:
        raise InvalidInputError(
            f"key property {key!r} is a {by_name[key].kind.value}; a key must be a string, "
            "integer, date or enum",
            field="body.key_property",
        )


def _check_properties(properties: list[PropertySpec], where: str) -> None:
    seen: set[str] = set()
    for index, spec in enumerate(properties):
        at = f"{where}[{index}]"
        lowered = spec.name.lower()
        if lowered in seen:
            raise InvalidInputError(f"property {spec.name!r} appears twice", field=f"{at}.name")
        seen.add(lowered)
        if spec.name.startswith("_"):
            raise InvalidInputError(
                f"property {spec.name!r}: names starting with _ are reserved (provenance)",
                field=f"{at}.name",
            )
        _check_kind(spec, at)


def _check_kind(spec: PropertySpec, at: str) -> None:
    if spec.kind == PropertyKind.ENUM and not spec.enum_values:
        raise InvalidInputError(
            f"enum property {spec.name!r} needs enum_values", field=f"{at}.enum_values"
        )
    if spec.kind == PropertyKind.ARRAY:
        if spec.items is None:
            raise InvalidInputError(
                f"array property {spec.name!r} needs items (its element type)", field=f"{at}.items"
            )
        _check_kind(spec.items, f"{at}.items")
    if spec.kind == PropertyKind.OBJECT:
        if not spec.fields:
            raise InvalidInputError(
                f"object property {spec.name!r} needs fields", field=f"{at}.fields"
            )
        _check_properties(spec.fields, f"{at}.fields")
    if spec.kind == PropertyKind.DECIMAL and spec.scale > spec.precision:
        raise InvalidInputError(
            f"decimal property {spec.name!r}: scale {spec.scale} exceeds precision "
            f"{spec.precision}",
            field=f"{at}.scale",
        )


def _check_label(principal: Principal, label: Classification) -> None:
    if not principal.clearance.dominates(label):
        raise InvalidInputError(
            f"you cannot label an object type {label.value}: above your clearance",
            field="body.classification",
        )


def _check_name_free(session: Session, name: str) -> None:
    taken = session.scalar(
        sa.select(ObjectType.id).where(sa.func.lower(ObjectType.name) == name.lower())
    )
    if taken is not None:
        raise ConflictError(f"an object type named {name!r} already exists", field="body.name")


# --- object types ------------------------------------------------------------------------------


def objects_uri(settings: Settings, type_id: str) -> str:
    return lake_from_settings(settings).table_uri(Zone.OBJECTS, type_id)


def type_out(
    session: Session, principal: Principal, settings: Settings, ot: ObjectType
) -> ObjectTypeOut:
    owner = session.get(User, ot.owner_id)
    return ObjectTypeOut(
        id=ot.id,
        name=ot.name,
        display_name=ot.display_name or ot.name,
        description=ot.description,
        key_property=ot.key_property,
        classification=Classification(ot.classification),
        properties=properties_of(ot),
        version=ot.version,
        owner=OwnerOut(
            id=ot.owner_id,
            username=owner.username if owner else "?",
            display_name=owner.display_name if owner else "?",
        ),
        object_count=ot.object_count,
        lake_uri=objects_uri(settings, ot.id),
        created_at=ot.created_at,
        updated_at=ot.updated_at,
        editable=type_editable(principal, ot),
    )


def list_types(session: Session, principal: Principal, settings: Settings) -> ObjectTypeList:
    found = session.scalars(
        sa.select(ObjectType).where(visible_types_filter(principal)).order_by(ObjectType.name)
    ).all()
    items = [type_out(session, principal, settings, t) for t in found]
    return ObjectTypeList(items=items, total=len(items))


def create_type(
    session: Session, principal: Principal, settings: Settings, data: ObjectTypeCreate
) -> ObjectTypeOut:
    _check_label(principal, data.classification)
    check_definition(data.key_property, data.properties)
    _check_name_free(session, data.name)
    properties = _with_required_key(data.properties, data.key_property)
    ot = ObjectType(
        name=data.name,
        display_name=data.display_name,
        description=data.description,
        key_property=data.key_property,
        classification=data.classification.value,
        properties=_dump(properties),
        version=1,
        owner_id=principal.user_id,
    )
    session.add(ot)
    session.flush()
    _record_version(session, principal, ot, ["created"], "additive")
    audit.record(
        session,
        principal.actor,
        "object_type.create",
        target_type="object_type",
        target_id=ot.id,
        details={"name": ot.name, "properties": len(properties)},
    )
    log.info("object type %s (%s) created", ot.id, ot.name)
    return type_out(session, principal, settings, ot)


def _with_required_key(properties: list[PropertySpec], key: str) -> list[PropertySpec]:
    """The key is always required: an object without one cannot be matched."""
    return [p.model_copy(update={"required": True}) if p.name == key else p for p in properties]


def _record_version(
    session: Session, principal: Principal, ot: ObjectType, changes: list[str], migration: str
) -> None:
    session.add(
        ObjectTypeVersion(
            object_type_id=ot.id,
            version=ot.version,
            key_property=ot.key_property,
            properties=ot.properties,
            changes=json.dumps(changes),
            migration=migration,
            created_by=principal.username,
        )
    )


def check_update(
    session: Session, principal: Principal, type_id: str, data: ObjectTypeUpdate
) -> SchemaChangeOut:
    """What ``data`` would change, and which of it breaks stored objects (nothing is saved)."""
    ot = visible_type(session, principal, type_id)
    key = data.key_property or ot.key_property
    new = _with_required_key(data.properties or properties_of(ot), key)
    check_definition(key, new)
    found = diff_schemas(properties_of(ot), new, ot.key_property, key)
    return SchemaChangeOut(changes=found.changes, breaking=found.breaking)


def update_type(
    session: Session,
    principal: Principal,
    settings: Settings,
    type_id: str,
    data: ObjectTypeUpdate,
) -> ObjectTypeOut:
    """Apply ``data`` (a new version when the schema changes); breaking changes need
    ``data.migration`` and rewrite the stored objects."""
    ot = editable_type(session, principal, type_id)
    if data.classification is not None:
        _check_label(principal, data.classification)
    key = data.key_property or ot.key_property
    new = _with_required_key(data.properties or properties_of(ot), key)
    check_definition(key, new)
    found = diff_schemas(properties_of(ot), new, ot.key_property, key)
    if found.breaking and data.migration is None:
        raise ConflictError(
            "these changes break the objects already stored: "
            + "; ".join(found.breaking)
            + ". Send migration 'rewrite' to rewrite them to the new schema",
            field="body.migration",
            details={"breaking": found.breaking},
        )
    for attr in ("display_name", "description"):
        value = getattr(data, attr)
        if value is not None:
            setattr(ot, attr, value)
    if data.classification is not None:
        ot.classification = data.classification.value
    if found.changes:
        ot.key_property = key
        ot.properties = _dump(new)
        ot.version += 1
        migration = "rewrite" if found.breaking else "additive"
        _record_version(session, principal, ot, found.changes, migration)
    session.flush()
    if found.breaking:
        _drop_removed_from_mappings(session, ot.id, {p.name for p in new})
        # Before this transaction commits: a failed rewrite leaves both schema and objects as
        # they were (the rewrite is one Delta commit).
        lake = lake_from_settings(settings)
        written = rewrite_objects(lake, ot.id, new, key, ot.version)
        if written is not None:
            ot.lake_version = written
    audit.record(
        session,
        principal.actor,
        "object_type.update",
        target_type="object_type",
        target_id=ot.id,
        details={"name": ot.name, "version": ot.version, "changes": found.changes},
    )
    return type_out(session, principal, settings, ot)


def _drop_removed_from_mappings(session: Session, type_id: str, kept: set[str]) -> None:
    """Mappings stop filling properties the type no longer has (they would no longer save)."""
    for mapping in session.scalars(sa.select(Mapping).where(Mapping.object_type_id == type_id)):
        entries = json.loads(mapping.properties)
        stale = [name for name in entries if name not in kept]
        if stale:
            mapping.properties = json.dumps({k: v for k, v in entries.items() if k in kept})
            log.info("mapping %s no longer fills %s", mapping.id, ", ".join(stale))


def list_versions(
    session: Session, principal: Principal, type_id: str
) -> list[ObjectTypeVersionOut]:
    ot = visible_type(session, principal, type_id)
    found = session.scalars(
        sa.select(ObjectTypeVersion)
        .where(ObjectTypeVersion.object_type_id == ot.id)
        .order_by(ObjectTypeVersion.version.desc())
    ).all()
    return [
        ObjectTypeVersionOut(
            version=v.version,
            key_property=v.key_property,
            properties=properties_of(v),
            changes=json.loads(v.changes),
            migration=v.migration,
            created_by=v.created_by,
            created_at=v.created_at,
        )
        for v in found
    ]


def delete_type(session: Session, principal: Principal, type_id: str) -> None:
    ot = editable_type(session, principal, type_id)
    mappings = session.scalars(sa.select(Mapping.name).where(Mapping.object_type_id == ot.id)).all()
    if mappings:
        raise ConflictError(
            f"object type {ot.name!r} is the target of mappings {', '.join(mappings)}: "
            "delete them first"
        )
    session.delete(ot)
    audit.record(
        session,
        principal.actor,
        "object_type.delete",
        target_type="object_type",
        target_id=ot.id,
        details={"name": ot.name},
    )


# --- link types ---------------------------------------------------------------------------------


def link_out(session: Session, link: LinkType) -> LinkTypeOut:
    source = session.get(ObjectType, link.source_type_id)
    target = session.get(ObjectType, link.target_type_id)
    return LinkTypeOut(
        id=link.id,
        name=link.name,
        description=link.description,
        source_type_id=link.source_type_id,
        source_type=source.name if source else "?",
        target_type_id=link.target_type_id,
        target_type=target.name if target else "?",
        cardinality=Cardinality(link.cardinality),
        source_property=link.source_property,
        created_at=link.created_at,
    )


def list_links(
    session: Session, principal: Principal, type_id: str | None = None
) -> list[LinkTypeOut]:
    visible = set(session.scalars(sa.select(ObjectType.id).where(visible_types_filter(principal))))
    query = sa.select(LinkType).order_by(LinkType.name)
    if type_id is not None:
        query = query.where(
            sa.or_(LinkType.source_type_id == type_id, LinkType.target_type_id == type_id)
        )
    return [
        link_out(session, link)
        for link in session.scalars(query)
        if link.source_type_id in visible and link.target_type_id in visible
    ]


def create_link(session: Session, principal: Principal, data: LinkTypeCreate) -> LinkTypeOut:
    source = editable_type(session, principal, data.source_type_id)
    target = visible_type(session, principal, data.target_type_id)
    if session.scalar(sa.select(LinkType.id).where(LinkType.name == data.name)) is not None:
        raise ConflictError(f"a link type named {data.name!r} already exists", field="body.name")
    holder = next((p for p in properties_of(source) if p.name == data.source_property), None)
    if holder is None:
        raise InvalidInputError(
            f"{source.name} has no property {data.source_property!r}", field="body.source_property"
        )
    target_key = next(p for p in properties_of(target) if p.name == target.key_property)
    wanted = (
        target_key.kind
        if data.cardinality == Cardinality.ONE_TO_MANY
        else f"array of {target_key.kind.value}"
    )
    got = (
        holder.kind
        if holder.kind != PropertyKind.ARRAY or holder.items is None
        else (f"array of {holder.items.kind.value}")
    )
    if str(got) != str(wanted):
        raise InvalidInputError(
            f"{source.name}.{holder.name} is {got}; a {data.cardinality.value} link to "
            f"{target.name} needs {wanted} (the type of {target.name}.{target.key_property})",
            field="body.source_property",
        )
    link = LinkType(
        name=data.name,
        description=data.description,
        source_type_id=source.id,
        target_type_id=target.id,
        cardinality=data.cardinality.value,
        source_property=data.source_property,
        owner_id=principal.user_id,
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "link_type.create",
        target_type="link_type",
        target_id=link.id,
        details={"name": link.name, "source": source.name, "target": target.name},
    )
    return link_out(session, link)


def delete_link(session: Session, principal: Principal, link_id: str) -> None:
    link = session.get(LinkType, link_id)
    if link is None:
        raise NotFoundError(f"no link type {link_id}")
    editable_type(session, principal, link.source_type_id)
    session.delete(link)
    audit.record(
        session,
        principal.actor,
        "link_type.delete",
        target_type="link_type",
        target_id=link.id,
        details={"name": link.name},
    )
