"""PostgreSQL into Arrow on a real server: every type's Arrow type and values (NULLs kept),
discover() agreeing with read(), watermarks, limits pushed down, early stops cancelled."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from dataops.connectors.base import ConnectorContext, QuerySpec, ReadStats, TableSpec, Watermark
from dataops.connectors.errors import InvalidSpecError, SourceDataError, SourceNotFoundError
from dataops.connectors.postgres import PostgresConnector, PostgresSettings
from tests.contracts.cases_db import create_postgres_database, postgres_admin
from tests.fixtures.postgres import PostgresServer

UTC = dt.UTC
UUID = uuid.UUID("5a842bd8-e82c-425f-a46c-2d300d76ce63")

# column, declared type, SQL literal, expected Arrow type, expected Python value
TYPES: list[tuple[str, str, str, pa.DataType, Any]] = [
    ("c_numeric", "numeric(12,2)", "12345.67", pa.decimal128(12, 2), Decimal("12345.67")),
    ("c_numeric_wide", "numeric(40,5)", "123456789012345678901234567890123.12345",
     pa.decimal256(40, 5), Decimal("123456789012345678901234567890123.12345")),
    ("c_numeric_any", "numeric", "3.14159265358979323846264338327950288419716939937510",
     pa.string(), "3.14159265358979323846264338327950288419716939937510"),
    ("c_timestamptz", "timestamptz", "'2024-01-02 03:04:05.123456+02'",
     pa.timestamp("us", tz="UTC"), dt.datetime(2024, 1, 2, 1, 4, 5, 123456, tzinfo=UTC)),
    ("c_timestamp", "timestamp", "'2024-01-02 03:04:05'", pa.timestamp("us"),
     dt.datetime(2024, 1, 2, 3, 4, 5)),
    ("c_date", "date", "'2024-02-29'", pa.date32(), dt.date(2024, 2, 29)),
    ("c_time", "time", "'12:30:00'", pa.time64("us"), dt.time(12, 30)),
    ("c_uuid", "uuid", f"'{UUID}'", pa.string(), str(UUID)),
    ("c_json", "json", """'{"a": [1, 2]}'""", pa.string(), '{"a": [1, 2]}'),
    ("c_jsonb", "jsonb", """'{"b": null}'""", pa.string(), '{"b": null}'),
    ("c_int_array", "integer[]", "'{1,NULL,3}'", pa.list_(pa.int32()), [1, None, 3]),
    ("c_text_array", "text[]", "'{a,\"b c\"}'", pa.list_(pa.string()), ["a", "b c"]),
    ("c_uuid_array", "uuid[]", f"ARRAY['{UUID}'::uuid]", pa.list_(pa.string()), [str(UUID)]),
    ("c_numeric_array", "numeric(6,2)[]", "'{1.50,NULL}'", pa.list_(pa.string()), ["1.50", None]),
    ("c_bool", "boolean", "true", pa.bool_(), True),
    ("c_bytea", "bytea", "'\\x00ff10'", pa.binary(), b"\x00\xff\x10"),
    ("c_smallint", "smallint", "-32768", pa.int16(), -32768),
    ("c_integer", "integer", "2147483647", pa.int32(), 2147483647),
    ("c_bigint", "bigint", "9223372036854775807", pa.int64(), 9223372036854775807),
    ("c_real", "real", "1.5", pa.float32(), 1.5),
    ("c_double", "double precision", "2.25", pa.float64(), 2.25),
    ("c_text", "text", "'héllo ✓'", pa.string(), "héllo ✓"),
    ("c_varchar", "varchar(10)", "'abc'", pa.string(), "abc"),
    ("c_char", "char(3)", "'ab'", pa.string(), "ab "),
    ("c_interval", "interval", "'1 day 2 hours'", pa.month_day_nano_interval(),
     pa.MonthDayNano((0, 1, 2 * 3600 * 10**9))),
    ("c_inet", "inet", "'10.0.0.1'", pa.string(), "10.0.0.1/32"),
    ("c_enum", "mood", "'happy'", pa.string(), "happy"),
    ("c_money", "money", "1.5", pa.string(), "1.50"),  # text in the server's lc_monetary
]  # fmt: skip


@pytest.fixture(scope="module")
def database(postgres_server: PostgresServer) -> str:
    name = create_postgres_database(postgres_server)
    columns = ", ".join(f"{c} {t}" for c, t, *_ in TYPES)
    values = ", ".join(v for _, _, v, *_ in TYPES)
    with postgres_admin(postgres_server, name) as connection:
        connection.execute("SET TimeZone = 'Europe/Paris'")  # the reader must not care
        connection.execute("CREATE TYPE mood AS ENUM ('sad', 'happy')")
        connection.execute(f"CREATE TABLE typed (id int PRIMARY KEY, {columns})")
        connection.execute(f"INSERT INTO typed VALUES (1, {values})")
        connection.execute("INSERT INTO typed (id) VALUES (2)")
        connection.execute(
            "CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz, amount numeric(10,2), "
            "name text)"
        )
        connection.execute(
            "INSERT INTO events SELECT g, timestamptz '2024-01-01 00:00Z' + g * interval '1 hour', "
            "g * 0.5, 'event ' || lpad(g::text, 4, '0') FROM generate_series(1, 1000) g"
        )
        connection.execute('CREATE SCHEMA "Odd Schema"')
        connection.execute('CREATE TABLE "Odd Schema"."we.ird ""name""" ("Mixed Case" int)')
        connection.execute('INSERT INTO "Odd Schema"."we.ird ""name""" VALUES (7)')
        connection.execute("CREATE VIEW recent AS SELECT id, name FROM events WHERE id > 990")
        connection.execute("ANALYZE")
    return name


@pytest.fixture
def connector(postgres_server: PostgresServer, database: str) -> Iterator[PostgresConnector]:
    settings = PostgresSettings(
        host=postgres_server.host,
        port=postgres_server.port,
        database=database,
        user=postgres_server.user,
    )
    connector = PostgresConnector(settings, ConnectorContext(timeout_seconds=5, batch_rows=100))
    yield connector
    connector.close()


def _read_all(connector: PostgresConnector, spec: TableSpec | QuerySpec, **kw: Any) -> pa.Table:
    batches = list(connector.read(spec, **kw))
    return pa.Table.from_batches(batches)


@pytest.mark.parametrize("spec", [TableSpec(table="typed"), QuerySpec(sql="SELECT * FROM typed")])
def test_every_type_reads_into_its_arrow_type_with_nulls_kept(
    connector: PostgresConnector, spec: TableSpec | QuerySpec
) -> None:
    table = _read_all(connector, spec).sort_by("id")
    expected = pa.schema([("id", pa.int32())] + [(c, t) for c, _, _, t, _ in TYPES])
    assert table.schema == expected
    first, second = table.to_pylist()
    for column, _, _, _, value in TYPES:
        if column == "c_money":
            assert first[column].endswith(value)
        else:
            assert first[column] == value, column
        assert second[column] is None, column


def test_discover_reports_the_types_read_produces(connector: PostgresConnector) -> None:
    objects = {o.name: o for o in connector.discover()}
    typed = objects["public.typed"]
    assert typed.columns is not None
    read_schema = connector.preview(TableSpec(table="public.typed"), 1).schema
    assert [(c.name, c.data_type) for c in typed.columns] == [
        (f.name, str(f.type)) for f in read_schema
    ]
    sources = {c.name: c.source_type for c in typed.columns}
    assert sources["c_numeric"] == "numeric(12,2)"
    assert sources["c_timestamptz"] == "timestamp with time zone"
    assert objects["public.events"].row_count == 1000
    assert objects["public.recent"].kind == "view"
    assert not any(o.namespace in ("pg_catalog", "information_schema") for o in objects.values())


def test_numeric_nan_is_refused_with_a_way_out(
    connector: PostgresConnector, postgres_server: PostgresServer, database: str
) -> None:
    with pytest.raises(SourceDataError, match="NULLIF"):
        connector.preview(QuerySpec(sql="SELECT 'NaN'::numeric(10,2) AS n"), 1)
    table = connector.preview(QuerySpec(sql="SELECT NULLIF('NaN'::numeric(10,2), 'NaN') AS n"), 1)
    assert table.to_pylist() == [{"n": None}]


def test_names_from_discover_round_trip_however_odd(connector: PostgresConnector) -> None:
    names = [o.name for o in connector.discover()]
    odd = next(n for n in names if n.startswith('"Odd Schema"'))
    assert odd == '"Odd Schema"."we.ird ""name"""'
    assert connector.preview(TableSpec(table=odd), 5).to_pylist() == [{"Mixed Case": 7}]


def test_table_columns_are_chosen_in_the_order_asked(connector: PostgresConnector) -> None:
    table = connector.preview(TableSpec(table="events", columns=["name", "id"]), 2)
    assert table.column_names == ["name", "id"]
    with pytest.raises(InvalidSpecError, match="unknown column"):
        connector.preview(TableSpec(table="events", columns=["nope"]), 2)


def test_missing_table_is_not_found(connector: PostgresConnector) -> None:
    with pytest.raises(SourceNotFoundError, match="discover"):
        connector.preview(TableSpec(table="public.nope"), 1)


def test_preview_pushes_the_limit_down(connector: PostgresConnector) -> None:
    started = time.monotonic()
    # A hundred million rows: only a pushed-down LIMIT makes this quick.
    table = connector.preview(QuerySpec(sql="SELECT generate_series(1, 100000000) AS g"), 3)
    assert table.to_pylist() == [{"g": 1}, {"g": 2}, {"g": 3}]
    table = connector.preview(TableSpec(table="events"), 0)
    assert table.num_rows == 0 and table.column_names == ["id", "at", "amount", "name"]
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("at", dt.datetime(2024, 1, 1, 0, 0, tzinfo=UTC) + dt.timedelta(hours=990), 10),
        ("AT", dt.datetime(2024, 2, 11, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), 10),
        ("amount", Decimal("495.00"), 10),
        ("name", "event 0990", 10),
        ("id", 995, 5),
        ("id", None, 1000),
    ],
)
@pytest.mark.parametrize("kind", ["table", "query"])
def test_watermark_reads_only_newer_rows_in_order(
    connector: PostgresConnector, column: str, value: object, expected: int, kind: str
) -> None:
    spec = TableSpec(table="events") if kind == "table" else QuerySpec(sql="SELECT * FROM events")
    stats = ReadStats()
    table = _read_all(connector, spec, cursor=Watermark(column, value), stats=stats)
    assert table.num_rows == expected == stats.rows
    ids = table.column("id").to_pylist()
    assert ids == sorted(ids) and ids[-1] == 1000


def test_watermark_column_must_exist_and_be_orderable(connector: PostgresConnector) -> None:
    with pytest.raises(InvalidSpecError, match="not a column"):
        list(connector.read(TableSpec(table="events"), cursor=Watermark("nope", 1)))
    with pytest.raises(InvalidSpecError, match="cannot be a watermark"):
        list(connector.read(TableSpec(table="typed"), cursor=Watermark("c_json", "x")))
    injected = Watermark("id", "1; DROP TABLE events --")
    with pytest.raises(SourceDataError, match="invalid input syntax"):  # a literal, never SQL
        list(connector.read(TableSpec(table="events"), cursor=injected))
    assert connector.preview(TableSpec(table="events"), 1).num_rows == 1


def test_large_results_stream_in_bounded_batches(connector: PostgresConnector) -> None:
    stats = ReadStats()
    spec = QuerySpec(sql="SELECT g, md5(g::text) AS h FROM generate_series(1, 20000) g")
    sizes = [b.num_rows for b in connector.read(spec, stats=stats)]
    assert max(sizes) == 100 and sum(sizes) == 20000 == stats.rows
    assert stats.bytes > 20000 * 8


def test_stopping_early_cancels_the_server_query(
    connector: PostgresConnector, postgres_server: PostgresServer
) -> None:
    spec = QuerySpec(sql="SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 5000000) g")
    batches = connector.read(spec)
    first = next(batches)
    assert first.num_rows == 100
    started = time.monotonic()
    batches.close()  # type: ignore[attr-defined]
    assert time.monotonic() - started < 2
    with postgres_admin(postgres_server) as admin:
        deadline = time.monotonic() + 5
        while admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dataops' "
            "AND state = 'active'"
        ).fetchone() != (0,):
            assert time.monotonic() < deadline, "the query kept running"
            time.sleep(0.05)


def test_reads_run_in_a_read_only_transaction(connector: PostgresConnector) -> None:
    table = connector.preview(
        QuerySpec(
            sql="SELECT current_setting('transaction_read_only') AS ro, "
            "current_setting('TimeZone') AS tz"
        ),
        1,
    )
    assert table.to_pylist() == [{"ro": "on", "tz": "UTC"}]
