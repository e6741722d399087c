"""The built UI is served at `/` with a single-page-app fallback; API paths never fall back."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dataops.api.static import ui_available


def test_ui_is_built() -> None:
    assert ui_available(), "run `make ui` (make test does)"


def test_client_side_routes_get_the_index_page(client: TestClient) -> None:
    for path in ("/", "/login", "/admin/users", "/governance/audit"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert '<div id="root">' in response.text


def test_api_and_missing_assets_do_not_fall_back(client: TestClient) -> None:
    assert client.get("/api/v1/nothing-here").headers["content-type"].startswith("application/json")
    missing = client.get("/assets/missing-file.js")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")
    assert client.post("/admin/users").status_code == 405
