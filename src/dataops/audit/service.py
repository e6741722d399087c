"""Recording and reading the audit trail.

``record`` appends inside the caller's transaction, so a change and its audit entry commit
together or not at all. Appends are serialised: by ``BEGIN IMMEDIATE`` on SQLite and by a
transaction-scoped advisory lock on PostgreSQL; the unique ``prev_hash`` is the backstop.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit.chain import (
    GENESIS_HASH,
    ChainChecker,
    EntryFields,
    Problem,
    canonical_json,
    entry_hash,
    head_message,
)
from dataops.audit.models import AuditEntry, AuditHead
from dataops.audit.schemas import AuditEntryOut, AuditPage, Outcome, ProblemOut, VerifyResult
from dataops.core.actor import Actor
from dataops.core.crypto import DecryptionError, Keyring
from dataops.core.ids import new_id
from dataops.store.base import utcnow
from dataops.store.encrypted import keyring_of

log = logging.getLogger(__name__)

_PG_LOCK_KEY = 0x61_75_64_69_74  # "audit"
_HEAD_ID = 1


def _keyring(session: Session) -> Keyring:
    return keyring_of(session.get_bind().dialect)


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    outcome: Outcome = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain in the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    head = session.get(AuditHead, _HEAD_ID)
    prev_seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    fields = EntryFields(
        seq=prev_seq + 1,
        id=new_id(),
        occurred_at=utcnow(),
        actor_id=actor.id,
        actor_name=actor.name,
        action=action,
        target_type=target_type,
        target_id=target_id,
        outcome=outcome.value,
        ip=actor.ip,
        details=canonical_json(details or {}),
        prev_hash=prev_hash,
    )
    digest = entry_hash(fields)
    entry = AuditEntry(**vars(fields), hash=digest)
    session.add(entry)
    _seal_head(session, head, fields.seq, digest)
    session.flush()
    log.info("audit %s %s by %s: %s", fields.seq, action, actor.name, outcome.value)
    return entry


def _seal_head(session: Session, head: AuditHead | None, seq: int, digest: str) -> None:
    keyring = _keyring(session)
    mac = keyring.mac(head_message(seq, digest))
    if head is None:
        session.add(
            AuditHead(id=_HEAD_ID, seq=seq, hash=digest, key_id=keyring.primary_id, mac=mac)
        )
    else:
        head.seq, head.hash, head.key_id, head.mac = seq, digest, keyring.primary_id, mac


def reseal_head(session: Session) -> None:
    """Re-seal the head under the keyring's primary key (after a key rotation)."""
    head = session.get(AuditHead, _HEAD_ID)
    if head is not None:
        _seal_head(session, head, head.seq, head.hash)


def _to_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        seq=entry.seq,
        id=entry.id,
        occurred_at=entry.occurred_at,
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        outcome=Outcome(entry.outcome),
        ip=entry.ip,
        details=json.loads(entry.details),
        hash=entry.hash,
        prev_hash=entry.prev_hash,
    )


def list_entries(
    session: Session,
    *,
    limit: int = 50,
    before: int | None = None,
    action: str | None = None,
    actor: str | None = None,
    target_type: str | None = None,
    outcome: Outcome | None = None,
) -> AuditPage:
    """Newest first, paged by ``seq``.

    ``action`` matches a prefix: ``user.`` finds every user event.
    """
    query = sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit + 1)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor:
        query = query.where(AuditEntry.actor_name == actor)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if outcome:
        query = query.where(AuditEntry.outcome == outcome.value)
    rows = list(session.scalars(query))
    next_before = rows[limit - 1].seq if len(rows) > limit else None
    return AuditPage(items=[_to_out(r) for r in rows[:limit]], next_before=next_before)


def _iter_rows(session: Session, chunk: int = 2000) -> Iterator[sa.Row[Any]]:
    """Entries as plain rows in ``seq`` order, a chunk at a time (no ORM identity map growth)."""
    table = AuditEntry.__table__
    last = 0
    while True:
        rows = list(
            session.execute(
                sa.select(table).where(table.c.seq > last).order_by(table.c.seq).limit(chunk)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_chain(session: Session) -> VerifyResult:
    """Walk the whole chain (in chunks, bounded memory) and check the sealed head."""
    checker = ChainChecker()
    for row in _iter_rows(session):
        values = row._mapping
        fields = EntryFields(**{name: values[name] for name in EntryFields.__dataclass_fields__})
        checker.feed(fields, values["hash"])
    problems = list(checker.problems)
    head = session.get(AuditHead, _HEAD_ID)
    if head is None:
        if checker.count:
            problems.append(Problem(None, "the chain's sealed head is missing"))
    else:
        if (head.seq, head.hash) != (checker.last_seq, checker.last_hash):
            problems.append(
                Problem(
                    head.seq,
                    f"the sealed head is entry {head.seq} but the chain ends at "
                    f"{checker.last_seq} (newest entries deleted or replaced)",
                )
            )
        try:
            expected = _keyring(session).mac(head_message(head.seq, head.hash), head.key_id)
        except DecryptionError:
            problems.append(Problem(head.seq, f"the head is sealed with unknown key {head.key_id}"))
        else:
            if expected != head.mac:
                problems.append(Problem(head.seq, "the head's seal is invalid (head was edited)"))
    if problems:
        log.warning("audit chain verification found %d problem(s)", len(problems))
    return VerifyResult(
        ok=not problems,
        entries_checked=checker.count,
        head_seq=checker.last_seq or None,
        head_hash=checker.last_hash if checker.count else None,
        problems=[ProblemOut(seq=p.seq, problem=p.problem) for p in problems],
    )
