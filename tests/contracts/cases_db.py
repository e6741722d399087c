"""Connector cases for the SQL sources: real PostgreSQL, real MariaDB, a real SQLite file.

PostgreSQL: the session server trusts every local connection, so a wrong password would still
get in. ``postgres_reader`` adds one ``scram-sha-256`` rule to its pg_hba.conf, for one role
only (every other role keeps trust), and puts the file back at the end of the session.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from dataops.connectors.base import ConnectorContext, TableSpec
from tests.contracts.case import ConnectorCase
from tests.fixtures.mariadb import MariaDBServer
from tests.fixtures.ports import free_port
from tests.fixtures.postgres import PostgresServer

ROWS = 300
COLUMNS = ["id", "customer", "amount", "ordered_at", "paid"]
CONTEXT = ConnectorContext(timeout_seconds=5.0)


def order_rows() -> list[tuple[int, str, Decimal, dt.datetime, bool]]:
    start = dt.datetime(2024, 1, 1)
    return [
        (
            i,
            f"customer-{i % 17}",
            Decimal(i) * Decimal("1.25"),
            start + dt.timedelta(hours=i),
            i % 3 == 0,
        )
        for i in range(1, ROWS + 1)
    ]


# --- PostgreSQL -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresReader:
    user: str
    password: str


def postgres_admin(server: PostgresServer, database: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(
        host=server.host, port=server.port, user=server.user, dbname=database, autocommit=True
    )


def _password_refused(server: PostgresServer, user: str) -> bool:
    try:
        psycopg.connect(
            host=server.host, port=server.port, user=user, password="not-it", dbname="postgres"
        ).close()
    except psycopg.OperationalError:
        return True
    return False


@pytest.fixture(scope="session")
def postgres_reader(postgres_server: PostgresServer) -> Iterator[PostgresReader]:
    """A role that must give its password (quotes, backslash and space included)."""
    reader = PostgresReader("dataops_reader", f"pw '{secrets.token_urlsafe(9)}\"\\ x")
    with postgres_admin(postgres_server) as connection:
        connection.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(reader.user), sql.Literal(reader.password)
            )
        )
        row = connection.execute("SELECT current_setting('hba_file')").fetchone()
        assert row is not None
        hba = Path(row[0])
        original = hba.read_text()
        hba.write_text(f"host all {reader.user} 127.0.0.1/32 scram-sha-256\n{original}")
        connection.execute("SELECT pg_reload_conf()")
    deadline = time.monotonic() + 10
    while not _password_refused(postgres_server, reader.user):
        assert time.monotonic() < deadline, "pg_hba.conf reload did not take effect"
        time.sleep(0.05)
    try:
        yield reader
    finally:
        hba.write_text(original)
        with postgres_admin(postgres_server) as connection:
            connection.execute("SELECT pg_reload_conf()")


def create_postgres_database(server: PostgresServer) -> str:
    """A fresh database (the reader may connect: PUBLIC has CONNECT); returns its name."""
    database = sa.engine.make_url(server.create_database()).database
    assert database is not None
    return database


@pytest.fixture(scope="session")
def postgres_case(
    postgres_server: PostgresServer, postgres_reader: PostgresReader, blackhole_port: int
) -> ConnectorCase:
    database = create_postgres_database(postgres_server)
    with postgres_admin(postgres_server, database) as connection:
        connection.execute(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, "
            "amount numeric(12,2), ordered_at timestamptz, paid boolean)"
        )
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO orders VALUES (%s, %s, %s, %s, %s)", order_rows())
        connection.execute(
            sql.SQL("GRANT SELECT ON orders TO {}").format(sql.Identifier(postgres_reader.user))
        )
        connection.execute("ANALYZE orders")
    settings = {
        "host": postgres_server.host,
        "port": postgres_server.port,
        "database": database,
        "user": postgres_reader.user,
        "password": postgres_reader.password,
    }
    return ConnectorCase(
        type_name="postgres",
        settings=settings,
        spec=TableSpec(table="public.orders"),
        expected_rows=ROWS,
        expected_columns=COLUMNS,
        object_name="public.orders",
        bad_credentials={**settings, "password": "wrong-password"},
        unreachable={**settings, "port": free_port()},
        silent={**settings, "port": blackhole_port},
        context=CONTEXT,
    )


# --- MySQL / MariaDB --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def mysql_case(mariadb_server: MariaDBServer, blackhole_port: int) -> ConnectorCase:
    database = mariadb_server.create_database()
    with mariadb_server.admin(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL, "
            "amount DECIMAL(12,2), ordered_at DATETIME, paid BOOLEAN)"
        )
        cursor.executemany("INSERT INTO orders VALUES (%s, %s, %s, %s, %s)", order_rows())
        cursor.execute("ANALYZE TABLE orders")
    settings = mariadb_server.settings(database)
    return ConnectorCase(
        type_name="mysql",
        settings=settings,
        spec=TableSpec(table="orders"),
        expected_rows=ROWS,
        expected_columns=COLUMNS,
        object_name=f"{database}.orders",
        bad_credentials={**settings, "password": "wrong-password"},
        unreachable={**settings, "port": free_port()},
        silent={**settings, "port": blackhole_port},
        context=CONTEXT,
    )


# --- SQLite -----------------------------------------------------------------------------------


def create_sqlite_orders(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, "
            "amount REAL, ordered_at TEXT, paid BOOLEAN)"
        )
        connection.executemany(
            "INSERT INTO orders VALUES (?, ?, ?, ?, ?)",
            [(i, c, float(a), t.isoformat(" "), p) for i, c, a, t, p in order_rows()],
        )
    connection.close()


@pytest.fixture(scope="session")
def sqlite_case(tmp_path_factory: pytest.TempPathFactory) -> ConnectorCase:
    root = tmp_path_factory.mktemp("sqlite-root")
    create_sqlite_orders(root / "shop.db")
    return ConnectorCase(
        type_name="sqlite",
        settings={"path": "shop.db"},
        spec=TableSpec(table="orders"),
        expected_rows=ROWS,
        expected_columns=COLUMNS,
        object_name="orders",
        bad_credentials=None,
        unreachable={"path": "missing.db"},
        silent=None,
        context=ConnectorContext(timeout_seconds=5.0, allowed_roots=(root,)),
    )
