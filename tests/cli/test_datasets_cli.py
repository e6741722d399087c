"""`dataops datasets ...` against a real server, as the user behind an API token."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from dataops.cli.main import app as cli
from tests.fixtures.server import RunningServer, admin_token


def test_datasets_commands_extract_with_progress(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(server.home / "files" / "shop.db") as db:
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT, updated INTEGER)")
        db.executemany(
            "INSERT INTO orders VALUES (?, ?, ?)", [(i, f"item-{i}", i) for i in range(1, 501)]
        )
    monkeypatch.setenv("DATAOPS_URL", server.url)
    monkeypatch.setenv("DATAOPS_TOKEN", admin_token(server))
    runner = CliRunner()
    added = runner.invoke(
        cli, ["sources", "add", "shop", "--type", "sqlite", "--set", "path=shop.db"]
    )
    assert added.exit_code == 0, added.output
    created = runner.invoke(
        cli,
        [
            *("datasets", "create", "orders", "--source", "shop", "--table", "orders"),
            *("--mode", "merge", "--key", "id", "--watermark", "updated"),
            *("--cron", "0 3 * * *", "--timezone", "Europe/Paris"),
        ],
    )
    assert created.exit_code == 0, created.output
    assert "next scheduled run" in created.output
    extracted = runner.invoke(cli, ["datasets", "extract", "orders"])
    assert extracted.exit_code == 0, extracted.output
    assert "succeeded" in extracted.output and "rows: 500" in extracted.output
    assert "watermark: None → 500" in extracted.output
    listed = runner.invoke(cli, ["datasets", "list"])
    assert "orders" in listed.output and "0 3 * * *" in listed.output
    history = runner.invoke(cli, ["datasets", "runs", "orders"])
    assert "succeeded" in history.output and "manual" in history.output
    shown = runner.invoke(cli, ["datasets", "preview", "orders", "--version", "0", "--limit", "3"])
    assert shown.exit_code == 0, shown.output
    assert "3 row(s)" in shown.output
    bad = runner.invoke(
        cli, ["datasets", "create", "x", "--source", "shop", "--table", "orders", "--mode", "merge"]
    )
    assert bad.exit_code == 1
    assert "primary key" in bad.output
    broken = runner.invoke(
        cli, ["datasets", "create", "gone", "--source", "shop", "--table", "nope"]
    )
    assert broken.exit_code == 0, broken.output
    failed = runner.invoke(cli, ["datasets", "extract", "gone"])
    assert failed.exit_code == 1
    assert "failed" in failed.output and "nope" in failed.output
