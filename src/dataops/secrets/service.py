"""The secrets vault: named credentials that connectors reference by name.

Values are stored through :class:`~dataops.store.encrypted.EncryptedText` and are only ever
returned to code in this process (``reveal``), never to an API client.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.core.actor import Actor
from dataops.core.errors import ConflictError, NotFoundError
from dataops.secrets.models import Secret
from dataops.secrets.schemas import SecretCreate, SecretList, SecretOut, SecretUpdate


def _to_out(secret: Secret) -> SecretOut:
    return SecretOut(
        id=secret.id,
        name=secret.name,
        description=secret.description,
        has_value=True,
        created_at=secret.created_at,
        updated_at=secret.updated_at,
        updated_by=secret.updated_by,
    )


def _get(session: Session, secret_id: str) -> Secret:
    secret = session.get(Secret, secret_id)
    if secret is None:
        raise NotFoundError(f"secret {secret_id} not found")
    return secret


def list_secrets(session: Session) -> SecretList:
    rows = session.scalars(sa.select(Secret).order_by(Secret.name))
    return SecretList(items=[_to_out(s) for s in rows])


def get_secret(session: Session, secret_id: str) -> SecretOut:
    return _to_out(_get(session, secret_id))


def create_secret(session: Session, actor: Actor, data: SecretCreate) -> SecretOut:
    if session.scalar(sa.select(Secret.id).where(Secret.name == data.name)) is not None:
        raise ConflictError(f"a secret named {data.name!r} already exists", field="body.name")
    secret = Secret(
        name=data.name,
        description=data.description,
        value=data.value,
        created_by=actor.name,
        updated_by=actor.name,
    )
    session.add(secret)
    session.flush()
    audit.record(
        session,
        actor,
        "secret.create",
        target_type="secret",
        target_id=secret.id,
        details={"name": secret.name},
    )
    return _to_out(secret)


def update_secret(session: Session, actor: Actor, secret_id: str, data: SecretUpdate) -> SecretOut:
    secret = _get(session, secret_id)
    changed = []
    if data.description is not None:
        secret.description = data.description
        changed.append("description")
    if data.value is not None:
        secret.value = data.value
        changed.append("value")
    secret.updated_by = actor.name
    session.flush()
    audit.record(
        session,
        actor,
        "secret.update",
        target_type="secret",
        target_id=secret.id,
        details={"name": secret.name, "changed": changed},
    )
    return _to_out(secret)


def delete_secret(session: Session, actor: Actor, secret_id: str) -> None:
    secret = _get(session, secret_id)
    session.delete(secret)
    audit.record(
        session,
        actor,
        "secret.delete",
        target_type="secret",
        target_id=secret_id,
        details={"name": secret.name},
    )


def reveal(session: Session, name: str) -> str:
    """The plaintext of a secret, for in-process use by connectors. Never send it to a client."""
    value = session.scalar(sa.select(Secret.value).where(Secret.name == name))
    if value is None:
        raise NotFoundError(f"secret {name!r} not found")
    return value
