"""A PostgreSQL database per test, and a source pointing at it."""

from __future__ import annotations

import psycopg
from fastapi.testclient import TestClient

from tests.datasets.conftest import create_source
from tests.fixtures.postgres import PostgresServer


def fresh_database(server: PostgresServer) -> str:
    return server.create_database().rsplit("/", 1)[1]


def connect(server: PostgresServer, database: str) -> psycopg.Connection:
    return psycopg.connect(
        host=server.host, port=server.port, user=server.user, dbname=database, autocommit=True
    )


def pg_source(client: TestClient, server: PostgresServer, database: str, name: str = "pg") -> str:
    return create_source(
        client,
        name,
        "postgres",
        {"host": server.host, "port": server.port, "database": database, "user": server.user},
    )
