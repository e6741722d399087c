"""Route guards: who is calling, and may they use this route.

Every route under ``/api/v1`` declares what it needs with :func:`allow`, which adds the check
and records the permission in the OpenAPI document (``x-required-permission``), so tests can
enumerate the routes and prove each one refuses anonymous and unauthorised callers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.audit.schemas import Outcome
from dataops.auth.permissions import Permission
from dataops.auth.principal import Principal
from dataops.auth.sessions import check_csrf, resolve_session
from dataops.auth.tokens import resolve_token
from dataops.core.errors import AuthenticationError, PermissionDeniedError
from dataops.http.context import AppContext, app_context
from dataops.http.database import db_session

log = logging.getLogger(__name__)

SESSION_COOKIE = "dataops_session"
CSRF_COOKIE = "dataops_csrf"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def current_principal(
    request: Request,
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> Principal:
    """The caller, from ``Authorization: Bearer dop_...`` or the session cookie (+ CSRF)."""
    ip = client_ip(request)
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise AuthenticationError("Authorization header must be 'Bearer <API token>'")
        return resolve_token(session, credential.strip(), ip)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise AuthenticationError("sign in or send an API token")
    principal, csrf_hash = resolve_session(session, ctx.settings.auth, cookie, ip)
    if request.method not in _SAFE_METHODS:
        check_csrf(csrf_hash, request.headers.get(CSRF_HEADER))
    return principal


def _deny(session: Session, principal: Principal, request: Request, reason: str) -> None:
    """Audit a refusal and commit it now: the request's transaction rolls back on the error."""
    audit.record(
        session,
        principal.actor,
        "access.denied",
        outcome=Outcome.DENIED,
        target_type="route",
        target_id=f"{request.method} {request.url.path}"[:128],
        details={"reason": reason},
    )
    session.commit()


def _require(permission: Permission, during_password_change: bool) -> Callable[..., Principal]:
    def guard(
        request: Request,
        principal: Principal = Depends(current_principal),
        session: Session = Depends(db_session),
    ) -> Principal:
        if principal.must_change_password and not during_password_change:
            raise PermissionDeniedError(
                "you must set a new password first (POST /api/v1/auth/password)",
                details={"reason": "password_change_required"},
            )
        if not principal.can(permission):
            _deny(session, principal, request, f"missing permission {permission.value}")
            raise PermissionDeniedError(
                f"your role ({principal.role.value}) does not allow this",
                details={"required_permission": permission.value},
            )
        return principal

    return guard


def allow(permission: Permission, *, during_password_change: bool = False) -> dict[str, Any]:
    """Keyword arguments for a route decorator: the guard and its OpenAPI marker."""
    return {
        "dependencies": [Depends(_require(permission, during_password_change))],
        "openapi_extra": {"x-required-permission": permission.value},
    }


PUBLIC: dict[str, Any] = {"openapi_extra": {"x-public": True}}
"""Marker for the few routes that answer without authentication (login)."""
