"""Engines and sessions for SQLite (WAL, the default) and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from dataops.core.crypto import Keyring
from dataops.core.logs import redact
from dataops.store.encrypted import attach_keyring

log = logging.getLogger(__name__)


def is_sqlite(url: str | sa.URL) -> bool:
    return sa.make_url(url).get_backend_name() == "sqlite"


def _prepare_sqlite(engine: sa.Engine) -> None:
    # Every transaction starts with BEGIN IMMEDIATE: writers queue on the database lock at the
    # start instead of failing with SQLITE_BUSY when a read upgrades to a write, which also
    # serialises appends to the audit hash chain across processes.
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_store_engine(url: str, keyring: Keyring | None = None) -> sa.Engine:
    """An engine for the metadata store, with the keyring for encrypted columns attached."""
    if is_sqlite(url):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _prepare_sqlite(engine)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    if keyring is not None:
        attach_keyring(engine, keyring)
    log.info(
        "metadata store engine for %s", redact(engine.url.render_as_string(hide_password=True))
    )
    return engine


def make_session_factory(engine: sa.Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session
