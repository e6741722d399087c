"""SQL building blocks of the expression language: typed sqlglot nodes and JavaScript coercions.

Source columns have no static type here (the compiler only knows their names), so a value is
typed with a :class:`Kind` that is :attr:`Kind.ANY` for columns and known for literals and
function results. Coercions cast only what they must, always with casts that bind for any
DuckDB type (``CAST(x AS VARCHAR)``, ``TRY_CAST(x AS DOUBLE)``).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlglot import exp

from dataops.ontology.expression_parser import PathStep, expression_error

# Every SQL function the compiler may emit (besides CAST, TRY_CAST, CASE and COALESCE).
SQL_FUNCTIONS = frozenset({
    "abs", "ceil", "concat", "contains", "ends_with", "epoch_ms", "floor", "greatest",
    "json_extract_string", "json_valid", "least", "len", "length", "list_contains",
    "list_extract", "list_transform", "lower", "ltrim", "now", "regexp_extract",
    "regexp_full_match", "regexp_matches", "regexp_replace", "replace", "round", "rtrim",
    "starts_with", "strftime", "string_split", "strpos", "struct_extract", "substring",
    "timezone", "trim", "try_strptime", "trunc", "typeof", "upper",
})  # fmt: skip
MAX_POSITION = 2**31 - 1
MAX_NODES = 20_000  # budget of SQL nodes copied while compiling one expression
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%gZ"  # JavaScript's Date.prototype.toISOString, in UTC
_FALSY_TEXT = r"|false|-?nan|-?0+(\.0*)?(e[+-]?[0-9]+)?"  # how falsy non-text values print
_NUMERIC_TYPES = r"U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(.*\)|BOOLEAN"
_MAX_MILLIS = 8.64e15  # JavaScript's largest Date


class Kind(enum.Enum):
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"
    LIST = "list"
    NULL = "null"
    ANY = "any"  # a source column, or anything else whose DuckDB type is unknown here


@dataclass(frozen=True)
class Typed:
    """A compiled sub-expression. ``value`` holds the Python value of a literal."""

    sql: exp.Expr
    kind: Kind
    pos: int = 0
    is_literal: bool = False
    value: object = None
    entries: tuple[tuple[str, int, Typed], ...] | None = None  # an object literal's


class Context:
    """Per-compilation state: the budget of copied SQL nodes (bounds duplicated subtrees)."""

    def __init__(self, budget: int = MAX_NODES) -> None:
        self.budget = budget

    def dup(self, node: exp.Expr) -> exp.Expr:
        """A copy of ``node`` for a second use, charged to the budget."""
        self.budget -= sum(1 for _ in node.walk())
        if self.budget < 0:
            raise expression_error("expression is too complex", 0)
        return node.copy()


def call(name: str, *args: exp.Expr) -> exp.Expr:
    if name not in SQL_FUNCTIONS:
        raise RuntimeError(f"{name} is not an allowed SQL function")  # a bug, not user input
    return exp.Anonymous(this=name, expressions=list(args))


def string(value: str) -> exp.Expr:
    return exp.Literal.string(value)


def number(value: float) -> exp.Expr:
    literal = exp.Literal.number(repr(abs(value)) if isinstance(value, float) else str(abs(value)))
    return exp.Neg(this=literal) if value < 0 else literal


def cast(node: exp.Expr, to: str, *, safe: bool = False) -> exp.Expr:
    cls = exp.TryCast if safe else exp.Cast
    return cls(this=node, to=exp.DataType.build(to, dialect="duckdb"))


def paren(node: exp.Expr) -> exp.Expr:
    """``node`` in parentheses when it is an operator (sqlglot does not add them)."""
    if isinstance(node, exp.Paren) or not isinstance(node, (exp.Binary, exp.Unary, exp.Predicate)):
        return node
    return exp.Paren(this=node)


def case(whens: Sequence[tuple[exp.Expr, exp.Expr]], default: exp.Expr | None) -> exp.Expr:
    ifs = [exp.If(this=cond, true=value) for cond, value in whens]
    return exp.Case(ifs=ifs, default=default)


def binary(cls: type[exp.Binary], left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return cls(this=paren(left), expression=paren(right))


def not_(node: exp.Expr) -> exp.Expr:
    return exp.Not(this=paren(node))


def is_null(node: exp.Expr) -> exp.Expr:
    return exp.Is(this=paren(node), expression=exp.Null())


def as_text(t: Typed) -> exp.Expr:
    return t.sql if t.kind is Kind.STRING else cast(t.sql, "VARCHAR")


def as_number(t: Typed) -> exp.Expr:
    """JavaScript's ToNumber: dates become epoch milliseconds, text that is no number null."""
    if t.kind is Kind.NUMBER:
        return t.sql
    if t.kind is Kind.TIMESTAMP:
        return call("epoch_ms", t.sql)
    if t.kind is Kind.DATE:
        return call("epoch_ms", cast(t.sql, "TIMESTAMP"))
    return cast(t.sql, "DOUBLE", safe=True)


def as_double(t: Typed) -> exp.Expr:
    """An operand of arithmetic, as a DOUBLE (JavaScript's numbers; never integer overflow).

    Number literals stay as they are: they meet a DOUBLE, or the caller casts one of two.
    """
    node = as_number(t)
    is_double = isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.Neg)) or (
        isinstance(node, exp.Cast) and node.to.is_type("double")
    )
    return node if t.is_literal or is_double else cast(node, "DOUBLE")


def as_position(t: Typed) -> exp.Expr:
    """A character position or count: truncated like JavaScript, clamped to what DuckDB takes."""
    if t.is_literal and type(t.value) is int:
        return number(max(-MAX_POSITION, min(t.value, MAX_POSITION)))
    whole = cast(call("trunc", as_number(t)), "BIGINT", safe=True)
    return call("least", call("greatest", whole, number(-MAX_POSITION)), number(MAX_POSITION))


def truthy(ctx: Context, t: Typed) -> exp.Expr:
    """JavaScript truthiness as a never-null boolean: not null, false, 0, NaN or ''."""
    x = t.sql
    if t.kind is Kind.BOOLEAN:
        return exp.Coalesce(this=x, expressions=[exp.false()])
    if t.kind is Kind.NUMBER:
        zero_or_nan = exp.In(
            this=cast(x, "DOUBLE"), expressions=[number(0), cast(string("nan"), "DOUBLE")]
        )
        return exp.Coalesce(this=not_(zero_or_nan), expressions=[exp.false()])
    if t.kind is Kind.STRING:
        return exp.Coalesce(this=binary(exp.NEQ, x, string("")), expressions=[exp.false()])
    if t.kind is Kind.NULL:
        return exp.false()
    if t.kind is not Kind.ANY:
        return not_(is_null(x))
    # The type is only known to DuckDB: text is falsy when empty, other types when they print
    # as nothing (null), false, zero or NaN.
    is_text = binary(exp.EQ, call("typeof", ctx.dup(x)), string("VARCHAR"))
    text = exp.Coalesce(this=cast(ctx.dup(x), "VARCHAR"), expressions=[string("")])
    printed = exp.Coalesce(this=cast(x, "VARCHAR"), expressions=[string("")])
    falsy = call("regexp_full_match", call("lower", printed), string(_FALSY_TEXT))
    return case([(is_text, binary(exp.NEQ, text, string("")))], not_(falsy))


def to_timestamp(ctx: Context, t: Typed) -> exp.Expr:
    """``new Date(x)``: a TIMESTAMPTZ from ISO text, epoch milliseconds or a date."""
    x = t.sql
    if t.kind is Kind.TIMESTAMP:
        return x
    if t.kind is Kind.DATE:
        return call("timezone", string("UTC"), cast(x, "TIMESTAMP"))
    if t.kind is Kind.STRING:
        return cast(call("trim", x), "TIMESTAMPTZ", safe=True)
    if t.kind is Kind.NUMBER:
        return _from_millis(ctx, x)
    if t.kind is not Kind.ANY:
        return cast(exp.Null(), "TIMESTAMPTZ")
    text_type = exp.In(
        this=call("typeof", ctx.dup(x)), expressions=[string("VARCHAR"), string("BOOLEAN")]
    )
    millis = cast(ctx.dup(x), "DOUBLE", safe=True)
    from_text = cast(call("trim", cast(ctx.dup(x), "VARCHAR")), "TIMESTAMPTZ", safe=True)
    not_number = binary(exp.Or, text_type, is_null(ctx.dup(millis)))
    return case([(not_number, from_text)], _from_millis(ctx, millis))


def _from_millis(ctx: Context, millis: exp.Expr) -> exp.Expr:
    in_range = binary(exp.LTE, call("abs", ctx.dup(millis)), number(_MAX_MILLIS))
    epoch = call("epoch_ms", cast(call("trunc", millis), "BIGINT"))
    return case([(in_range, call("timezone", string("UTC"), epoch))], None)


def cast_to(ctx: Context, t: Typed, kind: Kind) -> exp.Expr:
    """``t`` (usually of unknown type) as a value of ``kind``."""
    if t.kind is kind or kind in (Kind.ANY, Kind.NULL, Kind.LIST):
        return t.sql
    if kind is Kind.STRING:
        return as_text(t)
    if kind is Kind.NUMBER:
        return as_number(t)
    if kind is Kind.BOOLEAN:
        return cast(t.sql, "BOOLEAN", safe=True)
    if kind is Kind.DATE:
        return cast(as_text(t), "DATE", safe=True)
    return to_timestamp(ctx, t)


def unify(ctx: Context, values: Sequence[Typed]) -> tuple[list[exp.Expr], Kind]:
    """The values as one SQL type (for CASE and COALESCE), and its kind.

    Known kinds combine as in JavaScript's ``+``/``==`` (any text makes text, numbers and
    booleans make numbers); columns take the kind of the literals next to them; different
    columns alone become text, because their types may not mix in DuckDB.
    """
    known = {v.kind for v in values} - {Kind.NULL, Kind.ANY}
    columns = [v for v in values if v.kind is Kind.ANY]
    mixed_list = Kind.LIST in known and (len(known) > 1 or bool(columns))
    if (
        Kind.STRING in known
        or mixed_list
        or (len(known) > 1 and not known <= {Kind.NUMBER, Kind.BOOLEAN})
    ):
        kind = Kind.TIMESTAMP if known <= {Kind.DATE, Kind.TIMESTAMP} else Kind.STRING
    elif known:
        kind = Kind.NUMBER if len(known) > 1 else known.pop()
    elif any(c.sql != columns[0].sql for c in columns):
        kind = Kind.STRING
    else:
        return [v.sql for v in values], Kind.ANY if columns else Kind.NULL
    return [cast_to(ctx, v, kind) if v.kind is not Kind.NULL else v.sql for v in values], kind


def compare(ctx: Context, op: type[exp.Binary], a: Typed, b: Typed) -> exp.Expr:
    """``a op b`` with the operands converted as JavaScript's ``==`` and ``<`` would."""
    kinds = {a.kind, b.kind}
    if len(kinds) == 1 and (Kind.ANY not in kinds or a.sql == b.sql):
        return binary(op, a.sql, b.sql)
    if kinds == {Kind.ANY}:
        return _compare_columns(ctx, op, a.sql, b.sql)
    if Kind.NULL in kinds or kinds <= {Kind.DATE, Kind.TIMESTAMP}:
        return binary(op, a.sql, b.sql)
    if Kind.LIST in kinds:
        return binary(op, as_text(a), as_text(b))
    if Kind.ANY in kinds:
        known = (kinds - {Kind.ANY}).pop()
        return binary(op, cast_to(ctx, a, known), cast_to(ctx, b, known))
    if Kind.NUMBER in kinds and kinds <= {Kind.NUMBER, Kind.STRING, Kind.BOOLEAN}:
        return binary(op, as_number(a), as_number(b))
    for kind in (Kind.DATE, Kind.TIMESTAMP):
        if kinds == {kind, Kind.STRING}:
            return binary(op, cast_to(ctx, a, kind), cast_to(ctx, b, kind))
    return binary(op, as_text(a), as_text(b))


def _compare_columns(ctx: Context, op: type[exp.Binary], a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """Two values whose types only DuckDB knows: as numbers when JavaScript would (numbers,
    booleans, or text next to one of those), else as text (same-typed dates order as text)."""

    def is_text_and_fits_number(x: exp.Expr) -> tuple[exp.Expr, exp.Expr]:
        type_name = call("typeof", ctx.dup(x))
        is_text = binary(exp.EQ, ctx.dup(type_name), string("VARCHAR"))
        is_number = call("regexp_full_match", type_name, string(_NUMERIC_TYPES))
        return is_text, binary(exp.Or, ctx.dup(is_text), is_number)

    a_text, a_fits = is_text_and_fits_number(a)
    b_text, b_fits = is_text_and_fits_number(b)
    both_fit = binary(exp.And, a_fits, b_fits)
    as_numbers = binary(exp.And, both_fit, not_(binary(exp.And, a_text, b_text)))
    numbers = binary(
        op, cast(ctx.dup(a), "DOUBLE", safe=True), cast(ctx.dup(b), "DOUBLE", safe=True)
    )
    texts = binary(op, cast(a, "VARCHAR"), cast(b, "VARCHAR"))
    return case([(as_numbers, numbers)], texts)


def json_path(steps: Sequence[PathStep]) -> str:
    """A DuckDB JSON path (``$."a"[0][*]``) for parsed path steps, keys always quoted."""
    out = ["$"]
    for step, arg in steps:
        if step == "key":
            out.append('."' + str(arg).replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            out.append("[*]" if step == "all" else f"[{arg}]")
    return "".join(out)
