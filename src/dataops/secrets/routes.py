"""HTTP routes of the secrets vault. No route returns a secret's value."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from dataops.auth.guards import allow, current_principal
from dataops.auth.permissions import Permission
from dataops.auth.principal import Principal
from dataops.http.database import db_session
from dataops.secrets import service
from dataops.secrets.schemas import SecretCreate, SecretList, SecretOut, SecretUpdate

router = APIRouter(tags=["secrets"])


@router.get("/secrets", **allow(Permission.SECRETS_READ))
def list_secrets(session: Session = Depends(db_session)) -> SecretList:
    """Secrets' names and metadata (values are write-only)."""
    return service.list_secrets(session)


@router.post("/secrets", status_code=status.HTTP_201_CREATED, **allow(Permission.SECRETS_WRITE))
def create_secret(
    body: SecretCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SecretOut:
    """Store a new secret, encrypted at rest."""
    return service.create_secret(session, principal.actor, body)


@router.get("/secrets/{secret_id}", **allow(Permission.SECRETS_READ))
def read_secret(secret_id: str, session: Session = Depends(db_session)) -> SecretOut:
    """One secret's metadata."""
    return service.get_secret(session, secret_id)


@router.patch("/secrets/{secret_id}", **allow(Permission.SECRETS_WRITE))
def update_secret(
    secret_id: str,
    body: SecretUpdate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SecretOut:
    """Change a secret's description or replace its value."""
    return service.update_secret(session, principal.actor, secret_id, body)


@router.delete(
    "/secrets/{secret_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    **allow(Permission.SECRETS_WRITE),
)
def delete_secret(
    secret_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> None:
    """Delete a secret."""
    service.delete_secret(session, principal.actor, secret_id)
