"""The read-only SQL gate: what passes, what is refused, and that the message names the cause."""

from __future__ import annotations

import pytest

from dataops.connectors.errors import InvalidSpecError
from dataops.connectors.safety import validate_read_only_sql

ACCEPTED = [
    "SELECT 1",
    "SELECT 1; -- trailing note",
    "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
    "SELECT a FROM t UNION ALL SELECT b FROM u",
    "(SELECT 1)",
    "SELECT count(*), upper(name) FROM public.orders WHERE id > 3",
]

REFUSED = [
    ("DELETE FROM t", "read-only"),
    ("UPDATE t SET a = 1", "read-only"),
    ("DROP TABLE t", "read-only"),
    ("SELECT 1; SELECT 2", "exactly one"),
    ("SELECT * INTO copy FROM t", "INTO"),
    ("SELECT * FROM t FOR UPDATE", "FOR UPDATE"),
    ("SELECT pg_terminate_backend(42)", "pg_terminate_backend"),
    ("SELECT lo_export(1, '/tmp/x')", "lo_export"),
    ("SELECT set_config('x', 'y', false)", "set_config"),
    ("SELECT FROM WHERE", "does not parse"),
]


@pytest.mark.parametrize("sql", ACCEPTED)
def test_read_only_statements_pass(sql: str) -> None:
    validate_read_only_sql(sql, "postgres")


@pytest.mark.parametrize(("sql", "reason"), REFUSED)
def test_anything_else_is_refused_with_its_reason(sql: str, reason: str) -> None:
    with pytest.raises(InvalidSpecError) as caught:
        validate_read_only_sql(sql, "postgres")
    assert reason in caught.value.message
    assert caught.value.field == "body.spec.sql"
