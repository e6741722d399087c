"""Bad input gets a clear error with the right status, and changes nothing stored."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from dataops.http.context import AppContext


def _snapshot(ctx: AppContext) -> dict[str, list[tuple[object, ...]]]:
    with ctx.engine.connect() as connection:
        return {
            table: [tuple(r) for r in connection.execute(sa.text(f"SELECT * FROM {table}"))]
            for table in ("users", "secrets", "api_tokens")
        }


def test_malformed_json_is_422_naming_the_problem(
    admin_client: TestClient, ctx: AppContext
) -> None:
    before = _snapshot(ctx)
    response = admin_client.post(
        "/api/v1/users", content=b'{"username": "x", ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "not valid JSON" in error["message"]
    assert _snapshot(ctx) == before


def test_missing_and_wrong_fields_are_named(admin_client: TestClient, ctx: AppContext) -> None:
    before = _snapshot(ctx)
    response = admin_client.post(
        "/api/v1/users",
        json={
            "username": "ok",
            "display_name": "Ok",
            "role": "overlord",
            "clearance": "U",
            "password": 12345,
            "extra": 1,
        },
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["details"]["fields"]}
    assert {"body.role", "body.password", "body.extra"} <= fields
    assert _snapshot(ctx) == before


def test_strict_models_do_not_coerce(admin_client: TestClient, ctx: AppContext) -> None:
    me = admin_client.get("/api/v1/auth/me").json()
    response = admin_client.patch(f"/api/v1/users/{me['id']}", json={"is_active": "false"})
    assert response.status_code == 422


def test_unknown_api_path_is_json_404(admin_client: TestClient, client: TestClient) -> None:
    for c in (admin_client, client):
        response = c.get("/api/v1/does-not-exist")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(admin_client: TestClient) -> None:
    response = admin_client.put("/api/v1/users")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_oversize_body_is_413(admin_client: TestClient, ctx: AppContext) -> None:
    before = _snapshot(ctx)
    limit = ctx.settings.api.max_request_bytes
    response = admin_client.post(
        "/api/v1/secrets", json={"name": "big", "value": "x" * (limit + 10)}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert _snapshot(ctx) == before


def test_oversize_streamed_body_without_length_is_413(
    admin_client: TestClient, ctx: AppContext
) -> None:
    limit = ctx.settings.api.max_request_bytes

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    response = admin_client.post(
        "/api/v1/secrets", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_ids_are_404(admin_client: TestClient) -> None:
    for path in ("/api/v1/users/nope", "/api/v1/secrets/nope"):
        response = admin_client.get(path)
        assert response.status_code == 404
        assert "not found" in response.json()["error"]["message"]


def test_health_is_public_and_security_headers_are_set(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
