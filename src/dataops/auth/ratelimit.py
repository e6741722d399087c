"""Failed-login rate limit, stored in the metadata DB so every server process shares it."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from dataops.auth.models import LoginAttempt
from dataops.core.errors import RateLimitedError
from dataops.core.settings import AuthSettings
from dataops.store.base import utcnow


def _failures_since(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> tuple[int, datetime | None]:
    query = sa.select(sa.func.count(), sa.func.min(LoginAttempt.attempted_at)).where(
        column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > since
    )
    count, oldest = session.execute(query).one()
    return int(count), oldest


def check_login_allowed(
    session: Session, settings: AuthSettings, username: str, ip: str | None
) -> None:
    """Raise :class:`RateLimitedError` if this user or client address failed too often lately.

    A success resets the user's count; the address's count only ages out, so one client cannot
    spray many usernames.
    """
    now = utcnow()
    window = timedelta(seconds=settings.failed_login_window_seconds)
    window_start = now - window
    last_success: datetime | None = session.scalar(
        sa.select(sa.func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
        )
    )
    since_user = window_start if last_success is None else max(window_start, last_success)
    checks: list[tuple[InstrumentedAttribute[str], str, datetime, int]] = [
        (LoginAttempt.username, username, since_user, settings.max_failed_logins)
    ]
    if ip:
        checks.append(
            (LoginAttempt.ip, ip, window_start, settings.max_failed_logins_per_address)  # type: ignore[arg-type]
        )
    for column, value, since, limit in checks:
        count, oldest = _failures_since(session, column, value, since)
        if count >= limit and oldest is not None:
            retry_after = max(int((oldest + window - now).total_seconds()) + 1, 1)
            raise RateLimitedError(
                f"too many failed sign-in attempts; try again in {retry_after} seconds",
                retry_after=retry_after,
            )


def record_attempt(session: Session, username: str, ip: str | None, succeeded: bool) -> None:
    session.add(LoginAttempt(username=username, ip=ip, succeeded=succeeded, attempted_at=utcnow()))


def prune_attempts(session: Session, settings: AuthSettings) -> int:
    """Forget attempts older than a day past the window; returns how many were removed."""
    cutoff = utcnow() - timedelta(seconds=settings.failed_login_window_seconds) - timedelta(days=1)
    result = session.execute(sa.delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
