"""User administration and API tokens through the API."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dataops.auth.permissions import Role
from dataops.http.context import AppContext
from tests.conftest import add_user


def test_admin_creates_user_who_then_signs_in(app: FastAPI, admin_client: TestClient) -> None:
    created = admin_client.post(
        "/api/v1/users",
        json={
            "username": "Ana.Lyst",
            "display_name": "Ana Lyst",
            "email": "ana@example.org",
            "role": "analyst",
            "clearance": "S",
            "password": "initial-pass-123",
        },
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["username"] == "ana.lyst"
    assert user["must_change_password"] is True
    assert "password" not in user and "password_hash" not in user
    with TestClient(app, base_url="http://127.0.0.1") as client:
        me = client.post(
            "/api/v1/auth/login", json={"username": "ana.lyst", "password": "initial-pass-123"}
        )
        assert me.json()["user"]["clearance"] == "S"


def test_duplicate_username_is_409_naming_the_field(admin_client: TestClient) -> None:
    body = {
        "username": "dup",
        "display_name": "D",
        "role": "viewer",
        "clearance": "U",
        "password": "initial-pass-123",
    }
    assert admin_client.post("/api/v1/users", json=body).status_code == 201
    again = admin_client.post("/api/v1/users", json=body)
    assert again.status_code == 409
    assert again.json()["error"]["details"]["fields"][0]["field"] == "body.username"


def test_admin_changes_role_and_clearance(ctx: AppContext, admin_client: TestClient) -> None:
    account = add_user(ctx, "eng", Role.ENGINEER)
    response = admin_client.patch(
        f"/api/v1/users/{account.id}", json={"role": "steward", "clearance": "TS"}
    )
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["clearance"]) == ("steward", "TS")
    entry = admin_client.get("/api/v1/audit", params={"action": "user.update"}).json()["items"][0]
    assert entry["details"]["after"] == {"role": "steward", "clearance": "TS"}


def test_admin_cannot_demote_or_disable_themself(admin_client: TestClient) -> None:
    me = admin_client.get("/api/v1/auth/me").json()
    assert (
        admin_client.patch(f"/api/v1/users/{me['id']}", json={"is_active": False}).status_code
        == 422
    )
    assert (
        admin_client.patch(f"/api/v1/users/{me['id']}", json={"role": "viewer"}).status_code == 422
    )


def test_api_token_is_shown_once_and_works_as_bearer(
    app: FastAPI, admin_client: TestClient
) -> None:
    created = admin_client.post("/api/v1/tokens", json={"name": "laptop", "expires_in_days": 30})
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("dop_")
    listed = admin_client.get("/api/v1/tokens").text
    assert secret not in listed
    with TestClient(app, base_url="http://127.0.0.1") as bare:
        me = bare.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"})
        assert me.status_code == 200 and me.json()["username"] == "root"
        # Bearer calls need no CSRF header: no cookie is involved.
        made = bare.post(
            "/api/v1/tokens", json={"name": "x"}, headers={"Authorization": f"Bearer {secret}"}
        )
        assert made.status_code == 201
    token_id = created.json()["token"]["id"]
    assert admin_client.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    with TestClient(app, base_url="http://127.0.0.1") as bare:
        assert (
            bare.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code
            == 401
        )


def test_users_cannot_revoke_each_others_tokens(
    app: FastAPI, ctx: AppContext, admin_client: TestClient
) -> None:
    token_id = admin_client.post("/api/v1/tokens", json={"name": "mine"}).json()["token"]["id"]
    other = add_user(ctx, "other", Role.ENGINEER)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        from tests.conftest import login

        login(client, other)
        assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 404
    assert admin_client.get("/api/v1/admin/tokens").json()["items"][0]["revoked_at"] is None
