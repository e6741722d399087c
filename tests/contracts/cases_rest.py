"""The REST connector's contract case: the local test API, behind a bearer token, offset-paged."""

from __future__ import annotations

from typing import Any

import pytest

from dataops.connectors.base import ConnectorContext, EndpointSpec
from tests.contracts.case import ConnectorCase
from tests.fixtures.ports import free_port
from tests.fixtures.rest_server import BEARER_TOKEN, COLUMNS, RECORD_COUNT, RestServer


def rest_settings(base_url: str, token: str = BEARER_TOKEN) -> dict[str, Any]:
    return {
        "base_url": base_url,
        "auth": {"type": "bearer", "token": token},
        "pagination": {"type": "offset"},
        "page_size": 50,
        "records_path": "data",
        "endpoints": [{"name": "items", "path": "offset"}],
    }


@pytest.fixture
def rest_case(rest_server: RestServer, blackhole_port: int) -> ConnectorCase:
    rest_server.reset()
    return ConnectorCase(
        type_name="rest",
        settings=rest_settings(f"{rest_server.url}/bearer"),
        spec=EndpointSpec(path="offset"),
        expected_rows=RECORD_COUNT,
        expected_columns=COLUMNS,
        object_name="items",
        bad_credentials=rest_settings(f"{rest_server.url}/bearer", token="wrong-token"),
        unreachable=rest_settings(f"http://127.0.0.1:{free_port()}/bearer"),
        silent=rest_settings(f"http://127.0.0.1:{blackhole_port}/bearer"),
        context=ConnectorContext(allow_private_endpoints=True),
    )
