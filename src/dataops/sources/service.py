"""Sources: create, edit, delete, test, discover, preview. Every change and every preview is
audited; every use is authorised (owner, admin, or a grant)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.audit.schemas import Outcome
from dataops.auth.models import User
from dataops.auth.permissions import Role
from dataops.auth.principal import Principal
from dataops.connectors.base import (
    CheckResult,
    Connector,
    ConnectorContext,
    ConnectorSettings,
    EndpointSpec,
    FileSpec,
    QuerySpec,
    TableSpec,
)
from dataops.connectors.errors import ConnectorError
from dataops.connectors.registry import connector_type, connector_types, open_connector
from dataops.core.errors import ConflictError, DataOpsError, InvalidInputError
from dataops.core.settings import Settings
from dataops.sources import config as configs
from dataops.sources.access import (
    can_edit,
    editable_source,
    usable_source,
    visible_sources_filter,
)
from dataops.sources.dependents import find_dependents
from dataops.sources.models import Source
from dataops.sources.rows import table_rows
from dataops.sources.schemas import (
    CheckOut,
    ColumnOut,
    ConnectionTest,
    ConnectorTypeList,
    ConnectorTypeOut,
    OwnerOut,
    PreviewOut,
    SourceCreate,
    SourceList,
    SourceObjectList,
    SourceObjectOut,
    SourceOut,
    SourceStatus,
    SourceUpdate,
)
from dataops.store.base import utcnow

log = logging.getLogger(__name__)

Spec = TableSpec | QuerySpec | FileSpec | EndpointSpec


def connector_context(settings: Settings, batch_rows: int | None = None) -> ConnectorContext:
    context = ConnectorContext(
        timeout_seconds=settings.sources.timeout_seconds,
        allowed_roots=settings.file_roots,
        allow_private_endpoints=settings.sources.allow_private_endpoints,
    )
    return context if batch_rows is None else replace(context, batch_rows=batch_rows)


def list_connector_types() -> ConnectorTypeList:
    return ConnectorTypeList(
        items=[
            ConnectorTypeOut(
                type=name,
                title=cls.title,
                category=cls.category.value,
                spec_kinds=list(cls.spec_kinds),
                settings_schema=cls.settings_model.model_json_schema(),
            )
            for name, cls in connector_types().items()
        ]
    )


def to_out(session: Session, principal: Principal, source: Source) -> SourceOut:
    owner = session.get(User, source.owner_id)
    return SourceOut(
        id=source.id,
        name=source.name,
        type=source.type,
        description=source.description,
        config=json.loads(source.config),
        secrets_set=json.loads(source.secret_fields),
        owner=OwnerOut(
            id=source.owner_id,
            username=owner.username if owner else "?",
            display_name=owner.display_name if owner else "?",
        ),
        status=SourceStatus(source.status),
        last_tested_at=source.last_tested_at,
        last_latency_ms=source.last_latency_ms,
        last_error=source.last_error,
        server_version=source.server_version,
        created_at=source.created_at,
        updated_at=source.updated_at,
        can_edit=can_edit(session, principal, source),
    )


def list_sources(session: Session, principal: Principal) -> SourceList:
    rows = session.scalars(
        sa.select(Source).where(visible_sources_filter(principal)).order_by(Source.name)
    )
    return SourceList(items=[to_out(session, principal, s) for s in rows])


def get_source(session: Session, principal: Principal, source_id: str) -> SourceOut:
    return to_out(session, principal, usable_source(session, principal, source_id))


def _store_config(source: Source, type_name: str, config: dict[str, object]) -> None:
    settings = configs.validate_config(type_name, config)
    redacted, secret_paths = configs.redact(settings)
    source.config = json.dumps(redacted, sort_keys=True)
    source.secret_fields = json.dumps(secret_paths)
    source.sealed_config = configs.seal(settings)


def _check_name_free(session: Session, name: str, source_id: str | None = None) -> None:
    clash = session.scalar(sa.select(Source.id).where(Source.name == name))
    if clash is not None and clash != source_id:
        raise ConflictError(f"a source named {name!r} already exists", field="body.name")


def create_source(session: Session, principal: Principal, data: SourceCreate) -> SourceOut:
    connector_type(data.type)
    _check_name_free(session, data.name)
    source = Source(
        name=data.name,
        type=data.type,
        description=data.description,
        owner_id=principal.user_id,
        status=SourceStatus.UNTESTED.value,
    )
    _store_config(source, data.type, data.config)
    session.add(source)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "source.create",
        target_type="source",
        target_id=source.id,
        details={"name": source.name, "type": source.type},
    )
    return to_out(session, principal, source)


def update_source(
    session: Session, principal: Principal, source_id: str, data: SourceUpdate
) -> SourceOut:
    source = editable_source(session, principal, source_id)
    changed: list[str] = []
    if data.name is not None and data.name != source.name:
        _check_name_free(session, data.name, source.id)
        source.name = data.name
        changed.append("name")
    if data.description is not None:
        source.description = data.description
        changed.append("description")
    if data.config is not None:
        stored = json.loads(source.sealed_config)
        merged = configs.keep_secrets(data.config, stored, json.loads(source.secret_fields))
        _store_config(source, source.type, merged)
        # New settings have not been tested: the old status says nothing about them.
        source.status, source.last_error = SourceStatus.UNTESTED.value, None
        changed.append("config")
    source.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        principal.actor,
        "source.update",
        target_type="source",
        target_id=source.id,
        details={"name": source.name, "changed": changed},
    )
    return to_out(session, principal, source)


def delete_source(
    session: Session, principal: Principal, source_id: str, *, force: bool = False
) -> None:
    source = editable_source(session, principal, source_id)
    dependents = find_dependents(session, source.id)
    if dependents and not (force and principal.role is Role.ADMIN):
        names = ", ".join(f"{d.kind} {d.name!r}" for d in dependents)
        raise ConflictError(
            f"source {source.name!r} is used by {names}; delete those first"
            + ("" if principal.role is not Role.ADMIN else " or force the deletion"),
            details={"dependents": [d.model_dump() for d in dependents]},
        )
    session.delete(source)
    audit.record(
        session,
        principal.actor,
        "source.delete",
        target_type="source",
        target_id=source_id,
        details={"name": source.name, "forced_over": [d.model_dump() for d in dependents]},
    )


@contextmanager
def source_connector(
    source: Source, settings: Settings, *, batch_rows: int | None = None
) -> Iterator[Connector]:
    """An open connector to ``source`` (closed on exit). Callers check access first."""
    parsed = configs.validate_config(source.type, json.loads(source.sealed_config))
    connector = open_connector(source.type, parsed, connector_context(settings, batch_rows))
    try:
        yield connector
    finally:
        connector.close()


def _check_out(result: CheckResult) -> CheckOut:
    return CheckOut(
        ok=result.ok,
        message=result.message,
        latency_ms=round(result.latency_ms, 1),
        server_version=result.server_version,
    )


def _run_check(type_name: str, parsed: ConnectorSettings, settings: Settings) -> CheckOut:
    """Open and check; a refusal by policy (path outside the roots, private endpoint) or any
    connector error is a failed check with its message, not an HTTP error."""
    started = time.perf_counter()
    try:
        connector = open_connector(type_name, parsed, connector_context(settings))
        try:
            return _check_out(connector.check())
        finally:
            connector.close()
    except DataOpsError as exc:
        elapsed = (time.perf_counter() - started) * 1000
        return CheckOut(
            ok=False, message=exc.message, latency_ms=round(elapsed, 1), server_version=None
        )


def check_connection(
    session: Session,
    principal: Principal,
    settings: Settings,
    data: ConnectionTest,
) -> CheckOut:
    """Test settings before saving them (nothing is stored). When they edit a saved source,
    secrets left empty are taken from it, so an edit can be tested without retyping them."""
    config = data.config
    if data.source_id is not None:
        source = editable_source(session, principal, data.source_id)
        if source.type != data.type:
            raise InvalidInputError(
                f"source {source.name!r} is a {source.type} source, not {data.type}",
                field="body.type",
            )
        stored = json.loads(source.sealed_config)
        config = configs.keep_secrets(config, stored, json.loads(source.secret_fields))
    return _run_check(data.type, configs.validate_config(data.type, config), settings)


def check_source(
    session: Session, principal: Principal, source_id: str, settings: Settings
) -> CheckOut:
    """Test a saved source and record the result as its status."""
    source = usable_source(session, principal, source_id)
    parsed = configs.validate_config(source.type, json.loads(source.sealed_config))
    result = _run_check(source.type, parsed, settings)
    source.status = (SourceStatus.ACTIVE if result.ok else SourceStatus.ERROR).value
    source.last_tested_at = utcnow()
    source.last_latency_ms = result.latency_ms
    source.last_error = None if result.ok else result.message
    source.server_version = result.server_version or source.server_version
    audit.record(
        session,
        principal.actor,
        "source.test",
        target_type="source",
        target_id=source.id,
        outcome=Outcome.SUCCESS if result.ok else Outcome.FAILURE,
        details={"name": source.name, "message": result.message[:500]},
    )
    log.info("tested source %s: %s", source.id, "ok" if result.ok else "failed")
    return result


def discover_source(
    session: Session, principal: Principal, source_id: str, settings: Settings
) -> SourceObjectList:
    source = usable_source(session, principal, source_id)
    with source_connector(source, settings) as connector:
        objects = connector.discover()
    return SourceObjectList(
        items=[
            SourceObjectOut(
                name=o.name,
                kind=o.kind.value,
                namespace=o.namespace,
                columns=None
                if o.columns is None
                else [
                    ColumnOut(
                        name=c.name,
                        data_type=c.data_type,
                        nullable=c.nullable,
                        source_type=c.source_type,
                    )
                    for c in o.columns
                ],
                row_count=o.row_count,
                size_bytes=o.size_bytes,
            )
            for o in objects
        ]
    )


def _spec_summary(spec: Spec) -> dict[str, object]:
    summary = spec.model_dump(exclude_none=True)
    if isinstance(spec, QuerySpec):
        summary["sql"] = spec.sql[:1000]
    return summary


def preview_source(
    session: Session,
    principal: Principal,
    source_id: str,
    spec: Spec,
    limit: int,
    settings: Settings,
) -> PreviewOut:
    """First ``limit`` rows of what ``spec`` names: an authorised, audited data read."""
    source = usable_source(session, principal, source_id)
    connector_cls = connector_type(source.type)
    if spec.kind not in connector_cls.spec_kinds:
        raise InvalidInputError(
            f"a {source.type} source reads {', '.join(connector_cls.spec_kinds)} specs, "
            f"not {spec.kind!r}",
            field="body.spec.kind",
        )
    check_preview_limit(settings, limit, "body.limit")
    details: dict[str, object] = {"name": source.name, "spec": _spec_summary(spec)}
    table = audited_preview(
        session, principal, source, spec, limit, settings, ("source", source.id), details
    )
    return PreviewOut(
        columns=preview_columns(table),
        rows=table_rows(table),
        row_count=table.num_rows,
        limit=limit,
    )


def check_preview_limit(settings: Settings, limit: int, field: str) -> None:
    if limit > settings.sources.preview_max_rows:
        raise InvalidInputError(
            f"limit must be at most {settings.sources.preview_max_rows}", field=field
        )


def preview_columns(table: pa.Table) -> list[ColumnOut]:
    return [
        ColumnOut(name=f.name, data_type=str(f.type), nullable=f.nullable, source_type=None)
        for f in table.schema
    ]


def audited_preview(
    session: Session,
    principal: Principal,
    source: Source,
    spec: Spec,
    limit: int,
    settings: Settings,
    target: tuple[str, str],
    details: dict[str, object],
) -> pa.Table:
    """The connector's preview as an audited data read ("data.preview" on ``target``); a failed
    read is audited too (committed before the error propagates)."""
    target_type, target_id = target
    try:
        with source_connector(source, settings) as connector:
            table = connector.preview(spec, limit)
    except ConnectorError as exc:
        audit.record(
            session,
            principal.actor,
            "data.preview",
            target_type=target_type,
            target_id=target_id,
            outcome=Outcome.FAILURE,
            details={**details, "error": exc.code},
        )
        session.commit()
        raise
    audit.record(
        session,
        principal.actor,
        "data.preview",
        target_type=target_type,
        target_id=target_id,
        details={**details, "rows": table.num_rows},
    )
    return table
