"""A real SIGKILL in the middle of an extraction — of the run's worker process, or of the whole
server (its worker follows it): the previous lake version stays intact, the run is marked
interrupted (at once, or after a restart), its half-written files are never visible, and a re-run
loads every row once."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from deltalake import DeltaTable

from tests.datasets.conftest import s3_lake
from tests.datasets.pg import connect, fresh_database
from tests.fixtures.postgres import PostgresServer
from tests.fixtures.server import RunningServer, admin_token, start_server

ROWS = 50_000
NEW = 200_000
PAD = "repeat('x', 150)"  # wide rows, so the new ones arrive in several batches


def _env(lake: dict[str, Any]) -> dict[str, str]:
    env = {
        "DATAOPS_DATASETS__STALE_AFTER_SECONDS": "2",
        "DATAOPS_DATASETS__SCHEDULER_INTERVAL_SECONDS": "0.3",
        "DATAOPS_DATASETS__BATCH_ROWS": "1024",
    }
    env.update(
        {
            f"DATAOPS_LAKE__{k.upper()}": str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in lake.items()
        }
    )
    return env


def _wait(http: httpx.Client, path: str, done: Any, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = http.get(path).json()
        if done(found):
            return dict(found)
        assert time.monotonic() < deadline, found
        time.sleep(0.1)


def _lake_table(server: RunningServer, dataset_id: str, lake: dict[str, Any]) -> DeltaTable:
    if not lake:
        return DeltaTable(str(server.home / "lake" / "datasets" / dataset_id))
    options = {
        "AWS_ENDPOINT_URL": lake["s3_endpoint_url"],
        "AWS_ACCESS_KEY_ID": lake["s3_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": lake["s3_secret_access_key"],
        "AWS_REGION": "us-east-1",
        "AWS_ALLOW_HTTP": "true",
    }
    return DeltaTable(f"{lake['uri']}/datasets/{dataset_id}", storage_options=options)


def _wait_gone(pid: int, timeout: float = 10) -> None:
    """The worker process ends by itself once its server is gone."""
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid):
        assert time.monotonic() < deadline, f"worker {pid} outlived its server"
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def _worker_pid(run: dict[str, Any]) -> int:
    """The pid of the run's worker process (``host:pid``; the server claims it as
    ``host:pid:tag`` before the worker records itself)."""
    parts = str(run["worker"]).split(":")
    assert len(parts) == 2, run["worker"]
    return int(parts[1])


@pytest.mark.parametrize(("lake_kind", "kill"), [("local", "worker"), ("s3", "server")])
def test_sigkill_mid_write_loses_nothing_and_rerun_has_no_duplicates(
    tmp_path: Path,
    postgres_server: PostgresServer,
    lake_kind: str,
    kill: str,
    request: pytest.FixtureRequest,
) -> None:
    lake = s3_lake(request.getfixturevalue("moto_server")) if lake_kind == "s3" else {}
    database = fresh_database(postgres_server)
    with connect(postgres_server, database) as db:
        db.execute("CREATE TABLE knobs (delay float8, after bigint)")
        db.execute("INSERT INTO knobs VALUES (0, 0)")
        db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2), pad text)")
        db.execute(f"INSERT INTO orders SELECT g, g * 0.5, {PAD} FROM generate_series(1, {ROWS}) g")
        db.execute(
            "CREATE FUNCTION slow(x bigint, p text) RETURNS text LANGUAGE plpgsql STABLE AS $$ "
            "BEGIN IF x % 1000 = 0 AND x > (SELECT after FROM knobs) THEN "
            "PERFORM pg_sleep((SELECT delay FROM knobs)); END IF; "
            "RETURN p; END $$"
        )
        # id stays a plain column and slow() is STABLE: the increment (id > watermark ORDER BY
        # id) is an index scan that streams rows as slow() lets them through, instead of a sort
        # that waits for every row (a volatile function in the select list forces one).
        db.execute("CREATE VIEW orders_v AS SELECT id, amount, slow(id, pad) AS pad FROM orders")
    home = tmp_path / "home"
    server = start_server(home, env=_env(lake))
    try:
        token = admin_token(server)
        http = httpx.Client(
            base_url=server.url + "/api/v1", headers={"Authorization": f"Bearer {token}"}
        )
        source = http.post(
            "/sources",
            json={
                "name": "pg",
                "type": "postgres",
                "config": {
                    "host": postgres_server.host,
                    "port": postgres_server.port,
                    "database": database,
                    "user": postgres_server.user,
                },
            },
        ).json()
        ds = http.post(
            "/datasets",
            json={
                "name": "orders",
                "source_id": source["id"],
                "spec": {"kind": "table", "table": "public.orders_v"},
                "mode": "append",
                "incremental": {"column": "id"},
            },
        ).json()
        runs = f"/datasets/{ds['id']}/runs"
        first = http.post(runs).json()
        first = _wait(http, f"{runs}/{first['id']}", lambda r: r["status"] == "succeeded")
        assert first["rows"] == ROWS and first["lake_version"] == 0

        with connect(postgres_server, database) as db:
            db.execute(
                f"INSERT INTO orders SELECT g, g * 0.5, {PAD} FROM generate_series({ROWS + 1}, "
                f"{NEW + ROWS}) g"
            )
            # The source streams in ~16 MB batches (~95k of these rows): the first 60% of the
            # new rows come at once, the rest slowly (~12 s). The kill lands in between.
            db.execute(f"UPDATE knobs SET delay = 0.15, after = {ROWS + NEW * 6 // 10}")
        second = http.post(runs).json()
        running = _wait(http, f"{runs}/{second['id']}", lambda r: r["rows"] > 0)
        if kill == "worker":
            os.kill(_worker_pid(running), signal.SIGKILL)
            killed = _wait(http, f"{runs}/{second['id']}", lambda r: r["status"] != "running")
            assert killed["status"] == "failed" and killed["error_code"] == "interrupted"
            assert "killed by signal 9" in killed["error"]
        else:
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(10)
            _wait_gone(_worker_pid(running))
        http.close()
    finally:
        server.stop()

    table = _lake_table(server, ds["id"], lake)
    assert table.version() == 0, "the killed run committed nothing"
    assert table.count() == ROWS

    with connect(postgres_server, database) as db:
        db.execute("UPDATE knobs SET delay = 0")
    again = start_server(home, env=_env(lake))
    try:
        http = httpx.Client(
            base_url=again.url + "/api/v1", headers={"Authorization": f"Bearer {token}"}
        )
        interrupted = _wait(
            http, f"{runs}/{second['id']}", lambda r: r["status"] != "running", timeout=30
        )
        assert interrupted["status"] == "failed"
        assert interrupted["error_code"] == "interrupted"
        third = http.post(runs).json()
        third = _wait(
            http, f"{runs}/{third['id']}", lambda r: r["status"] in {"succeeded", "failed"}
        )
        assert third["status"] == "succeeded", third["error"]
        assert third["rows"] == NEW
        assert third["watermark_before"] == str(ROWS)
        http.close()
    finally:
        again.stop()
    table = _lake_table(again, ds["id"], lake)
    data = table.to_pyarrow_table(columns=["id"])
    assert data.num_rows == ROWS + NEW
    assert len(set(data.column("id").to_pylist())) == ROWS + NEW, "no duplicates"
