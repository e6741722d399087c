"""The store suite's schema tests, run on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from dataops.core.crypto import Keyring, generate_key
from dataops.core.settings import Settings
from dataops.domains import load_models
from dataops.store import migrate
from dataops.store.engine import create_store_engine


@pytest.fixture
def engine(store_settings: Settings) -> sa.Engine:
    store_settings.ensure_home()
    eng = create_store_engine(
        store_settings.resolved_database_url, Keyring.from_texts([generate_key()])
    )
    yield eng
    eng.dispose()


def test_upgrade_builds_an_empty_database_to_head(engine: sa.Engine) -> None:
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(sa.inspect(engine).get_table_names())
    assert {"users", "api_tokens", "auth_sessions", "audit_log", "audit_head", "secrets"} <= tables


def test_models_match_migrations(engine: sa.Engine) -> None:
    """Autogenerate finds nothing to do: every model change came with its migration."""
    migrate.upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), load_models()
        )
    assert diff == []


@pytest.mark.parametrize("step", range(1, len(migrate.revisions())))
def test_upgrade_from_previous_revision_keeps_data(engine: sa.Engine, step: int) -> None:
    revisions = migrate.revisions()
    migrate.upgrade(engine, revisions[step - 1])
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO users (id, username, display_name, password_hash, role, clearance, "
                "is_active, must_change_password, created_at, updated_at, password_changed_at) "
                "VALUES ('u1', 'kept', 'Kept', 'h', 'viewer', 'U', true, false, "
                ":now, :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT username FROM users")).scalars().all() == ["kept"]


def test_downgrade_to_base_and_back(engine: sa.Engine) -> None:
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert "users" not in sa.inspect(engine).get_table_names()
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_concurrent_upgrades_do_not_collide(store_settings: Settings) -> None:
    """Two processes starting at once: the migration lock lets one migrate, the other wait."""
    store_settings.ensure_home()
    keyring = Keyring.from_texts([generate_key()])
    engines = [create_store_engine(store_settings.resolved_database_url, keyring) for _ in range(2)]
    errors: list[BaseException] = []

    def run(eng: sa.Engine) -> None:
        try:
            migrate.upgrade(eng)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert migrate.current_revision(engines[0]) == migrate.head_revision()
    for eng in engines:
        eng.dispose()
