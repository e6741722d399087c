"""`dataops sources ...` against a real server, as the user behind an API token."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from dataops.cli.main import app as cli
from tests.fixtures.server import RunningServer, admin_token


def test_sources_commands_round_trip(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = server.home / "files"
    with sqlite3.connect(files / "shop.db") as db:
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
        db.executemany("INSERT INTO orders VALUES (?, ?)", [(i, f"item-{i}") for i in range(50)])
    monkeypatch.setenv("DATAOPS_URL", server.url)
    monkeypatch.setenv("DATAOPS_TOKEN", admin_token(server))
    runner = CliRunner()

    added = runner.invoke(
        cli, ["sources", "add", "shop", "--type", "sqlite", "--set", "path=shop.db"]
    )
    assert added.exit_code == 0, added.output
    assert "connected" in added.output
    listed = runner.invoke(cli, ["sources", "list"])
    assert "shop" in listed.output and "active" in listed.output
    tables = runner.invoke(cli, ["sources", "tables", "shop"])
    assert "orders" in tables.output
    preview = runner.invoke(
        cli,
        [
            "sources",
            "preview",
            "shop",
            "--sql",
            "SELECT item FROM orders ORDER BY id",
            "--limit",
            "3",
        ],
    )
    assert preview.exit_code == 0, preview.output
    assert "item-2" in preview.output and "3 row(s)" in preview.output
    refused = runner.invoke(cli, ["sources", "preview", "shop", "--sql", "DELETE FROM orders"])
    assert refused.exit_code == 1
    assert "read-only" in refused.output
    deleted = runner.invoke(cli, ["sources", "delete", "shop", "--yes"])
    assert deleted.exit_code == 0, deleted.output
    assert "shop" not in runner.invoke(cli, ["sources", "list"]).output


def test_without_a_token_the_cli_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATAOPS_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["sources", "list"])
    assert result.exit_code == 1
    assert "DATAOPS_TOKEN" in result.output
