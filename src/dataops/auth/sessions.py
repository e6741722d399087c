"""Browser sign-in: login, logout, resolving a session cookie, CSRF checks."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from dataops.audit import service as audit
from dataops.audit.schemas import Outcome
from dataops.auth import ratelimit
from dataops.auth.models import AuthSession, User
from dataops.auth.passwords import verify_password
from dataops.auth.principal import AuthMethod, Principal
from dataops.auth.users import find_user
from dataops.core.actor import Actor
from dataops.core.errors import (
    AuthenticationError,
    DataOpsError,
    PermissionDeniedError,
    RateLimitedError,
)
from dataops.core.settings import AuthSettings
from dataops.store.base import utcnow
from dataops.store.engine import transaction

log = logging.getLogger(__name__)

_TOUCH_EVERY = timedelta(seconds=60)


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret (cookie, CSRF value, API token)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    user: User
    session_token: str
    csrf_token: str


def login(
    factory: sessionmaker[Session],
    settings: AuthSettings,
    username: str,
    password: str,
    *,
    ip: str | None,
    user_agent: str | None,
) -> LoginResult:
    """Check the password (rate limited) and open a session.

    A failure is recorded and audited in a committed transaction before its error is raised, so
    the rate limit and the audit trail see every attempt.
    """
    username = username.strip().lower()
    with transaction(factory) as session:
        outcome = _attempt(session, settings, username, password, ip, user_agent)
    if isinstance(outcome, DataOpsError):
        raise outcome
    return outcome


def _attempt(
    session: Session,
    settings: AuthSettings,
    username: str,
    password: str,
    ip: str | None,
    user_agent: str | None,
) -> LoginResult | DataOpsError:
    try:
        ratelimit.check_login_allowed(session, settings, username, ip)
    except RateLimitedError as exc:
        audit.record(
            session,
            Actor(id=None, name=username, ip=ip),
            "auth.login",
            outcome=Outcome.DENIED,
            details={"reason": "rate_limited"},
        )
        return exc
    user = find_user(session, username)
    ok = verify_password(user.password_hash if user else None, password)
    reason = "bad_credentials"
    if ok and user is not None and not user.is_active:
        ok, reason = False, "account_disabled"
    ratelimit.record_attempt(session, username, ip, ok)
    ratelimit.prune_attempts(session, settings)  # keeps the table to the window it is read for
    if not ok or user is None:
        audit.record(
            session,
            Actor(id=user.id if user else None, name=username, ip=ip),
            "auth.login",
            outcome=Outcome.FAILURE,
            target_type="user",
            target_id=user.id if user else None,
            details={"reason": reason},
        )
        return AuthenticationError("invalid username or password")
    session_token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AuthSession(
            token_hash=digest(session_token),
            csrf_hash=digest(csrf_token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(minutes=settings.session_absolute_ttl_minutes),
            ip=ip,
            user_agent=(user_agent or "")[:256] or None,
        )
    )
    user.last_login_at = now
    audit.record(
        session,
        Actor(id=user.id, name=user.username, ip=ip),
        "auth.login",
        target_type="user",
        target_id=user.id,
    )
    log.info("user %s signed in", user.id)
    return LoginResult(user=user, session_token=session_token, csrf_token=csrf_token)


def logout(session: Session, principal: Principal) -> None:
    if principal.method is AuthMethod.SESSION and principal.credential_id:
        session.execute(
            sa.delete(AuthSession).where(AuthSession.token_hash == principal.credential_id)
        )
    audit.record(
        session, principal.actor, "auth.logout", target_type="user", target_id=principal.user_id
    )


def resolve_session(
    session: Session, settings: AuthSettings, token: str, ip: str | None
) -> tuple[Principal, str]:
    """The principal behind a session cookie, and the session's CSRF hash."""
    row = session.get(AuthSession, digest(token))
    now = utcnow()
    if row is None:
        raise AuthenticationError("session expired or signed out; sign in again")
    idle_deadline = row.last_seen_at + timedelta(minutes=settings.session_ttl_minutes)
    if now >= row.expires_at or now >= idle_deadline:
        session.delete(row)
        raise AuthenticationError("session expired; sign in again")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("account is disabled")
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
    return Principal.of(user, AuthMethod.SESSION, ip, row.token_hash), row.csrf_hash


def check_csrf(csrf_hash: str, header_value: str | None) -> None:
    """Unsafe requests made with a session cookie must echo the CSRF token in a header."""
    if not header_value or not hmac.compare_digest(csrf_hash, digest(header_value)):
        raise PermissionDeniedError(
            "missing or invalid CSRF token: send the dataops_csrf cookie's value in X-CSRF-Token"
        )
