"""Schema drift follows the dataset's policy; transient errors are retried, terminal ones not;
runs can be cancelled; bad definitions are refused naming the field."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from fastapi.testclient import TestClient

from tests.datasets.conftest import create_dataset, create_source, lake_rows, run_dataset, wait_run
from tests.fixtures.rest_server import RestServer


def _table(files_root: Path, ddl: str, rows: list[tuple[object, ...]]) -> None:
    with sqlite3.connect(files_root / "evo.db") as db:
        db.execute("DROP TABLE IF EXISTS t")
        db.execute(ddl)
        marks = ",".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO t VALUES ({marks})", rows)


def test_new_columns_are_added_and_other_changes_follow_the_policy(
    eng: TestClient, files_root: Path
) -> None:
    _table(files_root, "CREATE TABLE t (id INTEGER, name TEXT)", [(1, "a")])
    source = create_source(eng, "evo", "sqlite", {"path": "evo.db"})
    ds = create_dataset(eng, name="evo", source_id=source, spec={"kind": "table", "table": "t"})
    run_dataset(eng, ds["id"])
    _table(files_root, "CREATE TABLE t (id INTEGER, name TEXT, age INTEGER)", [(2, "b", 30)])
    added = run_dataset(eng, ds["id"])
    assert added["schema_changes"] == ["new column 'age' (int64)"]
    columns = [c["name"] for c in eng.get(f"/api/v1/datasets/{ds['id']}").json()["columns"]]
    assert columns == ["id", "name", "age"]

    _table(files_root, "CREATE TABLE t (id TEXT, name TEXT, age INTEGER)", [("x", "c", 1)])
    refused = run_dataset(eng, ds["id"], expect="failed")
    assert refused["error_code"] == "schema_drift"
    assert "column 'id': int64 → string" in refused["error"]
    assert lake_rows(eng, ds["id"]) == [[2, "b", 30]], "the failed run changed nothing"

    blocked = eng.patch(f"/api/v1/datasets/{ds['id']}", json={"schema_policy": "block"})
    assert blocked.status_code == 200
    _table(
        files_root,
        "CREATE TABLE t (id INTEGER, name TEXT, age INTEGER, x REAL)",
        [(3, "d", 1, 0.5)],
    )
    assert run_dataset(eng, ds["id"], expect="failed")["error_code"] == "schema_drift"

    eng.patch(f"/api/v1/datasets/{ds['id']}", json={"schema_policy": "allow_all"})
    _table(files_root, "CREATE TABLE t (id TEXT, label TEXT)", [("x", "e")])
    changed = run_dataset(eng, ds["id"])
    assert len(changed["schema_changes"]) == 4
    assert lake_rows(eng, ds["id"]) == [["x", "e"]]


def test_transient_errors_are_retried_with_backoff(
    eng: TestClient, rest_server: RestServer
) -> None:
    rest_server.reset()
    source = create_source(
        eng,
        "api",
        "rest",
        {
            "base_url": rest_server.url,
            "retry": {"max_attempts": 1},
            "pagination": {"type": "none"},
        },
    )
    flaky = create_dataset(
        eng, name="flaky", source_id=source, spec={"kind": "endpoint", "path": "/flaky/all"}
    )
    run = run_dataset(eng, flaky["id"])
    assert run["attempts"] == 3, "two 503s, then success on the third attempt"
    assert run["rows"] == 257
    broken = create_dataset(
        eng, name="broken", source_id=source, spec={"kind": "endpoint", "path": "/broken/all"}
    )
    failed = run_dataset(eng, broken["id"], expect="failed")
    assert failed["attempts"] == 3
    assert "503" in failed["error"]


def test_a_running_extraction_can_be_cancelled(eng: TestClient, files_root: Path) -> None:
    lines = "\n".join(f"{i},{'x' * 50}" for i in range(400_000))
    (files_root / "big.csv").write_text("id,text\n" + lines + "\n")
    source = create_source(eng, "files", "csv", {})
    ds = create_dataset(eng, name="big", source_id=source, spec={"kind": "file", "path": "big.csv"})
    run = eng.post(f"/api/v1/datasets/{ds['id']}/runs").json()
    assert eng.post(f"/api/v1/datasets/{ds['id']}/runs").status_code == 409, "one run at a time"
    deadline = time.monotonic() + 30
    while eng.get(f"/api/v1/datasets/{ds['id']}/runs/{run['id']}").json()["status"] == "queued":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    cancelled = eng.post(f"/api/v1/datasets/{ds['id']}/runs/{run['id']}/cancel")
    assert cancelled.status_code == 200
    final = wait_run(eng, ds["id"], run["id"])
    assert final["status"] in {"cancelled", "succeeded"}  # it may finish first on a fast machine
    if final["status"] == "cancelled":
        assert eng.get(f"/api/v1/datasets/{ds['id']}/data").status_code == 404


def test_bad_definitions_name_the_field_and_store_nothing(
    eng: TestClient, files_root: Path
) -> None:
    source = create_source(eng, "files", "csv", {})
    spec = {"kind": "file", "path": "x.csv"}
    cases = [
        ({"mode": "merge", "incremental": {"column": "id"}}, "body.primary_key"),
        ({"mode": "append"}, "body.incremental"),
        ({"schedule": {"cron": "every day at 2"}}, "body.schedule.cron"),
        ({"schedule": {"cron": "0 2 * * *", "timezone": "Mars/Olympus"}}, "body.schedule.timezone"),
        ({"spec": {"kind": "table", "table": "t"}}, "body.spec.kind"),
        (
            {"mode": "append", "incremental": {"column": "id", "lookback": 10}},
            "body.incremental.lookback",
        ),
    ]
    for extra, field in cases:
        body = {"name": "bad", "source_id": source, "spec": spec, **extra}
        response = eng.post("/api/v1/datasets", json=body)
        assert response.status_code == 422, (extra, response.text)
        fields = [f["field"] for f in response.json()["error"]["details"]["fields"]]
        assert field in fields, (extra, fields)
    assert eng.get("/api/v1/datasets").json()["items"] == []
    preview = eng.get("/api/v1/datasets/cron-preview", params={"cron": "*/15 * * * *"})
    assert len(preview.json()["next_runs"]) == 5
    assert eng.get("/api/v1/datasets/cron-preview", params={"cron": "nope"}).status_code == 422


def test_bad_reads_name_the_parameter(eng: TestClient, files_root: Path) -> None:
    _table(files_root, "CREATE TABLE t (id INTEGER, name TEXT)", [(1, "a")])
    source = create_source(eng, "evo", "sqlite", {"path": "evo.db"})
    ds = create_dataset(eng, name="reads", source_id=source, spec={"kind": "table", "table": "t"})
    nothing = eng.get(f"/api/v1/datasets/{ds['id']}/data")
    assert nothing.status_code == 404 and "run an extraction" in nothing.json()["error"]["message"]
    run_dataset(eng, ds["id"])
    beyond = eng.get(f"/api/v1/datasets/{ds['id']}/data", params={"version": 5})
    assert beyond.status_code == 404
    assert "latest: 0" in beyond.json()["error"]["message"]
    too_many = eng.get(f"/api/v1/datasets/{ds['id']}/data", params={"limit": 99_999})
    assert too_many.status_code == 422
    assert too_many.json()["error"]["details"]["fields"][0]["field"] == "query.limit"
    missing = eng.get("/api/v1/datasets/nope/runs")
    assert missing.status_code == 404
