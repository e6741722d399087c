"""Ontology through the API: real CSV datasets extracted into a local lake, syncs executed by the
app's sync runner."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dataops.auth.permissions import Role
from dataops.core.classification import Classification
from dataops.core.settings import Settings
from dataops.http.context import AppContext
from tests.conftest import Account, add_user, login, make_settings
from tests.datasets.conftest import create_dataset, create_source, run_dataset

FINAL = {"succeeded", "failed", "cancelled"}

AIRCRAFT_CSV = """tail_number,mfr,model_name,build_yr,active,operator_code,seats
N12345,Boeing,737-800,2015,true,UA,160
N67890,Airbus,A320-200,2018,true,DL,150
N11111,Embraer,E175,19x5,false,UA,76
N22222,Boeing,787-9,2019,,,290
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path / "home",
        datasets={"scheduler_interval_seconds": 0.2, "retry_base_seconds": 0.05},
    )


@pytest.fixture
def engineer(ctx: AppContext) -> Account:
    return add_user(ctx, "eng", Role.ENGINEER, Classification.S)


@pytest.fixture
def eng(app: FastAPI, engineer: Account) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield login(client, engineer)


@pytest.fixture
def analyst(app: FastAPI, ctx: AppContext) -> Iterator[TestClient]:
    account = add_user(ctx, "ana", Role.ANALYST, Classification.U)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield login(client, account)


@pytest.fixture
def aircraft_dataset(eng: TestClient, ctx: AppContext) -> dict[str, Any]:
    """A CSV dataset of aircraft, extracted once (version 0)."""
    root = ctx.settings.file_roots[0]
    root.mkdir(parents=True, exist_ok=True)
    (root / "aircraft.csv").write_text(AIRCRAFT_CSV)
    source = create_source(eng, "files", "csv", {"root": str(root)})
    dataset = create_dataset(
        eng, name="aircraft", source_id=source, spec={"kind": "file", "path": "aircraft.csv"}
    )
    run_dataset(eng, dataset["id"])
    return dataset


AIRCRAFT_TYPE = {
    "name": "Aircraft",
    "key_property": "tailNumber",
    "description": "A registered airframe.",
    "properties": [
        {"name": "tailNumber", "kind": "string"},
        {"name": "manufacturer", "kind": "string", "required": True},
        {"name": "model", "kind": "string"},
        {"name": "yearBuilt", "kind": "integer"},
        {"name": "status", "kind": "enum", "enum_values": ["active", "inactive"]},
        {"name": "operator", "kind": "string"},
    ],
}

AIRCRAFT_MAPPING = {
    "tailNumber": {"column": "tail_number"},
    "manufacturer": {"column": "mfr"},
    "model": {"column": "model_name"},
    "yearBuilt": {"column": "build_yr", "transform": "parseInt(value)"},
    "status": {"column": "active", "transform": 'value ? "active" : "inactive"'},
    "operator": {"column": "operator_code", "default": "unknown"},
}


def create_type(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/object-types", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def wait_sync(
    client: TestClient, mapping_id: str, sync_id: str, timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run = client.get(f"/api/v1/mappings/{mapping_id}/syncs/{sync_id}").json()
        if run["status"] in FINAL:
            return dict(run)
        assert time.monotonic() < deadline, f"sync still {run['status']}: {run}"
        time.sleep(0.1)


def sync(client: TestClient, mapping_id: str, expect: str = "succeeded") -> dict[str, Any]:
    response = client.post(f"/api/v1/mappings/{mapping_id}/syncs")
    assert response.status_code == 202, response.text
    run = wait_sync(client, mapping_id, response.json()["id"])
    assert run["status"] == expect, (run["error"], run["error_code"])
    return run
