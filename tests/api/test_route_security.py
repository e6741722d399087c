"""Every /api/v1 route in the OpenAPI document refuses anonymous callers (401) and callers whose
role lacks the route's permission (403). New routes are covered automatically."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dataops.api.openapi import openapi_document
from dataops.auth.permissions import ROLE_PERMISSIONS, Permission, Role
from dataops.http.context import AppContext
from tests.conftest import add_user, login

_METHODS = ("get", "post", "put", "patch", "delete")
DOCUMENT = openapi_document()


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in DOCUMENT["paths"].items()
        if path.startswith("/api/v1/")
        for method, op in item.items()
        if method in _METHODS
    ]


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "01hzzzzzzzzzzzzzzzzzzzzzzz", path)


OPERATIONS = _operations()
PROTECTED = [(m, p, op) for m, p, op in OPERATIONS if not op.get("x-public")]


def test_the_document_lists_routes() -> None:
    assert len(OPERATIONS) >= 15


@pytest.mark.parametrize(
    ("method", "path", "op"), OPERATIONS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_route_declares_who_may_use_it(method: str, path: str, op: dict[str, Any]) -> None:
    assert op.get("x-public") or op.get("x-required-permission") in {p.value for p in Permission}


def test_only_login_is_public() -> None:
    public = sorted(f"{m} {p}" for m, p, op in OPERATIONS if op.get("x-public"))
    assert public == ["POST /api/v1/auth/login"]


@pytest.mark.parametrize(
    ("method", "path", "op"), PROTECTED, ids=lambda v: v if isinstance(v, str) else ""
)
def test_anonymous_gets_401(client: TestClient, method: str, path: str, op: dict[str, Any]) -> None:
    response = client.request(method, _concrete(path), json={})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("method", "path", "op"), PROTECTED, ids=lambda v: v if isinstance(v, str) else ""
)
def test_bad_token_gets_401(client: TestClient, method: str, path: str, op: dict[str, Any]) -> None:
    response = client.request(
        method, _concrete(path), json={}, headers={"Authorization": "Bearer dop_not-a-real-token"}
    )
    assert response.status_code == 401


def _roles_lacking(permission: str) -> list[Role]:
    return [r for r, perms in ROLE_PERMISSIONS.items() if Permission(permission) not in perms]


RESTRICTED = [
    (m, p, op, role)
    for m, p, op in PROTECTED
    for role in _roles_lacking(op["x-required-permission"])
]


@pytest.mark.parametrize(
    ("method", "path", "op", "role"), RESTRICTED, ids=lambda v: v if isinstance(v, str) else ""
)
def test_role_without_permission_gets_403(
    app: FastAPI, ctx: AppContext, method: str, path: str, op: dict[str, Any], role: Role
) -> None:
    account = add_user(ctx, f"user-{role.value}", role)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, account)
        response = client.request(method, _concrete(path), json={})
    assert response.status_code == 403, response.text
    assert response.json()["error"]["details"]["required_permission"] == op["x-required-permission"]


def test_denials_are_audited(app: FastAPI, ctx: AppContext, admin_client: TestClient) -> None:
    account = add_user(ctx, "nosy", Role.VIEWER)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, account)
        assert client.get("/api/v1/users").status_code == 403
    entries = admin_client.get("/api/v1/audit", params={"action": "access.denied"}).json()["items"]
    assert entries[0]["actor_name"] == "nosy"
    assert entries[0]["target_id"] == "GET /api/v1/users"


def test_openapi_and_docs_need_authentication(client: TestClient, admin_client: TestClient) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/api/v1/docs").status_code == 401
    assert admin_client.get("/api/v1/openapi.json").json()["info"]["title"] == "dataops"


def test_operation_ids_are_readable() -> None:
    ids = [op["operationId"] for _, _, op in OPERATIONS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", i) for i in ids), ids


def test_committed_openapi_matches_the_app() -> None:
    """web/openapi.json (the UI's typed client is generated from it) is current."""
    import json
    from pathlib import Path

    committed = json.loads((Path(__file__).parents[2] / "web" / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(DOCUMENT)), "run `make openapi`"
