"""`dataops up` as a newcomer runs it: first start, restarts, two processes on one home."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import sqlalchemy as sa

from tests.fixtures.server import RunningServer, start_server


def _users(home: Path) -> list[str]:
    engine = sa.create_engine(f"sqlite:///{home / 'metadata.db'}")
    with engine.connect() as connection:
        names = connection.execute(sa.text("SELECT username FROM users")).scalars().all()
    engine.dispose()
    return list(names)


def test_first_start_prints_a_one_time_password_that_signs_in(tmp_path: Path) -> None:
    server = start_server(tmp_path / "home")
    try:
        assert server.process.poll() is None, "".join(server.output)
        password = server.first_password
        assert password and len(password) >= 16
        assert "admin" in "".join(server.output)
        assert oct((tmp_path / "home" / "master.key").stat().st_mode & 0o777) == "0o600"
        login = httpx.post(
            f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": password}
        )
        assert login.status_code == 200
        assert login.json()["user"]["must_change_password"] is True
        assert httpx.get(f"{server.url}/api/v1/users").status_code == 401
    finally:
        server.stop()
    again = start_server(tmp_path / "home")
    try:
        assert again.first_password is None
        assert "Sign in with your account" in "".join(again.output)
    finally:
        again.stop()
    assert _users(tmp_path / "home") == ["admin"]


def test_two_processes_on_one_home_make_one_admin_and_a_sound_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with ThreadPoolExecutor(2) as pool:
        servers: list[RunningServer] = list(pool.map(lambda _: start_server(home), range(2)))
    try:
        for server in servers:
            assert server.process.poll() is None, "".join(server.output)
            assert httpx.get(f"{server.url}/health").json()["status"] == "ok"
        passwords = [s.first_password for s in servers if s.first_password]
        assert len(passwords) == 1
        for server in servers:  # both serve the same store: the one password works on both
            response = httpx.post(
                f"{server.url}/api/v1/auth/login",
                json={"username": "admin", "password": passwords[0]},
            )
            assert response.status_code == 200
    finally:
        for server in servers:
            server.stop()
    assert _users(home) == ["admin"]
    verify = subprocess.run(
        [sys.executable, "-m", "dataops", "audit", "verify"],
        env={"DATAOPS_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_port_in_use_gives_a_clear_error(tmp_path: Path) -> None:
    first = start_server(tmp_path / "a")
    try:
        second = subprocess.run(
            [sys.executable, "-m", "dataops", "up", "--port", str(first.port)],
            env={"DATAOPS_HOME": str(tmp_path / "b"), "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert "already in use" in second.stderr
        assert not (tmp_path / "b" / "metadata.db").exists()
    finally:
        first.stop()
