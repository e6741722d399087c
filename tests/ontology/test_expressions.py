"""The transform expression language: golden cases executed by DuckDB, rejections with their
positions, nested column paths, and properties (any text either fails cleanly or compiles to SQL
that calls only allow-listed functions, holds no statement and runs)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
import sqlglot
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp
from sqlglot.tokens import TokenType

from dataops.engine.session import session
from dataops.ontology.errors import ExpressionError
from dataops.ontology.expressions import (
    ALLOWED_FUNCTIONS,
    SQL_FUNCTIONS,
    CompiledExpression,
    column_path_sql,
    compile_expression,
    describe_functions,
)

OPERATORS = ["+", "-", "*", "/", "%", "==", "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||",
             "??"]  # fmt: skip
FIXTURES = yaml.safe_load((Path(__file__).parent / "fixtures" / "expressions.yaml").read_text())
TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    "timestamp[us]": pa.timestamp("us"),
    "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC"),
    "decimal128(10, 2)": pa.decimal128(10, 2),
}
# Words that precede "(" in the SQL without calling a function.
OPERATOR_WORDS = {"and", "or", "not", "case", "when", "then", "else", "in", "is", "from", "decimal"}
# SQL calls the compiler emits besides its SQL_FUNCTIONS.
SQL_FORMS = {"cast", "try_cast", "coalesce"}
STATEMENTS = tuple(
    getattr(exp, name)
    for name in (
        "Query", "Command", "Create", "Drop", "Insert", "Update", "Delete", "Copy", "Set",
        "Pragma", "Use", "Attach", "Detach", "Table", "Subquery", "Describe", "Transaction",
        "Alter", "Install", "Load", "Export",
    )
    if hasattr(exp, name)
)  # fmt: skip


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with session(threads=1) as connection:
        yield connection


def arrow_column(type_name: str, values: list[Any]) -> pa.Array:
    arrow_type = TYPES[type_name]
    if pa.types.is_date(arrow_type):
        values = [v if v is None else dt.date.fromisoformat(str(v)) for v in values]
    elif pa.types.is_timestamp(arrow_type):
        values = [v if v is None else dt.datetime.fromisoformat(v) for v in values]
    elif pa.types.is_decimal(arrow_type):
        values = [v if v is None else decimal.Decimal(v) for v in values]
    return pa.array(values, type=arrow_type)


def run(con: duckdb.DuckDBPyConnection, table: pa.Table, sql: str) -> pa.Table:
    con.register("t", table)
    try:
        return con.sql(f"SELECT {sql} AS out FROM t").arrow().read_all()
    finally:
        con.unregister("t")


def normal(value: Any) -> Any:
    """Comparable form: instants as ISO text in UTC, dates and decimals as text, booleans tagged."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, list):
        return [normal(v) for v in value]
    return value


def check_sql(sql: str, columns: list[str]) -> None:
    """``sql`` is one expression over ``columns`` calling only allow-listed SQL functions."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    assert not any(isinstance(node, STATEMENTS) for node in tree.walk()), sql
    for func in tree.find_all(exp.Anonymous):
        assert func.name.lower() in SQL_FUNCTIONS, func.name
    tokens = sqlglot.tokenize(sql, read="duckdb")
    assert not any(t.token_type is TokenType.SEMICOLON for t in tokens), sql
    called = {
        t.text.lower()
        for t, after in pairwise(tokens)
        if after.token_type is TokenType.L_PAREN and re.fullmatch(r"[A-Za-z_]\w*", t.text)
        and t.token_type not in (TokenType.STRING, TokenType.IDENTIFIER)
    } - OPERATOR_WORDS  # fmt: skip
    assert called <= SQL_FUNCTIONS | SQL_FORMS, called - SQL_FUNCTIONS - SQL_FORMS
    assert {c.name for c in tree.find_all(exp.Column)} <= set(columns), sql


# -- golden cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", FIXTURES["cases"], ids=lambda case: case["expr"][:50])
def test_golden(con: duckdb.DuckDBPyConnection, case: dict[str, Any]) -> None:
    table = pa.table({name: arrow_column(*spec) for name, spec in case["input"].items()})
    value_column = case.get("value", table.column_names[0])
    compiled = compile_expression(
        case["expr"], value_column=value_column, columns=table.column_names
    )
    out = run(con, table, compiled.sql)
    got = [normal(v) for v in out.column("out").to_pylist()]
    assert got == [normal(v) for v in case["expected"]], compiled.sql
    if "type" in case:
        assert str(out.schema.field("out").type) == case["type"]
    check_sql(compiled.sql, table.column_names)
    assert set(compiled.columns) <= set(table.column_names)


def test_the_fixtures_cover_the_whole_language() -> None:
    text = " ".join(case["expr"] for case in FIXTURES["cases"])
    assert len(FIXTURES["cases"]) >= 40
    for name in ALLOWED_FUNCTIONS:
        assert re.search(rf"\b{name}\(", text, flags=re.IGNORECASE), name
    for entry in describe_functions():
        if entry["kind"] in ("method", "property"):
            assert "." + entry["name"] in text, entry["name"]
    for op in [*OPERATORS, "!", "?", ":"]:
        assert f" {op} " in text or f"{op}value" in text or f"{op}(" in text, op


def test_the_spec_examples() -> None:
    cases = {
        "parseInt(value)": ("42", 42),
        'value ? "active" : "inactive"': ("", "inactive"),
        "new Date(value).toISOString()": ("2024-01-15T10:30:00+02:00", "2024-01-15T08:30:00.000Z"),
    }
    with session(threads=1) as con:
        for text, (given_value, expected) in cases.items():
            compiled = compile_expression(text, value_column="status", columns=["status"])
            assert compiled.columns == ("status",)
            out = run(con, pa.table({"status": [given_value]}), compiled.sql)
            assert out.column("out").to_pylist() == [expected]


# -- compile_expression's contract ------------------------------------------------------------


def test_an_empty_expression_is_the_column_itself() -> None:
    assert compile_expression("  \n", value_column='a "b"', columns=[]) == CompiledExpression(
        '"a ""b"""', ('a "b"',)
    )
    with pytest.raises(ExpressionError, match="needs a mapped source column at 0"):
        compile_expression("", value_column=None, columns=["x"])


def test_columns_are_listed_in_first_use_order() -> None:
    compiled = compile_expression(
        'row.b + row["a"] + value + row.b', value_column="v", columns=["a", "b", "v"]
    )
    assert compiled.columns == ("b", "a", "v")
    assert '"b"' in compiled.sql and '"v"' in compiled.sql


def test_value_needs_a_source_column() -> None:
    with pytest.raises(ExpressionError, match="value is not available") as info:
        compile_expression("row.a + value", value_column=None, columns=["a"])
    assert info.value.details["position"] == 8
    assert compile_expression("row.a", value_column=None, columns=["a"]).columns == ("a",)


@pytest.mark.parametrize("case", FIXTURES["rejections"], ids=lambda case: case["expr"][:40])
def test_rejected(case: dict[str, Any]) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(case["expr"], value_column="v", columns=["v", "fmt"])
    error = info.value
    assert case["message"] in error.message
    assert error.message.endswith(f" at {case['at']}")
    assert error.details["position"] == case["at"]
    assert (error.code, error.http_status) == ("invalid_expression", 422)


def test_length_and_nesting_limits() -> None:
    longest = '"' + "x" * 1998 + '"'
    assert compile_expression(longest, value_column="v", columns=["v"]).sql == f"'{'x' * 1998}'"
    with pytest.raises(ExpressionError, match="longer than 2000 characters at 2000"):
        compile_expression(longest + " ", value_column="v", columns=["v"])
    deep = [
        "(" * 51 + "value" + ")" * 51,
        "!" * 60 + "value",
        " + ".join(["value"] * 52),
        "value" + ".trim()" * 30,
        "value ? " * 60 + "1" + " : 2" * 60,
    ]
    for text in deep:
        with pytest.raises(ExpressionError, match="nested more than 50 levels deep"):
            compile_expression(text, value_column="v", columns=["v"])
    assert compile_expression("(" * 20 + "value" + ")" * 20, value_column="v", columns=["v"])


def test_expressions_that_would_blow_up_are_refused() -> None:
    text = "(" * 20 + "value" + " || value) && value" * 20
    with pytest.raises(ExpressionError, match="too complex"):
        compile_expression(text, value_column="v", columns=["v"])


def test_describe_functions() -> None:
    described = describe_functions()
    assert json.loads(json.dumps(described)) == described
    assert {d["name"] for d in described if d["kind"] == "function"} == ALLOWED_FUNCTIONS
    assert {"parseInt", "mapValues", "toISOString", "length", "Date"} <= {
        d["name"] for d in described
    }
    for entry in described:
        assert set(entry) == {"name", "kind", "signature", "description"}
        assert entry["signature"] and entry["description"].endswith(".")
    assert not {"read_csv", "getenv", "query", "eval"} & ALLOWED_FUNCTIONS


# -- nested column paths ---------------------------------------------------------------------

ORDER = {
    "address": {"city": "Paris", "zip code": "75001"},
    "items": [{"sku": "A1", "qty": 2}, {"sku": "B2", "qty": 1}],
    "tags": ["new", "vip"],
}
NESTED = pa.table(
    {
        "order": [ORDER, {"address": None, "items": [], "tags": []}, None],
        "lines": [ORDER["items"], [], None],
        "doc": [json.dumps(ORDER), "not json", None],
    }
)
PATHS = [
    ("address.city", ["Paris", None, None]),
    ('address["zip code"]', ["75001", None, None]),
    ("items[0].sku", ["A1", None, None]),
    ("items[1].qty", [1, None, None]),
    ("items[*].sku", [["A1", "B2"], [], None]),
    ("tags[*]", [["new", "vip"], [], None]),
    ("tags[1]", ["vip", None, None]),
    ('["tags"][0]', ["new", None, None]),
]


@pytest.mark.parametrize(("path", "expected"), PATHS)
def test_column_path_in_a_struct(
    con: duckdb.DuckDBPyConnection, path: str, expected: list[Any]
) -> None:
    column_type = str(NESTED.schema.field("order").type)
    assert column_type.startswith("struct<")
    sql = column_path_sql("order", path, column_type=column_type)
    assert run(con, NESTED, sql).column("out").to_pylist() == expected
    check_sql(sql, ["order"] + [f"item{i}" for i in range(1, 4)])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("[0].sku", ["A1", None, None]),
        ("[*].qty", [[2, 1], [], None]),
        ("[*]", [ORDER["items"], [], None]),
        ("", [ORDER["items"], [], None]),
    ],
)
def test_column_path_in_a_list_of_structs(
    con: duckdb.DuckDBPyConnection, path: str, expected: list[Any]
) -> None:
    column_type = str(NESTED.schema.field("lines").type)
    assert column_type.startswith("list<")
    sql = column_path_sql("lines", path, column_type=column_type)
    assert run(con, NESTED, sql).column("out").to_pylist() == expected


@pytest.mark.parametrize(("path", "expected"), PATHS)
def test_column_path_in_json_text(
    con: duckdb.DuckDBPyConnection, path: str, expected: list[Any]
) -> None:
    sql = column_path_sql("doc", path, column_type="string")
    got = run(con, NESTED, sql).column("out").to_pylist()
    as_text = [
        [str(v) for v in e] if isinstance(e, list) else (None if e is None else str(e))
        for e in expected[:1]
    ]
    assert got == [*as_text, None, None]  # JSON values come back as text; bad JSON is null
    check_sql(sql, ["doc"])


def test_column_path_in_large_string_json_with_odd_keys(con: duckdb.DuckDBPyConnection) -> None:
    doc = {'say "hi"': {"a.b": 1}, "back\\slash": "x"}
    table = pa.table({"j": pa.array([json.dumps(doc)], type=pa.large_string())})
    sql = column_path_sql("j", """['say "hi"']["a.b"]""", column_type="large_string")
    assert run(con, table, sql).column("out").to_pylist() == ["1"]
    sql = column_path_sql("j", '["back\\slash"]', column_type="large_string")
    assert run(con, table, sql).column("out").to_pylist() == ["x"]


@pytest.mark.parametrize(
    "path", ["a..b", "a[", "a[x]", "[-1]", "a]", ".a", "a.", '["x]', "a b[0", "[]", "a['']"]
)
def test_malformed_paths_are_refused(path: str) -> None:
    with pytest.raises(ExpressionError, match="malformed path"):
        column_path_sql("c", path, column_type="struct<a: int64>")


def test_paths_need_a_nested_or_json_column() -> None:
    with pytest.raises(ExpressionError, match="has no nested fields"):
        column_path_sql("n", "a", column_type="int64")
    assert column_path_sql("n", "", column_type="int64") == '"n"'


# -- properties -------------------------------------------------------------------------------

TABLE = pa.table(
    {
        "s": ["42", "", None, "abc", "2024-01-15", " 7 ", "A", "1e3"],
        "n": pa.array([1, 0, None, -3, 1700000000000, 7, 2, 10], type=pa.int64()),
        "x": [0.5, 0.0, None, float("nan"), -2.5, float("inf"), 1e300, 3.0],
        "b": [True, False, None, True, False, True, False, None],
    }
)
COLUMNS = TABLE.column_names
ATOMS = ["value", "row.s", "row.n", "row.x", "row.b", 'row["s"]', "1", "0", "-2.5", "7", '"a"',
         '" 42 "', "''", "true", "false", "null", '"2024-01-15"', "1700000000000",
         "'A'"]  # fmt: skip
TEMPLATES = [
    "parseInt({})", "parseFloat({})", "String({})", "Number({})", "Boolean({})", "trim({})",
    "lower({})", "UPPER({})", "length({})", "abs({})", "floor({})", "ceil({})", "round({}, 1)",
    "parseDate({})", "parseTimestamp({})", "new Date({})", "parseDecimal({}, 10, 2)",
    "parseDate({}, '%d/%m/%Y')", "parseTimestamp({}, null, 'Europe/Paris')",
    "parseTimestamp({}, '%Y-%m-%d %H:%M')", "regexExtract({}, '([0-9]+)', 1)",
    "regexReplace({}, '[0-9]', '<$&>')", "jsonExtract({}, '$.a[0]')", "jsonExtract({}, '$.a[*]')",
    "mapValues({}, {{A: 1, '42': 2, 7: 'x'}}, 0)", "mapValues({}, {{1: true}})",
    "split({}, ',')", "({}).trim()", "({}).length", "({}).toUpperCase()", "({}).split('')[0]",
    "({}).split(',').length", "({}).includes('a')", "({}).startsWith('4')",
    "({}).substring(1, 3)", "({}).substring(2)", "({}).replace('a', '$$')", "({}).toISOString()",
    "({}).toString()", "({}).indexOf('2')", "({})[1]", "!({})", "-({})", "+({})",
]  # fmt: skip
BINARY_TEMPLATES = ["concat({}, {})", "coalesce({}, {})", "replace({}, {}, 'x')",
                    "substring({}, {})", "({}).split(',').includes({})", "({}).endsWith({})",
                    "({}).substring({}, 1)"]  # fmt: skip


def _expressions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(str.format, st.sampled_from(TEMPLATES), children),
        st.builds(str.format, st.sampled_from(BINARY_TEMPLATES), children, children),
        st.builds("({} {} {})".format, children, st.sampled_from(OPERATORS), children),
        st.builds("({} ? {} : {})".format, children, children, children),
        st.builds("if({}, {}, {})".format, children, children, children),
    )


EXPRESSIONS = st.recursive(st.sampled_from(ATOMS), _expressions, max_leaves=8)
FRAGMENTS = [*ATOMS, *OPERATORS, "!", "?", ":", "(", ")", ",", ".", "[0]", "{A: 1}", ".length",
             ".trim()", "new Date(", "read_csv(", "SELECT", "FROM", ";", "--", "/*", "`", "\\",
             "'; DROP TABLE t; --'", '"\\"); COPY t TO \'x\'; --"', "'%d/%m/%Y'", "'$.a'",
             *[f"{name}(" for name in sorted(ALLOWED_FUNCTIONS)]]  # fmt: skip
# What DuckDB may refuse in the data itself (text that does not convert between two columns of
# different types compared directly). Binder, parser, catalog and permission errors are bugs.
DATA_ERRORS = (duckdb.ConversionException,)


def _compile_check_and_run(con: duckdb.DuckDBPyConnection, text: str) -> None:
    try:
        compiled = compile_expression(text, value_column="s", columns=COLUMNS)
    except ExpressionError as error:
        refused: ExpressionError | None = error
    else:
        refused = None
    if refused is not None:
        assert re.search(r" at \d+$", refused.message)
        return
    check_sql(compiled.sql, COLUMNS)
    try:
        out = run(con, TABLE, compiled.sql)
    except DATA_ERRORS:
        return
    except duckdb.Error as error:
        raise AssertionError(f"{text!r} compiled to {compiled.sql}") from error
    assert out.num_rows == TABLE.num_rows


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_fails_cleanly_or_compiles_to_safe_sql(
    con: duckdb.DuckDBPyConnection, text: str
) -> None:
    _compile_check_and_run(con, text)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join))
def test_token_soup_fails_cleanly_or_compiles_to_safe_sql(
    con: duckdb.DuckDBPyConnection, text: str
) -> None:
    _compile_check_and_run(con, text)


@settings(max_examples=400, deadline=None)
@given(text=EXPRESSIONS)
def test_well_formed_expressions_compile_and_run(con: duckdb.DuckDBPyConnection, text: str) -> None:
    _compile_check_and_run(con, text)


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\0")))
def test_string_literals_come_back_verbatim(con: duckdb.DuckDBPyConnection, value: str) -> None:
    quoted = '"' + "".join(
        f"\\u{{{ord(c):x}}}" if ord(c) < 32 or c in '"\\' else c for c in value
    ) + '"'  # fmt: skip
    compiled = compile_expression(quoted, value_column="s", columns=COLUMNS)
    assert run(con, TABLE, compiled.sql).column("out").to_pylist() == [value] * TABLE.num_rows


@settings(max_examples=100, deadline=None)
@given(name=st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\0"),
                    min_size=1, max_size=20))  # fmt: skip
def test_any_column_name_is_read_as_itself(con: duckdb.DuckDBPyConnection, name: str) -> None:
    table = pa.table({name: ["x"]})
    quoted = json.dumps(name)  # \uXXXX escapes and surrogate pairs, as JavaScript reads them
    compiled = compile_expression(f'row[{quoted}] + "" + value', value_column=name, columns=[name])
    assert compiled.columns == (name,)
    assert run(con, table, compiled.sql).column("out").to_pylist() == ["xx"]
