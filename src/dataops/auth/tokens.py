"""Personal API tokens for the CLI and SDK. The secret is shown once; only its hash is kept."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.models import ApiToken, User
from dataops.auth.principal import AuthMethod, Principal
from dataops.auth.schemas import TokenCreate, TokenCreated, TokenList, TokenOut
from dataops.auth.sessions import digest
from dataops.core.actor import Actor
from dataops.core.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from dataops.store.base import utcnow

log = logging.getLogger(__name__)

TOKEN_PREFIX = "dop_"  # noqa: S105 - a public prefix, not a secret
_TOUCH_EVERY = timedelta(seconds=60)


def _to_out(token: ApiToken, username: str) -> TokenOut:
    return TokenOut(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        user_id=token.user_id,
        username=username,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


def create_token(session: Session, actor: Actor, user_id: str, data: TokenCreate) -> TokenCreated:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"user {user_id} not found")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=data.expires_in_days) if data.expires_in_days else None
    token = ApiToken(
        user_id=user.id,
        name=data.name,
        prefix=secret[:12],
        token_hash=digest(secret),
        expires_at=expires,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "token.create",
        target_type="api_token",
        target_id=token.id,
        details={"name": token.name, "owner": user.username},
    )
    return TokenCreated(token=_to_out(token, user.username), secret=secret)


def list_tokens(session: Session, user_id: str | None = None) -> TokenList:
    """Tokens of one user, or of everyone when ``user_id`` is None."""
    query = (
        sa.select(ApiToken, User.username)
        .join(User, User.id == ApiToken.user_id)
        .order_by(ApiToken.created_at.desc())
    )
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return TokenList(items=[_to_out(t, name) for t, name in session.execute(query)])


def revoke_token(session: Session, principal: Principal, token_id: str, *, any_user: bool) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != principal.user_id and not any_user):
        raise NotFoundError(f"API token {token_id} not found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    audit.record(
        session,
        principal.actor,
        "token.revoke",
        target_type="api_token",
        target_id=token.id,
        details={"name": token.name},
    )


def resolve_token(session: Session, secret: str, ip: str | None) -> Principal:
    if not secret.startswith(TOKEN_PREFIX):
        raise AuthenticationError("malformed API token")
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        raise AuthenticationError("API token is unknown or revoked")
    if token.expires_at is not None and now >= token.expires_at:
        raise AuthenticationError("API token has expired")
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("account is disabled")
    if user.must_change_password:
        raise PermissionDeniedError("the account must set a new password before using API tokens")
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        token.last_used_at = now
    return Principal.of(user, AuthMethod.TOKEN, ip, token.id)
