"""HTTP routes of the sources domain. Object-level access (owner, grants) is checked in the
service; the route guards check the role-level permission."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.orm import Session

from dataops.auth.guards import allow, current_principal
from dataops.auth.permissions import Permission
from dataops.auth.principal import Principal
from dataops.http.context import AppContext, app_context
from dataops.http.database import db_session
from dataops.sources import grants, service
from dataops.sources.schemas import (
    CheckOut,
    ConnectionTest,
    ConnectorTypeList,
    GrantIn,
    GrantList,
    GrantOut,
    PreviewOut,
    PreviewRequest,
    SourceCreate,
    SourceList,
    SourceObjectList,
    SourceOut,
    SourceUpdate,
)

router = APIRouter(tags=["sources"])
_ANY = Permission.AUTHENTICATED


@router.get("/connectors", **allow(_ANY))
def list_connector_types() -> ConnectorTypeList:
    """Source types and the JSON schema of their settings (the UI builds its forms from it)."""
    return service.list_connector_types()


@router.get("/sources", **allow(_ANY))
def list_sources(
    principal: Principal = Depends(current_principal), session: Session = Depends(db_session)
) -> SourceList:
    """Sources you own, were granted, or (admins) all."""
    return service.list_sources(session, principal)


@router.post("/sources", status_code=status.HTTP_201_CREATED, **allow(Permission.SOURCES_WRITE))
def create_source(
    body: SourceCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SourceOut:
    """Save a source (status "untested" until tested). Secrets are encrypted, never returned."""
    return service.create_source(session, principal, body)


@router.post("/sources/test", **allow(Permission.SOURCES_WRITE))
def check_connection(
    body: ConnectionTest,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> CheckOut:
    """Test settings before saving them; nothing is stored."""
    return service.check_connection(session, principal, ctx.settings, body)


@router.get("/sources/{source_id}", **allow(_ANY))
def read_source(
    source_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SourceOut:
    """One source."""
    return service.get_source(session, principal, source_id)


@router.patch("/sources/{source_id}", **allow(Permission.SOURCES_WRITE))
def update_source(
    source_id: str,
    body: SourceUpdate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SourceOut:
    """Rename, describe or reconfigure a source (secrets left out keep their value)."""
    return service.update_source(session, principal, source_id, body)


@router.delete(
    "/sources/{source_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **allow(Permission.SOURCES_WRITE),
)
def delete_source(
    source_id: str,
    force: Annotated[bool, Query(description="Admins: delete even if datasets use it.")] = False,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> None:
    """Delete a source; refused with the list of dependents while datasets use it."""
    service.delete_source(session, principal, source_id, force=force)


@router.post("/sources/{source_id}/test", **allow(_ANY))
def check_source(
    source_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> CheckOut:
    """Test a saved source; its status becomes active or error."""
    return service.check_source(session, principal, source_id, ctx.settings)


@router.get("/sources/{source_id}/objects", **allow(_ANY))
def discover_source(
    source_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> SourceObjectList:
    """Tables, views, files, sheets or endpoints the source offers, with columns."""
    return service.discover_source(session, principal, source_id, ctx.settings)


@router.post("/sources/{source_id}/preview", **allow(_ANY))
def preview_source(
    source_id: str,
    body: PreviewRequest,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> PreviewOut:
    """The first rows of a table, query, file or endpoint (an audited data read)."""
    return service.preview_source(
        session, principal, source_id, body.spec, body.limit, ctx.settings
    )


@router.get("/sources/{source_id}/grants", **allow(_ANY))
def list_source_grants(
    source_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> GrantList:
    """Who may use or edit the source besides its owner and admins."""
    return grants.list_grants(session, principal, source_id)


@router.put("/sources/{source_id}/grants", **allow(_ANY))
def put_source_grant(
    source_id: str,
    body: GrantIn,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> GrantOut:
    """Grant a user or a role use or edit access (editors only)."""
    return grants.put_grant(session, principal, source_id, body)


@router.delete(
    "/sources/{source_id}/grants/{grant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **allow(_ANY),
)
def delete_source_grant(
    source_id: str,
    grant_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> None:
    """Remove a grant (editors only)."""
    grants.delete_grant(session, principal, source_id, grant_id)
