"""Reading objects: a filtered, searchable page of a type's objects, and one object with its
provenance and its links to other objects. Reads go through DuckDB over the Delta table (one row
group at a time) and are audited; names in SQL come from the type's schema, values are bound."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa
from deltalake import DeltaTable
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.principal import Principal
from dataops.core.errors import InvalidInputError, NotFoundError
from dataops.core.settings import Settings
from dataops.engine.session import quote_identifier
from dataops.engine.session import session as duckdb_session
from dataops.lake.storage import Zone, lake_from_settings
from dataops.lake.tables import LakeTable
from dataops.ontology.models import LinkType, ObjectType
from dataops.ontology.object_types import properties_of, visible_type
from dataops.ontology.schemas import LinkedObjects, ObjectOut, ObjectPage, ProvenanceOut
from dataops.sources.rows import json_value

PROVENANCE = ("_dataset_id", "_dataset_version", "_mapping_id", "_sync_id", "_synced_at")
LINKED_LIMIT = 50
MEMORY_LIMIT = "256MB"


def _key_text(ot: ObjectType) -> str:
    """The key column as text: keys arrive in URLs and links as strings."""
    return f"CAST({quote_identifier(ot.key_property)} AS VARCHAR)"


def _table(settings: Settings, ot: ObjectType) -> DeltaTable | None:
    return LakeTable.of(lake_from_settings(settings), Zone.OBJECTS, ot.id).open()


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return [{k: json_value(v) for k, v in row.items()} for row in table.to_pylist()]


def _query(delta: DeltaTable, sql: str, params: list[Any]) -> pa.Table:
    with duckdb_session(memory_limit=MEMORY_LIMIT, threads=1) as con:
        con.register("objects", delta.to_pyarrow_dataset())
        return con.sql(sql, params=params).to_arrow_table()


def list_objects(
    session: Session,
    principal: Principal,
    settings: Settings,
    type_id: str,
    *,
    q: str | None,
    filters: dict[str, str],
    limit: int,
    offset: int,
) -> ObjectPage:
    """Objects matching every ``filters`` (property = value, as text) and, with ``q``, holding
    ``q`` in any text property; ordered by key."""
    ot = visible_type(session, principal, type_id)
    specs = {p.name: p for p in properties_of(ot)}
    delta = _table(settings, ot)
    if delta is None:
        return ObjectPage(columns=[*specs, *PROVENANCE], rows=[], total=0)
    where, params = [], []
    for name, value in filters.items():
        if name not in specs:
            raise InvalidInputError(
                f"{ot.name} has no property {name!r} to filter on", field=f"query.{name}"
            )
        where.append(f"CAST({quote_identifier(name)} AS VARCHAR) = ?")
        params.append(value)
    if q:
        texts = [n for n, s in specs.items() if s.kind.value in {"string", "enum"}]
        if texts:
            where.append("(" + " OR ".join(f"{quote_identifier(n)} ILIKE ?" for n in texts) + ")")
            params += [f"%{q}%"] * len(texts)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    key = quote_identifier(ot.key_property)
    page = _query(
        delta,
        f"SELECT *, count(*) OVER () AS _total FROM objects{clause} ORDER BY {key} "  # noqa: S608
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = int(page.column("_total")[0].as_py()) if page.num_rows else 0
    if page.num_rows == 0 and offset:
        counted = _query(delta, f"SELECT count(*) FROM objects{clause}", params)  # noqa: S608
        total = int(counted.column(0)[0].as_py())
    page = page.drop_columns(["_total"])
    audit.record(
        session,
        principal.actor,
        "data.read",
        target_type="object_type",
        target_id=ot.id,
        details={"name": ot.name, "rows": page.num_rows, "q": q, "filters": filters},
    )
    return ObjectPage(columns=page.column_names, rows=_rows(page), total=total)


def read_object(
    session: Session, principal: Principal, settings: Settings, type_id: str, key: str
) -> ObjectOut:
    ot = visible_type(session, principal, type_id)
    delta = _table(settings, ot)
    found = None
    if delta is not None:
        found = _query(
            delta,
            f"SELECT * FROM objects WHERE {_key_text(ot)} = ? LIMIT 1",  # noqa: S608
            [key],
        )
    if found is None or found.num_rows == 0:
        raise NotFoundError(f"no {ot.name} with {ot.key_property} {key!r}")
    row = found.to_pylist()[0]
    links = _outgoing(session, principal, settings, ot, row) + _incoming(
        session, principal, settings, ot, row[ot.key_property]
    )
    audit.record(
        session,
        principal.actor,
        "data.read",
        target_type="object_type",
        target_id=ot.id,
        details={"name": ot.name, "key": key},
    )
    synced = row.get("_synced_at")
    return ObjectOut(
        object_type_id=ot.id,
        key=json_value(row[ot.key_property]),
        properties={k: json_value(v) for k, v in row.items() if k not in PROVENANCE},
        provenance=ProvenanceOut(
            dataset_id=row.get("_dataset_id"),
            dataset_version=row.get("_dataset_version"),
            mapping_id=row.get("_mapping_id"),
            sync_id=row.get("_sync_id"),
            synced_at=synced if isinstance(synced, datetime) else None,
        ),
        links=links,
    )


def _visible_or_none(session: Session, principal: Principal, type_id: str) -> ObjectType | None:
    try:
        return visible_type(session, principal, type_id)
    except NotFoundError:
        return None  # links to types above the reader's clearance are not shown


def _outgoing(
    session: Session, principal: Principal, settings: Settings, ot: ObjectType, row: dict[str, Any]
) -> list[LinkedObjects]:
    found = []
    links = session.query(LinkType).filter(LinkType.source_type_id == ot.id).all()
    for link in links:
        target = _visible_or_none(session, principal, link.target_type_id)
        value = row.get(link.source_property)
        if target is None or value is None:
            continue
        keys = value if isinstance(value, list) else [value]
        objects = _by_keys(settings, target, [str(k) for k in keys if k is not None])
        found.append(
            LinkedObjects(
                link_type=link.name,
                direction="outgoing",
                object_type_id=target.id,
                object_type=target.name,
                keys=[json_value(k) for k in keys],
                objects=objects,
            )
        )
    return found


def _incoming(
    session: Session, principal: Principal, settings: Settings, ot: ObjectType, key: Any
) -> list[LinkedObjects]:
    found = []
    links = session.query(LinkType).filter(LinkType.target_type_id == ot.id).all()
    for link in links:
        source = _visible_or_none(session, principal, link.source_type_id)
        delta = None if source is None else _table(settings, source)
        if source is None or delta is None:
            continue
        column = quote_identifier(link.source_property)
        test = (
            f"list_contains(list_transform({column}, x -> CAST(x AS VARCHAR)), ?)"
            if link.cardinality == "many_to_many"
            else f"CAST({column} AS VARCHAR) = ?"
        )
        rows = _query(
            delta,
            f"SELECT * FROM objects WHERE {test} "  # noqa: S608
            f"ORDER BY {quote_identifier(source.key_property)} LIMIT ?",
            [str(key), LINKED_LIMIT],
        )
        found.append(
            LinkedObjects(
                link_type=link.name,
                direction="incoming",
                object_type_id=source.id,
                object_type=source.name,
                keys=[json_value(k) for k in rows.column(source.key_property).to_pylist()],
                objects=_rows(rows),
            )
        )
    return found


def _by_keys(settings: Settings, ot: ObjectType, keys: list[str]) -> list[dict[str, Any]]:
    delta = _table(settings, ot)
    if delta is None or not keys:
        return []
    keys = keys[:LINKED_LIMIT]
    marks = ", ".join("?" for _ in keys)
    rows = _query(
        delta,
        f"SELECT * FROM objects WHERE {_key_text(ot)} IN ({marks})",  # noqa: S608
        keys,
    )
    return _rows(rows)
