"""Managing users: create, update, reset and change passwords. Every change is audited."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.models import AuthSession, User
from dataops.auth.passwords import check_policy, hash_password, verify_password
from dataops.auth.permissions import ROLE_PERMISSIONS, Role
from dataops.auth.schemas import MeOut, UserCreate, UserList, UserOut, UserUpdate
from dataops.core.actor import Actor
from dataops.core.errors import ConflictError, InvalidInputError, NotFoundError
from dataops.core.settings import AuthSettings
from dataops.store.base import utcnow


def to_out(user: User) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


def to_me(user: User) -> MeOut:
    perms = sorted(p.value for p in ROLE_PERMISSIONS[Role(user.role)])
    return MeOut(**to_out(user).model_dump(), permissions=perms)


def get_user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"user {user_id} not found")
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(sa.select(User).where(User.username == username.strip().lower()))


def list_users(session: Session) -> UserList:
    users = list(session.scalars(sa.select(User).order_by(User.username)))
    return UserList(items=[to_out(u) for u in users], total=len(users))


def count_users(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(User)) or 0)


def create_user(
    session: Session,
    actor: Actor,
    data: UserCreate,
    settings: AuthSettings,
    *,
    must_change_password: bool = True,
) -> User:
    check_policy(
        data.password,
        min_length=settings.password_min_length,
        username=data.username,
        field="body.password",
    )
    if find_user(session, data.username) is not None:
        raise ConflictError(f"a user named {data.username!r} already exists", field="body.username")
    user = User(
        username=data.username,
        display_name=data.display_name,
        email=data.email,
        password_hash=hash_password(data.password),
        role=data.role.value,
        clearance=data.clearance.value,
        is_active=True,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.create",
        target_type="user",
        target_id=user.id,
        details={"username": user.username, "role": user.role, "clearance": user.clearance},
    )
    return user


def update_user(session: Session, actor: Actor, user_id: str, data: UserUpdate) -> User:
    user = get_user(session, user_id)
    changes = data.model_dump(exclude_unset=True)
    for name in ("display_name", "role", "clearance", "is_active"):
        if name in changes and changes[name] is None:
            raise InvalidInputError(f"{name} cannot be null", field=f"body.{name}")
    if (
        actor.id == user.id
        and (changes.get("is_active") is False or changes.get("role", Role.ADMIN) != Role.ADMIN)
        and user.role == Role.ADMIN
    ):
        raise InvalidInputError(
            "you cannot deactivate yourself or remove your own admin role",
            field="body.is_active" if "is_active" in changes else "body.role",
        )
    before = {k: getattr(user, k) for k in changes}
    for name, value in changes.items():
        setattr(user, name, value.value if hasattr(value, "value") else value)
    if changes.get("is_active") is False:
        _end_sessions(session, user.id)
    session.flush()
    after = {k: getattr(user, k) for k in changes}
    audit.record(
        session,
        actor,
        "user.update",
        target_type="user",
        target_id=user.id,
        details={"username": user.username, "before": before, "after": after},
    )
    return user


def _end_sessions(session: Session, user_id: str) -> None:
    session.execute(sa.delete(AuthSession).where(AuthSession.user_id == user_id))


def reset_password(
    session: Session, actor: Actor, user_id: str, new_password: str, settings: AuthSettings
) -> User:
    """An admin sets a temporary password; the user must change it at next sign-in."""
    user = get_user(session, user_id)
    check_policy(
        new_password,
        min_length=settings.password_min_length,
        username=user.username,
        field="body.new_password",
    )
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    _end_sessions(session, user.id)
    audit.record(
        session,
        actor,
        "user.password_reset",
        target_type="user",
        target_id=user.id,
        details={"username": user.username},
    )
    return user


def change_password(
    session: Session,
    actor: Actor,
    user_id: str,
    current: str,
    new: str,
    settings: AuthSettings,
    *,
    keep_session: str | None = None,
) -> User:
    """The user changes their own password; other sessions of theirs are ended."""
    user = get_user(session, user_id)
    if not verify_password(user.password_hash, current):
        raise InvalidInputError("current password is wrong", field="body.current_password")
    check_policy(
        new,
        min_length=settings.password_min_length,
        username=user.username,
        field="body.new_password",
    )
    if verify_password(user.password_hash, new):
        raise InvalidInputError(
            "new password must differ from the current one", field="body.new_password"
        )
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    query = sa.delete(AuthSession).where(AuthSession.user_id == user.id)
    if keep_session:
        query = query.where(AuthSession.token_hash != keep_session)
    session.execute(query)
    audit.record(session, actor, "user.password_change", target_type="user", target_id=user.id)
    return user
