"""The transform expression language of mappings, compiled to one vectorised DuckDB expression.

Users type a small JavaScript-flavoured expression to turn a source column into an object
property. It is parsed by our own parser (:mod:`.expression_parser`, never ``eval``, never read as
SQL), checked against an allow-list (:mod:`.expression_functions`) and compiled into a sqlglot
tree, in which string literals are sqlglot string literals, rendered for DuckDB.

Grammar, loosest binding first::

    c ? a : b                      ternary (right-associative)
    a ?? b   a || b                nullish, or
    a && b                         and
    == != === !==                  equality   (null-safe: null == null)
    < <= > >=                      comparison
    + -                            (+ joins text when either side is known to be text)
    * / %
    ! - +                          unary
    f(x)  x.m(y)  x.length  x[0]  row.col  row["col"]  new Date(x)  (...)
    literals: 1.5  "text"  'text'  true  false  null  {key: value} (mapValues only)

Semantics are JavaScript's wherever the text alone decides them (column types are unknown here):

- ``value`` is the mapped source column, ``row.name``/``row["a b"]`` any other column.
- Numbers are DOUBLEs, as in JavaScript: ``- * / %`` and ``+`` convert their operands (text that
  is no number becomes null, dates epoch milliseconds; ``1 / 0`` is infinity). ``+`` joins text
  instead when either side is *known* to be text: a string literal, or a function or method
  returning text (``row.a + row.b`` adds; ``row.a + "" + row.b`` joins).
- Comparisons convert a column to the type of the literal it meets (``value == 1`` compares
  numbers); two columns compare as numbers when JavaScript would, else as text. ``==`` and
  ``!=`` are null-safe (``value == null`` is ``IS NULL``); ``"1" === 1`` is false.
- Truthiness (``?:``, ``!``, ``&&``, ``||``, ``Boolean``, ``if``): null, false, 0, NaN and '' are
  falsy; ``a || b`` is ``a`` when truthy, else ``b``; branches of different types become text.
- Null propagates as in SQL: ``"a" + null`` is null (``concat`` skips nulls, ``??`` replaces
  them) and ``null < 1`` is null. String methods read a column as its text.
- Text without a UTC offset is read in UTC (``parseTimestamp`` takes another zone).

>>> compile_expression('row["unit price"] * 2', value_column=None, columns=["unit price"])
CompiledExpression(sql='TRY_CAST("unit price" AS DOUBLE) * 2', columns=('unit price',))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass

from sqlglot import exp

from dataops.ontology.errors import ExpressionError
from dataops.ontology.expression_functions import (
    ALLOWED_FUNCTIONS,
    DATE,
    FUNCTIONS,
    LENGTH,
    METHODS,
    describe_functions,
    find_function,
)
from dataops.ontology.expression_parser import (
    MAX_LENGTH,
    Binary,
    Call,
    Conditional,
    Index,
    Literal,
    Member,
    Name,
    New,
    Node,
    ObjectLit,
    PathStep,
    Unary,
    expression_error,
    parse,
    parse_path,
)
from dataops.ontology.expression_sql import (
    SQL_FUNCTIONS,
    Context,
    Kind,
    Typed,
    as_double,
    as_text,
    binary,
    call,
    case,
    cast,
    compare,
    is_null,
    json_path,
    not_,
    number,
    string,
    truthy,
    unify,
)

__all__ = [
    "ALLOWED_FUNCTIONS",
    "SQL_FUNCTIONS",
    "CompiledExpression",
    "column_path_sql",
    "compile_expression",
    "describe_functions",
]

_MAX_SQL = 200_000
_ARITHMETIC: dict[str, type[exp.Binary]] = {
    "+": exp.Add, "-": exp.Sub, "*": exp.Mul, "/": exp.Div, "%": exp.Mod,
}  # fmt: skip
_COMPARISON: dict[str, type[exp.Binary]] = {
    "==": exp.NullSafeEQ, "===": exp.NullSafeEQ, "!=": exp.NullSafeNEQ, "!==": exp.NullSafeNEQ,
    "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE,
}  # fmt: skip
_NESTED_TYPES = ("struct<", "list<", "large_list<", "fixed_size_list<", "list_view<")
_JSON_TYPES = ("string", "large_string", "utf8", "large_utf8", "string_view", "json")


@dataclass(frozen=True)
class CompiledExpression:
    sql: str  # a DuckDB SQL expression (no SELECT), column refs as quoted identifiers
    columns: tuple[str, ...]  # source columns the expression reads, in first-use order


def compile_expression(
    text: str, *, value_column: str | None, columns: Collection[str]
) -> CompiledExpression:
    """Compile ``text``; ``value`` means ``value_column``, ``row.x``/``row["x"]`` other columns.

    An empty text means "no transform" (the value column itself). Raises
    :class:`ExpressionError` naming the problem and its character offset.

    >>> compile_expression("", value_column="status", columns=["status"]).sql
    '"status"'
    >>> compile_expression("read_csv('x')", value_column="status", columns=["status"])
    Traceback (most recent call last):
    dataops.ontology.errors.ExpressionError: function read_csv is not allowed at 0
    """
    if not text.strip():
        if value_column is None:
            raise expression_error("an empty expression needs a mapped source column", 0)
        return CompiledExpression(_quote(value_column).sql(dialect="duckdb"), (value_column,))
    compiler = _Compiler(value_column, columns)
    result = compiler.compile(parse(text))
    return CompiledExpression(_render(result.sql), tuple(compiler.used))


def _quote(column: str) -> exp.Expr:
    return exp.column(column, quoted=True)


def _render(node: exp.Expr) -> str:
    for anonymous in node.find_all(exp.Anonymous):
        if anonymous.name not in SQL_FUNCTIONS:  # only reachable through a bug here
            raise RuntimeError(f"{anonymous.name} is not an allowed SQL function")
    try:
        sql = node.sql(dialect="duckdb")
    except RecursionError:
        sql = ""
    if not sql or len(sql) > _MAX_SQL:
        raise expression_error("expression is too complex", 0)
    return sql


class _Compiler:
    def __init__(self, value_column: str | None, columns: Collection[str]) -> None:
        self.value_column = value_column
        self.columns = frozenset(columns)
        self.used: dict[str, None] = {}  # an ordered set
        self.ctx = Context()

    def compile(self, node: Node, *, object_ok: bool = False) -> Typed:
        if isinstance(node, ObjectLit):
            if not object_ok:
                raise expression_error(
                    "object literals are only allowed as the second argument of mapValues",
                    node.pos,
                )
            entries = tuple((key, pos, self.compile(value)) for key, pos, value in node.entries)
            return Typed(exp.Null(), Kind.NULL, node.pos, entries=entries)
        result = self._dispatch(node)
        return result if result.pos == node.pos else dataclasses.replace(result, pos=node.pos)

    def _dispatch(self, node: Node) -> Typed:
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Conditional):
            test = self.compile(node.test)
            values, kind = unify(self.ctx, [self.compile(node.then), self.compile(node.other)])
            return Typed(case([(truthy(self.ctx, test), values[0])], values[1]), kind)
        if isinstance(node, Member):
            return self.member(node)
        if isinstance(node, Index):
            return self.index(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, New):
            if node.name != "Date":
                raise expression_error(
                    f"new {node.name} is not allowed (only new Date(x))", node.pos
                )
            DATE.check_arity(len(node.args), node.pos)
            return DATE.build(self.ctx, [self.compile(a) for a in node.args], node.pos)
        raise AssertionError(f"unexpected node {node!r}")

    def column(self, name: str, pos: int) -> Typed:
        if name not in self.columns and name != self.value_column:
            raise expression_error(f"unknown column {name!r}", pos)
        self.used.setdefault(name)
        return Typed(_quote(name), Kind.ANY, pos)

    def literal(self, node: Literal) -> Typed:
        value = node.value
        sql: exp.Expr
        if isinstance(value, bool):
            sql, kind = exp.Boolean(this=value), Kind.BOOLEAN
        elif value is None:
            sql, kind = exp.Null(), Kind.NULL
        elif isinstance(value, str):
            sql, kind = string(value), Kind.STRING
        else:
            sql, kind = number(value), Kind.NUMBER
        return Typed(sql, kind, node.pos, is_literal=True, value=value)

    def name(self, node: Name) -> Typed:
        if node.name == "value":
            if self.value_column is None:
                raise expression_error(
                    "value is not available: no source column is mapped (use row.name)", node.pos
                )
            return self.column(self.value_column, node.pos)
        if node.name == "row":
            raise expression_error('row must be followed by .name or ["name"]', node.pos)
        if node.name in FUNCTIONS:
            raise expression_error(f"{node.name} is a function: call it with (...)", node.pos)
        raise expression_error(
            f'unknown identifier {node.name!r} (use value, row.name or row["name"])', node.pos
        )

    def unary(self, node: Unary) -> Typed:
        x = self.compile(node.operand)
        if node.op == "!":
            return Typed(not_(truthy(self.ctx, x)), Kind.BOOLEAN)
        if x.is_literal and isinstance(x.value, int | float) and not isinstance(x.value, bool):
            value = -x.value if node.op == "-" else x.value
            return Typed(number(value), Kind.NUMBER, is_literal=True, value=value)
        sql = as_double(x)
        return Typed(exp.Neg(this=exp.Paren(this=sql)) if node.op == "-" else sql, Kind.NUMBER)

    def binary(self, node: Binary) -> Typed:
        if node.op in ("&&", "||", "??"):
            return self.logical(node)
        a, b = self.compile(node.left), self.compile(node.right)
        if node.op in _COMPARISON:
            return self.compare(node.op, a, b)
        if node.op == "+" and Kind.STRING in (a.kind, b.kind):
            return Typed(binary(exp.DPipe, as_text(a), as_text(b)), Kind.STRING)
        left, right = as_double(a), as_double(b)
        if a.is_literal and b.is_literal:
            left = cast(left, "DOUBLE")
        return Typed(binary(_ARITHMETIC[node.op], left, right), Kind.NUMBER)

    def compare(self, op: str, a: Typed, b: Typed) -> Typed:
        if Kind.NULL in (a.kind, b.kind) and op in ("==", "===", "!=", "!=="):
            test = is_null(b.sql if a.kind is Kind.NULL else a.sql)
            return Typed(not_(test) if op[0] == "!" else test, Kind.BOOLEAN)
        kinds = {a.kind, b.kind}
        strict = op in ("===", "!==") and len(kinds) == 2 and Kind.ANY not in kinds
        if strict and not kinds <= {Kind.DATE, Kind.TIMESTAMP}:  # "1" === 1 is false
            return Typed(exp.Boolean(this=op == "!=="), Kind.BOOLEAN)
        return Typed(compare(self.ctx, _COMPARISON[op], a, b), Kind.BOOLEAN)

    def logical(self, node: Binary) -> Typed:
        """A chain ``a || b || c`` (or ``&&``, ``??``) as one CASE or COALESCE."""
        operands: list[Node] = []
        current: Node = node
        while isinstance(current, Binary) and current.op == node.op:
            operands.append(current.right)
            current = current.left
        values = [self.compile(n) for n in [current, *reversed(operands)]]
        sqls, kind = unify(self.ctx, values)
        if node.op == "??":
            return Typed(exp.Coalesce(this=sqls[0], expressions=sqls[1:]), kind)
        tests = [truthy(self.ctx, dataclasses.replace(v, sql=self.ctx.dup(v.sql))) for v in values]
        if all(v.kind is Kind.BOOLEAN for v in values):
            connector = exp.And if node.op == "&&" else exp.Or
            result = tests[0]
            for test in tests[1:]:
                result = binary(connector, result, test)
            return Typed(result, Kind.BOOLEAN)
        if node.op == "&&":
            tests = [not_(test) for test in tests]
        return Typed(case(list(zip(tests[:-1], sqls[:-1], strict=True)), sqls[-1]), kind)

    def member(self, node: Member) -> Typed:
        if isinstance(node.obj, Name) and node.obj.name == "row":
            return self.column(node.name, node.name_pos)
        obj = self.compile(node.obj)
        if node.name == "length":
            return LENGTH.build(self.ctx, [obj], node.pos)
        pos = node.name_pos
        if node.name in METHODS:
            raise expression_error(f"method {node.name} must be called: .{node.name}()", pos)
        raise expression_error(f"property .{node.name} is not allowed (only .length)", pos)

    def index(self, node: Index) -> Typed:
        key = node.index.value if isinstance(node.index, Literal) else None
        if isinstance(node.obj, Name) and node.obj.name == "row":
            if not isinstance(key, str):
                raise expression_error('row[...] needs a quoted column name: row["name"]', node.pos)
            return self.column(key, node.index.pos)
        if not isinstance(key, int) or isinstance(key, bool):
            raise expression_error("an index must be a whole number literal, like [0]", node.pos)
        x = self.compile(node.obj)
        if x.kind is Kind.LIST:
            return Typed(call("list_extract", x.sql, number(key + 1)), Kind.ANY)
        text = as_text(x)
        inside = binary(exp.GT, call("length", self.ctx.dup(text)), number(key))
        return Typed(case([(inside, call("substring", text, number(key + 1), number(1)))], None),
                     Kind.STRING)  # fmt: skip

    def call(self, node: Call) -> Typed:
        callee = node.callee
        if isinstance(callee, Name):
            spec = find_function(callee.name, callee.pos)
            spec.check_arity(len(node.args), callee.pos)
            args = [
                self.compile(arg, object_ok=spec.name == "mapValues" and i == 1)
                for i, arg in enumerate(node.args)
            ]
            return spec.build(self.ctx, args, callee.pos)
        if isinstance(callee, Member):
            if isinstance(callee.obj, Name) and callee.obj.name == "row":
                raise expression_error(
                    f"row.{callee.name} is a column, not a method", callee.name_pos
                )
            receiver = self.compile(callee.obj)
            method = METHODS.get(callee.name)
            if method is None:
                raise expression_error(f"method .{callee.name}() is not allowed", callee.name_pos)
            method.check_arity(len(node.args), callee.name_pos)
            return method.build(
                self.ctx, [receiver, *(self.compile(arg) for arg in node.args)], callee.pos
            )
        raise expression_error("only functions and methods can be called", node.pos)


def column_path_sql(column: str, path: str, *, column_type: str) -> str:
    """SQL reading ``path`` (``address.city``, ``items[0].sku``, ``tags[*]``) inside ``column``.

    ``column_type`` is the column's Arrow type: ``struct<...>``/``list<...>`` are read with
    DuckDB's struct and list functions (``[*]`` maps the rest of the path over the list), text
    (``string``, ``large_string``) as JSON, null when it is not valid JSON.

    >>> column_path_sql("order", "items[0].sku", column_type="struct<items: list<...>>")
    'STRUCT_EXTRACT(LIST_EXTRACT(STRUCT_EXTRACT("order", \\'items\\'), 1), \\'sku\\')'
    >>> column_path_sql("doc", "tags[*]", column_type="string")
    'CASE WHEN JSON_VALID("doc") THEN JSON_EXTRACT_STRING("doc", \\'$."tags"[*]\\') END'
    """
    if len(path) > MAX_LENGTH:
        raise expression_error(f"path is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    steps = parse_path(path)
    kind = column_type.strip().lower()
    if not steps:
        node = _quote(column)
    elif kind.startswith(_NESTED_TYPES):
        node = _nested(_quote(column), steps, 1)
    elif kind in _JSON_TYPES or kind.startswith("extension<arrow.json"):
        value = call("json_extract_string", _quote(column), string(json_path(steps)))
        node = case([(call("json_valid", _quote(column)), value)], None)
    else:
        raise ExpressionError(
            f"column {column!r} of type {column_type} has no nested fields", field="path"
        )
    return _render(node)


def _nested(node: exp.Expr, steps: tuple[PathStep, ...], level: int) -> exp.Expr:
    for i, (step, arg) in enumerate(steps):
        if step == "key":
            node = call("struct_extract", node, string(str(arg)))
        elif step == "index" and isinstance(arg, int):
            node = call("list_extract", node, number(arg + 1))
        elif steps[i + 1 :]:  # [*] followed by more: map the rest over the list's items
            item = f"item{level}"
            body = _nested(exp.column(item), steps[i + 1 :], level + 1)
            lambda_ = exp.Lambda(this=body, expressions=[exp.to_identifier(item)])
            return call("list_transform", node, lambda_)
    return node
