"""Datasets through the API against real sources; runs execute in the app's runner threads."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dataops.auth.permissions import Role
from dataops.core.settings import Settings
from dataops.http.context import AppContext
from tests.conftest import Account, add_user, login, make_settings
from tests.fixtures.moto import MotoServer

FINAL = {"succeeded", "failed", "cancelled"}


def s3_lake(moto: MotoServer) -> dict[str, Any]:
    """Lake settings for a fresh bucket on the S3 emulator."""
    bucket = moto.create_bucket("lake")
    return {
        "uri": f"s3://{bucket}/lake",
        "s3_endpoint_url": moto.endpoint_url,
        "s3_access_key_id": moto.access_key_id,
        "s3_secret_access_key": moto.secret_access_key,
        "s3_allow_http": True,
    }


@pytest.fixture(params=["local", "s3"])
def lake_kind(request: pytest.FixtureRequest) -> str:
    """Every dataset test runs on a local lake and on the S3 emulator."""
    return str(request.param)


@pytest.fixture
def settings(tmp_path: Path, lake_kind: str, request: pytest.FixtureRequest) -> Settings:
    """Quick runner ticks and retries, so tests wait little."""
    lake = s3_lake(request.getfixturevalue("moto_server")) if lake_kind == "s3" else {}
    return make_settings(
        tmp_path / "home",
        lake=lake,
        sources={"preview_max_rows": 5000, "allow_private_endpoints": True},
        datasets={"scheduler_interval_seconds": 0.2, "retry_base_seconds": 0.05},
    )


@pytest.fixture
def engineer(ctx: AppContext) -> Account:
    return add_user(ctx, "eng", Role.ENGINEER)


@pytest.fixture
def eng(app: FastAPI, engineer: Account) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield login(client, engineer)


@pytest.fixture
def files_root(ctx: AppContext) -> Path:
    root = ctx.settings.file_roots[0]
    root.mkdir(parents=True, exist_ok=True)
    return root


def create_source(client: TestClient, name: str, type_name: str, config: dict[str, Any]) -> str:
    response = client.post(
        "/api/v1/sources", json={"name": name, "type": type_name, "config": config}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def create_dataset(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/datasets", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def wait_run(
    client: TestClient, dataset_id: str, run_id: str, timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run = client.get(f"/api/v1/datasets/{dataset_id}/runs/{run_id}").json()
        if run["status"] in FINAL:
            return dict(run)
        if time.monotonic() > deadline:
            raise AssertionError(f"run still {run['status']} after {timeout}s: {run}")
        time.sleep(0.1)


def run_dataset(client: TestClient, dataset_id: str, expect: str = "succeeded") -> dict[str, Any]:
    response = client.post(f"/api/v1/datasets/{dataset_id}/runs")
    assert response.status_code == 202, response.text
    run = wait_run(client, dataset_id, response.json()["id"])
    assert run["status"] == expect, (run["error"], run["error_code"])
    return run


def lake_rows(client: TestClient, dataset_id: str, limit: int = 1000) -> list[list[Any]]:
    response = client.get(f"/api/v1/datasets/{dataset_id}/data", params={"limit": limit})
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


def wait_profile(client: TestClient, dataset_id: str, version: int) -> dict[str, Any]:
    """The dataset's profile once it covers ``version`` (computed right after the run ends)."""
    deadline = time.monotonic() + 30
    while True:
        response = client.get(f"/api/v1/datasets/{dataset_id}/profile")
        if response.status_code == 200 and response.json()["lake_version"] == version:
            return dict(response.json())
        assert time.monotonic() < deadline, response.text
        time.sleep(0.05)
