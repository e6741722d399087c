"""API shapes of the sources domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dataops.connectors.base import ReadSpec

SourceName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.\-]*$",
    ),
]


class SourceStatus(StrEnum):
    UNTESTED = "untested"
    ACTIVE = "active"
    ERROR = "error"


class GrantLevel(StrEnum):
    USE = "use"
    EDIT = "edit"


class PrincipalType(StrEnum):
    USER = "user"
    ROLE = "role"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceCreate(_In):
    name: SourceName
    type: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    description: Annotated[str, StringConstraints(max_length=4000)] = ""
    config: dict[str, Any] = Field(description="Settings of the source type (see GET /connectors).")


class SourceUpdate(_In):
    name: SourceName | None = None
    description: Annotated[str, StringConstraints(max_length=4000)] | None = None
    config: dict[str, Any] | None = Field(
        default=None, description="Full settings; secrets left out or null keep their stored value."
    )


class ConnectionTest(_In):
    type: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    config: dict[str, Any]
    source_id: str | None = Field(
        default=None,
        description="Testing an edit of this source: secrets left empty use its stored values "
        "(you must be allowed to edit it).",
    )


class PreviewRequest(_In):
    spec: ReadSpec
    limit: Annotated[int, Field(ge=1, le=100_000)] = 100


class OwnerOut(BaseModel):
    id: str
    username: str
    display_name: str


class SourceOut(BaseModel):
    id: str
    name: str
    type: str
    description: str
    config: dict[str, Any] = Field(description="Settings with every secret null.")
    secrets_set: list[str] = Field(description="Dotted paths of the secrets that hold a value.")
    owner: OwnerOut
    status: SourceStatus
    last_tested_at: datetime | None
    last_latency_ms: float | None
    last_error: str | None
    server_version: str | None
    created_at: datetime
    updated_at: datetime
    can_edit: bool


class SourceList(BaseModel):
    items: list[SourceOut]


class CheckOut(BaseModel):
    ok: bool
    message: str
    latency_ms: float
    server_version: str | None


class ColumnOut(BaseModel):
    name: str
    data_type: str
    nullable: bool
    source_type: str | None


class SourceObjectOut(BaseModel):
    name: str
    kind: str
    namespace: str | None
    columns: list[ColumnOut] | None
    row_count: int | None
    size_bytes: int | None


class SourceObjectList(BaseModel):
    items: list[SourceObjectOut]


class PreviewOut(BaseModel):
    columns: list[ColumnOut]
    rows: list[list[Any]] = Field(description="Values as JSON: decimals and big ints as strings.")
    row_count: int
    limit: int


class ConnectorTypeOut(BaseModel):
    type: str
    title: str
    category: str
    spec_kinds: list[str]
    settings_schema: dict[str, Any]


class ConnectorTypeList(BaseModel):
    items: list[ConnectorTypeOut]


class GrantIn(_In):
    principal_type: PrincipalType
    principal: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="A user id, or a role name."
    )
    level: GrantLevel


class GrantOut(BaseModel):
    id: str
    principal_type: PrincipalType
    principal: str
    principal_label: str
    level: GrantLevel
    created_at: datetime
    created_by: str


class GrantList(BaseModel):
    items: list[GrantOut]


class DependentsOut(BaseModel):
    kind: str
    id: str
    name: str
