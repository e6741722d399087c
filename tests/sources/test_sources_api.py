"""Sources through the API: secrets write-only, access by owner/grants, audited previews,
clear errors that store nothing, and deletion guarded by dependents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dataops.auth.permissions import Role
from dataops.http.context import AppContext
from dataops.sources import dependents
from dataops.sources.schemas import DependentsOut
from tests.conftest import Account, add_user, login
from tests.fixtures.postgres import PostgresServer

PASSWORD = "pg-secret-that-never-leaks-9d2"


@pytest.fixture
def sqlite_file(ctx: AppContext) -> str:
    root = ctx.settings.file_roots[0]
    root.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(root / "shop.db") as db:
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, amount REAL)")
        db.executemany(
            "INSERT INTO orders VALUES (?, ?, ?)",
            [(i, f"customer {i}", i * 1.5) for i in range(1, 301)],
        )
    return "shop.db"


def _client(app: FastAPI, account: Account) -> TestClient:
    return login(TestClient(app, base_url="http://127.0.0.1"), account)


@pytest.fixture
def engineer(ctx: AppContext) -> Account:
    return add_user(ctx, "eng", Role.ENGINEER)


@pytest.fixture
def eng_client(app: FastAPI, engineer: Account) -> Iterator[TestClient]:
    with _client(app, engineer) as client:
        yield client


def _create_sqlite(client: TestClient, path: str, name: str = "shop") -> dict[str, object]:
    response = client.post(
        "/api/v1/sources", json={"name": name, "type": "sqlite", "config": {"path": path}}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_create_test_discover_preview(eng_client: TestClient, sqlite_file: str) -> None:
    source = _create_sqlite(eng_client, sqlite_file)
    assert source["status"] == "untested"
    checked = eng_client.post(f"/api/v1/sources/{source['id']}/test").json()
    assert checked["ok"], checked
    again = eng_client.get(f"/api/v1/sources/{source['id']}").json()
    assert again["status"] == "active" and again["last_latency_ms"] is not None
    names = [
        o["name"] for o in eng_client.get(f"/api/v1/sources/{source['id']}/objects").json()["items"]
    ]
    assert any(n.endswith("orders") for n in names)
    preview = eng_client.post(
        f"/api/v1/sources/{source['id']}/preview",
        json={
            "spec": {"kind": "query", "sql": "SELECT id, customer FROM orders ORDER BY id"},
            "limit": 5,
        },
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["row_count"] == 5
    assert [c["name"] for c in body["columns"]] == ["id", "customer"]
    assert body["rows"][0] == [1, "customer 1"]


def test_previews_are_audited(
    eng_client: TestClient, admin_client: TestClient, sqlite_file: str
) -> None:
    source = _create_sqlite(eng_client, sqlite_file)
    eng_client.post(
        f"/api/v1/sources/{source['id']}/preview",
        json={"spec": {"kind": "table", "table": "orders"}, "limit": 3},
    )
    entry = admin_client.get("/api/v1/audit", params={"action": "data.preview"}).json()["items"][0]
    assert entry["actor_name"] == "eng"
    assert entry["target_id"] == source["id"]
    assert entry["details"]["rows"] == 3


def test_write_sql_and_bad_sql_are_refused(eng_client: TestClient, sqlite_file: str) -> None:
    source = _create_sqlite(eng_client, sqlite_file)
    for sql, expected in (
        ("DELETE FROM orders", "read-only"),
        ("SELECT 1; DROP TABLE orders", "exactly one"),
        ("SELECT FROM WHERE", "does not parse"),
    ):
        response = eng_client.post(
            f"/api/v1/sources/{source['id']}/preview", json={"spec": {"kind": "query", "sql": sql}}
        )
        assert response.status_code == 422, (sql, response.text)
        assert expected in response.json()["error"]["message"]
        assert response.json()["error"]["details"]["fields"][0]["field"] == "body.spec.sql"
    count = eng_client.post(
        f"/api/v1/sources/{source['id']}/preview",
        json={"spec": {"kind": "query", "sql": "SELECT count(*) AS n FROM orders"}},
    ).json()
    assert count["rows"] == [[300]]


def test_secrets_are_write_only(
    eng_client: TestClient, postgres_server: PostgresServer, ctx: AppContext
) -> None:
    config = {
        "host": postgres_server.host,
        "port": postgres_server.port,
        "database": "postgres",
        "user": "postgres",
        "password": PASSWORD,
    }
    created = eng_client.post(
        "/api/v1/sources", json={"name": "wh", "type": "postgres", "config": config}
    )
    assert created.status_code == 201, created.text
    source = created.json()
    assert source["config"]["password"] is None
    assert "password" in source["secrets_set"]
    renamed = eng_client.patch(
        f"/api/v1/sources/{source['id']}",
        json={"description": "warehouse", "config": {**config, "password": None}},
    )
    assert renamed.status_code == 200
    for path in ("/api/v1/sources", f"/api/v1/sources/{source['id']}"):
        assert PASSWORD not in eng_client.get(path).text
    assert eng_client.post(f"/api/v1/sources/{source['id']}/test").json()["ok"]
    with ctx.engine.connect() as connection:
        raw = " ".join(str(v) for v in connection.execute(sa.text("SELECT * FROM sources")).one())
    assert PASSWORD not in raw
    with ctx.sessions() as session:
        from dataops.sources.models import Source

        sealed = session.scalars(sa.select(Source.sealed_config)).one()
    assert PASSWORD in sealed  # the stored value was kept through the edit


def test_access_follows_owner_and_grants(
    app: FastAPI, ctx: AppContext, eng_client: TestClient, sqlite_file: str
) -> None:
    source = _create_sqlite(eng_client, sqlite_file)
    analyst = add_user(ctx, "ana", Role.ANALYST)
    spec = {"spec": {"kind": "table", "table": "orders"}, "limit": 2}
    with _client(app, analyst) as ana:
        assert ana.get("/api/v1/sources").json()["items"] == []
        assert ana.get(f"/api/v1/sources/{source['id']}").status_code == 404
        assert ana.post(f"/api/v1/sources/{source['id']}/preview", json=spec).status_code == 404
        granted = eng_client.put(
            f"/api/v1/sources/{source['id']}/grants",
            json={"principal_type": "role", "principal": "analyst", "level": "use"},
        )
        assert granted.status_code == 200, granted.text
        assert [s["name"] for s in ana.get("/api/v1/sources").json()["items"]] == ["shop"]
        assert ana.post(f"/api/v1/sources/{source['id']}/preview", json=spec).status_code == 200
        assert ana.get(f"/api/v1/sources/{source['id']}").json()["can_edit"] is False
        refused = ana.put(
            f"/api/v1/sources/{source['id']}/grants",
            json={"principal_type": "user", "principal": analyst.id, "level": "edit"},
        )
        assert refused.status_code == 403
        eng_client.delete(f"/api/v1/sources/{source['id']}/grants/{granted.json()['id']}")
        assert ana.post(f"/api/v1/sources/{source['id']}/preview", json=spec).status_code == 404


def test_bad_input_names_the_field_and_saves_nothing(
    eng_client: TestClient, sqlite_file: str
) -> None:
    cases = [
        ({"name": "x", "type": "oracle", "config": {}}, "body.type"),
        (
            {
                "name": "x",
                "type": "postgres",
                "config": {"host": "h", "port": "not-a-port", "database": "d", "user": "u"},
            },
            "body.config.port",
        ),
        ({"name": "../x", "type": "sqlite", "config": {"path": sqlite_file}}, "body.name"),
    ]
    for body, field in cases:
        response = eng_client.post("/api/v1/sources", json=body)
        assert response.status_code == 422, response.text
        fields = [f["field"] for f in response.json()["error"]["details"]["fields"]]
        assert field in fields, fields
    assert eng_client.get("/api/v1/sources").json()["items"] == []


def test_failed_test_is_never_active(
    eng_client: TestClient, postgres_server: PostgresServer
) -> None:
    from tests.fixtures.ports import free_port

    config = {
        "host": "127.0.0.1",
        "port": free_port(),
        "database": "d",
        "user": "u",
        "password": "p",
    }
    unsaved = eng_client.post(
        "/api/v1/sources/test", json={"type": "postgres", "config": config}
    ).json()
    assert unsaved["ok"] is False and "refused" in unsaved["message"].lower()
    source = eng_client.post(
        "/api/v1/sources", json={"name": "down", "type": "postgres", "config": config}
    ).json()
    eng_client.post(f"/api/v1/sources/{source['id']}/test")
    after = eng_client.get(f"/api/v1/sources/{source['id']}").json()
    assert after["status"] == "error" and after["last_error"]


def test_sources_outside_file_roots_are_refused(eng_client: TestClient, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.db"
    sqlite3.connect(outside).close()
    source = _create_sqlite(eng_client, str(outside), name="escape")
    result = eng_client.post(f"/api/v1/sources/{source['id']}/test").json()
    assert result["ok"] is False
    assert "outside the allowed file roots" in result["message"]


def test_delete_is_refused_while_used(
    eng_client: TestClient, admin_client: TestClient, sqlite_file: str
) -> None:
    source = _create_sqlite(eng_client, sqlite_file)

    def finder(session: object, source_id: str) -> list[DependentsOut]:
        return (
            [DependentsOut(kind="dataset", id="d1", name="orders_daily")]
            if source_id == source["id"]
            else []
        )

    dependents.register_dependents_finder(finder)
    try:
        refused = eng_client.delete(f"/api/v1/sources/{source['id']}")
        assert refused.status_code == 409
        assert refused.json()["error"]["details"]["dependents"][0]["name"] == "orders_daily"
        assert (
            eng_client.delete(f"/api/v1/sources/{source['id']}", params={"force": True}).status_code
            == 409
        )
        assert (
            admin_client.delete(
                f"/api/v1/sources/{source['id']}", params={"force": True}
            ).status_code
            == 204
        )
    finally:
        dependents._FINDERS.remove(finder)


def test_an_edit_can_be_tested_with_the_stored_secret(
    eng_client: TestClient, app: FastAPI, ctx: AppContext, postgres_server: PostgresServer
) -> None:
    config = {
        "host": postgres_server.host,
        "port": postgres_server.port,
        "database": "postgres",
        "user": "postgres",
        "password": PASSWORD,
    }
    source = eng_client.post(
        "/api/v1/sources", json={"name": "wh", "type": "postgres", "config": config}
    ).json()
    edited = {**config, "password": None, "database": "template1"}
    body = {"type": "postgres", "config": edited, "source_id": source["id"]}
    result = eng_client.post("/api/v1/sources/test", json=body)
    assert result.status_code == 200 and result.json()["ok"], result.text
    other = add_user(ctx, "other-eng", Role.ENGINEER)
    with _client(app, other) as stranger:  # may not borrow secrets of a source it cannot edit
        assert stranger.post("/api/v1/sources/test", json=body).status_code == 404
