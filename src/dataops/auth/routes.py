"""HTTP routes of the auth domain: sign-in, the current user, users, API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status
from sqlalchemy.orm import Session

from dataops import __version__
from dataops.auth import sessions, tokens, users
from dataops.auth.guards import (
    CSRF_COOKIE,
    PUBLIC,
    SESSION_COOKIE,
    allow,
    client_ip,
    current_principal,
)
from dataops.auth.permissions import ROLE_DESCRIPTIONS, ROLE_PERMISSIONS, Permission
from dataops.auth.principal import Principal
from dataops.auth.schemas import (
    ChangePasswordIn,
    ClearanceOut,
    LoginIn,
    LoginOut,
    MeOut,
    MetaOut,
    ResetPasswordIn,
    RoleOut,
    TokenCreate,
    TokenCreated,
    TokenList,
    UserCreate,
    UserList,
    UserOut,
    UserUpdate,
)
from dataops.core.classification import Classification
from dataops.http.context import AppContext, app_context
from dataops.http.database import db_session

router = APIRouter()
_ANY = Permission.AUTHENTICATED


@router.post("/auth/login", tags=["auth"], response_model=LoginOut, **PUBLIC)
def login(
    body: LoginIn, request: Request, response: Response, ctx: AppContext = Depends(app_context)
) -> LoginOut:
    """Sign in with a username and password; sets the session and CSRF cookies."""
    result = sessions.login(
        ctx.sessions,
        ctx.settings.auth,
        body.username,
        body.password,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    max_age = ctx.settings.auth.session_absolute_ttl_minutes * 60
    secure = ctx.settings.auth.cookie_secure
    response.set_cookie(
        SESSION_COOKIE,
        result.session_token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        result.csrf_token,
        max_age=max_age,
        httponly=False,
        samesite="strict",
        secure=secure,
        path="/",
    )
    return LoginOut(user=users.to_me(result.user), csrf_token=result.csrf_token)


@router.post(
    "/auth/logout",
    tags=["auth"],
    status_code=status.HTTP_204_NO_CONTENT,
    **allow(_ANY, during_password_change=True),
)
def logout(
    response: Response,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> Response:
    """End the current session and clear its cookies."""
    sessions.logout(session, principal)
    response.status_code = status.HTTP_204_NO_CONTENT
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/auth/me", tags=["auth"], **allow(_ANY, during_password_change=True))
def read_me(
    principal: Principal = Depends(current_principal), session: Session = Depends(db_session)
) -> MeOut:
    """The signed-in user, with their permissions."""
    return users.to_me(users.get_user(session, principal.user_id))


@router.post(
    "/auth/password",
    tags=["auth"],
    status_code=status.HTTP_204_NO_CONTENT,
    **allow(_ANY, during_password_change=True),
)
def change_password(
    body: ChangePasswordIn,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> None:
    """Change your own password (required after a first sign-in or an admin reset)."""
    users.change_password(
        session,
        principal.actor,
        principal.user_id,
        body.current_password,
        body.new_password,
        ctx.settings.auth,
        keep_session=principal.credential_id,
    )


@router.get("/meta", tags=["auth"], **allow(_ANY, during_password_change=True))
def read_meta() -> MetaOut:
    """Version, roles with their permissions, and clearance levels."""
    return MetaOut(
        version=__version__,
        roles=[
            RoleOut(
                name=role,
                description=ROLE_DESCRIPTIONS[role],
                permissions=sorted(p.value for p in perms),
            )
            for role, perms in ROLE_PERMISSIONS.items()
        ],
        clearances=[ClearanceOut(code=c, name=c.title) for c in Classification],
    )


@router.get("/users", tags=["users"], **allow(Permission.USERS_READ))
def list_users(session: Session = Depends(db_session)) -> UserList:
    """Every user account."""
    return users.list_users(session)


@router.post(
    "/users",
    tags=["users"],
    status_code=status.HTTP_201_CREATED,
    **allow(Permission.USERS_WRITE),
)
def create_user(
    body: UserCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> UserOut:
    """Create a user; they must change the initial password at first sign-in."""
    return users.to_out(users.create_user(session, principal.actor, body, ctx.settings.auth))


@router.get("/users/{user_id}", tags=["users"], **allow(Permission.USERS_READ))
def read_user(user_id: str, session: Session = Depends(db_session)) -> UserOut:
    """One user account."""
    return users.to_out(users.get_user(session, user_id))


@router.patch("/users/{user_id}", tags=["users"], **allow(Permission.USERS_WRITE))
def update_user(
    user_id: str,
    body: UserUpdate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> UserOut:
    """Change a user's name, email, role, clearance or active flag."""
    return users.to_out(users.update_user(session, principal.actor, user_id, body))


@router.post(
    "/users/{user_id}/password",
    tags=["users"],
    status_code=status.HTTP_204_NO_CONTENT,
    **allow(Permission.USERS_WRITE),
)
def reset_user_password(
    user_id: str,
    body: ResetPasswordIn,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> None:
    """Set a temporary password; the user must change it at next sign-in."""
    users.reset_password(session, principal.actor, user_id, body.new_password, ctx.settings.auth)


@router.get("/tokens", tags=["tokens"], **allow(_ANY))
def list_my_tokens(
    principal: Principal = Depends(current_principal), session: Session = Depends(db_session)
) -> TokenList:
    """Your API tokens (never their secrets)."""
    return tokens.list_tokens(session, principal.user_id)


@router.post("/tokens", tags=["tokens"], status_code=status.HTTP_201_CREATED, **allow(_ANY))
def create_my_token(
    body: TokenCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> TokenCreated:
    """Create an API token for the CLI/SDK. The secret is in this response only."""
    return tokens.create_token(session, principal.actor, principal.user_id, body)


@router.delete(
    "/tokens/{token_id}", tags=["tokens"], status_code=status.HTTP_204_NO_CONTENT, **allow(_ANY)
)
def revoke_token(
    token_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> None:
    """Revoke one of your tokens (admins: anyone's)."""
    tokens.revoke_token(
        session, principal, token_id, any_user=principal.can(Permission.TOKENS_ADMIN)
    )


@router.get("/admin/tokens", tags=["tokens"], **allow(Permission.TOKENS_ADMIN))
def list_all_tokens(session: Session = Depends(db_session)) -> TokenList:
    """Every user's API tokens."""
    return tokens.list_tokens(session, None)
