"""The one DuckDB query of a sync: every property's value, cast to its type and checked, with the
reason a row is rejected; and the checks of a mapping before it runs.

Shape of :func:`build_select` (``vN`` is property N's value as the mapping computes it, ``cN``
that value cast to the property's type, ``tN`` the cast value or the default)::

    WITH read    AS (SELECT *, row_number() OVER () AS row FROM source)      -- scan order
         paths   AS (SELECT *, <path into a nested column> AS pathN FROM read)
         vals    AS (SELECT row, <transform of the column/pathN> AS vN, <source JSON> FROM paths)
         cast    AS (SELECT *, TRY_CAST(vN AS <type>) AS cN FROM vals)
         typed   AS (SELECT *, COALESCE(cN, <default>) AS tN FROM cast)
         checked AS (SELECT *, CASE WHEN <first failing check> THEN <reason> END AS error ...)
         ranked  AS (SELECT *, max(row) OVER (PARTITION BY tKEY) AS winner ...)  -- upsert, replace
    SELECT tN AS "property", ..., _error, _row, _source FROM ranked

Every stage streams except ``ranked`` (last row of a key wins), which DuckDB sorts and spills.
The query's own columns start with ``__sync_``: a dataset column named so would clash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from dataops.engine.session import quote_identifier, session
from dataops.ontology.arrow_types import duckdb_type, property_arrow_type
from dataops.ontology.errors import ExpressionError, MappingError
from dataops.ontology.expressions import column_path_sql, compile_expression
from dataops.ontology.schemas import PropertyKind, PropertyMapping, PropertySpec, SyncMode

ROW, ERROR, SOURCE = "_row", "_error", "_source"
KEYED = (SyncMode.UPSERT, SyncMode.REPLACE)
"""Modes in which every object needs a key, and a key appears once per sync."""

_P = "__sync_"
_SHOWN = 80  # characters of a bad value quoted in a reason
_LISTED = 10  # enum values listed in a reason
_TEXT = {PropertyKind.STRING, PropertyKind.ENUM}  # anything casts to text: no cast check
_ACCEPTS: dict[PropertyKind, set[str]] = {
    PropertyKind.STRING: {"text", "number", "boolean", "date", "timestamp", "other"},
    PropertyKind.INTEGER: {"text", "number", "boolean"},
    PropertyKind.BOOLEAN: {"text", "number", "boolean"},
    PropertyKind.DATE: {"text", "date", "timestamp"},
    PropertyKind.ARRAY: {"text", "list"},
    PropertyKind.OBJECT: {"text", "struct"},
}
_ACCEPTS |= {
    PropertyKind.ENUM: _ACCEPTS[PropertyKind.STRING],
    PropertyKind.FLOAT: _ACCEPTS[PropertyKind.INTEGER],
    PropertyKind.DECIMAL: _ACCEPTS[PropertyKind.INTEGER],
    PropertyKind.TIMESTAMP: _ACCEPTS[PropertyKind.DATE],
}


@dataclass(frozen=True)
class PropertyValue:
    """How one property's value is computed from a source row."""

    index: int  # position among the properties (names the query's columns)
    spec: PropertySpec
    sql: str  # the value before the cast ("NULL": nothing mapped)
    path: str | None  # SQL reading a path inside a nested column, computed a stage earlier
    columns: tuple[str, ...]  # source columns read
    default: Any  # None: no default


def property_values(
    schema: pa.Schema, properties: Sequence[PropertySpec], mappings: Mapping[str, PropertyMapping]
) -> tuple[list[PropertyValue], list[tuple[str, str]]]:
    """Each property's value SQL, and ``(property, message)`` for those that do not compile."""
    values: list[PropertyValue] = []
    issues: list[tuple[str, str]] = []
    for index, spec in enumerate(properties):
        mapping = mappings.get(spec.name) or PropertyMapping()
        try:
            values.append(_value(index, spec, mapping, schema))
        except (ExpressionError, MappingError) as exc:
            issues.append((spec.name, exc.message))
    return values, issues


def _value(
    index: int, spec: PropertySpec, mapping: PropertyMapping, schema: pa.Schema
) -> PropertyValue:
    column, transform = mapping.column, mapping.transform
    if column is not None and column not in schema.names:
        raise MappingError(f"unknown column {column!r}")
    if mapping.path and column is None:
        raise MappingError("a path needs the column it is read from")
    value_column, path = column, None
    if column is not None and mapping.path:
        path = column_path_sql(column, mapping.path, column_type=str(schema.field(column).type))
        value_column = f"{_P}path{index}"
    if value_column is None and not transform.strip():
        return PropertyValue(index, spec, "NULL", None, (), mapping.default)
    compiled = compile_expression(transform, value_column=value_column, columns=schema.names)
    read = [c for c in compiled.columns if c in schema.names]
    if column is not None:
        read.insert(0, column)
    return PropertyValue(
        index, spec, compiled.sql, path, tuple(dict.fromkeys(read)), mapping.default
    )


def build_select(
    source: str,
    schema: pa.Schema,
    properties: Sequence[PropertySpec],
    key_property: str,
    mappings: Mapping[str, PropertyMapping],
    mode: SyncMode,
) -> str:
    """The query over the relation ``source`` (columns of ``schema``): one row per source row,
    with each property's value, ``_error`` (why the row is rejected, null if it is not),
    ``_row`` (its position in the read, from 1) and ``_source`` (its mapped columns as JSON).

    Raises :class:`MappingError` when a property's mapping does not compile."""
    values, issues = property_values(schema, properties, mappings)
    if issues:
        raise MappingError("; ".join(f"{p}: {m}" for p, m in issues))
    keys = [v for v in values if v.spec.name == key_property]
    if not keys:
        raise MappingError(f"key property {key_property!r} is not a property of the type")
    key = keys[0]
    row, error, winner = (
        quote_identifier(_P + "row"),
        quote_identifier(_P + "error"),
        quote_identifier(_P + "winner"),
    )
    read_columns = list(dict.fromkeys(c for v in values for c in v.columns))
    packed = ", ".join(f"{quote_identifier(c)} := {quote_identifier(c)}" for c in read_columns)
    source_json = f"CAST(to_json(struct_pack({packed})) AS VARCHAR)" if packed else "'{}'"
    checks = [c for v in sorted(values, key=lambda v: v is not key) for c in _checks(v, key, mode)]
    whens = " ".join(f"WHEN {test} THEN {reason}" for test, reason in checks)
    check = f"CASE {whens} END" if whens else "CAST(NULL AS VARCHAR)"
    paths = [f"{v.path} AS {_col('path', v)}" for v in values if v.path]
    vals = [f"{v.sql} AS {_col('v', v)}" for v in values]
    casts = [f"{cast_sql(_col('v', v), v.spec)} AS {_col('c', v)}" for v in values]
    stages = [
        ("read", ["*", f"row_number() OVER () AS {row}"], quote_identifier(source)),
        ("paths", ["*", *paths], _stage("read")),
        # The source columns ride along as they are: their JSON is built for rejected rows only.
        ("vals", [row, *vals, *(quote_identifier(c) for c in read_columns)], _stage("paths")),
        ("cast", ["*", *casts], _stage("vals")),
        ("typed", ["*", *(f"{_typed(v)} AS {_col('t', v)}" for v in values)], _stage("cast")),
        ("checked", ["*", f"{check} AS {error}"], _stage("typed")),
    ]
    reason = error
    if mode in KEYED:  # the last row of a key wins, earlier ones are rejected
        key_value = _col("t", key)
        last = f"max(CASE WHEN {error} IS NULL THEN {row} END) OVER (PARTITION BY {key_value})"
        stages.append(("ranked", ["*", f"{last} AS {winner}"], _stage("checked")))
        duplicate = _concat(
            "'duplicate key '", f"CAST({key_value} AS VARCHAR)", "' in this sync; row '",
            f"CAST({winner} AS VARCHAR)", "' wins'",
        )  # fmt: skip
        reason = f"COALESCE({error}, CASE WHEN {row} < {winner} THEN {duplicate} END)"
    ctes = ",\n".join(
        f"{_stage(name)} AS ({_select(columns, relation)})" for name, columns, relation in stages
    )
    outputs = [f"{_col('t', v)} AS {quote_identifier(v.spec.name)}" for v in values]
    outputs += [
        f"{reason} AS {ERROR}",
        f"{row} AS {ROW}",
        f"CASE WHEN {reason} IS NOT NULL THEN {source_json} END AS {SOURCE}",
    ]
    return f"WITH {ctes}\n{_select(outputs, _stage(stages[-1][0]))}"


def cast_sql(value: str, spec: PropertySpec) -> str:
    """``value`` as ``spec``'s DuckDB type, null when it does not convert."""
    if spec.kind is PropertyKind.INTEGER:
        # DuckDB rounds 1.5 (and '1.5') to 2: a number with a fraction is no integer.
        number = f"TRY_CAST({value} AS DOUBLE)"
        return (
            f"CASE WHEN {number} <> trunc({number}) THEN NULL ELSE TRY_CAST({value} AS BIGINT) END"
        )
    return f"TRY_CAST({value} AS {duckdb_type(spec)})"


def describe_kind(spec: PropertySpec) -> str:
    """What a value of ``spec`` is, for reasons: ``an integer``, ``a decimal(10, 2)``."""
    if spec.kind is PropertyKind.DECIMAL:
        return f"a decimal({spec.precision}, {spec.scale})"
    return {
        PropertyKind.STRING: "text", PropertyKind.ENUM: "text", PropertyKind.INTEGER: "an integer",
        PropertyKind.FLOAT: "a number", PropertyKind.BOOLEAN: "a boolean",
        PropertyKind.DATE: "a date", PropertyKind.TIMESTAMP: "a timestamp",
        PropertyKind.ARRAY: "a list", PropertyKind.OBJECT: "an object",
    }[spec.kind]  # fmt: skip


def _typed(v: PropertyValue) -> str:
    if v.default is None:
        return _col("c", v)
    return f"COALESCE({_col('c', v)}, {cast_sql(default_literal(v.default), v.spec)})"


def default_literal(default: Any) -> str:
    """A default as a SQL text literal (cast to the property's type where it is used); lists
    and objects as their JSON text, which DuckDB casts to lists and structs."""
    return _lit(default if isinstance(default, str) else json.dumps(default))


def _checks(v: PropertyValue, key: PropertyValue, mode: SyncMode) -> list[tuple[str, str]]:
    """(test, reason) pairs of one property, in the order they are reported."""
    name, spec = v.spec.name, v.spec
    raw, cast, typed = _col("v", v), _col("c", v), _col("t", v)
    checks = []
    if spec.kind not in _TEXT:
        shown = f"left(CAST({raw} AS VARCHAR), {_SHOWN})"
        reason = _concat(_lit(f"{name}: '"), shown, _lit(f"' is not {describe_kind(spec)}"))
        checks.append((f"{raw} IS NOT NULL AND {cast} IS NULL", reason))
    if v is key and mode in KEYED:
        checks.append((f"{typed} IS NULL", _lit(f"{name} is the key but the row has no value")))
    elif spec.required:
        checks.append((f"{typed} IS NULL", _lit(f"{name} is required but the row has no value")))
    if spec.kind is PropertyKind.ENUM and spec.enum_values:
        allowed = ", ".join(_lit(x) for x in spec.enum_values)
        listed = ", ".join(spec.enum_values[:_LISTED]) + (
            ", ..." if len(spec.enum_values) > _LISTED else ""
        )
        shown = f"left({typed}, {_SHOWN})"
        reason = _concat(_lit(f"{name}: '"), shown, _lit(f"' is not one of {listed}"))
        checks.append((f"{typed} NOT IN ({allowed})", reason))
    return checks


def validate_mapping(
    dataset_schema: pa.Schema,
    properties: Sequence[PropertySpec],
    key_property: str,
    mappings: Mapping[str, PropertyMapping],
    mode: SyncMode,
) -> list[tuple[str, str]]:
    """``(property, message)`` for every problem of the mapping, in the order of the properties:
    a required property (or the key, in upsert and replace) with no column, transform or default,
    an unknown column, a transform that does not compile, a path on a non-nested column, a value
    whose type cannot become the property's, a default that is not a value of the property."""
    values, issues = property_values(dataset_schema, properties, mappings)
    for v in values:
        if v.sql != "NULL" or v.default is not None:
            continue
        if v.spec.name == key_property and mode in KEYED:
            issues.append(
                (v.spec.name, f"{v.spec.name} is the key: map it (every object needs one)")
            )
        elif v.spec.required:
            issues.append((v.spec.name, "required, but no column, transform or default is mapped"))
    with session(memory_limit="256MB", threads=1) as con:
        con.register("source", dataset_schema.empty_table())
        for v in values:
            issue = _type_issue(con, dataset_schema, v, mappings.get(v.spec.name))
            if issue:
                issues.append((v.spec.name, issue))
    order = {p.name: i for i, p in enumerate(properties)}
    return sorted(issues, key=lambda issue: order.get(issue[0], len(order)))


def _type_issue(
    con: duckdb.DuckDBPyConnection,
    schema: pa.Schema,
    v: PropertyValue,
    mapping: PropertyMapping | None,
) -> str | None:
    """Why ``v``'s values (typed by DuckDB over the empty dataset) or default cannot become the
    property's type; None when they can."""
    spec = v.spec
    if v.default is not None:
        # Arrow, not fetchall(): DuckDB converts TIMESTAMPTZ to Python through pytz.
        sql = f"SELECT {cast_sql(default_literal(v.default), spec)}"
        value = con.sql(sql).to_arrow_table().column(0)[0].as_py()
        if value is None:
            return f"the default {v.default!r} is not {describe_kind(spec)}"
        if spec.kind is PropertyKind.ENUM and spec.enum_values and value not in spec.enum_values:
            return f"the default {v.default!r} is not one of {', '.join(spec.enum_values)}"
    if v.sql == "NULL" or mapping is None:
        return None
    paths = ["*", f"{v.path} AS {_col('path', v)}"] if v.path else ["*"]
    query = _select([f"{v.sql} AS v"], f"({_select(paths, 'source')})")
    try:
        found = con.sql(query).to_arrow_table().schema.field(0).type
    except duckdb.Error as exc:
        return f"the transform does not apply to the data: {str(exc).splitlines()[0]}"
    if not mapping.transform.strip() and not mapping.path and mapping.column is not None:
        found = schema.field(mapping.column).type  # named as the dataset shows it
    if mapping.transform.strip():
        what = "the transform gives"
    elif mapping.path:
        what = f"path {mapping.path!r} of column {mapping.column!r} holds"
    else:
        what = f"column {mapping.column!r} holds"
    reason = convert_issue(found, spec)
    return None if reason is None else f"{what} {reason}"


def convert_issue(value_type: pa.DataType, spec: PropertySpec) -> str | None:
    """Why values of ``value_type`` never convert to ``spec``'s type (None: they may; text is
    checked row by row).

    >>> from dataops.ontology.schemas import PropertySpec
    >>> convert_issue(pa.struct([("a", pa.int64())]), PropertySpec(name="n", kind="integer"))
    'struct<a: int64>, which cannot become an integer'
    """
    family = _family(value_type)
    if family == "null":
        return None
    if family not in _ACCEPTS[spec.kind]:
        return f"{value_type}, which cannot become {describe_kind(spec)}"
    if family == "list" and spec.items is not None:
        inner = convert_issue(value_type.value_type, spec.items)
        return None if inner is None else f"lists of {inner}"
    if family == "struct":
        names = {f.name for f in value_type}
        common = [f for f in spec.fields if f.name in names]
        if not common:
            fields = ", ".join(f.name for f in spec.fields)
            return f"{value_type}, none of whose fields is a field of the object ({fields})"
        for field in common:
            inner = convert_issue(value_type.field(field.name).type, field)
            if inner is not None:
                return f"a field {field.name} of {inner}"
    return None


def preview_mapping(
    data: pa.Table,
    properties: Sequence[PropertySpec],
    key_property: str,
    mappings: Mapping[str, PropertyMapping],
    limit: int,
) -> tuple[pa.Table, list[str | None]]:
    """The first ``limit`` rows of ``data`` transformed (one column per property, as objects
    store them) and, per row, why a sync would reject it (None: it would not)."""
    sample = data.slice(0, limit)
    sql = build_select("sample", sample.schema, properties, key_property, mappings, SyncMode.UPSERT)
    with session(memory_limit="256MB", threads=1) as con:
        con.register("sample", sample)
        result = con.sql(f"SELECT * FROM ({sql}) ORDER BY {ROW}").to_arrow_table()  # noqa: S608
    schema = pa.schema([pa.field(p.name, property_arrow_type(p)) for p in properties])
    out = result.select(schema.names).cast(schema)
    return out, result.column(ERROR).to_pylist()


def _family(t: pa.DataType) -> str:
    if isinstance(t, pa.BaseExtensionType):
        return _family(t.storage_type)
    if pa.types.is_dictionary(t):
        return _family(t.value_type)
    types = pa.types
    if types.is_string(t) or types.is_large_string(t) or types.is_string_view(t):
        return "text"
    if types.is_integer(t) or types.is_floating(t) or types.is_decimal(t):
        return "number"
    if types.is_list(t) or types.is_large_list(t) or types.is_fixed_size_list(t):
        return "list"
    if types.is_list_view(t) or types.is_large_list_view(t):
        return "list"
    tests = [
        ("null", types.is_null),
        ("boolean", types.is_boolean),
        ("date", types.is_date),
        ("timestamp", types.is_timestamp),
        ("struct", types.is_struct),
        ("map", types.is_map),
    ]
    return next((name for name, test in tests if test(t)), "other")


def _select(columns: Sequence[str], relation: str) -> str:
    return f"SELECT {', '.join(columns)} FROM {relation}"  # noqa: S608 generated names, literals


def _stage(name: str) -> str:
    return quote_identifier(_P + name)


def _col(prefix: str, v: PropertyValue) -> str:
    return quote_identifier(f"{_P}{prefix}{v.index}")


def _concat(*parts: str) -> str:
    return " || ".join(parts)


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
