"""The DuckDB session scans registered Arrow data and nothing else: no files, network or config."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pytest

from dataops.engine.session import connect, session


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with session(threads=1) as connection:
        yield connection


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_registered_arrow_objects_are_queryable(con: duckdb.DuckDBPyConnection) -> None:
    table = pa.table({"x": [1, 2, 3], 'name with "quote"': ["a", "b", "c"]})
    con.register("t", table)
    con.register("d", pads.dataset(table))
    con.register("r", pa.RecordBatchReader.from_batches(table.schema, table.to_batches()))
    assert _scalar(con, "SELECT sum(x) FROM t") == 6
    assert _scalar(con, "SELECT sum(x) FROM d WHERE x > 1") == 5
    assert _scalar(con, 'SELECT string_agg("name with ""quote""", \'\') FROM r') == "abc"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_parquet('https://example.com/x.parquet')",
        "INSTALL httpfs",
        "LOAD httpfs",
    ],
)
def test_file_network_and_extension_access_is_refused(
    con: duckdb.DuckDBPyConnection, sql: str
) -> None:
    with pytest.raises(duckdb.PermissionException):
        con.execute(sql)


@pytest.mark.parametrize(
    "template",
    [
        "COPY (SELECT 1 AS x) TO '{path}'",
        "ATTACH '{path}' AS other",
        "EXPORT DATABASE '{path}'",
    ],
)
def test_nothing_is_written_to_disk(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, template: str
) -> None:
    target = tmp_path / "out"
    with pytest.raises(duckdb.PermissionException):
        con.execute(template.format(path=target))
    assert not target.exists()


@pytest.mark.parametrize(
    "sql",
    [
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "SET autoload_known_extensions = true",
        "SET memory_limit = '100GB'",
        "SET TimeZone = 'Europe/Paris'",
    ],
)
def test_configuration_is_locked(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    with pytest.raises(duckdb.InvalidInputException):
        con.execute(sql)


def test_python_variables_are_not_scanned(con: duckdb.DuckDBPyConnection) -> None:
    secret_table = pa.table({"x": [1]})
    assert secret_table.num_rows == 1
    with pytest.raises(duckdb.CatalogException):
        con.execute("SELECT * FROM secret_table")


def test_settings() -> None:
    with session(memory_limit="256MB", threads=1) as con:
        assert _scalar(con, "SELECT current_setting('threads')") == 1
        assert _scalar(con, "SELECT current_setting('memory_limit')") == "244.1 MiB"
        assert _scalar(con, "SELECT current_setting('TimeZone')") == "UTC"
        assert _scalar(con, "SELECT current_setting('enable_progress_bar')") is False
        assert _scalar(con, "SELECT current_setting('autoinstall_known_extensions')") is False
        assert _scalar(con, "SELECT current_setting('autoload_known_extensions')") is False


def test_timestamps_with_zone_come_back_in_utc(con: duckdb.DuckDBPyConnection) -> None:
    text = _scalar(con, "SELECT (TIMESTAMPTZ '2024-06-01 12:00:00+02:00')::VARCHAR")
    assert text == "2024-06-01 10:00:00+00"


def test_session_closes_the_connection() -> None:
    with session(threads=1) as con:
        assert _scalar(con, "SELECT 1") == 1
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")


def test_invalid_threads() -> None:
    with pytest.raises(ValueError, match="threads"):
        connect(threads=0)


def test_spills_to_a_private_directory_removed_on_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # DuckDB's default would be ./.tmp
    con = connect(memory_limit="32MB", threads=1)
    try:
        spill = Path(str(_scalar(con, "SELECT current_setting('temp_directory')")))
        assert spill.parent.stat().st_mode & 0o777 == 0o700
        sql = "SELECT count(DISTINCT md5(i::VARCHAR)) FROM range(1000000) t(i)"
        assert _scalar(con, sql) == 1_000_000
        assert spill.is_dir()  # it did spill, and not into the working directory
        assert list(tmp_path.iterdir()) == []
    finally:
        con.close()
    assert not spill.exists()


def test_refuses_a_shared_spill_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    shared = tmp_path / f"dataops-duckdb-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    with pytest.raises(RuntimeError, match="not a private directory"):
        connect()
    shared.rmdir()
    shared.symlink_to(tmp_path)
    with pytest.raises(RuntimeError, match="not a private directory"):
        connect()
