"""The contract every connector passes: check, discover, preview, read in bounded batches, bad
credentials, unreachable source, timeouts. Each connector type contributes a ``ConnectorCase``
fixture (``<type>_case``) backed by a real server or real files."""

from __future__ import annotations

import dataclasses
import time

import pyarrow as pa
import pytest

from dataops.connectors.base import Connector, ReadStats
from dataops.connectors.errors import (
    ConnectorError,
    SourceAuthError,
    SourceNotFoundError,
    SourceTimeoutError,
    SourceUnreachableError,
)
from dataops.connectors.registry import connector_types, open_connector, parse_settings
from tests.contracts.case import ConnectorCase

CASES = [
    "postgres_case",
    "mysql_case",
    "sqlite_case",
    "csv_case",
    "excel_case",
    "json_case",
    "parquet_case",
    "s3_case",
    "rest_case",
]


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest) -> ConnectorCase:
    value = request.getfixturevalue(request.param)
    assert isinstance(value, ConnectorCase)
    return value


def _open(
    case: ConnectorCase, settings: dict[str, object] | None = None, **context: object
) -> Connector:
    ctx = dataclasses.replace(case.context, **context)  # type: ignore[arg-type]
    return open_connector(
        case.type_name, parse_settings(case.type_name, settings or case.settings), ctx
    )


def test_every_registered_type_has_a_case() -> None:
    assert sorted(connector_types()) == sorted(c.removesuffix("_case") for c in CASES)


def test_check_succeeds(case: ConnectorCase) -> None:
    connector = _open(case)
    try:
        result = connector.check()
    finally:
        connector.close()
    assert result.ok, result.message
    assert result.latency_ms >= 0
    assert result.message


def test_discover_lists_the_object_with_columns(case: ConnectorCase) -> None:
    connector = _open(case)
    try:
        objects = {o.name: o for o in connector.discover()}
    finally:
        connector.close()
    assert case.object_name in objects, sorted(objects)
    found = objects[case.object_name]
    if found.columns is not None:
        assert [c.name for c in found.columns] == case.expected_columns


def test_preview_returns_at_most_n_rows(case: ConnectorCase) -> None:
    connector = _open(case)
    try:
        table = connector.preview(case.spec, 7)
    finally:
        connector.close()
    assert isinstance(table, pa.Table)
    assert table.num_rows == 7
    assert table.column_names == case.expected_columns


def test_read_streams_bounded_batches(case: ConnectorCase) -> None:
    connector = _open(case, batch_rows=100)
    stats = ReadStats()
    try:
        batches = list(connector.read(case.spec, stats=stats))
    finally:
        connector.close()
    assert len(batches) >= 2
    assert all(isinstance(b, pa.RecordBatch) and b.num_rows <= 100 for b in batches)
    assert sum(b.num_rows for b in batches) == case.expected_rows
    assert len({b.schema for b in batches}) == 1
    assert batches[0].schema.names == case.expected_columns
    assert stats.rows == case.expected_rows


def test_bad_credentials_fail_clearly(case: ConnectorCase) -> None:
    if case.bad_credentials is None:
        pytest.skip(f"{case.type_name} has no credentials")
    connector = _open(case, case.bad_credentials)
    try:
        result = connector.check()
        assert not result.ok
        assert result.message
        with pytest.raises(SourceAuthError):
            connector.preview(case.spec, 5)
    finally:
        connector.close()


def test_unreachable_source_fails_clearly(case: ConnectorCase) -> None:
    assert case.unreachable is not None
    connector = _open(case, case.unreachable)
    try:
        started = time.monotonic()
        result = connector.check()
        assert not result.ok and result.message
        with pytest.raises((SourceUnreachableError, SourceNotFoundError)):
            connector.preview(case.spec, 5)
        assert time.monotonic() - started < case.context.timeout_seconds * 2 + 5
    finally:
        connector.close()


def test_silent_server_times_out(case: ConnectorCase) -> None:
    if case.silent is None:
        pytest.skip(f"{case.type_name} reads local files: nothing to time out")
    connector = _open(case, case.silent, timeout_seconds=1.0)
    try:
        started = time.monotonic()
        result = connector.check()
        assert not result.ok and "time" in result.message.lower()
        with pytest.raises((SourceTimeoutError, ConnectorError)):
            connector.preview(case.spec, 5)
        assert time.monotonic() - started < 10
    finally:
        connector.close()
