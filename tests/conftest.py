"""Shared fixtures: settings on a temporary home, both store backends, an API client, users."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dataops.api.app import create_app
from dataops.auth.passwords import generate_password
from dataops.auth.permissions import Role
from dataops.auth.schemas import UserCreate
from dataops.auth.users import create_user
from dataops.core.actor import Actor
from dataops.core.classification import Classification
from dataops.core.settings import Settings
from dataops.http.context import AppContext
from dataops.store.engine import transaction

pytest_plugins = [
    "tests.fixtures.postgres",
    "tests.fixtures.blackhole",
    "tests.fixtures.mariadb",
    "tests.fixtures.moto",
    "tests.fixtures.rest_server",
    "tests.contracts.cases_db",
    "tests.contracts.cases_files",
    "tests.contracts.cases_rest",
]

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
for _name in [n for n in os.environ if n.startswith("DATAOPS_")]:
    del os.environ[_name]  # tests never read the developer's own deployment


def make_settings(home: Path, database_url: str | None = None, **overrides: object) -> Settings:
    return Settings(home=home, database_url=database_url, **overrides)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """None (the SQLite default under the home) or a fresh PostgreSQL database."""
    if backend == "sqlite":
        return None
    server = request.getfixturevalue("postgres_server")
    return str(server.create_database())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """SQLite-backed settings on a temporary home."""
    return make_settings(tmp_path / "home")


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> Settings:
    """Settings on each backend in turn (the store suite runs on both)."""
    return make_settings(tmp_path / "home", database_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.ctx.engine.dispose()


@pytest.fixture
def ctx(app: FastAPI) -> AppContext:
    context = app.state.ctx
    assert isinstance(context, AppContext)
    return context


@dataclass
class Account:
    id: str
    username: str
    password: str
    role: Role


def add_user(
    ctx: AppContext,
    username: str,
    role: Role = Role.VIEWER,
    clearance: Classification = Classification.U,
    *,
    must_change_password: bool = False,
) -> Account:
    password = generate_password()
    with transaction(ctx.sessions) as session:
        user = create_user(
            session,
            Actor.system("test"),
            UserCreate(
                username=username,
                display_name=username.title(),
                role=role,
                clearance=clearance,
                password=password,
            ),
            ctx.settings.auth,
            must_change_password=must_change_password,
        )
        user_id = user.id
    return Account(user_id, username, password, role)


def login(client: TestClient, account: Account) -> TestClient:
    """Sign ``client`` in and make it send the CSRF header like the web UI does."""
    response = client.post(
        "/api/v1/auth/login", json={"username": account.username, "password": account.password}
    )
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


@pytest.fixture
def admin(ctx: AppContext) -> Account:
    return add_user(ctx, "root", Role.ADMIN, Classification.TS)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def admin_client(app: FastAPI, admin: Account) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield login(test_client, admin)
