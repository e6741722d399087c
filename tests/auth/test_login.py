"""Sign-in, sessions, CSRF, password changes and the failed-login rate limit."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dataops.api.app import create_app
from dataops.auth.models import LoginAttempt, User
from dataops.auth.permissions import Role
from dataops.core.settings import AuthSettings
from dataops.http.context import AppContext
from tests.conftest import Account, add_user, login, make_settings


def _users_snapshot(ctx: AppContext) -> list[tuple[object, ...]]:
    with ctx.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.select(User.__table__).order_by("id"))]


def test_login_sets_httponly_session_and_csrf_cookies(client: TestClient, admin: Account) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"username": "root", "password": admin.password}
    )
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("dataops_session="))
    csrf_cookie = next(c for c in cookies if c.startswith("dataops_csrf="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert "HttpOnly" not in csrf_cookie and "SameSite=strict" in csrf_cookie
    body = response.json()
    assert body["user"]["username"] == "root"
    assert "users:write" in body["user"]["permissions"]
    assert "password" not in response.text.lower().replace("must_change_password", "")


def test_wrong_password_is_401_counted_and_changes_no_user(
    client: TestClient, ctx: AppContext, admin: Account
) -> None:
    before = _users_snapshot(ctx)
    response = client.post(
        "/api/v1/auth/login", json={"username": "root", "password": "nope-nope-nope"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "unauthenticated",
        "message": "invalid username or password",
        "details": {},
    }
    with ctx.sessions() as session:
        failures = session.scalars(
            sa.select(LoginAttempt).where(LoginAttempt.succeeded.is_(False))
        ).all()
    assert [(f.username, f.succeeded) for f in failures] == [("root", False)]
    assert _users_snapshot(ctx) == before


def test_unknown_user_and_wrong_password_look_the_same(client: TestClient, admin: Account) -> None:
    a = client.post("/api/v1/auth/login", json={"username": "ghost", "password": "x" * 12})
    b = client.post("/api/v1/auth/login", json={"username": "root", "password": "x" * 12})
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json()


def test_failed_logins_are_rate_limited(
    client: TestClient, admin: Account, ctx: AppContext
) -> None:
    limit = ctx.settings.auth.max_failed_logins
    for _ in range(limit):
        assert (
            client.post(
                "/api/v1/auth/login", json={"username": "root", "password": "wrong-wrong"}
            ).status_code
            == 401
        )
    blocked = client.post(
        "/api/v1/auth/login", json={"username": "root", "password": admin.password}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert blocked.json()["error"]["code"] == "rate_limited"


def test_rate_limit_is_per_address_too(tmp_path: Path) -> None:
    """One address spraying many usernames is stopped too, at its own (higher) limit: failures
    on other usernames below that limit do not lock a colleague behind the same address out."""
    settings = make_settings(
        tmp_path / "home", auth=AuthSettings(max_failed_logins=3, max_failed_logins_per_address=6)
    )
    app = create_app(settings)
    account = add_user(app.state.ctx, "colleague", Role.VIEWER)
    good = {"username": "colleague", "password": account.password}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for i in range(5):
            client.post("/api/v1/auth/login", json={"username": f"spray{i}", "password": "wrong-1"})
        assert client.post("/api/v1/auth/login", json=good).status_code == 200
        client.post("/api/v1/auth/login", json={"username": "spray9", "password": "wrong-1"})
        assert client.post("/api/v1/auth/login", json=good).status_code == 429
    app.state.ctx.engine.dispose()


def test_unsafe_request_with_cookie_needs_csrf_header(admin_client: TestClient) -> None:
    token = admin_client.headers.pop("X-CSRF-Token")
    refused = admin_client.post("/api/v1/tokens", json={"name": "cli"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    admin_client.headers["X-CSRF-Token"] = "forged"
    assert admin_client.post("/api/v1/tokens", json={"name": "cli"}).status_code == 403
    admin_client.headers["X-CSRF-Token"] = token
    assert admin_client.post("/api/v1/tokens", json={"name": "cli"}).status_code == 201


def test_logout_ends_the_session(admin_client: TestClient) -> None:
    assert admin_client.get("/api/v1/auth/me").status_code == 200
    assert admin_client.post("/api/v1/auth/logout").status_code == 204
    assert admin_client.get("/api/v1/auth/me").status_code == 401


def test_first_login_must_change_password_before_anything_else(
    app: FastAPI, ctx: AppContext
) -> None:
    account = add_user(ctx, "newbie", Role.ADMIN, must_change_password=True)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, account)
        assert client.get("/api/v1/auth/me").json()["must_change_password"] is True
        blocked = client.get("/api/v1/users")
        assert blocked.status_code == 403
        assert blocked.json()["error"]["details"]["reason"] == "password_change_required"
        weak = client.post(
            "/api/v1/auth/password",
            json={"current_password": account.password, "new_password": "short"},
        )
        assert weak.status_code == 422
        assert weak.json()["error"]["details"]["fields"][0]["field"] == "body.new_password"
        wrong = client.post(
            "/api/v1/auth/password",
            json={"current_password": "not-it-at-all", "new_password": "a-much-better-passphrase"},
        )
        assert wrong.json()["error"]["details"]["fields"][0]["field"] == "body.current_password"
        ok = client.post(
            "/api/v1/auth/password",
            json={"current_password": account.password, "new_password": "a-much-better-passphrase"},
        )
        assert ok.status_code == 204
        assert client.get("/api/v1/users").status_code == 200


def test_deactivated_user_loses_sessions_and_cannot_sign_in(
    app: FastAPI, ctx: AppContext, admin_client: TestClient
) -> None:
    account = add_user(ctx, "leaver", Role.ANALYST)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, account)
        assert (
            admin_client.patch(f"/api/v1/users/{account.id}", json={"is_active": False}).status_code
            == 200
        )
        assert client.get("/api/v1/auth/me").status_code == 401
        again = client.post(
            "/api/v1/auth/login", json={"username": "leaver", "password": account.password}
        )
        assert again.status_code == 401


def test_logins_are_audited(client: TestClient, admin_client: TestClient) -> None:
    client.post("/api/v1/auth/login", json={"username": "root", "password": "wrong-wrong"})
    items = admin_client.get("/api/v1/audit", params={"action": "auth.login"}).json()["items"]
    outcomes = [i["outcome"] for i in items]
    assert "success" in outcomes and "failure" in outcomes


def test_old_login_attempts_are_pruned(client: TestClient, ctx: AppContext, admin: Account) -> None:
    from datetime import timedelta

    from dataops.store.base import utcnow

    with ctx.sessions() as session, session.begin():
        session.add(
            LoginAttempt(
                username="old",
                ip="10.0.0.1",
                succeeded=False,
                attempted_at=utcnow() - timedelta(days=3),
            )
        )
    client.post("/api/v1/auth/login", json={"username": "root", "password": admin.password})
    with ctx.sessions() as session:
        names = session.scalars(sa.select(LoginAttempt.username)).all()
    assert names == ["root"]
