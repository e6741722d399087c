"""The hash chain: how an entry's hash is computed, and how a chain is checked.

Pure functions over plain values, so the rules are testable without a database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept.

    >>> canonical_json({"b": 1, "a": [True, None]})
    '{"a":[true,null],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class EntryFields:
    """Everything an entry's hash covers."""

    seq: int
    id: str
    occurred_at: datetime
    actor_id: str | None
    actor_name: str
    action: str
    target_type: str | None
    target_id: str | None
    outcome: str
    ip: str | None
    details: str
    prev_hash: str


def entry_hash(fields: EntryFields) -> str:
    payload = canonical_json(
        {
            "seq": fields.seq,
            "id": fields.id,
            "occurred_at": fields.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": fields.actor_id,
            "actor_name": fields.actor_name,
            "action": fields.action,
            "target_type": fields.target_type,
            "target_id": fields.target_id,
            "outcome": fields.outcome,
            "ip": fields.ip,
            "details": fields.details,
            "prev_hash": fields.prev_hash,
        }
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def head_message(seq: int, head_hash: str) -> bytes:
    """What the head seal's HMAC covers."""
    return f"audit-head:{seq}:{head_hash}".encode()


@dataclass(frozen=True)
class Problem:
    seq: int | None
    problem: str


class ChainChecker:
    """Feed entries in ``seq`` order; collects every break in the chain."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.count = 0
        self.last_seq = 0
        self.last_hash = GENESIS_HASH

    def feed(self, fields: EntryFields, stored_hash: str) -> None:
        self.count += 1
        if fields.seq != self.last_seq + 1:
            self.problems.append(
                Problem(
                    fields.seq,
                    f"entries {self.last_seq + 1}..{fields.seq - 1} are missing (deleted)",
                )
            )
        if fields.prev_hash != self.last_hash:
            self.problems.append(
                Problem(fields.seq, "prev_hash does not match the previous entry's hash")
            )
        if entry_hash(fields) != stored_hash:
            self.problems.append(
                Problem(fields.seq, "content does not match its hash (entry was edited)")
            )
        self.last_seq, self.last_hash = fields.seq, stored_hash
