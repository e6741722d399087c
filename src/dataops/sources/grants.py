"""Sharing a source: grants to users or roles, managed by those who may edit it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.models import User
from dataops.auth.permissions import Role
from dataops.auth.principal import Principal
from dataops.core.errors import InvalidInputError, NotFoundError
from dataops.sources.access import editable_source, usable_source
from dataops.sources.models import SourceGrant
from dataops.sources.schemas import GrantIn, GrantLevel, GrantList, GrantOut, PrincipalType


def _label(session: Session, grant: SourceGrant) -> str:
    if grant.principal_type == PrincipalType.ROLE.value:
        return f"every {grant.principal}"
    user = session.get(User, grant.principal)
    return user.username if user else grant.principal


def _to_out(session: Session, grant: SourceGrant) -> GrantOut:
    return GrantOut(
        id=grant.id,
        principal_type=PrincipalType(grant.principal_type),
        principal=grant.principal,
        principal_label=_label(session, grant),
        level=GrantLevel(grant.level),
        created_at=grant.created_at,
        created_by=grant.created_by,
    )


def list_grants(session: Session, principal: Principal, source_id: str) -> GrantList:
    usable_source(session, principal, source_id)
    rows = session.scalars(
        sa.select(SourceGrant)
        .where(SourceGrant.source_id == source_id)
        .order_by(SourceGrant.created_at)
    )
    return GrantList(items=[_to_out(session, g) for g in rows])


def put_grant(session: Session, principal: Principal, source_id: str, data: GrantIn) -> GrantOut:
    """Grant (or change the level of) access for a user or a role."""
    source = editable_source(session, principal, source_id)
    if data.principal_type is PrincipalType.ROLE:
        if data.principal not in {r.value for r in Role}:
            raise InvalidInputError(f"unknown role {data.principal!r}", field="body.principal")
    elif session.get(User, data.principal) is None:
        raise InvalidInputError(f"unknown user id {data.principal!r}", field="body.principal")
    grant = session.scalar(
        sa.select(SourceGrant).where(
            SourceGrant.source_id == source.id,
            SourceGrant.principal_type == data.principal_type.value,
            SourceGrant.principal == data.principal,
        )
    )
    if grant is None:
        grant = SourceGrant(
            source_id=source.id,
            principal_type=data.principal_type.value,
            principal=data.principal,
            level=data.level.value,
            created_by=principal.username,
        )
        session.add(grant)
    else:
        grant.level = data.level.value
    session.flush()
    audit.record(
        session,
        principal.actor,
        "source.grant",
        target_type="source",
        target_id=source.id,
        details={
            "name": source.name,
            "to": f"{data.principal_type.value}:{data.principal}",
            "level": data.level.value,
        },
    )
    return _to_out(session, grant)


def delete_grant(session: Session, principal: Principal, source_id: str, grant_id: str) -> None:
    source = editable_source(session, principal, source_id)
    grant = session.get(SourceGrant, grant_id)
    if grant is None or grant.source_id != source.id:
        raise NotFoundError(f"grant {grant_id} not found")
    session.delete(grant)
    audit.record(
        session,
        principal.actor,
        "source.revoke",
        target_type="source",
        target_id=source.id,
        details={"name": source.name, "from": f"{grant.principal_type}:{grant.principal}"},
    )
