"""schemathesis over the OpenAPI document: generated requests never produce a 5xx, responses
match their documented status codes, and invalid data is rejected."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, status_code_conformance

from dataops.api.openapi import openapi_document
from tests.conftest import Account, login

OPERATIONS = [
    f"{method.upper()} {path}"
    for path, item in openapi_document()["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]


@pytest.fixture
def bearer(app: FastAPI, admin: Account) -> dict[str, str]:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        secret = login(client, admin).post("/api/v1/tokens", json={"name": "fuzz"}).json()["secret"]
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_server_errors(app: FastAPI, bearer: dict[str, str], operation: str) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=bearer)
    method, path = operation.split(" ", 1)
    api_operation = schema[path][method]

    @given(case=api_operation.as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(
            headers=bearer,
            checks=[not_a_server_error, status_code_conformance, negative_data_rejection],
        )

    run()
