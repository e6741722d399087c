"""MySQL/MariaDB into Arrow on a real MariaDB: every type's Arrow type and values (NULLs kept),
discover() agreeing with read(), the raw row decoder on long values, watermarks, limits pushed
down, early stops."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from dataops.connectors.base import ConnectorContext, QuerySpec, ReadStats, TableSpec, Watermark
from dataops.connectors.errors import InvalidSpecError, SourceNotFoundError
from dataops.connectors.mysql import MySQLConnector, MySQLSettings
from tests.fixtures.mariadb import MariaDBServer

UTC = dt.UTC
UUID = "5a842bd8-e82c-425f-a46c-2d300d76ce63"
HUGE = 17 * 1024 * 1024  # over 16 MB: split across packets, 8-byte length prefix

# column, declared type, SQL literal, expected Arrow type, expected Python value
TYPES: list[tuple[str, str, str, pa.DataType, Any]] = [
    ("c_decimal", "DECIMAL(12,2)", "12345.67", pa.decimal128(12, 2), Decimal("12345.67")),
    ("c_decimal_wide", "DECIMAL(40,5)", "-123456789012345678901234567890123.12345",
     pa.decimal256(40, 5), Decimal("-123456789012345678901234567890123.12345")),
    ("c_decimal_unsigned", "DECIMAL(10,0) UNSIGNED", "9999999999", pa.decimal128(10, 0),
     Decimal("9999999999")),
    ("c_datetime", "DATETIME", "'2024-01-02 03:04:05'", pa.timestamp("us"),
     dt.datetime(2024, 1, 2, 3, 4, 5)),
    ("c_datetime6", "DATETIME(6)", "'2024-01-02 03:04:05.123456'", pa.timestamp("us"),
     dt.datetime(2024, 1, 2, 3, 4, 5, 123456)),
    # written in a +02:00 session: a TIMESTAMP is an instant, read back in UTC
    ("c_timestamp", "TIMESTAMP(3) NULL", "'2024-01-02 03:04:05.250'",
     pa.timestamp("us", tz="UTC"), dt.datetime(2024, 1, 2, 1, 4, 5, 250000, tzinfo=UTC)),
    ("c_date", "DATE", "'2024-02-29'", pa.date32(), dt.date(2024, 2, 29)),
    ("c_zero_date", "DATE", "'0000-00-00'", pa.date32(), None),
    ("c_time", "TIME", "'-01:30:00'", pa.string(), "-01:30:00"),
    ("c_year", "YEAR", "2024", pa.int16(), 2024),
    ("c_bool", "BOOLEAN", "1", pa.bool_(), True),
    ("c_tinyint1_two", "TINYINT(1)", "2", pa.bool_(), True),  # MySQL truthiness
    ("c_tinyint", "TINYINT", "-128", pa.int8(), -128),
    ("c_tinyint_unsigned", "TINYINT UNSIGNED", "255", pa.uint8(), 255),
    ("c_smallint_unsigned", "SMALLINT UNSIGNED", "65535", pa.uint16(), 65535),
    ("c_mediumint", "MEDIUMINT", "-8388608", pa.int32(), -8388608),
    ("c_int_unsigned", "INT UNSIGNED", "4294967295", pa.uint32(), 4294967295),
    ("c_bigint", "BIGINT", "-9223372036854775808", pa.int64(), -9223372036854775808),
    ("c_bigint_unsigned", "BIGINT UNSIGNED", "18446744073709551615", pa.uint64(),
     18446744073709551615),
    ("c_float", "FLOAT", "1.5", pa.float32(), 1.5),
    ("c_double", "DOUBLE", "2.25", pa.float64(), 2.25),
    ("c_bit1", "BIT(1)", "b'1'", pa.bool_(), True),
    ("c_bit8", "BIT(8)", "b'10000001'", pa.uint64(), 129),
    ("c_json", "JSON", """'{"a": [1, 2]}'""", pa.string(), '{"a": [1, 2]}'),
    ("c_varchar", "VARCHAR(20)", "'héllo ✓ 🎉'", pa.string(), "héllo ✓ 🎉"),
    ("c_char", "CHAR(3)", "'ab'", pa.string(), "ab"),
    ("c_text_600_bytes", "TEXT", "REPEAT('é', 300)", pa.string(), "é" * 300),
    ("c_text_70_kb", "MEDIUMTEXT", "REPEAT('x', 70000)", pa.string(), "x" * 70000),
    ("c_enum", "ENUM('sad','happy')", "'happy'", pa.string(), "happy"),
    ("c_set", "SET('a','b')", "'a,b'", pa.string(), "a,b"),
    ("c_uuid", "UUID", f"'{UUID}'", pa.string(), UUID),
    ("c_blob", "BLOB", "x'00ff10'", pa.binary(), b"\x00\xff\x10"),
    ("c_varbinary", "VARBINARY(8)", "x'0102'", pa.binary(), b"\x01\x02"),
]  # fmt: skip


@pytest.fixture(scope="module")
def database(mariadb_server: MariaDBServer) -> str:
    name = mariadb_server.create_database()
    columns = ", ".join(f"{c} {t}" for c, t, *_ in TYPES)
    values = ", ".join(v for _, _, v, *_ in TYPES)
    with mariadb_server.admin(name) as connection, connection.cursor() as cursor:
        cursor.execute("SET time_zone = '+02:00', sql_mode = ''")  # '' allows zero dates
        cursor.execute(f"CREATE TABLE typed (id INT PRIMARY KEY, {columns})")
        cursor.execute(f"INSERT INTO typed VALUES (1, {values})")
        cursor.execute("INSERT INTO typed (id) VALUES (2)")
        cursor.execute(
            "CREATE TABLE events (id BIGINT PRIMARY KEY, at TIMESTAMP NULL, "
            "amount DECIMAL(10,2), name VARCHAR(20))"
        )
        cursor.execute(
            "INSERT INTO events SELECT seq, TIMESTAMP('2024-01-01 02:00:00') + INTERVAL seq HOUR, "
            "seq * 0.5, CONCAT('event ', LPAD(seq, 4, '0')) FROM seq_1_to_1000"
        )
        cursor.execute("CREATE TABLE huge (v LONGTEXT, id INT)")
        cursor.execute(f"INSERT INTO huge VALUES (REPEAT('y', {HUGE}), 1), (NULL, 2)")
        cursor.execute("CREATE TABLE `odd ``name`` 2024` (`Mixed Case` INT)")
        cursor.execute("INSERT INTO `odd ``name`` 2024` VALUES (7)")
        cursor.execute("CREATE VIEW recent AS SELECT id, name FROM events WHERE id > 990")
        cursor.execute("ANALYZE TABLE events")
    return name


@pytest.fixture
def connector(mariadb_server: MariaDBServer, database: str) -> Iterator[MySQLConnector]:
    settings = MySQLSettings.model_validate(mariadb_server.settings(database))
    connector = MySQLConnector(settings, ConnectorContext(timeout_seconds=5, batch_rows=100))
    yield connector
    connector.close()


def _read_all(connector: MySQLConnector, spec: TableSpec | QuerySpec, **kw: Any) -> pa.Table:
    return pa.Table.from_batches(list(connector.read(spec, **kw)))


@pytest.mark.parametrize("spec", [TableSpec(table="typed"), QuerySpec(sql="SELECT * FROM typed")])
def test_every_type_reads_into_its_arrow_type_with_nulls_kept(
    connector: MySQLConnector, spec: TableSpec | QuerySpec
) -> None:
    table = _read_all(connector, spec).sort_by("id")
    expected = pa.schema([("id", pa.int32())] + [(c, t) for c, _, _, t, _ in TYPES])
    assert table.schema == expected
    first, second = table.to_pylist()
    for column, _, _, _, value in TYPES:
        assert first[column] == value, column
        assert second[column] is None, column


def test_discover_reports_the_types_read_produces(connector: MySQLConnector, database: str) -> None:
    objects = {o.name: o for o in connector.discover()}
    typed = objects[f"{database}.typed"]
    assert typed.columns is not None
    read_schema = connector.preview(TableSpec(table="typed"), 1).schema
    assert [(c.name, c.data_type) for c in typed.columns] == [
        (f.name, str(f.type)) for f in read_schema
    ]
    sources = {c.name: c.source_type for c in typed.columns}
    assert sources["c_decimal"] == "decimal(12,2)"
    assert sources["c_bigint_unsigned"] == "bigint(20) unsigned"
    assert objects[f"{database}.events"].row_count == 1000
    assert objects[f"{database}.recent"].kind == "view"
    assert {o.namespace for o in objects.values()} == {database}


def test_discover_without_a_database_lists_every_user_schema(
    mariadb_server: MariaDBServer, database: str
) -> None:
    settings = MySQLSettings.model_validate(mariadb_server.settings(None))
    connector = MySQLConnector(settings, ConnectorContext(timeout_seconds=5))
    names = {o.name for o in connector.discover()}
    assert f"{database}.events" in names
    assert not {n.split(".")[0] for n in names} & {"mysql", "sys", "information_schema"}
    with pytest.raises(InvalidSpecError, match="schema"):
        connector.preview(TableSpec(table="events"), 1)
    assert connector.preview(TableSpec(table=f"{database}.events"), 1).num_rows == 1


def test_values_over_16_mb_survive_the_raw_row_decoder(connector: MySQLConnector) -> None:
    table = connector.preview(QuerySpec(sql="SELECT v, id FROM huge ORDER BY id"), 5)
    values = table.column("v").to_pylist()
    assert len(values[0]) == HUGE and set(values[0]) == {"y"}
    assert values[1] is None
    assert table.column("id").to_pylist() == [1, 2]


def test_names_from_discover_round_trip_however_odd(
    connector: MySQLConnector, database: str
) -> None:
    odd = f"{database}.`odd ``name`` 2024`"
    assert odd in {o.name for o in connector.discover()}
    assert connector.preview(TableSpec(table=odd), 5).to_pylist() == [{"Mixed Case": 7}]


def test_table_columns_are_chosen_in_the_order_asked(connector: MySQLConnector) -> None:
    table = connector.preview(TableSpec(table="events", columns=["name", "id"]), 2)
    assert table.column_names == ["name", "id"]
    with pytest.raises(InvalidSpecError, match="unknown column"):
        connector.preview(TableSpec(table="events", columns=["nope"]), 2)


def test_missing_table_is_not_found(connector: MySQLConnector) -> None:
    with pytest.raises(SourceNotFoundError, match="discover"):
        connector.preview(TableSpec(table="nope"), 1)


def test_preview_pushes_the_limit_down(connector: MySQLConnector) -> None:
    started = time.monotonic()
    # A hundred million rows: only a pushed-down LIMIT makes this quick.
    table = connector.preview(QuerySpec(sql="SELECT seq FROM seq_1_to_100000000"), 3)
    assert table.column("seq").to_pylist() == [1, 2, 3]
    table = connector.preview(TableSpec(table="events"), 0)
    assert table.num_rows == 0 and table.column_names == ["id", "at", "amount", "name"]
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("at", dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(hours=990), 10),
        ("AT", dt.datetime(2024, 2, 11, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), 10),
        ("amount", Decimal("495.00"), 10),
        ("name", "event 0990", 10),
        ("id", 995, 5),
        ("id", None, 1000),
    ],
)
@pytest.mark.parametrize("kind", ["table", "query"])
def test_watermark_reads_only_newer_rows_in_order(
    connector: MySQLConnector, column: str, value: object, expected: int, kind: str
) -> None:
    spec = TableSpec(table="events") if kind == "table" else QuerySpec(sql="SELECT * FROM events")
    stats = ReadStats()
    table = _read_all(connector, spec, cursor=Watermark(column, value), stats=stats)
    assert table.num_rows == expected == stats.rows
    ids = table.column("id").to_pylist()
    assert ids == sorted(ids) and ids[-1] == 1000


def test_watermark_value_is_a_literal_never_sql(connector: MySQLConnector) -> None:
    injected = Watermark("name", "x' OR 1=1 -- ")
    # Compared as text: no event name sorts after "x'...", so nothing at all is read.
    assert list(connector.read(TableSpec(table="events"), cursor=injected)) == []
    with pytest.raises(InvalidSpecError, match="not a column"):
        list(connector.read(TableSpec(table="events"), cursor=Watermark("nope", 1)))


def test_large_results_stream_in_bounded_batches(connector: MySQLConnector) -> None:
    stats = ReadStats()
    spec = QuerySpec(sql="SELECT seq, MD5(seq) AS h FROM seq_1_to_20000")
    sizes = [b.num_rows for b in connector.read(spec, stats=stats)]
    assert max(sizes) == 100 and sum(sizes) == 20000 == stats.rows


def test_stopping_early_stops_the_server_query(
    connector: MySQLConnector, mariadb_server: MariaDBServer
) -> None:
    spec = QuerySpec(sql="SELECT seq, REPEAT('x', 100) AS pad FROM seq_1_to_50000000")
    batches = connector.read(spec)
    assert next(batches).num_rows == 100
    started = time.monotonic()
    batches.close()  # type: ignore[attr-defined]
    assert time.monotonic() - started < 2
    deadline = time.monotonic() + 10
    with mariadb_server.admin() as admin, admin.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                "WHERE USER = %s AND COMMAND = 'Query'",
                (mariadb_server.user,),
            )
            if cursor.fetchone() == (0,):
                break
            assert time.monotonic() < deadline, "the query kept running"
            time.sleep(0.05)


def test_reads_run_in_a_read_only_transaction_in_utc(connector: MySQLConnector) -> None:
    table = connector.preview(
        QuerySpec(sql="SELECT @@session.time_zone AS tz, @@session.max_statement_time AS limit_s"),
        1,
    )
    assert table.to_pylist() == [{"tz": "+00:00", "limit_s": Decimal("5.000000")}]
