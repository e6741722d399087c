"""HTTP routes of the audit domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from dataops.audit import service
from dataops.audit.schemas import AuditPage, Outcome, VerifyResult
from dataops.auth.guards import allow
from dataops.auth.permissions import Permission
from dataops.http.database import db_session

router = APIRouter(tags=["audit"])


@router.get("/audit", **allow(Permission.AUDIT_READ))
def list_audit_entries(
    session: Session = Depends(db_session),
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[
        int | None, Query(ge=1, le=2**62, description="Only entries with seq below this.")
    ] = None,
    action: Annotated[str | None, Query(max_length=64, description="Action prefix.")] = None,
    actor: Annotated[str | None, Query(max_length=128)] = None,
    target_type: Annotated[str | None, Query(max_length=64)] = None,
    outcome: Outcome | None = None,
) -> AuditPage:
    """Audit entries, newest first."""
    return service.list_entries(
        session,
        limit=limit,
        before=before,
        action=action,
        actor=actor,
        target_type=target_type,
        outcome=outcome,
    )


@router.post("/audit/verify", **allow(Permission.AUDIT_READ))
def verify_audit_chain(session: Session = Depends(db_session)) -> VerifyResult:
    """Recompute the hash chain and check the sealed head."""
    return service.verify_chain(session)
