"""S3 against a real emulator (moto, credentials checked): every format, globs, errors, policy."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from dataops.connectors.base import ConnectorContext, FileSpec, ObjectKind, ReadStats
from dataops.connectors.errors import (
    EndpointRefusedError,
    InvalidSpecError,
    SourceAuthError,
    SourceNotFoundError,
    SourceTimeoutError,
)
from dataops.connectors.s3 import S3Connector, S3Settings
from tests.contracts.cases_files import orders_table, write_csv, write_jsonl, write_xlsx
from tests.fixtures.moto import MotoServer

CONTEXT = ConnectorContext(allow_private_endpoints=True, timeout_seconds=5.0, batch_rows=100)


@pytest.fixture
def bucket(moto_server: MotoServer, tmp_path: Path) -> str:
    """A bucket holding the same 300 orders in every format, and a glob of monthly CSVs."""
    name = moto_server.create_bucket()
    table = orders_table()
    pq.write_table(table, tmp_path / "o.parquet", row_group_size=64)
    files = {
        "in/orders.csv": write_csv(tmp_path / "o.csv", table),
        "in/orders.jsonl": write_jsonl(tmp_path / "o.jsonl", table),
        "in/orders.parquet": tmp_path / "o.parquet",
        "in/orders.xlsx": write_xlsx(tmp_path / "o.xlsx", {"orders": table}),
    }
    for month, start in (("01", 0), ("02", 100), ("03", 200)):
        files[f"in/2024/{month}.csv"] = write_csv(
            tmp_path / f"{month}.csv", orders_table(100, start)
        )
    files["in/2024/.tmp.csv"] = write_csv(tmp_path / "tmp.csv", orders_table(5))
    files["outside/secret.csv"] = write_csv(tmp_path / "secret.csv", orders_table(3))
    for key, path in files.items():
        moto_server.put(name, key, path)
    return name


def settings(moto_server: MotoServer, bucket: str, **overrides: Any) -> dict[str, Any]:
    return {
        "bucket": bucket,
        "prefix": "in",
        "endpoint_url": moto_server.endpoint_url,
        "access_key_id": moto_server.access_key_id,
        "secret_access_key": moto_server.secret_access_key,
        "format": "csv",
        **overrides,
    }


def s3(config: dict[str, Any], context: ConnectorContext = CONTEXT) -> S3Connector:
    return S3Connector(S3Settings.model_validate(config), context)


@pytest.mark.parametrize(
    ("fmt", "path"),
    [
        ("csv", "orders.csv"),
        ("jsonl", "orders.jsonl"),
        ("parquet", "orders.parquet"),
        ("excel", "orders.xlsx"),
    ],
)
def test_every_format_reads_the_same_rows(
    moto_server: MotoServer, bucket: str, fmt: str, path: str
) -> None:
    source = s3(settings(moto_server, bucket, format=fmt))
    stats = ReadStats()
    try:
        batches = list(source.read(FileSpec(path=path), stats=stats))
        preview = source.preview(FileSpec(path=path), 5)
    finally:
        source.close()
    table = pa.Table.from_batches(batches)
    assert table.column_names == orders_table(1).column_names
    assert table.column("id").to_pylist() == list(range(300))
    assert str(table.schema.field("ordered_on").type) in ("date32[day]", "timestamp[s]")
    assert max(b.num_rows for b in batches) <= 100
    assert stats.rows == 300 and stats.bytes > 0
    assert preview.num_rows == 5


def test_a_glob_below_the_prefix_reads_all_matches(moto_server: MotoServer, bucket: str) -> None:
    source = s3(settings(moto_server, bucket))
    try:
        table = pa.Table.from_batches(list(source.read(FileSpec(path="2024/*.csv"))))
    finally:
        source.close()
    assert table.column("id").to_pylist() == list(range(300))  # the hidden .tmp.csv is skipped


def test_discover_lists_objects_of_the_format(moto_server: MotoServer, bucket: str) -> None:
    source = s3(settings(moto_server, bucket, format="excel"))
    try:
        objects = source.discover()
    finally:
        source.close()
    assert [(o.name, o.kind) for o in objects] == [("orders.xlsx#orders", ObjectKind.SHEET)]


def test_paths_cannot_leave_the_prefix(moto_server: MotoServer, bucket: str) -> None:
    source = s3(settings(moto_server, bucket))
    try:
        with pytest.raises(EndpointRefusedError, match="leaves the source's folder"):
            source.preview(FileSpec(path="../outside/secret.csv"), 5)
        with pytest.raises(InvalidSpecError, match="relative to the source"):
            source.preview(FileSpec(path=f"s3://{bucket}/outside/secret.csv"), 5)
    finally:
        source.close()


def test_a_missing_bucket_is_named(moto_server: MotoServer, bucket: str) -> None:
    source = s3(settings(moto_server, "no-such-bucket"))
    try:
        result = source.check()
        assert not result.ok
        assert "bucket 'no-such-bucket' does not exist" in result.message
        with pytest.raises(SourceNotFoundError, match="bucket 'no-such-bucket' does not exist"):
            source.preview(FileSpec(path="orders.csv"), 5)
    finally:
        source.close()


def test_a_missing_key_or_empty_glob_is_named(moto_server: MotoServer, bucket: str) -> None:
    source = s3(settings(moto_server, bucket))
    try:
        with pytest.raises(SourceNotFoundError, match=rf"'s3://{bucket}/in/nope.csv' does not"):
            source.preview(FileSpec(path="nope.csv"), 5)
        with pytest.raises(SourceNotFoundError, match=r"no objects match '2031/\*\.csv'"):
            source.preview(FileSpec(path="2031/*.csv"), 5)
    finally:
        source.close()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"secret_access_key": "wrong-secret"}, "secret access key does not match"),
        ({"access_key_id": "AKIANOTAKEY000000000"}, "access key id is not known"),
    ],
)
def test_refused_credentials_are_auth_errors(
    moto_server: MotoServer, bucket: str, overrides: dict[str, Any], reason: str
) -> None:
    source = s3(settings(moto_server, bucket, **overrides))
    try:
        result = source.check()
        assert not result.ok and reason in result.message
        with pytest.raises(SourceAuthError, match=reason):
            source.preview(FileSpec(path="orders.csv"), 5)
    finally:
        source.close()


def test_without_keys_requests_are_anonymous_not_the_servers_identity(
    moto_server: MotoServer, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Valid keys in the server's environment must not be picked up by a source without keys.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", moto_server.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", moto_server.secret_access_key)
    source = s3(settings(moto_server, bucket, access_key_id=None, secret_access_key=None))
    try:
        assert not source.check().ok  # moto answers unsigned requests with an error
        authenticated = s3(settings(moto_server, bucket))
        assert authenticated.check().ok
        authenticated.close()
    finally:
        source.close()


def test_secrets_never_reach_messages_or_logs(
    moto_server: MotoServer, bucket: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "wrong-but-secret-value-123"
    source = s3(settings(moto_server, bucket, secret_access_key=secret, session_token="tok-456"))
    try:
        message = source.check().message
        with pytest.raises(SourceAuthError) as caught:
            source.preview(FileSpec(path="orders.csv"), 5)
    finally:
        source.close()
    for text in (message, caught.value.message, caplog.text, repr(source.settings)):
        assert secret not in text and "tok-456" not in text


def test_a_silent_endpoint_times_out(moto_server: MotoServer, blackhole_port: int) -> None:
    config = settings(moto_server, "any-bucket", endpoint_url=f"http://127.0.0.1:{blackhole_port}")
    source = s3(config, ConnectorContext(allow_private_endpoints=True, timeout_seconds=0.5))
    try:
        result = source.check()
        assert not result.ok and "did not answer within 0.5 s (timed out)" in result.message
        started = time.monotonic()
        with pytest.raises(SourceTimeoutError):
            source.preview(FileSpec(path="x.csv"), 5)
        assert time.monotonic() - started < 1.5  # one attempt: the timeout is the timeout
    finally:
        source.close()


def test_a_loopback_endpoint_needs_private_endpoints_allowed(
    moto_server: MotoServer, bucket: str
) -> None:
    source = s3(settings(moto_server, bucket), ConnectorContext())
    try:
        result = source.check()
        assert not result.ok and "internal address 127.0.0.1" in result.message
        with pytest.raises(EndpointRefusedError, match="allow private endpoints"):
            source.preview(FileSpec(path="orders.csv"), 5)
    finally:
        source.close()


@pytest.mark.parametrize("allow_private", [False, True])
def test_the_metadata_address_is_always_refused(allow_private: bool) -> None:
    config = {"bucket": "b-x", "format": "csv", "endpoint_url": "http://169.254.169.254/latest"}
    source = s3(config, ConnectorContext(allow_private_endpoints=allow_private))
    result = source.check()
    assert not result.ok and "instance-metadata address" in result.message
    with pytest.raises(EndpointRefusedError, match="instance-metadata"):
        source.preview(FileSpec(path="x.csv"), 5)


def test_settings_validate_the_key_pair_and_keep_secrets_secret() -> None:
    with pytest.raises(ValidationError, match="give both access_key_id and secret_access_key"):
        S3Settings.model_validate({"bucket": "b-x", "format": "csv", "access_key_id": "AKIA1"})
    parsed = S3Settings.model_validate(
        {"bucket": "b-x", "format": "csv", "access_key_id": "A", "secret_access_key": "s3cr3t"}
    )
    assert "s3cr3t" not in json.dumps(parsed.model_dump(mode="json"))
