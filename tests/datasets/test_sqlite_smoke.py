"""Smoke: a SQLite table → lake, full then incremental."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from tests.datasets.conftest import create_dataset, create_source, lake_rows, run_dataset


def test_sqlite_full_and_incremental(eng: TestClient, files_root: Path) -> None:
    with sqlite3.connect(files_root / "shop.db") as db:
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, updated INTEGER)")
        db.executemany(
            "INSERT INTO orders VALUES (?, ?, ?)", [(i, i * 1.5, i) for i in range(1, 101)]
        )
    source = create_source(eng, "shop", "sqlite", {"path": "shop.db"})
    ds = create_dataset(
        eng,
        name="orders",
        source_id=source,
        spec={"kind": "table", "table": "orders"},
        mode="merge",
        primary_key=["id"],
        incremental={"column": "updated"},
    )
    first = run_dataset(eng, ds["id"])
    assert first["rows"] == 100 and first["watermark_after"] == "100"
    with sqlite3.connect(files_root / "shop.db") as db:
        db.execute("UPDATE orders SET amount = -1, updated = 101 WHERE id = 5")
        db.execute("INSERT INTO orders VALUES (101, 7.0, 102)")
    second = run_dataset(eng, ds["id"])
    assert second["rows"] == 2 and second["watermark_before"] == "100"
    rows = lake_rows(eng, ds["id"])
    assert len(rows) == 101
    assert next(r for r in rows if r[0] == 5)[1] == -1
    third = run_dataset(eng, ds["id"])
    assert third["rows"] == 0 and third["lake_version"] is None
