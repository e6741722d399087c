"""The signed-in user as the rest of the product sees them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dataops.auth.models import User
from dataops.auth.permissions import ROLE_PERMISSIONS, Permission, Role
from dataops.core.actor import Actor
from dataops.core.classification import Classification


class AuthMethod(StrEnum):
    SESSION = "session"
    TOKEN = "token"  # noqa: S105 - a method name, not a password


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    display_name: str
    role: Role
    clearance: Classification
    must_change_password: bool
    method: AuthMethod
    ip: str | None = None
    credential_id: str | None = None  # session hash or token id

    @classmethod
    def of(cls, user: User, method: AuthMethod, ip: str | None, credential_id: str) -> Principal:
        return cls(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=Role(user.role),
            clearance=Classification(user.clearance),
            must_change_password=user.must_change_password,
            method=method,
            ip=ip,
            credential_id=credential_id,
        )

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self.role]

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def actor(self) -> Actor:
        return Actor(id=self.user_id, name=self.username, ip=self.ip)
