"""What the SQL connectors (PostgreSQL, MySQL/MariaDB, SQLite) share.

- object names: :func:`parse_object_name` reads the ``schema.table`` names ``discover()`` reports
  (:func:`render_object_name`), with quoted parts for anything unusual; names are only ever looked
  up in the catalog, and the catalog's own spelling is what :func:`quote_identifier` puts in SQL;
- statements: :func:`trim_statement` drops trailing semicolons and comments so a validated query
  can be wrapped (``SELECT * FROM (<q>) AS q LIMIT n``);
- output: :func:`rebatch` cuts driver batches to ``batch_rows`` and keeps :class:`ReadStats`;
- :func:`run_check` times a probe and turns a :class:`ConnectorError` into ``ok=False``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa
import sqlglot
from sqlglot import TokenType
from sqlglot.errors import SqlglotError

from dataops.connectors.base import (
    CheckResult,
    EndpointSpec,
    FileSpec,
    QuerySpec,
    ReadStats,
    TableSpec,
    Watermark,
)
from dataops.connectors.errors import ConnectorError, InvalidSpecError
from dataops.connectors.safety import validate_read_only_sql

TABLE_FIELD = "body.spec.table"
COLUMNS_FIELD = "body.spec.columns"
SQL_FIELD = "body.spec.sql"
CURSOR_FIELD = "body.cursor.column"

_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


@dataclass(frozen=True)
class ObjectName:
    """A table or view as the user named it: an optional schema and a name, unquoted."""

    schema: str | None
    name: str


def _quoted_part(text: str, pos: int, quote: str) -> tuple[str, int] | None:
    """The identifier quoted at ``text[pos]`` (``quote`` doubled inside) and where it ends."""
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        char = text[i]
        if char == quote:
            if text.startswith(quote, i + 1):
                out.append(quote)
                i += 2
                continue
            return "".join(out), i + 1
        out.append(char)
        i += 1
    return None


def parse_object_name(text: str, quote: str = '"') -> ObjectName:
    """Read ``name`` or ``schema.name``; parts are bare words or quoted with ``quote``.

    Nothing else is accepted (no whitespace, comments, functions, a third part), so the result
    can only ever be used to look the object up.

    >>> parse_object_name('public.orders')
    ObjectName(schema='public', name='orders')
    >>> parse_object_name('"My Schema"."a.b"')
    ObjectName(schema='My Schema', name='a.b')
    """
    parts: list[str] = []
    pos = 0
    while True:
        if text.startswith(quote, pos):
            quoted = _quoted_part(text, pos, quote)
            if quoted is None or not quoted[0]:
                break
            part, pos = quoted
        else:
            match = _BARE_NAME.match(text, pos)
            if match is None:
                break
            part, pos = match.group(), match.end()
        parts.append(part)
        if pos == len(text) and len(parts) <= 2 and "\x00" not in "".join(parts):
            return ObjectName(parts[0], parts[1]) if len(parts) == 2 else ObjectName(None, parts[0])
        if not text.startswith(".", pos) or len(parts) == 2:
            break
        pos += 1
    raise InvalidSpecError(
        f"{text!r} is not a table name; give `table` or `schema.table` as discover() lists it "
        f"(quote unusual names with {quote})",
        field=TABLE_FIELD,
    )


def render_object_name(schema: str | None, name: str, quote: str = '"') -> str:
    """The name :func:`parse_object_name` reads back; parts are quoted only when they must be.

    >>> render_object_name("public", "orders")
    'public.orders'
    >>> render_object_name("sales", "2024 orders", "`")
    'sales.`2024 orders`'
    """

    def part(value: str) -> str:
        if _BARE_NAME.fullmatch(value):
            return value
        return quote + value.replace(quote, quote * 2) + quote

    return f"{part(schema)}.{part(name)}" if schema is not None else part(name)


def quote_identifier(name: str, quote: str = '"') -> str:
    """``name`` as a quoted SQL identifier (always quoted: no keyword or case surprises).

    >>> quote_identifier('we"ird')
    '"we""ird"'
    """
    if "\x00" in name:
        raise InvalidSpecError("identifiers cannot contain NUL characters")
    return quote + name.replace(quote, quote * 2) + quote


def trim_statement(sql: str, dialect: str) -> str:
    """``sql`` without trailing semicolons or comments, so it can be wrapped in a subquery.

    >>> trim_statement("SELECT 1; -- done", "postgres")
    'SELECT 1'
    """
    try:
        tokens = sqlglot.tokenize(sql, read=dialect)
    except SqlglotError as exc:
        raise InvalidSpecError(f"SQL does not parse: {exc}", field=SQL_FIELD) from exc
    while tokens and tokens[-1].token_type == TokenType.SEMICOLON:
        tokens.pop()
    if not tokens:
        raise InvalidSpecError("the query is empty", field=SQL_FIELD)
    return sql[: tokens[-1].end + 1]


def checked_query(spec: QuerySpec, dialect: str) -> str:
    """The query's text once it is known to be exactly one read-only statement, trimmed."""
    validate_read_only_sql(spec.sql, dialect, field=SQL_FIELD)
    return trim_statement(spec.sql, dialect)


def subquery(sql: str) -> str:
    """``sql`` as a derived table named ``q`` (newlines keep a trailing comment harmless)."""
    return f"(\n{sql}\n) AS q"


def table_or_query(
    spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, type_name: str
) -> TableSpec | QuerySpec:
    if isinstance(spec, TableSpec | QuerySpec):
        return spec
    raise InvalidSpecError(
        f"a {type_name} source reads tables or queries, not {spec.kind!r} specs",
        field="body.spec.kind",
    )


def check_limit(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidSpecError(f"the preview size must be a whole number >= 0, got {n!r}")
    return n


def pick_columns(requested: Sequence[str] | None, available: Sequence[str]) -> list[str]:
    """The columns a :class:`TableSpec` asks for (all when None), each checked to exist."""
    if requested is None:
        return list(available)
    if not requested:
        raise InvalidSpecError("give at least one column, or none for all", field=COLUMNS_FIELD)
    known = set(available)
    unknown = [c for c in requested if c not in known]
    if unknown:
        raise InvalidSpecError(
            f"unknown column(s) {', '.join(map(repr, unknown))}; the object has "
            f"{', '.join(available)}",
            field=COLUMNS_FIELD,
        )
    if len(set(requested)) != len(requested):
        raise InvalidSpecError("a column is listed twice", field=COLUMNS_FIELD)
    return list(requested)


def watermark_column(cursor: Watermark, available: Sequence[str]) -> str:
    """The object's own spelling of the watermark column (exact, else the one case-insensitive
    match), refused when it is not one of the object's columns."""
    if cursor.column in available:
        return cursor.column
    folded = [c for c in available if c.lower() == cursor.column.lower()]
    if len(folded) == 1:
        return folded[0]
    raise InvalidSpecError(
        f"the watermark column {cursor.column!r} is not a column of what is read "
        f"({', '.join(available)})",
        field=CURSOR_FIELD,
    )


def rebatch(
    batches: Iterable[pa.RecordBatch], max_rows: int, stats: ReadStats | None
) -> Iterator[pa.RecordBatch]:
    """``batches`` cut to at most ``max_rows`` rows each (zero-copy slices); counts into
    ``stats`` as each batch is handed out."""
    max_rows = max(1, max_rows)
    for batch in batches:
        for start in range(0, batch.num_rows, max_rows):
            piece = batch.slice(start, max_rows) if batch.num_rows > max_rows else batch
            if stats is not None:
                stats.rows += piece.num_rows
                stats.bytes += piece.nbytes
            yield piece


def ensure_reading(closed: bool) -> None:
    """Stop a read whose connector was closed under it (instead of a driver's odd error)."""
    if closed:
        raise ConnectorError("the read was stopped: the connector was closed")


def collect(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> pa.Table:
    return pa.Table.from_batches(list(batches), schema=schema)


def elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def run_check(probe: Callable[[], tuple[str, str | None]]) -> CheckResult:
    """Run ``probe`` (which returns a message and the server version) and time it; connector
    errors become ``ok=False`` with their message, anything else is a bug and propagates."""
    started = time.perf_counter()
    try:
        message, version = probe()
    except ConnectorError as exc:
        return CheckResult(ok=False, message=exc.message, latency_ms=elapsed_ms(started))
    return CheckResult(
        ok=True, message=message, latency_ms=elapsed_ms(started), server_version=version
    )


def first_line(message: str) -> str:
    """The first meaningful line of a driver message, without libpq/ADBC prefixes."""
    for line in message.strip().splitlines():
        line = line.strip()
        if line:
            return line
    return message.strip()


def scrub(message: str, *secrets: str | None) -> str:
    """``message`` with every secret replaced: drivers should not echo them, but if one ever
    does, it must not reach an error, a response or a log line."""
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message
