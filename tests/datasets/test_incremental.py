"""Incremental extraction from PostgreSQL picks up inserts and updates, and only those; exact
types; terminal errors fail at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient

from tests.datasets.conftest import create_dataset, lake_rows, run_dataset
from tests.datasets.pg import connect, fresh_database, pg_source
from tests.fixtures.postgres import PostgresServer

START = datetime(2026, 1, 1, tzinfo=UTC)


def _orders(server: PostgresServer, rows: int = 1000) -> str:
    database = fresh_database(server)
    with connect(server, database) as db:
        db.execute(
            "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2), "
            "note text, updated_at timestamptz NOT NULL)"
        )
        db.execute(
            "INSERT INTO orders SELECT g, g * 1.25, 'n' || g, %s::timestamptz + g * interval '1s' "
            "FROM generate_series(1, %s) g",
            (START, rows),
        )
    return database


def test_merge_picks_up_inserts_and_updates_only(
    eng: TestClient, postgres_server: PostgresServer
) -> None:
    database = _orders(postgres_server)
    source = pg_source(eng, postgres_server, database)
    ds = create_dataset(
        eng,
        name="orders",
        source_id=source,
        spec={"kind": "table", "table": "public.orders"},
        mode="merge",
        primary_key=["id"],
        incremental={"column": "updated_at"},
    )
    first = run_dataset(eng, ds["id"])
    assert first["rows"] == 1000 and first["watermark_before"] is None
    assert first["watermark_after"] == (START + timedelta(seconds=1000)).isoformat()
    later = START + timedelta(days=1)
    with connect(postgres_server, database) as db:
        db.execute("UPDATE orders SET amount = -1, updated_at = %s WHERE id IN (3, 7, 9)", (later,))
        db.execute(
            "INSERT INTO orders VALUES (1001, 5.5, 'new', %s), (1002, 6.5, 'new', %s)",
            (later, later),
        )
    second = run_dataset(eng, ds["id"])
    assert second["rows"] == 5, "exactly the 3 updated and 2 inserted rows are read"
    assert second["watermark_before"] == first["watermark_after"]
    dataset = eng.get(f"/api/v1/datasets/{ds['id']}").json()
    assert dataset["row_count"] == 1002
    types = {c["name"]: c["data_type"] for c in dataset["columns"]}
    assert types["amount"] == "decimal128(12, 2)"
    assert types["updated_at"] == "timestamp[us, tz=UTC]"
    rows = {r[0]: r for r in lake_rows(eng, ds["id"], 2000)}
    assert len(rows) == 1002
    assert [rows[i][1] for i in (3, 7, 9)] == ["-1.00"] * 3
    assert rows[4][1] == str(Decimal("5.00"))
    assert rows[1002][2] == "new"
    third = run_dataset(eng, ds["id"])
    assert third["rows"] == 0 and third["lake_version"] is None
    versions = eng.get(f"/api/v1/datasets/{ds['id']}/versions").json()["items"]
    assert [v["run_id"] for v in versions] == [second["id"], first["id"]]


def test_append_reads_only_rows_past_the_watermark(
    eng: TestClient, postgres_server: PostgresServer
) -> None:
    database = _orders(postgres_server, rows=10)
    source = pg_source(eng, postgres_server, database)
    ds = create_dataset(
        eng,
        name="orders-append",
        source_id=source,
        spec={"kind": "table", "table": "public.orders"},
        mode="append",
        incremental={"column": "id", "initial_value": "5"},
    )
    assert run_dataset(eng, ds["id"])["rows"] == 5
    with connect(postgres_server, database) as db:
        db.execute("INSERT INTO orders VALUES (11, 1, 'x', now()), (12, 2, 'y', now())")
    run = run_dataset(eng, ds["id"])
    assert (run["rows"], run["watermark_before"], run["watermark_after"]) == (2, "10", "12")
    assert sorted(r[0] for r in lake_rows(eng, ds["id"])) == [6, 7, 8, 9, 10, 11, 12]


def test_terminal_errors_fail_at_once_with_a_clear_message(
    eng: TestClient, postgres_server: PostgresServer
) -> None:
    database = _orders(postgres_server, rows=3)
    source = pg_source(eng, postgres_server, database)
    ds = create_dataset(
        eng, name="missing", source_id=source, spec={"kind": "table", "table": "public.nope"}
    )
    run = run_dataset(eng, ds["id"], expect="failed")
    assert run["attempts"] == 1
    assert "nope" in run["error"]
    bad_sql = create_dataset(
        eng,
        name="bad-sql",
        source_id=source,
        spec={"kind": "query", "sql": "SELECT nope FROM orders"},
    )
    run = run_dataset(eng, bad_sql["id"], expect="failed")
    assert run["attempts"] == 1 and "nope" in run["error"]
    assert eng.get(f"/api/v1/datasets/{bad_sql['id']}/data").status_code == 404
