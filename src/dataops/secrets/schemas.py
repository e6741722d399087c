"""API shapes of the secrets vault. Values go in, never out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

SecretName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$",
    ),
]
SecretValue = Annotated[str, StringConstraints(min_length=1, max_length=65536)]
Description = Annotated[str, StringConstraints(max_length=2000)]


class SecretCreate(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: SecretName
    description: Description = ""
    value: SecretValue


class SecretUpdate(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    description: Description | None = None
    value: SecretValue | None = None


class SecretOut(BaseModel):
    id: str
    name: str
    description: str
    has_value: bool
    created_at: datetime
    updated_at: datetime
    updated_by: str


class SecretList(BaseModel):
    items: list[SecretOut]
