"""The SQL connectors refuse what could write or escape, before the server sees it where they
can, and the servers' own read-only transactions and time limits catch the rest."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from dataops.connectors.base import (
    Connector,
    ConnectorContext,
    FileSpec,
    QuerySpec,
    ReadSpec,
    TableSpec,
)
from dataops.connectors.errors import (
    ConnectorError,
    EndpointRefusedError,
    InvalidSpecError,
    SourceAuthError,
    SourceDataError,
    SourceNotFoundError,
    SourceTimeoutError,
)
from dataops.connectors.mysql import MySQLSettings
from dataops.connectors.postgres import PostgresSettings
from dataops.connectors.registry import open_connector, parse_settings
from dataops.connectors.sql_source import parse_object_name, render_object_name
from tests.contracts.case import ConnectorCase
from tests.contracts.cases_db import postgres_admin
from tests.fixtures.mariadb import MariaDBServer
from tests.fixtures.ports import free_port
from tests.fixtures.postgres import PostgresServer

ENGINES = ["postgres", "mysql", "sqlite"]
QUOTES = {"postgres": '"', "mysql": "`", "sqlite": '"'}

WRITES = [
    "INSERT INTO orders VALUES (1)",
    "UPDATE orders SET paid = 1",
    "DELETE FROM orders",
    "DROP TABLE orders",
    "CREATE TABLE x (a int)",
    "ALTER TABLE orders ADD COLUMN b int",
    "TRUNCATE TABLE orders",
    "GRANT SELECT ON orders TO someone",
    "SELECT 1; DROP TABLE orders",
    "SELECT 1; SELECT 2",
    "SELECT * FROM orders FOR UPDATE",
]
WRITES_BY_ENGINE = {
    "postgres": [
        "SELECT * INTO copy FROM orders",
        "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d",
        "COPY orders TO '/tmp/x'",
        "SET default_transaction_read_only = off",
        "SELECT * FROM orders FOR SHARE",
        "LOCK TABLE orders",
    ],
    "mysql": [
        "SELECT * INTO @x FROM orders",
        "SELECT * FROM orders INTO OUTFILE '/tmp/x'",
        "REPLACE INTO orders VALUES (1)",
        "LOCK TABLES orders READ",
        "SELECT * FROM orders LOCK IN SHARE MODE",
        "LOAD DATA INFILE '/tmp/x' INTO TABLE orders",
        "SET SESSION TRANSACTION READ WRITE",
    ],
    "sqlite": [
        "ATTACH DATABASE '/tmp/x.db' AS x",
        "PRAGMA writable_schema = 1",
        "INSERT OR REPLACE INTO orders VALUES (1)",
        "VACUUM",
    ],
}
INJECTED_NAMES = [
    "orders; drop table x",
    "orders -- comment",
    "orders where 1=1",
    "orders)",
    "orders()",
    "(select 1)",
    "a.b.c",
    " orders",
    'orders"',
    "public.",
]


def _nowhere(engine: str, tmp_path: Path) -> Connector:
    """A connector pointing at nothing: a closed port, a missing file."""
    context = ConnectorContext(timeout_seconds=2, allowed_roots=(tmp_path,))
    if engine == "sqlite":
        settings: dict[str, object] = {"path": "missing.db"}
    else:
        settings = {"host": "127.0.0.1", "port": free_port(), "database": "db", "user": "u"}
    return open_connector(engine, parse_settings(engine, settings), context)


def _refused(connector: Connector, spec: ReadSpec) -> InvalidSpecError:
    with pytest.raises(InvalidSpecError) as preview_refusal:
        connector.preview(spec, 5)
    with pytest.raises(InvalidSpecError):
        connector.read(spec)  # refused on the call, before the first batch is asked for
    return preview_refusal.value


@pytest.mark.parametrize(
    ("engine", "sql"),
    [(e, q) for e in ENGINES for q in WRITES + WRITES_BY_ENGINE[e]],
)
def test_writing_queries_are_refused_before_reaching_the_server(
    engine: str, sql: str, tmp_path: Path
) -> None:
    error = _refused(_nowhere(engine, tmp_path), QuerySpec(sql=sql))
    assert error.field == "body.spec.sql"
    assert any(
        phrase in error.message
        for phrase in ("read-only", "exactly one SQL statement", "FOR UPDATE", "does not parse")
    ), error.message


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", INJECTED_NAMES)
def test_injected_table_names_are_refused_before_reaching_the_server(
    engine: str, name: str, tmp_path: Path
) -> None:
    error = _refused(_nowhere(engine, tmp_path), TableSpec(table=name))
    assert error.field == "body.spec.table"
    assert "not a table name" in error.message


@pytest.mark.parametrize("engine", ENGINES)
def test_other_spec_kinds_are_refused(engine: str, tmp_path: Path) -> None:
    _refused(_nowhere(engine, tmp_path), FileSpec(path="orders.csv"))


@given(
    schema=st.none() | st.text(min_size=1).filter(lambda s: "\x00" not in s),
    name=st.text(min_size=1).filter(lambda s: "\x00" not in s),
    quote=st.sampled_from(['"', "`"]),
)
def test_every_name_discover_renders_parses_back_to_itself(
    schema: str | None, name: str, quote: str
) -> None:
    parsed = parse_object_name(render_object_name(schema, name, quote), quote)
    assert (parsed.schema, parsed.name) == (schema, name)


# --- against the real servers ---------------------------------------------------------------


def _open(case: ConnectorCase, **settings: object) -> Connector:
    values = {**case.settings, **settings}
    return open_connector(case.type_name, parse_settings(case.type_name, values), case.context)


@pytest.mark.parametrize("case_name", ["postgres_case", "mysql_case", "sqlite_case"])
def test_a_name_that_only_looks_like_injection_is_looked_up_never_run(
    case_name: str, request: pytest.FixtureRequest
) -> None:
    case: ConnectorCase = request.getfixturevalue(case_name)
    connector = _open(case)
    quote = QUOTES[case.type_name]
    with pytest.raises(SourceNotFoundError):
        connector.preview(TableSpec(table=f"{quote}orders; drop table orders{quote}"), 1)
    assert connector.preview(case.spec, 500).num_rows == case.expected_rows


def test_postgres_select_that_writes_through_a_function_is_stopped_by_the_server(
    postgres_case: ConnectorCase, postgres_server: PostgresServer
) -> None:
    database = str(postgres_case.settings["database"])
    with postgres_admin(postgres_server, database) as admin:
        admin.execute("CREATE TABLE IF NOT EXISTS sneaky (n int)")
        admin.execute(
            "CREATE OR REPLACE FUNCTION sneak() RETURNS int LANGUAGE sql AS "
            "'INSERT INTO sneaky VALUES (1) RETURNING n'"
        )
    # As the superuser: grants would not stop it, only the read-only transaction does.
    connector = _open(postgres_case, user=postgres_server.user, password=None)
    for sql in (
        "SELECT sneak()",
        "SELECT set_config('transaction_read_only', 'off', true), sneak()",
        "SELECT set_config('default_transaction_read_only', 'off', false), sneak()",
    ):
        # Refused by the validator (set_config) or, failing that, by the read-only transaction.
        with pytest.raises(InvalidSpecError, match=r"only reads are allowed|is not allowed"):
            connector.preview(QuerySpec(sql=sql), 1)
    with postgres_admin(postgres_server, database) as admin:
        assert admin.execute("SELECT count(*) FROM sneaky").fetchone() == (0,)


def test_mysql_select_that_writes_through_a_function_is_stopped_by_the_server(
    mysql_case: ConnectorCase, mariadb_server: MariaDBServer
) -> None:
    database = str(mysql_case.settings["database"])
    with mariadb_server.admin(database) as admin, admin.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS sneaky (n INT)")
        cursor.execute(
            "CREATE OR REPLACE FUNCTION sneak() RETURNS INT MODIFIES SQL DATA "
            "BEGIN INSERT INTO sneaky VALUES (1); RETURN 1; END"
        )
    connector = _open(mysql_case)  # this user has every privilege: only the transaction stops it
    with pytest.raises(InvalidSpecError, match="only reads are allowed"):
        connector.preview(QuerySpec(sql="SELECT sneak()"), 1)
    with mariadb_server.admin(database) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sneaky")
        assert cursor.fetchone() == (0,)


@pytest.mark.parametrize(
    ("case_name", "sql"),
    [
        ("postgres_case", "SELECT pg_sleep(30)"),
        ("mysql_case", "SELECT SLEEP(30)"),
        (
            "sqlite_case",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
            "SELECT count(*) FROM r",
        ),
    ],
)
def test_long_statements_are_cancelled_by_the_timeout(
    case_name: str, sql: str, request: pytest.FixtureRequest
) -> None:
    case: ConnectorCase = request.getfixturevalue(case_name)
    values = case.settings
    connector = open_connector(
        case.type_name,
        parse_settings(case.type_name, values),
        ConnectorContext(timeout_seconds=1, allowed_roots=case.context.allowed_roots),
    )
    started = time.monotonic()
    with pytest.raises(SourceTimeoutError, match="timed out"):
        connector.preview(QuerySpec(sql=sql), 1)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("case_name", ["postgres_case", "mysql_case"])
def test_passwords_never_reach_messages_or_logs(
    case_name: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    case: ConnectorCase = request.getfixturevalue(case_name)
    caplog.set_level(logging.DEBUG)
    good, wrong = str(case.settings["password"]), "Wr0ng 'pass\" word"
    messages = []
    for settings in ({"password": wrong}, {"port": free_port(), "password": wrong}):
        connector = _open(case, **settings)
        result = connector.check()
        assert not result.ok
        messages.append(result.message)
        with pytest.raises(Exception) as raised:  # noqa: PT011 - any connector error
            connector.preview(case.spec, 1)
        messages += [str(raised.value), repr(raised.value.__cause__)]
    assert "authentication failed for user" in messages[0]
    assert "connection refused at 127.0.0.1:" in messages[3]
    text = "\n".join(messages) + caplog.text
    assert wrong not in text and good not in text
    settings_repr = repr(parse_settings(case.type_name, case.settings))
    assert good not in settings_repr


def test_wrong_password_is_an_auth_error(postgres_case: ConnectorCase) -> None:
    assert postgres_case.bad_credentials is not None
    connector = _open(postgres_case, **postgres_case.bad_credentials)
    with pytest.raises(SourceAuthError, match=r"authentication failed for user dataops_reader"):
        connector.preview(postgres_case.spec, 1)


@pytest.mark.parametrize("case_name", ["postgres_case", "mysql_case"])
def test_tls_required_but_not_offered_is_named(
    case_name: str, request: pytest.FixtureRequest
) -> None:
    case: ConnectorCase = request.getfixturevalue(case_name)
    option = {"sslmode": "require"} if case.type_name == "postgres" else {"ssl_mode": "required"}
    result = _open(case, **option).check()
    assert not result.ok
    assert "TLS" in result.message


@pytest.mark.parametrize("settings_model", [PostgresSettings, MySQLSettings])
@pytest.mark.parametrize("host", ["/var/run/postgresql", "@abstract", "a,b", "host name", ""])
def test_hosts_must_be_network_hosts(settings_model: type, host: str) -> None:
    # A socket path would connect to *our* machine as *our* OS user.
    with pytest.raises(ValidationError):
        settings_model.model_validate({"host": host, "database": "d", "user": "u"})


# --- SQLite files ----------------------------------------------------------------------------


@pytest.fixture
def sqlite_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    with sqlite3.connect(root / "inside.db") as connection:
        connection.execute("CREATE TABLE orders (id INTEGER, amount INTEGER)")
        connection.execute("INSERT INTO orders VALUES (1, 10), (2, 'ten')")
    connection.close()
    outside = tmp_path / "outside.db"
    with sqlite3.connect(outside) as connection:
        connection.execute("CREATE TABLE secrets (s TEXT)")
    connection.close()
    (root / "escape.db").symlink_to(outside)
    return root


def _sqlite(root: Path, path: str) -> Connector:
    context = ConnectorContext(timeout_seconds=2, allowed_roots=(root,))
    return open_connector("sqlite", parse_settings("sqlite", {"path": path}), context)


@pytest.mark.parametrize("path", ["../outside.db", "escape.db", "/etc/passwd", "/"])
def test_sqlite_paths_outside_the_root_are_refused(sqlite_root: Path, path: str) -> None:
    with pytest.raises(EndpointRefusedError, match="outside the allowed file roots"):
        _sqlite(sqlite_root, path)


def test_sqlite_file_swapped_for_an_escaping_symlink_is_refused(
    sqlite_root: Path, tmp_path: Path
) -> None:
    connector = _sqlite(sqlite_root, "inside.db")
    assert connector.check().ok
    (sqlite_root / "inside.db").unlink()
    (sqlite_root / "inside.db").symlink_to(tmp_path / "outside.db")
    result = connector.check()
    assert not result.ok and "outside the allowed file roots" in result.message
    with pytest.raises(EndpointRefusedError):
        connector.preview(TableSpec(table="secrets"), 1)


@pytest.mark.parametrize(
    "sql", ["SELECT load_extension('/tmp/evil')", "SELECT * FROM pragma_database_list"]
)
def test_sqlite_authorizer_refuses_what_the_parser_lets_through(
    sqlite_root: Path, sql: str
) -> None:
    with pytest.raises(InvalidSpecError, match=r"not authorized|is not allowed"):
        _sqlite(sqlite_root, "inside.db").preview(QuerySpec(sql=sql), 1)


def test_sqlite_value_that_breaks_its_declared_type_is_refused_clearly(
    sqlite_root: Path,
) -> None:
    connector = _sqlite(sqlite_root, "inside.db")
    with pytest.raises(SourceDataError, match="CAST"):
        connector.preview(TableSpec(table="orders"), 5)
    table = connector.preview(
        QuerySpec(sql="SELECT id, CAST(amount AS TEXT) AS amount FROM orders"), 5
    )
    assert table.column("amount").to_pylist() == ["10", "ten"]


@pytest.mark.parametrize("case_name", ["postgres_case", "mysql_case"])
def test_check_names_the_cause(
    case_name: str, request: pytest.FixtureRequest, blackhole_port: int
) -> None:
    case: ConnectorCase = request.getfixturevalue(case_name)
    unknown = _open(case, host="no-such-host.invalid").check()
    assert not unknown.ok and unknown.message == "cannot resolve host no-such-host.invalid"
    context = ConnectorContext(timeout_seconds=1)
    silent = open_connector(
        case.type_name,
        parse_settings(case.type_name, {**case.settings, "port": blackhole_port}),
        context,
    ).check()
    assert not silent.ok and silent.message.startswith("timed out after 1s")
    assert silent.latency_ms < 4000


@pytest.mark.parametrize("case_name", ["postgres_case", "mysql_case", "sqlite_case"])
def test_closing_the_connector_stops_a_read_in_progress(
    case_name: str, request: pytest.FixtureRequest
) -> None:
    case: ConnectorCase = request.getfixturevalue(case_name)
    connector = open_connector(
        case.type_name,
        parse_settings(case.type_name, case.settings),
        ConnectorContext(batch_rows=10, allowed_roots=case.context.allowed_roots),
    )
    batches = connector.read(case.spec)
    assert next(batches).num_rows == 10
    connector.close()
    with pytest.raises(ConnectorError, match="connector was closed"):
        next(batches)
    assert connector.check().ok  # a closed connector opens a fresh session when asked again
