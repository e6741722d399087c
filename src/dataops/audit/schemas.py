"""API shapes of the audit domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


class AuditEntryOut(BaseModel):
    seq: int
    id: str
    occurred_at: datetime
    actor_id: str | None
    actor_name: str
    action: str
    target_type: str | None
    target_id: str | None
    outcome: Outcome
    ip: str | None
    details: dict[str, Any]
    hash: str
    prev_hash: str


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next_before: int | None


class ProblemOut(BaseModel):
    seq: int | None
    problem: str


class VerifyResult(BaseModel):
    ok: bool
    entries_checked: int
    head_seq: int | None
    head_hash: str | None
    problems: list[ProblemOut]
