"""A secret written through the encrypted type never appears in the database file, in any API
response or in the logs; key rotation re-encrypts it without loss."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dataops.api.app import build_context
from dataops.cli.main import app as cli
from dataops.core.actor import Actor
from dataops.core.settings import Settings
from dataops.domains import load_models
from dataops.secrets import service
from dataops.secrets.schemas import SecretCreate
from dataops.store import migrate
from dataops.store.engine import transaction

SECRET = "pg-Passw0rd-that-must-never-leak-7f3a"


def _every_response(admin_client: TestClient, secret_id: str) -> list[str]:
    texts = []
    for path in (
        "/api/v1/secrets",
        f"/api/v1/secrets/{secret_id}",
        "/api/v1/audit?limit=500",
        "/api/v1/auth/me",
        "/api/v1/users",
        "/api/v1/tokens",
        "/api/v1/admin/tokens",
    ):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        texts.append(response.text)
    texts.append(admin_client.post("/api/v1/audit/verify").text)
    return texts


def test_secret_never_leaks(
    admin_client: TestClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = admin_client.post(
        "/api/v1/secrets", json={"name": "warehouse/password", "description": "PG", "value": SECRET}
    )
    assert created.status_code == 201
    assert SECRET not in created.text and created.json()["has_value"] is True
    secret_id = created.json()["id"]
    updated = admin_client.patch(f"/api/v1/secrets/{secret_id}", json={"value": SECRET + "-v2"})
    assert SECRET not in updated.text
    for text in _every_response(admin_client, secret_id):
        assert SECRET not in text
    ctx = admin_client.app.state.ctx  # type: ignore[attr-defined]
    ctx.engine.dispose()  # flush the WAL so the files hold everything written
    for path in Path(settings.home).glob("metadata.db*"):
        assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in caplog.text
    with transaction(ctx.sessions) as session:
        assert service.reveal(session, "warehouse/password") == SECRET + "-v2"


def test_secret_names_are_unique_and_validated(admin_client: TestClient) -> None:
    assert admin_client.post("/api/v1/secrets", json={"name": "a", "value": "x"}).status_code == 201
    dup = admin_client.post("/api/v1/secrets", json={"name": "a", "value": "y"})
    assert dup.status_code == 409
    bad = admin_client.post("/api/v1/secrets", json={"name": "../etc", "value": "y"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["fields"][0]["field"] == "body.name"
    assert [s["name"] for s in admin_client.get("/api/v1/secrets").json()["items"]] == ["a"]


def _seed(settings: Settings, count: int) -> None:
    ctx = build_context(settings)
    load_models()
    migrate.upgrade(ctx.engine)
    with transaction(ctx.sessions) as session:
        for i in range(count):
            service.create_secret(
                session, Actor.system("t"), SecretCreate(name=f"s{i}", value=f"{SECRET}-{i}")
            )
    ctx.engine.dispose()


def _read_all(settings: Settings) -> dict[str, str]:
    ctx = build_context(settings)
    with transaction(ctx.sessions) as session:
        values = {
            s.name: service.reveal(session, s.name) for s in service.list_secrets(session).items
        }
    ctx.engine.dispose()
    return values


def test_keys_rotate_reencrypts_everything_without_loss(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(store_settings, 25)
    old_file = store_settings.key_file.read_text()
    monkeypatch.setenv("DATAOPS_HOME", str(store_settings.home))
    if store_settings.database_url:
        monkeypatch.setenv("DATAOPS_DATABASE_URL", store_settings.database_url)
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted 25 value(s)" in result.output
    new_file = store_settings.key_file.read_text()
    assert new_file != old_file and len(new_file.split()) == 1
    assert oct(store_settings.key_file.stat().st_mode & 0o777) == "0o600"
    assert _read_all(store_settings) == {f"s{i}": f"{SECRET}-{i}" for i in range(25)}
    ctx = build_context(store_settings)
    with ctx.engine.connect() as connection:
        raws = connection.execute(sa.text("SELECT value FROM secrets")).scalars().all()
    ctx.engine.dispose()
    assert all(r.startswith(f"dok1:{ctx.keyring.primary_id}:") for r in raws)
    verify = CliRunner().invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_rotation_with_environment_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataops.core.crypto import generate_key

    old, new = generate_key(), generate_key()
    settings = Settings(home=tmp_path / "home", master_key=old)  # type: ignore[arg-type]
    _seed(settings, 3)
    monkeypatch.setenv("DATAOPS_HOME", str(settings.home))
    monkeypatch.setenv("DATAOPS_MASTER_KEY", f"{new},{old}")
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "remove the old key" in result.output
    assert not settings.key_file.exists()
    only_new = Settings(home=tmp_path / "home", master_key=new)  # type: ignore[arg-type]
    assert _read_all(only_new) == {f"s{i}": f"{SECRET}-{i}" for i in range(3)}


def test_key_file_readable_by_others_is_refused(settings: Settings) -> None:
    from dataops.core.errors import ConfigurationError

    build_context(settings).engine.dispose()
    settings.key_file.chmod(0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        build_context(settings)
