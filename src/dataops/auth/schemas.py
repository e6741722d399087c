"""API shapes of the auth domain. Request models are strict and forbid unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dataops.auth.permissions import Role
from dataops.core.classification import Classification

Username = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=2,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    ),
]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
# Strict models still take enum members by their JSON value.
RoleIn = Annotated[Role, Field(strict=False)]
ClearanceIn = Annotated[Classification, Field(strict=False)]


class StrictModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class LoginIn(StrictModel):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    password: Password


class ChangePasswordIn(StrictModel):
    current_password: Password
    new_password: Password


class ResetPasswordIn(StrictModel):
    new_password: Password


class UserCreate(StrictModel):
    username: Username
    display_name: DisplayName
    email: Email | None = None
    role: RoleIn
    clearance: ClearanceIn
    password: Password


class UserUpdate(StrictModel):
    display_name: DisplayName | None = None
    email: Email | None = None
    role: RoleIn | None = None
    clearance: ClearanceIn | None = None
    is_active: bool | None = None


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    email: str | None
    role: Role
    clearance: Classification
    is_active: bool
    must_change_password: bool
    created_at: datetime
    last_login_at: datetime | None


class MeOut(UserOut):
    permissions: list[str]


class UserList(BaseModel):
    items: list[UserOut]
    total: int


class LoginOut(BaseModel):
    user: MeOut
    csrf_token: str


class TokenCreate(StrictModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    expires_in_days: Annotated[int, Field(ge=1, le=3650)] | None = None


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    user_id: str
    username: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(BaseModel):
    token: TokenOut
    secret: str = Field(description="The token itself. Shown once; only its hash is stored.")


class TokenList(BaseModel):
    items: list[TokenOut]


class RoleOut(BaseModel):
    name: Role
    description: str
    permissions: list[str]


class ClearanceOut(BaseModel):
    code: Classification
    name: str


class MetaOut(BaseModel):
    version: str
    roles: list[RoleOut]
    clearances: list[ClearanceOut]
