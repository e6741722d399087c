"""SQLite files, read with the standard library's ``sqlite3``.

The file must lie inside the configured roots (:func:`~dataops.connectors.safety.confine_path`,
checked again at every open so a file swapped for a symlink later is refused too). It is opened
read-only (``mode=ro``) with an authorizer that refuses ATTACH, DETACH, PRAGMAs other than
``table_info`` and extension loading, and a progress handler that interrupts a statement running
longer than the timeout.

Types follow SQLite's column affinity (its declared type decides, not the values):

==========================================  ====================================================
declared type                               Arrow
==========================================  ====================================================
contains INT                                int64
contains CHAR, CLOB or TEXT                 string
contains BLOB                               binary
contains REAL, FLOA or DOUB                 double
contains BOOL                               bool (0 false, anything else true)
DATE, DATETIME, TIMESTAMP, TIME             string (SQLite stores them as ISO text)
other NUMERIC affinity (DECIMAL, NUMERIC)   double (SQLite stores them as REAL or INTEGER)
none (expressions, untyped columns)         from the values of the first batch: int64, double,
                                            string or binary (string when mixed or all NULL)
==========================================  ====================================================

A value that does not fit its column's type (SQLite lets a TEXT value into an INTEGER column) is
a :class:`SourceDataError`; CAST it in a query.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

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
    EndpointRefusedError,
    InvalidSpecError,
    SourceDataError,
    SourceNotFoundError,
    SourceTimeoutError,
)
from dataops.connectors.safety import confine_path
from dataops.connectors.sql_source import (
    SQL_FIELD,
    TABLE_FIELD,
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
    subquery,
    table_or_query,
    watermark_column,
)

log = logging.getLogger(__name__)


class SQLiteSettings(ConnectorSettings):
    path: str = Field(
        min_length=1,
        max_length=1024,
        description="The database file: relative to the first allowed root, or absolute inside "
        "one of them.",
    )
    statement_timeout_seconds: int = Field(
        default=3600,
        ge=1,
        le=86_400,
        description="Longest SQLite may work on one batch of a read(); checks, discovery and "
        "previews use the platform timeout.",
    )


# --- types ----------------------------------------------------------------------------------


def arrow_type(declared: str) -> pa.DataType | None:
    """The Arrow type for a declared column type (SQLite's affinity rules), or None when the
    values must decide.

    >>> arrow_type("VARCHAR(20)"), arrow_type("BIGINT"), arrow_type("")
    (DataType(string), DataType(int64), None)
    """
    upper = declared.upper()
    if not upper.strip():
        return None
    if "INT" in upper:
        return pa.int64()
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return pa.string()
    if "BLOB" in upper:
        return pa.binary()
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return pa.float64()
    if "BOOL" in upper:
        return pa.bool_()
    if "DATE" in upper or "TIME" in upper:
        return pa.string()
    return pa.float64()


def _inferred_type(values: list[Any]) -> pa.DataType:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {int}:
        return pa.int64()
    if kinds and kinds <= {int, float}:
        return pa.float64()
    if kinds == {bytes}:
        return pa.binary()
    return pa.string()


def _to_arrow(values: list[Any], target: pa.DataType, name: str) -> pa.Array:
    try:
        if target == pa.bool_():
            return pc.not_equal(pa.array(values, pa.float64()), 0)
        return pa.array(values, target)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as exc:
        if target == pa.string() and not any(isinstance(v, bytes) for v in values):
            return pa.array([v if v is None or isinstance(v, str) else str(v) for v in values])
        raise SourceDataError(
            f"column {name!r} holds a value that is not {target} ({exc}); SQLite does not "
            f"enforce declared types: CAST the column in a query"
        ) from exc


@dataclass(frozen=True)
class _Column:
    name: str
    declared: str
    nullable: bool = True

    @property
    def arrow(self) -> pa.DataType | None:
        return arrow_type(self.declared)

    def info(self) -> ColumnInfo:
        return ColumnInfo(
            self.name, str(self.arrow or pa.string()), self.nullable, self.declared or None
        )


# --- guards ---------------------------------------------------------------------------------

_ALLOWED_PRAGMAS = {"table_info", "table_xinfo"}
_REFUSED = {sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH}


def _authorize(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    """Defense in depth beneath the read-only open and the SQL validator."""
    if action in _REFUSED:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() not in _ALLOWED_PRAGMAS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() == "load_extension":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _bindable(value: Any) -> Any:
    """A watermark value as SQLite stores it (dates and times as ISO text)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date | dt_time):
        return value.isoformat()
    return value


@dataclass
class _Session:
    connection: sqlite3.Connection
    deadline: float = 0.0
    closed: bool = False


class SQLiteConnector:
    type_name: ClassVar[str] = "sqlite"
    title: ClassVar[str] = "SQLite"
    category: ClassVar[Category] = Category.DATABASE
    settings_model: ClassVar[type[ConnectorSettings]] = SQLiteSettings
    spec_kinds: ClassVar[tuple[str, ...]] = ("table", "query")

    def __init__(self, settings: SQLiteSettings, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self.path = confine_path(settings.path, context.allowed_roots)  # refuse escapes early
        self._sessions: dict[int, _Session] = {}

    @contextmanager
    def _session(self, timeout: float) -> Iterator[_Session]:
        path = confine_path(self.settings.path, self.context.allowed_roots)
        if not path.is_file():
            raise SourceNotFoundError(f"no SQLite database at {self.settings.path}")
        try:
            connection = sqlite3.connect(
                f"file:{quote(str(path))}?mode=ro",
                uri=True,
                timeout=timeout,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise SourceNotFoundError(f"cannot open {self.settings.path}: {exc}") from exc
        session = _Session(connection)
        connection.set_authorizer(_authorize)
        connection.set_progress_handler(lambda: int(time.monotonic() > session.deadline), 10_000)
        self._sessions[id(session)] = session
        try:
            yield session
        except sqlite3.Error as exc:
            raise self._translate(exc, timeout) from exc
        finally:
            self._sessions.pop(id(session), None)
            connection.close()

    def _translate(self, exc: sqlite3.Error, timeout: float) -> ConnectorError | InvalidSpecError:
        text = first_line(str(exc))
        lowered = text.lower()
        if "interrupted" in lowered:
            return SourceTimeoutError(f"the query timed out after {timeout:g}s and was interrupted")
        if "not a database" in lowered or "malformed" in lowered:
            return SourceDataError(f"{self.settings.path} is not a usable SQLite database: {text}")
        if "not authorized" in lowered or "readonly" in lowered or "read-only" in lowered:
            return InvalidSpecError(f"only reads are allowed: {text}", field=SQL_FIELD)
        if "locked" in lowered or "busy" in lowered:
            return SourceTimeoutError(f"the database stayed locked for {timeout:g}s: {text}")
        if isinstance(exc, sqlite3.OperationalError | sqlite3.ProgrammingError):
            return InvalidSpecError(f"SQLite refused the query: {text}", field=SQL_FIELD)
        return ConnectorError(f"SQLite error: {text}")

    def _execute(
        self, session: _Session, sql: str, params: tuple[Any, ...], timeout: float
    ) -> sqlite3.Cursor:
        session.deadline = time.monotonic() + timeout
        return session.connection.execute(sql, params)

    # --- the contract -------------------------------------------------------------------

    def check(self) -> CheckResult:
        def probe() -> tuple[str, str | None]:
            try:
                with self._session(self.context.timeout_seconds) as session:
                    timeout = self.context.timeout_seconds
                    tables = self._execute(
                        session, "SELECT count(*) FROM sqlite_schema", (), timeout
                    )
                    count = tables.fetchone()[0]
            except EndpointRefusedError as exc:
                raise ConnectorError(exc.message) from exc
            return (
                f"opened {self.settings.path} read-only ({count} schema objects)",
                sqlite3.sqlite_version,
            )

        return run_check(probe)

    def discover(self) -> list[SourceObject]:
        timeout = self.context.timeout_seconds
        objects = []
        with self._session(timeout) as session:
            estimates = self._estimates(session, timeout)
            listed = self._execute(
                session,
                "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                (),
                timeout,
            ).fetchall()
            for name, kind in listed:
                columns = self._columns(session, name, timeout)
                objects.append(
                    SourceObject(
                        name=render_object_name(None, name),
                        kind=ObjectKind.VIEW if kind == "view" else ObjectKind.TABLE,
                        namespace=None,
                        columns=[c.info() for c in columns],
                        row_count=estimates.get(name),
                    )
                )
        log.info("sqlite discover %s: %d objects", self.settings.path, len(objects))
        return objects

    def preview(self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, n: int) -> pa.Table:
        target = self._target(spec)
        limit = check_limit(n)
        log.info("sqlite preview: %s, %d rows at most", self.settings.path, limit)
        timeout = self.context.timeout_seconds
        with self._session(timeout) as session:
            sql, params, columns = self._plan(session, target, None, limit, timeout)
            schema, batches = self._run(session, sql, params, columns, timeout, max(limit, 1))
            return collect(schema, batches)

    def read(
        self,
        spec: TableSpec | QuerySpec | FileSpec | EndpointSpec,
        cursor: Watermark | None = None,
        stats: ReadStats | None = None,
    ) -> Iterator[pa.RecordBatch]:
        target = self._target(spec)
        return self._read(target, cursor, stats)

    def close(self) -> None:
        for session in list(self._sessions.values()):
            session.closed = True
            session.connection.close()
        self._sessions.clear()

    # --- reading ------------------------------------------------------------------------

    def _target(
        self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec
    ) -> TableSpec | QuerySpec:
        spec = table_or_query(spec, self.type_name)
        if isinstance(spec, QuerySpec):
            return QuerySpec(sql=checked_query(spec, "sqlite"))
        name = parse_object_name(spec.table)
        if name.schema not in (None, "main"):
            raise InvalidSpecError(
                f"{spec.table!r}: a SQLite source reads its main database only", field=TABLE_FIELD
            )
        return spec

    def _read(
        self, target: TableSpec | QuerySpec, cursor: Watermark | None, stats: ReadStats | None
    ) -> Iterator[pa.RecordBatch]:
        started, rows = time.perf_counter(), 0
        timeout = float(self.settings.statement_timeout_seconds)
        with self._session(timeout) as session:
            sql, params, columns = self._plan(session, target, cursor, None, timeout)
            log.info("sqlite read started: %s", self.settings.path)
            _, batches = self._run(session, sql, params, columns, timeout, self.context.batch_rows)
            for batch in rebatch(batches, self.context.batch_rows, stats):
                ensure_reading(session.closed)
                rows += batch.num_rows
                yield batch
        log.info(
            "sqlite read done: %s %d rows in %.2fs",
            self.settings.path,
            rows,
            time.perf_counter() - started,
        )

    def _estimates(self, session: _Session, timeout: float) -> dict[str, int]:
        """Row counts from ``sqlite_stat1`` (written by ANALYZE), when there is one."""
        has_stats = self._execute(
            session, "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'", (), timeout
        ).fetchone()
        if not has_stats:
            return {}
        estimates: dict[str, int] = {}
        for table, stat in self._execute(
            session, "SELECT tbl, stat FROM sqlite_stat1", (), timeout
        ):
            first = str(stat or "").split(" ")[0]
            if first.isdigit():
                estimates[table] = max(estimates.get(table, 0), int(first))
        return estimates

    def _columns(self, session: _Session, table: str, timeout: float) -> list[_Column]:
        rows = self._execute(
            session, 'SELECT name, type, "notnull" FROM pragma_table_info(?)', (table,), timeout
        ).fetchall()
        return [_Column(name, declared or "", not notnull) for name, declared, notnull in rows]

    def _plan(
        self,
        session: _Session,
        target: TableSpec | QuerySpec,
        cursor: Watermark | None,
        limit: int | None,
        timeout: float,
    ) -> tuple[str, tuple[Any, ...], list[_Column] | None]:
        """The statement, its parameters and (for tables) the declared columns it returns."""
        columns: list[_Column] | None = None
        if isinstance(target, TableSpec):
            name = parse_object_name(target.table).name
            found = self._execute(
                session,
                "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?",
                (name,),
                timeout,
            ).fetchone()
            if found is None:
                raise SourceNotFoundError(
                    f"no table or view {target.table} in {self.settings.path}; discover() lists "
                    "what can be read"
                )
            declared = {c.name: c for c in self._columns(session, name, timeout)}
            columns = [declared[c] for c in pick_columns(target.columns, list(declared))]
            projection = ", ".join(quote_identifier(c.name) for c in columns)
            source, prefix, available = quote_identifier(name), "", [c.name for c in columns]
        else:
            if cursor is None and limit is None:
                return target.sql, (), None
            projection, source, prefix = "*", subquery(target.sql), "q."
            describe = f"SELECT * FROM {source} LIMIT 0"  # noqa: S608 validated read-only
            described = self._execute(session, describe, (), timeout)
            available = [d[0] for d in described.description]
        # Identifiers come from the catalog, quoted; a query was validated read-only.
        sql = f"SELECT {projection} FROM {source}"  # noqa: S608
        params: tuple[Any, ...] = ()
        if cursor is not None:
            quoted = prefix + quote_identifier(watermark_column(cursor, available))
            if cursor.value is not None:
                sql, params = f"{sql} WHERE {quoted} > ?", (_bindable(cursor.value),)
            sql += f" ORDER BY {quoted}"
        if limit is not None:
            sql += f" LIMIT {limit}"
        return sql, params, columns

    def _run(
        self,
        session: _Session,
        sql: str,
        params: tuple[Any, ...],
        columns: list[_Column] | None,
        timeout: float,
        chunk: int,
    ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
        """Start ``sql``; the Arrow schema (known once the first rows are in) and the batches."""
        result = self._execute(session, sql, params, timeout)
        names = [d[0] for d in result.description]
        declared = [c.arrow for c in columns] if columns else [None] * len(names)
        session.deadline = time.monotonic() + timeout
        first = result.fetchmany(max(1, chunk))
        values = [list(column) for column in zip(*first, strict=True)] or [[] for _ in names]
        types = [t or _inferred_type(v) for t, v in zip(declared, values, strict=True)]
        schema = pa.schema([pa.field(n, t) for n, t in zip(names, types, strict=True)])

        def batches() -> Iterator[pa.RecordBatch]:
            rows = first
            while rows:
                columns_ = zip(*rows, strict=True)
                arrays = [
                    _to_arrow(list(v), f.type, f.name)
                    for v, f in zip(columns_, schema, strict=True)
                ]
                yield pa.RecordBatch.from_arrays(arrays, schema=schema)
                ensure_reading(session.closed)
                session.deadline = time.monotonic() + timeout
                rows = result.fetchmany(max(1, chunk))

        return schema, batches()
