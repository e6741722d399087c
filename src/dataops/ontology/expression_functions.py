"""The allow-list of the expression language: its functions, methods and what they compile to.

Arguments that shape the SQL (formats, patterns, time zones, precisions) must be literals, so
they are checked here rather than failing inside DuckDB.

>>> "parseInt" in ALLOWED_FUNCTIONS and "read_csv" not in ALLOWED_FUNCTIONS
True
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlglot import exp

from dataops.ontology.errors import ExpressionError
from dataops.ontology.expression_parser import expression_error, parse_path
from dataops.ontology.expression_sql import (
    ISO_FORMAT,
    MAX_POSITION,
    Context,
    Kind,
    Typed,
    as_number,
    as_position,
    as_text,
    binary,
    call,
    case,
    cast,
    json_path,
    number,
    paren,
    string,
    to_timestamp,
    truthy,
    unify,
)

Builder = Callable[[Context, Sequence[Typed], int], Typed]

_FORMAT_DIRECTIVE = re.compile(r"%(?:-?[aAwdbhBmyYHIpMSfgnzZjUWcxX]|%)")
_UNSUPPORTED_REGEX = re.compile(r"\(\?<?[=!]|\(\?P=|\(\?>|\\[1-9]")  # RE2 has none of these
_OFFSET = r":[0-9]{2}(\.[0-9]+)?\s*([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$"  # a time with an offset
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")  # as JavaScript prints numbers
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*")
_INT_PREFIX = r"^[+-]?[0-9]+"
_FLOAT_PREFIX = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    signature: str
    description: str
    build: Builder
    min_args: int  # a method's count excludes the value it is called on
    max_args: int | None  # None: any number
    sql_style: bool = False  # the name is accepted in any letter case

    def check_arity(self, count: int, pos: int) -> None:
        top = self.max_args
        if count >= self.min_args and (top is None or count <= top):
            return
        if top is None:
            expected = f"at least {self.min_args}"
        elif top == self.min_args:
            expected = str(top)
        else:
            expected = f"{self.min_args} to {top}"
        plural = "" if expected in ("1", "at least 1") else "s"
        message = f"{self.signature} takes {expected} argument{plural}, got {count}"
        raise expression_error(message, pos)


def _text_literal(t: Typed, what: str) -> str:
    if not (t.is_literal and isinstance(t.value, str)):
        raise expression_error(f"{what} must be a string literal", t.pos)
    return t.value


def _int_literal(t: Typed, what: str, low: int, high: int) -> int:
    value = t.value
    if not (t.is_literal and isinstance(value, int) and not isinstance(value, bool)):
        raise expression_error(f"{what} must be a whole number", t.pos)
    if not low <= value <= high:
        raise expression_error(f"{what} must be from {low} to {high}", t.pos)
    return value


def _optional(args: Sequence[Typed], i: int) -> Typed | None:
    """Argument ``i``, unless absent or a ``null`` literal."""
    return args[i] if len(args) > i and args[i].kind is not Kind.NULL else None


def _format(t: Typed) -> str:
    fmt = _text_literal(t, "the format")
    if "%" in _FORMAT_DIRECTIVE.sub("", fmt):
        raise expression_error(f"unknown directive in format {fmt!r}", t.pos)
    return fmt


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() | {"UTC"})


def _time_zone(t: Typed) -> str:
    """A time zone name; checked against the IANA database when the system has one."""
    name = _text_literal(t, "the time zone")
    known = _time_zones()
    if name not in known if len(known) > 1 else not _ZONE_NAME.fullmatch(name):
        raise expression_error(f"unknown time zone {name!r}", t.pos)
    return name


def _pattern(t: Typed) -> tuple[str, int]:
    """A regular expression literal and its number of groups."""
    pattern = _text_literal(t, "the pattern")
    if _UNSUPPORTED_REGEX.search(pattern):
        raise expression_error("look-arounds and back-references are not supported", t.pos)
    try:
        return pattern, re.compile(pattern).groups
    except re.error as error:
        raise expression_error(f"invalid pattern {pattern!r}: {error.msg}", t.pos) from None


def _replacement(text: str, groups: int) -> str:
    """A JavaScript replacement (``$1``, ``$&``, ``$$``) in RE2's syntax (``\\1``, ``\\0``)."""
    return re.sub(
        r"\\|\$\$|\$&|\$([1-9])",
        lambda m: (
            {"\\": "\\\\", "$$": "$", "$&": "\\0"}.get(m.group())
            or (f"\\{m.group(1)}" if int(m.group(1)) <= groups else m.group())
        ),
        text,
    )


def _text(name: str) -> Builder:
    return lambda ctx, a, pos: Typed(call(name, *(as_text(x) for x in a)), Kind.STRING)


def _string(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    return Typed(as_text(a[0]), Kind.STRING)


def _math(name: str) -> Builder:
    return lambda ctx, a, pos: Typed(call(name, as_number(a[0])), Kind.NUMBER)


def _parse_number(prefix: str, to: str) -> Builder:
    def build(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
        if len(a) > 1 and _int_literal(a[1], "the radix", 2, 36) != 10:
            raise expression_error("only radix 10 is supported", a[1].pos)
        digits = call("regexp_extract", call("trim", as_text(a[0])), string(prefix), number(0))
        return Typed(cast(digits, to, safe=True), Kind.NUMBER)

    return build


def _parse_decimal(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    precision = _int_literal(a[1], "the precision", 1, 38)
    scale = _int_literal(a[2], "the scale", 0, precision)
    text = call("trim", as_text(a[0]))
    return Typed(cast(text, f"DECIMAL({precision}, {scale})", safe=True), Kind.NUMBER)


def _parse_date(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    x, fmt = a[0], _optional(a, 1)
    if fmt is not None:
        parsed = call("try_strptime", call("trim", as_text(x)), string(_format(fmt)))
        return Typed(cast(parsed, "DATE"), Kind.DATE)
    if x.kind in (Kind.DATE, Kind.TIMESTAMP):
        return Typed(cast(x.sql, "DATE"), Kind.DATE)
    return Typed(cast(call("trim", as_text(x)), "DATE", safe=True), Kind.DATE)


def _parse_timestamp(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    x, fmt_arg, tz_arg = a[0], _optional(a, 1), _optional(a, 2)
    tz = None if tz_arg is None else _time_zone(tz_arg)
    text = call("trim", as_text(x))
    if fmt_arg is not None:
        fmt = _format(fmt_arg)
        parsed = call("try_strptime", text, string(fmt))
        if not re.search("%-?[zZ]", fmt):
            return Typed(call("timezone", string(tz or "UTC"), parsed), Kind.TIMESTAMP)
        if tz_arg is not None:  # the text carries its own offset
            raise expression_error("a time zone cannot be combined with %z", tz_arg.pos)
        return Typed(parsed, Kind.TIMESTAMP)
    if x.kind is Kind.TIMESTAMP:
        return x
    if x.kind is Kind.DATE:
        return Typed(
            call("timezone", string(tz or "UTC"), cast(x.sql, "TIMESTAMP")), Kind.TIMESTAMP
        )
    if tz is None:  # an offset in the text is honoured, text without one is UTC
        return Typed(cast(text, "TIMESTAMPTZ", safe=True), Kind.TIMESTAMP)
    with_offset = cast(ctx.dup(text), "TIMESTAMPTZ", safe=True)
    naive = call("timezone", string(tz), cast(ctx.dup(text), "TIMESTAMP", safe=True))
    sql = case([(call("regexp_matches", text, string(_OFFSET)), with_offset)], naive)
    return Typed(sql, Kind.TIMESTAMP)


def _coalesce(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    values, kind = unify(ctx, a)
    return Typed(exp.Coalesce(this=values[0], expressions=values[1:]), kind)


def _parse_json(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    """JSON text as DuckDB JSON (null if not valid), for object and array properties."""
    text = as_text(a[0])
    return Typed(case([(call("json_valid", text), cast(ctx.dup(text), "JSON"))], None), Kind.ANY)


def _json_extract(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    path = _text_literal(a[1], "the JSON path")
    invalid = expression_error(f"invalid JSON path {path!r} (like '$.a.b[0]')", a[1].pos)
    if not path.startswith("$"):
        raise invalid
    try:
        steps = parse_path(path[2:] if path[1:2] == "." else path[1:])
    except ExpressionError:
        raise invalid from None
    text = as_text(a[0])
    kind = Kind.LIST if any(step == "all" for step, _ in steps) else Kind.STRING
    # An explicit type: over a NULL literal DuckDB folds the call to VARCHAR, which a CASE
    # cannot mix with the VARCHAR[] of a wildcard path.
    value = cast(
        call("json_extract_string", ctx.dup(text), string(json_path(steps))),
        "VARCHAR[]" if kind is Kind.LIST else "VARCHAR",
    )
    return Typed(case([(call("json_valid", text), value)], None), kind)


def _regex_extract(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    pattern, groups = _pattern(a[1])
    group = _int_literal(a[2], "the group", 0, groups) if len(a) > 2 else 0
    text = as_text(a[0])
    found = call("regexp_extract", ctx.dup(text), string(pattern), number(group))
    sql = case([(call("regexp_matches", text, string(pattern)), found)], None)
    return Typed(sql, Kind.STRING)


def _regex_replace(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    pattern, groups = _pattern(a[1])
    replacement = _replacement(_text_literal(a[2], "the replacement"), groups)
    sql = call("regexp_replace", as_text(a[0]), string(pattern), string(replacement), string("g"))
    return Typed(sql, Kind.STRING)


def _replace_first(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    """JavaScript's ``"...".replace(search, replacement)``: the first occurrence only."""
    search = re.sub(r"[\\.+*?()|\[\]{}^$]", r"\\\g<0>", _text_literal(a[1], "the search text"))
    replacement = _replacement(_text_literal(a[2], "the replacement"), 0)
    return Typed(
        call("regexp_replace", as_text(a[0]), string(search), string(replacement)), Kind.STRING
    )


def _substring(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    """SQL's ``substring(x, start, length)``: 1-based start."""
    return Typed(call("substring", as_text(a[0]), *(as_position(x) for x in a[1:])), Kind.STRING)


def _js_substring(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    """JavaScript's ``x.substring(start, end)``: 0-based, end excluded, bounds swapped if needed."""
    text = as_text(a[0])
    literals = [t.value for t in a[1:] if t.is_literal and type(t.value) is int]
    if len(literals) == len(a) - 1:
        bounds = sorted(min(max(v, 0), MAX_POSITION) for v in literals if isinstance(v, int))
        lengths = [number(bounds[1] - bounds[0])] if len(bounds) > 1 else []
        return Typed(call("substring", text, number(bounds[0] + 1), *lengths), Kind.STRING)
    start = call("greatest", as_position(a[1]), number(0))
    if len(a) == 2:
        return Typed(call("substring", text, binary(exp.Add, start, number(1))), Kind.STRING)
    end = call("greatest", as_position(a[2]), number(0))
    low = binary(exp.Add, call("least", ctx.dup(start), ctx.dup(end)), number(1))
    span = call("abs", binary(exp.Sub, start, end))
    return Typed(call("substring", text, low, span), Kind.STRING)


def _length(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    if a[0].kind is Kind.LIST:
        return Typed(call("len", a[0].sql), Kind.NUMBER)
    return Typed(call("length", as_text(a[0])), Kind.NUMBER)


def _includes(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    if a[0].kind is Kind.LIST:
        return Typed(call("list_contains", a[0].sql, as_text(a[1])), Kind.BOOLEAN)
    return Typed(call("contains", as_text(a[0]), as_text(a[1])), Kind.BOOLEAN)


def _index_of(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    found = call("strpos", as_text(a[0]), as_text(a[1]))
    return Typed(binary(exp.Sub, found, number(1)), Kind.NUMBER)


def _round(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    digits = _int_literal(a[1], "the number of digits", -20, 20) if len(a) > 1 else 0
    return Typed(call("round", as_number(a[0]), number(digits)), Kind.NUMBER)


def _map_values(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    mapping = a[1].entries
    if not mapping:
        raise expression_error(
            'mapValues needs an object literal like {"A": "active"} as its second argument',
            a[1].pos,
        )
    seen: set[str] = set()
    for key, key_pos, value in mapping:
        if key in seen:
            raise expression_error(f"duplicate key {key!r} in mapValues", key_pos)
        if not value.is_literal:
            raise expression_error("mapValues values must be literals", value.pos)
        seen.add(key)
    default = a[2] if len(a) > 2 else Typed(exp.Null(), Kind.NULL)
    values, kind = unify(ctx, [*(value for _, _, value in mapping), default])
    keys: list[exp.Expr] = [string(key) for key, _, _ in mapping]
    subject = as_text(a[0])
    if all(_NUMBER.fullmatch(key) for key, _, _ in mapping):  # {1: "one"} matches 1 and 1.0
        keys, subject = [number(float(key)) for key, _, _ in mapping], as_number(a[0])
    ifs = [exp.If(this=k, true=v) for k, v in zip(keys, values[:-1], strict=True)]
    return Typed(exp.Case(this=paren(subject), ifs=ifs, default=values[-1]), kind)


def _if(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    values, kind = unify(ctx, a[1:])
    return Typed(case([(truthy(ctx, a[0]), values[0])], values[1]), kind)


def _split(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    return Typed(call("string_split", as_text(a[0]), as_text(a[1])), Kind.LIST)


def _iso(ctx: Context, a: Sequence[Typed], pos: int) -> Typed:
    utc = call("timezone", string("UTC"), to_timestamp(ctx, a[0]))
    return Typed(call("strftime", utc, string(ISO_FORMAT)), Kind.STRING)


def _from_signature(signature: str, description: str, build: Builder) -> FunctionSpec:
    """A spec whose name and argument counts come from its signature (``x.`` for methods)."""
    name, _, params = signature.removeprefix("x.").removesuffix(")").partition("(")
    args = [a for a in params.split(", ") if a]
    required = [a for a in args if not a.endswith("?") and a != "..."]
    top = None if "..." in args else len(args)
    return FunctionSpec(name, signature, description, build, len(required), top, name in _SQL)


_SQL = {"trim", "lower", "upper", "concat", "coalesce", "replace", "substring", "length", "round",
        "abs", "floor", "ceil", "now", "if", "split"}  # fmt: skip
# fmt: off
_FUNCTION_LIST = [_from_signature(*entry) for entry in [
    ("parseInt(x, radix?)", "Leading whole number of x, like JavaScript (radix 10); else null.",
     _parse_number(_INT_PREFIX, "BIGINT")),
    ("parseFloat(x)", "Leading decimal number of x, like JavaScript; else null.",
     _parse_number(_FLOAT_PREFIX, "DOUBLE")),
    ("parseDecimal(x, precision, scale)", "x as an exact DECIMAL(precision, scale); else null.",
     _parse_decimal),
    ("parseDate(x, format?)",
     "A date from ISO text, or read with a strptime format like '%d/%m/%Y'; else null.",
     _parse_date),
    ("parseTimestamp(x, format?, timezone?)", "A timestamp with time zone from ISO text (or a "
     "format); text without an offset is in timezone, like 'Europe/Paris' (default UTC).",
     _parse_timestamp),
    ("String(x)", "x as text.", _string),
    ("Number(x)", "x as a number (dates: epoch milliseconds); null if it is none.",
     lambda ctx, a, pos: Typed(as_number(a[0]), Kind.NUMBER)),
    ("Boolean(x)", "false for null, false, 0, NaN and ''; else true.",
     lambda ctx, a, pos: Typed(truthy(ctx, a[0]), Kind.BOOLEAN)),
    ("trim(x)", "x without surrounding spaces.", _text("trim")),
    ("lower(x)", "x in lower case.", _text("lower")),
    ("upper(x)", "x in upper case.", _text("upper")),
    ("concat(a, ...)", "The texts joined; null arguments are skipped.", _text("concat")),
    ("coalesce(a, ...)", "The first argument that is not null.", _coalesce),
    ("parseJson(x)", "JSON text x as a JSON value (objects, arrays); null if not JSON.",
     _parse_json),
    ("jsonExtract(x, '$.path')",
     "The value at a JSON path in JSON text x, as text; null if absent or not JSON.",
     _json_extract),
    ("regexExtract(x, pattern, group?)", "The match (or group) of an RE2 pattern; else null.",
     _regex_extract),
    ("regexReplace(x, pattern, replacement)",
     "Every match of an RE2 pattern replaced ($1 in replacement is group 1).", _regex_replace),
    ("replace(x, from, to)", "Every occurrence of from replaced by to.", _text("replace")),
    ("substring(x, start, length?)", "Part of x from a 1-based start, as in SQL.", _substring),
    ("length(x)", "Number of characters of x (of items, for a list).", _length),
    ("round(x, digits?)", "x rounded (halves away from zero).", _round),
    ("abs(x)", "Absolute value of x.", _math("abs")),
    ("floor(x)", "Largest whole number not above x.", _math("floor")),
    ("ceil(x)", "Smallest whole number not below x.", _math("ceil")),
    ("now()", "The current time (when the sync runs).",
     lambda ctx, a, pos: Typed(call("now"), Kind.TIMESTAMP)),
    ('mapValues(x, {"A": "active"}, default?)',
     "The value mapped to x (as text, or as a number if all keys are); else default or null.",
     _map_values),
    ("if(condition, a, b)", "a when condition is truthy, else b.", _if),
    ("split(x, separator)", "The list of the parts of x.", _split),
]]
_METHOD_LIST = [_from_signature(*entry) for entry in [
    ("x.trim()", "x without surrounding spaces.", _text("trim")),
    ("x.trimStart()", "x without leading spaces.", _text("ltrim")),
    ("x.trimEnd()", "x without trailing spaces.", _text("rtrim")),
    ("x.toLowerCase()", "x in lower case.", _text("lower")),
    ("x.toUpperCase()", "x in upper case.", _text("upper")),
    ("x.toString()", "x as text.", _string),
    ("x.toISOString()", "ISO-8601 text in UTC with milliseconds: 2024-01-15T08:30:00.000Z.", _iso),
    ("x.split(separator)", "The list of the parts of x.", _split),
    ("x.replace(search, replacement)", "The first occurrence replaced (string literals).",
     _replace_first),
    ("x.replaceAll(search, replacement)", "Every occurrence replaced.", _text("replace")),
    ("x.substring(start, end?)", "From 0-based start to end (excluded), as in JavaScript.",
     _js_substring),
    ("x.startsWith(s)", "Whether x starts with s.",
     lambda ctx, a, pos: Typed(call("starts_with", *map(as_text, a)), Kind.BOOLEAN)),
    ("x.endsWith(s)", "Whether x ends with s.",
     lambda ctx, a, pos: Typed(call("ends_with", *map(as_text, a)), Kind.BOOLEAN)),
    ("x.includes(s)", "Whether x contains s (for a list: has the item s).", _includes),
    ("x.indexOf(s)", "0-based position of s in x; -1 when absent.", _index_of),
]]
# fmt: on
FUNCTIONS = {spec.name: spec for spec in _FUNCTION_LIST}
METHODS = {spec.name: spec for spec in _METHOD_LIST}
LENGTH = FunctionSpec(
    "length", "x.length", "Number of characters (items of a list).", _length, 0, 0
)
DATE = FunctionSpec(
    "Date",
    "new Date(x?)",
    "A timestamp from ISO text, epoch milliseconds or a date; the current time without x.",
    lambda ctx, a, pos: Typed(to_timestamp(ctx, a[0]) if a else call("now"), Kind.TIMESTAMP),
    0,
    1,
)
ALLOWED_FUNCTIONS: frozenset[str] = frozenset(FUNCTIONS)
_BY_LOWER = {name.lower(): spec for name, spec in FUNCTIONS.items()}


def find_function(name: str, pos: int) -> FunctionSpec:
    """The function called ``name``; SQL-style names in any letter case."""
    spec = FUNCTIONS.get(name) or _BY_LOWER.get(name.lower())
    if spec is not None and (spec.name == name or spec.sql_style):
        return spec
    hint = f" (did you mean {spec.name}?)" if spec is not None else ""
    raise expression_error(f"function {name} is not allowed{hint}", pos)


def describe_functions() -> list[dict[str, str]]:
    """Name, kind, signature and description of everything callable, for the UI's help panel.

    >>> describe_functions()[0]["signature"]
    'parseInt(x, radix?)'
    """
    entries = [(spec, "function") for spec in _FUNCTION_LIST]
    entries += [(DATE, "constructor"), (LENGTH, "property")]
    entries += [(spec, "method") for spec in _METHOD_LIST]
    return [
        {"name": s.name, "kind": kind, "signature": s.signature, "description": s.description}
        for s, kind in entries
    ]
