"""The audit chain: append-only, and `dataops audit verify` catches edits and deletions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from dataops.api.app import build_context
from dataops.audit import service
from dataops.audit.chain import EntryFields, entry_hash
from dataops.audit.models import AuditEntry
from dataops.cli.main import app as cli
from dataops.core.actor import Actor
from dataops.core.settings import Settings
from dataops.domains import load_models
from dataops.http.context import AppContext
from dataops.store import migrate
from dataops.store.engine import transaction


@pytest.fixture
def store(store_settings: Settings) -> Iterator[AppContext]:
    ctx = build_context(store_settings)
    load_models()
    migrate.upgrade(ctx.engine)
    with transaction(ctx.sessions) as session:
        for i in range(5):
            service.record(session, Actor(id=None, name=f"u{i}"), "test.event", details={"i": i})
    yield ctx
    ctx.engine.dispose()


def _verify_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("DATAOPS_HOME", str(settings.home))
    if settings.database_url:
        monkeypatch.setenv("DATAOPS_DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(cli, ["audit", "verify"])
    return result.exit_code, result.output


def _tamper(ctx: AppContext, statement: str) -> None:
    """What an attacker with database access does: drop the append-only triggers, then write."""
    with ctx.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            connection.execute(sa.text("DROP TRIGGER audit_log_no_update"))
            connection.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
        connection.execute(sa.text(statement))


def test_intact_chain_verifies(store: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = _verify_cli(store.settings, monkeypatch)
    assert code == 0, output
    assert "intact" in output and "5 entries" in output


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 3",
            "entry 3: content does not match",
        ),
        ("UPDATE audit_log SET details = '{}' WHERE seq = 5", "entry 5: content does not match"),
        ("DELETE FROM audit_log WHERE seq = 2", "entries 2..2 are missing"),
        ("DELETE FROM audit_log WHERE seq = 5", "chain ends at 4"),
        ("DELETE FROM audit_log", "chain ends at 0"),
    ],
)
def test_edit_or_delete_breaks_verification(
    store: AppContext, monkeypatch: pytest.MonkeyPatch, statement: str, expected: str
) -> None:
    _tamper(store, statement)
    code, output = _verify_cli(store.settings, monkeypatch)
    assert code == 1
    assert "BROKEN" in output
    assert expected in output


def test_recomputed_chain_is_caught_by_the_sealed_head(store: AppContext) -> None:
    """An attacker who edits an entry and recomputes every later hash still fails: the head is
    sealed with an HMAC under the master key, which the database alone does not hold."""
    names = list(EntryFields.__dataclass_fields__)
    with store.sessions() as session:
        entries = [
            {n: getattr(e, n) for n in names}
            for e in session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq))
        ]
    entries[3]["actor_name"] = "mallory"
    prev = "0" * 64
    rewritten = []
    for values in entries:
        values["prev_hash"] = prev
        prev = entry_hash(EntryFields(**values))
        rewritten.append((values, prev))
    _tamper(store, "DELETE FROM audit_log")
    table = AuditEntry.__table__
    with store.engine.begin() as connection:
        for values, digest in rewritten:
            connection.execute(sa.insert(table).values(**values, hash=digest))
        connection.execute(sa.text("UPDATE audit_head SET hash = :h"), {"h": digest})
    with transaction(store.sessions) as session:
        result = service.verify_chain(session)
    assert not result.ok
    assert [p.problem for p in result.problems] == ["the head's seal is invalid (head was edited)"]


def test_database_refuses_update_and_delete(store: AppContext) -> None:
    for statement in ("UPDATE audit_log SET actor_name = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(sa.text(statement))
    with transaction(store.sessions) as session:
        assert service.verify_chain(session).ok


def test_chain_cannot_fork(store: AppContext) -> None:
    """Two entries claiming the same predecessor violate the unique prev_hash."""
    with store.engine.connect() as connection:
        head = connection.execute(
            sa.text("SELECT seq, prev_hash FROM audit_log WHERE seq = 5")
        ).one()
    with pytest.raises(DBAPIError), store.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO audit_log (seq, id, occurred_at, actor_name, action, outcome, "
                "details, "
                "prev_hash, hash) VALUES (6, 'x', :t, 'a', 'b', 'success', '{}', :p, 'f')"
            ),
            {"t": "2026-01-01 00:00:00+00:00", "p": head.prev_hash},
        )
