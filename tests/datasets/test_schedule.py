"""Schedules: a tick starts exactly one run, even with two server processes; misfire policies."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from dataops.datasets.models import Dataset, ExtractionRun
from dataops.datasets.runner import Runner
from dataops.http.context import AppContext
from dataops.store.engine import transaction
from tests.datasets.conftest import create_dataset, create_source
from tests.fixtures.server import admin_token, start_server


def _sqlite_source(client: TestClient, files_root: Path) -> str:
    with sqlite3.connect(files_root / "s.db") as db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(10)])
    return create_source(client, "s", "sqlite", {"path": "s.db"})


def _scheduled(client: TestClient, source: str, misfire: str = "run_once") -> str:
    ds = create_dataset(
        client,
        name=f"hourly-{misfire}",
        source_id=source,
        spec={"kind": "table", "table": "t"},
        schedule={"cron": "0 * * * *", "timezone": "Europe/Paris", "misfire_policy": misfire},
    )
    assert ds["next_run_at"] is not None
    return str(ds["id"])


def _set_next(ctx: AppContext, dataset_id: str, when: datetime) -> None:
    with transaction(ctx.sessions) as session:
        session.execute(sa.update(Dataset).where(Dataset.id == dataset_id).values(next_run_at=when))


def _runs(ctx: AppContext, dataset_id: str) -> list[ExtractionRun]:
    with transaction(ctx.sessions) as session:
        found = list(
            session.scalars(sa.select(ExtractionRun).where(ExtractionRun.dataset_id == dataset_id))
        )
        session.expunge_all()
        return found


@pytest.mark.parametrize("lake_kind", ["local"], indirect=True)
def test_misfire_skip_and_run_once(eng: TestClient, ctx: AppContext, files_root: Path) -> None:
    source = _sqlite_source(eng, files_root)
    skip, once = _scheduled(eng, source, "skip"), _scheduled(eng, source, "run_once")
    now = datetime.now(UTC).replace(microsecond=0)
    down_since = now.replace(minute=0, second=0) - timedelta(hours=5)
    runner = Runner(ctx.sessions, ctx.settings)
    try:
        for dataset_id in (skip, once):
            _set_next(ctx, dataset_id, down_since)
        runner.fire_schedules(now)
        assert _runs(ctx, skip) == []
        [run] = _runs(ctx, once)
        assert run.scheduled_for == now.replace(minute=0, second=0)
        for dataset_id in (skip, once):
            with transaction(ctx.sessions) as session:
                moved = session.get(Dataset, dataset_id)
                assert moved is not None and moved.next_run_at is not None
                assert now < moved.next_run_at <= now + timedelta(hours=1)
    finally:
        runner.stop()


@pytest.mark.parametrize("lake_kind", ["local"], indirect=True)
def test_two_schedulers_in_one_store_fire_each_tick_once(
    eng: TestClient, ctx: AppContext, files_root: Path
) -> None:
    dataset_id = _scheduled(eng, _sqlite_source(eng, files_root))
    runners = [Runner(ctx.sessions, ctx.settings) for _ in range(2)]
    try:
        tick = datetime.now(UTC).replace(second=0, microsecond=0)
        for _ in range(5):
            _set_next(ctx, dataset_id, tick)
            for runner in runners:
                runner.fire_schedules(tick + timedelta(seconds=1))
            with transaction(ctx.sessions) as session:
                session.execute(
                    sa.update(ExtractionRun)
                    .where(ExtractionRun.dataset_id == dataset_id)
                    .values(status="succeeded")
                )
            tick -= timedelta(hours=1)
        ticks = [r.scheduled_for for r in _runs(ctx, dataset_id)]
        assert len(ticks) == 5 and len(set(ticks)) == 5
    finally:
        for runner in runners:
            runner.stop()


def test_a_tick_fires_once_with_two_server_processes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"DATAOPS_DATASETS__SCHEDULER_INTERVAL_SECONDS": "0.2"}
    first = start_server(home, env=env)
    second = start_server(home, env=env)
    try:
        token = admin_token(first)
        with sqlite3.connect(home / "files" / "s.db") as db:
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            db.execute("INSERT INTO t VALUES (1)")
        http = httpx.Client(
            base_url=first.url + "/api/v1", headers={"Authorization": f"Bearer {token}"}
        )
        source = http.post(
            "/sources", json={"name": "s", "type": "sqlite", "config": {"path": "s.db"}}
        ).json()
        ds = http.post(
            "/datasets",
            json={
                "name": "every-hour",
                "source_id": source["id"],
                "spec": {"kind": "table", "table": "t"},
                "schedule": {"cron": "0 * * * *"},
            },
        ).json()
        store = sqlite3.connect(home / "metadata.db", timeout=30)
        for round_ in range(4):
            # A tick that is due now (within the misfire grace), distinct each round.
            due = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
            with store:
                store.execute("UPDATE datasets SET next_run_at = ? WHERE id = ?", (due, ds["id"]))
            deadline = time.monotonic() + 30
            while True:
                items = http.get(f"/datasets/{ds['id']}/runs").json()["items"]
                if len(items) == round_ + 1 and items[0]["status"] == "succeeded":
                    break
                assert time.monotonic() < deadline, (
                    round_,
                    [(r["status"], r["error"]) for r in items],
                )
                time.sleep(0.1)
        time.sleep(1)  # give a second firing every chance to show up
        items = http.get(f"/datasets/{ds['id']}/runs").json()["items"]
        assert len(items) == 4
        assert len({r["scheduled_for"] for r in items}) == 4
        assert {r["trigger"] for r in items} == {"schedule"}
        store.close()
        http.close()
    finally:
        first.stop()
        second.stop()
