"""What to read, from command-line options: exactly one of table, query, file or endpoint."""

from __future__ import annotations

from typing import Any

from dataops.cli.context import fail


def read_spec(
    *,
    table: str | None = None,
    sql: str | None = None,
    path: str | None = None,
    endpoint: str | None = None,
) -> dict[str, Any]:
    """The read spec the options name.

    >>> read_spec(table="public.orders")
    {'kind': 'table', 'table': 'public.orders'}
    """
    given = [
        (k, v)
        for k, v in (("table", table), ("query", sql), ("file", path), ("endpoint", endpoint))
        if v
    ]
    if len(given) != 1:
        raise fail("give exactly one of --table, --sql, --path, --endpoint")
    kind, value = given[0]
    key = {"table": "table", "query": "sql", "file": "path", "endpoint": "path"}[kind]
    return {"kind": kind, key: value}
