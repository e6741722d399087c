"""PostgreSQL, read through ADBC (libpq, ``COPY ... TO STDOUT (FORMAT binary)`` into Arrow).

Why ADBC: it streams (``fetch_record_batch()`` pulls COPY data as batches are consumed: memory
stays flat however slow the consumer) and reads 1M rows x 8 columns in ~1.8 s. connectorx is as
fast but reads ahead without bound; psycopg row fetching is ~4x slower.

Types (``ColumnInfo.data_type`` from :func:`arrow_type`, the same mapping ``read()`` produces):

=============================  =================================================================
PostgreSQL                     Arrow
=============================  =================================================================
numeric(p,s)                   decimal128(p,s); decimal256(p,s) for p > 38
numeric (no precision)         string: exact text; decimal128(38,9) would round or overflow
                               (cast in a query, ``n::numeric(20,4)``, to get a decimal)
timestamptz / timestamp        timestamp[us, tz=UTC] / timestamp[us]
date, time, interval           date32, time64[us], month_day_nano_interval
uuid, json, jsonb              string (canonical uuid text, JSON text)
bool, int2/4/8, float4/8       bool, int16/32/64, float/double
text, varchar, char, name      string
bytea                          binary
arrays of the above            list<...>; numeric[] is list<string>
anything else                  string: cast to text by the server (enums, money, inet, xml...)
=============================  =================================================================

Every session is read-only twice over: ``default_transaction_read_only`` at connect and an
explicit ``SET TRANSACTION READ ONLY`` (a SELECT calling ``set_config`` cannot undo the latter),
with ``statement_timeout`` set at connect.
"""

from __future__ import annotations

import logging
import math
import re
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import adbc_driver_manager
import adbc_driver_postgresql.dbapi as adbc_pg
import pyarrow as pa
import pyarrow.compute as pc
from psycopg import sql as pgsql
from pydantic import Field, SecretStr

from dataops.connectors.base import (
    Category,
    CheckResult,
    ColumnInfo,
    ConnectorContext,
    ConnectorSettings,
    EndpointSpec,
    FileSpec,
    ObjectKind,
    QuerySpec,
    ReadStats,
    SourceObject,
    TableSpec,
    Watermark,
)
from dataops.connectors.errors import (
    ConnectorError,
    InvalidSpecError,
    SourceAuthError,
    SourceDataError,
    SourceNotFoundError,
    SourceTimeoutError,
    SourceUnreachableError,
)
from dataops.connectors.sql_source import (
    CURSOR_FIELD,
    SQL_FIELD,
    ObjectName,
    check_limit,
    checked_query,
    collect,
    ensure_reading,
    first_line,
    parse_object_name,
    pick_columns,
    quote_identifier,
    rebatch,
    render_object_name,
    run_check,
    scrub,
    subquery,
    table_or_query,
    watermark_column,
)

log = logging.getLogger(__name__)

SslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

# Host names and IP literals only: a leading "/" would make libpq use a Unix socket on *our*
# machine (peer authentication as the dataops user), a comma would try several hosts.
_HOST = r"^[A-Za-z0-9_.:\-\[\]%]+$"


class PostgresSettings(ConnectorSettings):
    host: str = Field(min_length=1, max_length=253, pattern=_HOST, description="Host name or IP.")
    port: int = Field(default=5432, ge=1, le=65535, description="Server port.")
    database: str = Field(min_length=1, max_length=63, description="Database to read.")
    user: str = Field(min_length=1, max_length=63, description="Role (grant it SELECT only).")
    password: SecretStr | None = Field(default=None, description="The role's password.")
    sslmode: SslMode = Field(
        default="prefer",
        description="libpq sslmode: prefer uses TLS when offered; verify-full across untrusted "
        "networks.",
    )
    statement_timeout_seconds: int = Field(
        default=3600,
        ge=1,
        le=86_400,
        description="Longest one read() query may run on the server; checks, discovery and "
        "previews use the platform timeout.",
    )


# --- types ----------------------------------------------------------------------------------

_SCALARS: dict[str, pa.DataType] = {
    "bool": pa.bool_(),
    "int2": pa.int16(),
    "int4": pa.int32(),
    "int8": pa.int64(),
    "float4": pa.float32(),
    "float8": pa.float64(),
    "text": pa.string(),
    "varchar": pa.string(),
    "bpchar": pa.string(),
    "name": pa.string(),
    "bytea": pa.binary(),
    "date": pa.date32(),
    "time": pa.time64("us"),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "interval": pa.month_day_nano_interval(),
    "uuid": pa.string(),
    "json": pa.string(),
    "jsonb": pa.string(),
}
_ORDERABLE = {
    "int2", "int4", "int8", "float4", "float8", "numeric", "text", "varchar", "bpchar",
    "date", "time", "timestamp", "timestamptz", "uuid",
}  # fmt: skip


def _numeric_type(typmod: int) -> pa.DataType:
    if typmod < 4:
        return pa.string()
    precision = ((typmod - 4) >> 16) & 0xFFFF
    scale = (((typmod - 4) & 0x7FF) ^ 1024) - 1024  # 11-bit signed since PostgreSQL 15
    if precision <= 38:
        return pa.decimal128(precision, scale)
    if precision <= 76:
        return pa.decimal256(precision, scale)
    return pa.string()


def arrow_type(typname: str, typmod: int = -1) -> pa.DataType | None:
    """The Arrow type for a PostgreSQL type, or None when the server must cast it to text.

    >>> arrow_type("numeric", (12 << 16 | 2) + 4)
    Decimal128Type(decimal128(12, 2))
    >>> arrow_type("_int4")
    ListType(list<item: int32>)
    """
    if typname == "numeric":
        return _numeric_type(typmod)
    if typname in _SCALARS:
        return _SCALARS[typname]
    if typname.startswith("_"):
        element = typname[1:]
        if element == "numeric":
            return pa.list_(pa.string())
        if element in _SCALARS:
            return pa.list_(_SCALARS[element])
    return None


@dataclass(frozen=True)
class _Column:
    name: str
    typname: str
    typmod: int = -1
    source_type: str | None = None
    nullable: bool = True

    @property
    def native(self) -> bool:
        return arrow_type(self.typname, self.typmod) is not None

    @property
    def arrow(self) -> pa.DataType:
        return arrow_type(self.typname, self.typmod) or pa.string()

    def select(self, prefix: str = "") -> str:
        quoted = quote_identifier(self.name)
        return f"{prefix}{quoted}" if self.native else f"{prefix}{quoted}::text AS {quoted}"

    def info(self) -> ColumnInfo:
        return ColumnInfo(self.name, str(self.arrow), self.nullable, self.source_type)


def _uuid_text(storage: pa.Array) -> pa.Array:
    """16-byte uuids as canonical text, vectorised: hex the whole buffer once, then slice."""
    full = storage.offset + len(storage)
    validity, data = storage.buffers()[0], storage.buffers()[1]
    hexed = data.to_pybytes()[: full * 16].hex().encode()
    offsets = array("i", range(0, full * 32 + 1, 32)).tobytes()
    text = pa.Array.from_buffers(
        pa.string(), full, [validity, pa.py_buffer(offsets), pa.py_buffer(hexed)]
    ).slice(storage.offset, len(storage))
    parts = [
        pc.utf8_slice_codeunits(text, a, b)
        for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))
    ]
    return pc.binary_join_element_wise(*parts, "-")


def _conform(values: pa.Array, target: pa.DataType) -> pa.Array:
    """ADBC's array as ``target``: extension types unwrapped, numeric text to decimals."""
    if values.type == target:
        return values
    if isinstance(values.type, pa.BaseExtensionType):
        if values.type.extension_name == "arrow.uuid":
            return _uuid_text(values.storage)
        return _conform(values.storage, target)
    if pa.types.is_list(values.type) and pa.types.is_list(target):
        items = _conform(values.values, target.value_type)
        return pa.ListArray.from_arrays(values.offsets, items, type=target, mask=values.is_null())
    return values.cast(target)


def _describe(schema: pa.Schema) -> list[_Column]:
    """Columns of a query result, from the type names ADBC puts in the field metadata."""
    columns = []
    for field in schema:
        meta = field.metadata or {}
        typname = meta.get(b"POSTGRESQL:type", b"unknown").decode()
        typmod = int(meta.get(b"POSTGRESQL:typmod", b"-1"))
        columns.append(_Column(field.name, typname, typmod))
    return columns


# --- SQL ------------------------------------------------------------------------------------

_CATALOG = """
SELECT n.nspname, c.relname, c.relkind::text, c.reltuples::float8,
       CASE WHEN c.relkind IN ('r', 'm') THEN pg_total_relation_size(c.oid) END,
       a.attname, NOT a.attnotnull, format_type(a.atttypid, a.atttypmod),
       COALESCE(bt.typname, t.typname),
       CASE WHEN bt.oid IS NULL THEN a.atttypmod ELSE t.typtypmod END
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
  AND has_table_privilege(c.oid, 'SELECT')
"""
_BY_NAME = " AND n.nspname = $1 AND c.relname = $2 ORDER BY a.attnum"
_ON_SEARCH_PATH = (
    " AND c.relname = $1 AND n.nspname = ANY (current_schemas(false))"
    " ORDER BY array_position(current_schemas(false), n.nspname::text), a.attnum"
)
_ALL = " ORDER BY n.nspname, c.relname, a.attnum"


@dataclass(frozen=True)
class _Relation:
    schema: str
    name: str
    kind: ObjectKind
    columns: list[_Column]
    row_count: int | None = None
    size_bytes: int | None = None

    @property
    def sql_name(self) -> str:
        return f"{quote_identifier(self.schema)}.{quote_identifier(self.name)}"


def _relations(rows: list[tuple[Any, ...]]) -> list[_Relation]:
    found: dict[tuple[str, str], _Relation] = {}
    for schema, name, relkind, tuples, size, column, nullable, source_type, typname, typmod in rows:
        relation = found.get((schema, name))
        if relation is None:
            is_view = relkind in ("v", "m")
            estimate = None if relkind == "v" or tuples is None or tuples < 0 else int(tuples)
            relation = _Relation(
                schema, name, ObjectKind.VIEW if is_view else ObjectKind.TABLE, [], estimate, size
            )
            found[(schema, name)] = relation
        if column is not None:
            relation.columns.append(
                _Column(column, typname, int(typmod), source_type, bool(nullable))
            )
    return list(found.values())


def _literal(value: Any, column: _Column) -> str:
    """The watermark value as a typed SQL literal (psycopg's quoting, then a cast to the
    column's type). Bound parameters would make libpq buffer the whole result instead of
    streaming it through COPY, hence a literal."""
    if column.typname not in _ORDERABLE:
        raise InvalidSpecError(
            f"column {column.name!r} ({column.source_type or column.typname}) cannot be a "
            "watermark; use a number, text, date, time, timestamp or uuid column",
            field=CURSOR_FIELD,
        )
    try:
        rendered = pgsql.Literal(value).as_string()
    except Exception as exc:  # psycopg raises ProgrammingError/TypeError for unadaptable values
        raise InvalidSpecError(
            f"cannot compare {column.name!r} with a {type(value).__name__} watermark",
            field=CURSOR_FIELD,
        ) from exc
    return f"CAST({rendered} AS pg_catalog.{quote_identifier(column.typname)})"


# --- errors ---------------------------------------------------------------------------------

_SERVER_MESSAGE = re.compile(r"(?:ERROR|FATAL):\s+([^\n]*)")
_SQLSTATE = re.compile(r"SQLSTATE: ([0-9A-Z]{5})")


def _detail(text: str) -> str:
    found = _SERVER_MESSAGE.search(text)
    if found:
        return found.group(1).strip()
    return first_line(text.split(" failed: ")[-1])


# --- the connector --------------------------------------------------------------------------


@dataclass
class _Session:
    connection: Any
    cursor: Any
    streaming: Any = None  # the open RecordBatchReader, until it is exhausted
    closed: bool = False


class PostgresConnector:
    type_name: ClassVar[str] = "postgres"
    title: ClassVar[str] = "PostgreSQL"
    category: ClassVar[Category] = Category.DATABASE
    settings_model: ClassVar[type[ConnectorSettings]] = PostgresSettings
    spec_kinds: ClassVar[tuple[str, ...]] = ("table", "query")

    def __init__(self, settings: PostgresSettings, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self._sessions: dict[int, _Session] = {}

    @property
    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _password(self) -> str | None:
        return self.settings.password.get_secret_value() if self.settings.password else None

    def _conninfo(self, statement_timeout: float) -> str:
        def value(text: str) -> str:
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

        options = (
            "-c default_transaction_read_only=on -c TimeZone=UTC "
            f"-c statement_timeout={max(1, int(statement_timeout * 1000))}"
        )
        params = {
            "host": self.settings.host,
            "port": str(self.settings.port),
            "dbname": self.settings.database,
            "user": self.settings.user,
            "sslmode": self.settings.sslmode,
            "gssencmode": "disable",
            "connect_timeout": str(max(1, math.ceil(self.context.timeout_seconds))),
            "application_name": "dataops",
            "options": options,
        }
        password = self._password()
        if password is not None:
            params["password"] = password
        return " ".join(f"{key}={value(text)}" for key, text in params.items())

    def _translate(
        self, exc: BaseException, *, statement_timeout: float
    ) -> ConnectorError | InvalidSpecError:
        """A driver exception as our error; the message names the cause, never the password."""
        text = scrub(str(exc), self._password())
        lowered = text.lower()
        state = getattr(exc, "sqlstate", None)
        if state is None and (found := _SQLSTATE.search(text)):
            state = found.group(1)
        state = state or ""
        if not state and "ERROR:" in text:  # errors met mid-stream arrive without a SQLSTATE
            if "read-only transaction" in lowered or "read-write mode" in lowered:
                state = "25006"
            elif "statement timeout" in lowered:
                state = "57014"
        detail = _detail(text)
        where, user = self._where, self.settings.user
        if not state:  # connection-level failures come from libpq without a SQLSTATE
            if (
                "authentication failed" in lowered
                or "no pg_hba.conf entry" in lowered
                or ("role" in lowered and "does not exist" in lowered)
            ):
                return SourceAuthError(
                    f"authentication failed for user {user} at {where} ({detail})"
                )
            if "could not translate host name" in lowered:
                return SourceUnreachableError(f"cannot resolve host {self.settings.host}")
            if "connection refused" in lowered:
                return SourceUnreachableError(f"connection refused at {where}")
            if "timeout expired" in lowered:
                return SourceTimeoutError(
                    f"timed out after {self.context.timeout_seconds:g}s connecting to {where}"
                )
            if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
                return ConnectorError(
                    f"TLS negotiation with {where} failed (sslmode={self.settings.sslmode}): "
                    f"{detail}"
                )
            if "database" in lowered and "does not exist" in lowered:
                state = "3D000"
            elif "failed to connect" in lowered or "server closed the connection" in lowered:
                return SourceUnreachableError(f"cannot connect to {where}: {detail}")
        if state in ("28P01", "28000"):
            return SourceAuthError(f"authentication failed for user {user} at {where} ({detail})")
        if state == "3D000":
            return SourceNotFoundError(
                f"database {self.settings.database} does not exist on {where}"
            )
        if state == "57014":
            return SourceTimeoutError(
                f"the query timed out after {statement_timeout:g}s and was cancelled"
            )
        if state.startswith("25"):  # read-only transaction, read-write mode refused...
            return InvalidSpecError(
                f"only reads are allowed; the query tried to write ({detail})", field=SQL_FIELD
            )
        if state == "42501":
            return SourceAuthError(f"user {user} may not read this: {detail}")
        if state.startswith(("42", "0A", "2F", "P0")):
            return InvalidSpecError(f"PostgreSQL refused the query: {detail}", field=SQL_FIELD)
        if state.startswith("22"):
            return SourceDataError(f"PostgreSQL could not produce the data: {detail}")
        if state.startswith(("08", "53", "57P")):
            return SourceUnreachableError(f"lost the connection to {where}: {detail}")
        return ConnectorError(f"PostgreSQL error: {detail}")

    @contextmanager
    def _session(self, statement_timeout: float) -> Iterator[_Session]:
        """One connection in one read-only transaction; cancelled and closed on the way out."""
        try:
            connection = adbc_pg.connect(self._conninfo(statement_timeout))
        except adbc_driver_manager.Error as exc:
            raise self._translate(exc, statement_timeout=statement_timeout) from exc
        session = _Session(connection, connection.cursor())
        self._sessions[id(session)] = session
        try:
            session.cursor.execute("SET TRANSACTION READ ONLY")
            yield session
        except (adbc_driver_manager.Error, pa.ArrowException, OSError) as exc:
            raise self._translate(exc, statement_timeout=statement_timeout) from exc
        finally:
            self._sessions.pop(id(session), None)
            self._end(session)

    @staticmethod
    def _end(session: _Session) -> None:
        if session.closed:
            return
        session.closed = True
        try:
            if session.streaming is not None:
                # Closing the reader alone leaves COPY running to its end; cancel it.
                session.cursor.adbc_cancel()
                session.streaming.close()
            session.cursor.close()
            session.connection.close()
        except (adbc_driver_manager.Error, pa.ArrowException, OSError) as exc:
            log.debug("postgres session close: %s", type(exc).__name__)

    def _scalar(self, session: _Session, sql: str) -> Any:
        session.cursor.execute(sql)
        row = session.cursor.fetchone()
        return row[0] if row else None

    # --- the contract -------------------------------------------------------------------

    def check(self) -> CheckResult:
        def probe() -> tuple[str, str | None]:
            with self._session(self.context.timeout_seconds) as session:
                version = str(self._scalar(session, "SELECT current_setting('server_version')"))
            log.info("postgres check ok: %s/%s", self._where, self.settings.database)
            return (
                f"connected to PostgreSQL {version} at {self._where}/{self.settings.database} "
                f"as {self.settings.user}",
                version,
            )

        return run_check(probe)

    def discover(self) -> list[SourceObject]:
        with self._session(self.context.timeout_seconds) as session:
            session.cursor.execute(_CATALOG + _ALL)
            relations = _relations(session.cursor.fetchall())
        log.info(
            "postgres discover %s/%s: %d objects",
            self._where,
            self.settings.database,
            len(relations),
        )
        return [
            SourceObject(
                name=render_object_name(r.schema, r.name),
                kind=r.kind,
                namespace=r.schema,
                columns=[c.info() for c in r.columns],
                row_count=r.row_count,
                size_bytes=r.size_bytes,
            )
            for r in relations
        ]

    def preview(self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, n: int) -> pa.Table:
        target = self._target(spec)
        limit = check_limit(n)
        log.info("postgres preview: %s, %d rows at most", self._where, limit)
        with self._session(self.context.timeout_seconds) as session:
            sql, columns, _ = self._plan(session, target, None, limit)
            schema = pa.schema([pa.field(c.name, c.arrow) for c in columns])
            return collect(schema, self._run(session, sql, columns))

    def read(
        self,
        spec: TableSpec | QuerySpec | FileSpec | EndpointSpec,
        cursor: Watermark | None = None,
        stats: ReadStats | None = None,
    ) -> Iterator[pa.RecordBatch]:
        target = self._target(spec)  # refuse bad specs now, before any connection
        return self._read(target, cursor, stats)

    def close(self) -> None:
        for session in list(self._sessions.values()):
            self._end(session)
        self._sessions.clear()

    # --- reading ------------------------------------------------------------------------

    def _target(
        self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec
    ) -> TableSpec | QuerySpec:
        spec = table_or_query(spec, self.type_name)
        if isinstance(spec, QuerySpec):
            return QuerySpec(sql=checked_query(spec, "postgres"))
        parse_object_name(spec.table)
        return spec

    def _read(
        self, target: TableSpec | QuerySpec, cursor: Watermark | None, stats: ReadStats | None
    ) -> Iterator[pa.RecordBatch]:
        started, rows = time.perf_counter(), 0
        timeout = float(self.settings.statement_timeout_seconds)
        with self._session(timeout) as session:
            sql, columns, label = self._plan(session, target, cursor, None)
            log.info("postgres read started: %s/%s %s", self._where, self.settings.database, label)
            for batch in rebatch(self._run(session, sql, columns), self.context.batch_rows, stats):
                ensure_reading(session.closed)
                rows += batch.num_rows
                yield batch
        log.info(
            "postgres read done: %s %d rows in %.2fs", label, rows, time.perf_counter() - started
        )

    def _find(self, session: _Session, name: ObjectName) -> _Relation:
        if name.schema is None:
            session.cursor.execute(_CATALOG + _ON_SEARCH_PATH, parameters=(name.name,))
        else:
            session.cursor.execute(_CATALOG + _BY_NAME, parameters=(name.schema, name.name))
        found = _relations(session.cursor.fetchall())
        if not found:
            shown = render_object_name(name.schema, name.name)
            raise SourceNotFoundError(
                f"no table or view {shown} that {self.settings.user} may read in "
                f"{self.settings.database}; discover() lists what can be read"
            )
        return found[0]

    def _plan(
        self,
        session: _Session,
        target: TableSpec | QuerySpec,
        cursor: Watermark | None,
        limit: int | None,
    ) -> tuple[str, list[_Column], str]:
        """The statement to run, the columns it returns, and a label for log lines."""
        if isinstance(target, TableSpec):
            relation = self._find(session, parse_object_name(target.table))
            by_name = {c.name: c for c in relation.columns}
            columns = [by_name[c] for c in pick_columns(target.columns, list(by_name))]
            source, prefix = relation.sql_name, ""
            label = f"table {render_object_name(relation.schema, relation.name)}"
        else:
            columns = _describe(session.cursor.adbc_execute_schema(target.sql))
            source, prefix, label = subquery(target.sql), "q.", "query"
            if cursor is None and limit is None and all(c.native for c in columns):
                return target.sql, columns, label
            names = [c.name for c in columns]
            if len(set(names)) != len(names):
                raise InvalidSpecError(
                    f"the query returns duplicate column names ({', '.join(names)}); alias them",
                    field=SQL_FIELD,
                )
        # Identifiers come from the catalog, quoted; a query was validated read-only.
        sql = f"SELECT {', '.join(c.select(prefix) for c in columns)} FROM {source}"  # noqa: S608
        if cursor is not None:
            name = watermark_column(cursor, [c.name for c in columns])
            column = next(c for c in columns if c.name == name)
            quoted = prefix + quote_identifier(name)
            if cursor.value is not None:
                sql += f" WHERE {quoted} > {_literal(cursor.value, column)}"
            sql += f" ORDER BY {quoted}"
        if limit is not None:
            sql += f" LIMIT {limit}"
        return sql, columns, label

    def _run(self, session: _Session, sql: str, columns: list[_Column]) -> Iterator[pa.RecordBatch]:
        schema = pa.schema([pa.field(c.name, c.arrow) for c in columns])
        session.cursor.execute(sql)
        session.streaming = reader = session.cursor.fetch_record_batch()
        while True:
            ensure_reading(session.closed)
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            try:
                arrays = [_conform(batch.column(i), f.type) for i, f in enumerate(schema)]
            except pa.ArrowInvalid as exc:
                raise SourceDataError(
                    f"a value does not fit its Arrow type ({exc}); NaN or Infinity in a numeric "
                    "column cannot be a decimal: read it through a query with NULLIF(col, 'NaN')"
                ) from exc
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)
        session.streaming = None
