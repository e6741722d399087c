"""Who may use or edit a source: admins, the owner, and grants to a user or a role."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.auth.permissions import Role
from dataops.auth.principal import Principal
from dataops.core.errors import NotFoundError, PermissionDeniedError
from dataops.sources.models import Source, SourceGrant
from dataops.sources.schemas import GrantLevel, PrincipalType


def _grant_levels(session: Session, principal: Principal, source_id: str) -> set[str]:
    query = sa.select(SourceGrant.level).where(
        SourceGrant.source_id == source_id,
        sa.or_(
            sa.and_(
                SourceGrant.principal_type == PrincipalType.USER.value,
                SourceGrant.principal == principal.user_id,
            ),
            sa.and_(
                SourceGrant.principal_type == PrincipalType.ROLE.value,
                SourceGrant.principal == principal.role.value,
            ),
        ),
    )
    return set(session.scalars(query))


def can_edit(session: Session, principal: Principal, source: Source) -> bool:
    if principal.role is Role.ADMIN or source.owner_id == principal.user_id:
        return True
    return GrantLevel.EDIT.value in _grant_levels(session, principal, source.id)


def can_use(session: Session, principal: Principal, source: Source) -> bool:
    if principal.role is Role.ADMIN or source.owner_id == principal.user_id:
        return True
    return bool(_grant_levels(session, principal, source.id))


def visible_sources_filter(principal: Principal) -> sa.ColumnElement[bool]:
    """SQL condition selecting the sources ``principal`` may use."""
    if principal.role is Role.ADMIN:
        return sa.true()
    granted = sa.select(SourceGrant.source_id).where(
        sa.or_(
            sa.and_(
                SourceGrant.principal_type == PrincipalType.USER.value,
                SourceGrant.principal == principal.user_id,
            ),
            sa.and_(
                SourceGrant.principal_type == PrincipalType.ROLE.value,
                SourceGrant.principal == principal.role.value,
            ),
        )
    )
    return sa.or_(Source.owner_id == principal.user_id, Source.id.in_(granted))


def usable_source(session: Session, principal: Principal, source_id: str) -> Source:
    """The source if ``principal`` may use it; a source they may not see is "not found"."""
    source = session.get(Source, source_id)
    if source is None or not can_use(session, principal, source):
        raise NotFoundError(f"source {source_id} not found")
    return source


def editable_source(session: Session, principal: Principal, source_id: str) -> Source:
    source = usable_source(session, principal, source_id)
    if not can_edit(session, principal, source):
        raise PermissionDeniedError(
            f"you may use source {source.name!r} but not edit it; ask its owner for edit access"
        )
    return source
