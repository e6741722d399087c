"""Column types of files: inferred from the first rows, overridden per column by the read spec.

One rule for every format: types are inferred from the first block of the first file (about 1 MiB,
or the first batch of an Excel sheet); later blocks and later files of a glob are read *as* those
types, and a value that does not fit fails with :class:`SourceDataError` naming the file, line
and column, and suggesting an override. Overrides (``FileSpec.column_types``) are Arrow type names:

>>> parse_arrow_type("decimal128(12, 2)")
Decimal128Type(decimal128(12, 2))
>>> parse_arrow_type("timestamp[ms, tz=UTC]")
TimestampType(timestamp[ms, tz=UTC])
>>> str(parse_arrow_type("bool")), str(parse_arrow_type("date32"))
('bool', 'date32[day]')

Empty cells are NULL in every column type (as are the words ``NULL`` and ``null`` in CSV); a
quoted empty string ``""`` in CSV stays an empty string.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dataops.connectors.base import ColumnInfo, FileSpec
from dataops.connectors.errors import InvalidSpecError, SourceDataError

NULL_VALUES = ("", "NULL", "null")
"""CSV cells read as NULL (besides empty cells, whatever the column type)."""

_SIMPLE_TYPES: dict[str, pa.DataType] = {
    "null": pa.null(),
    "bool": pa.bool_(),
    "boolean": pa.bool_(),
    "int8": pa.int8(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "uint8": pa.uint8(),
    "uint16": pa.uint16(),
    "uint32": pa.uint32(),
    "uint64": pa.uint64(),
    "float16": pa.float16(),
    "halffloat": pa.float16(),
    "float32": pa.float32(),
    "float": pa.float32(),
    "float64": pa.float64(),
    "double": pa.float64(),
    "string": pa.string(),
    "utf8": pa.string(),
    "large_string": pa.large_string(),
    "binary": pa.binary(),
    "large_binary": pa.large_binary(),
    "date32": pa.date32(),
    "date32[day]": pa.date32(),
    "date64": pa.date64(),
    "date64[ms]": pa.date64(),
}
_DECIMAL = re.compile(r"decimal(128|256)?\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)")
_UNIT_TYPE = re.compile(
    r"(timestamp|time32|time64|duration)\[\s*(s|ms|us|ns)\s*(?:,\s*tz=([^\]]+))?\]"
)
_TIME_TYPES = {"timestamp": pa.timestamp, "time32": pa.time32, "time64": pa.time64}


def parse_arrow_type(text: str) -> pa.DataType:
    """The Arrow type named ``text`` (as ``str(pa.DataType)`` prints it); else ``ValueError``."""
    name = text.strip().lower().replace(" ", "") if "tz=" not in text else text.strip()
    if name.lower() in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[name.lower()]
    if match := _DECIMAL.fullmatch(name.lower()):
        width, precision, scale = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        make = (
            pa.decimal256 if width == "256" or (width is None and precision > 38) else pa.decimal128
        )
        return make(precision, scale)
    if match := _UNIT_TYPE.fullmatch(name):
        kind, unit, tz = match.group(1).lower(), match.group(2), match.group(3)
        if kind == "duration":
            return pa.duration(unit)
        if kind == "timestamp":
            return pa.timestamp(unit, tz=tz.strip() if tz else None)
        return _TIME_TYPES[kind](unit)
    if name.lower() in ("timestamp", "datetime"):
        return pa.timestamp("us")
    raise ValueError(f"unknown Arrow type {text!r}")


def column_type_overrides(spec: FileSpec) -> dict[str, pa.DataType]:
    """``spec.column_types`` parsed; an unknown type name is an :class:`InvalidSpecError`."""
    out: dict[str, pa.DataType] = {}
    for column, type_name in (spec.column_types or {}).items():
        try:
            out[column] = parse_arrow_type(type_name)
        except (ValueError, pa.ArrowException) as exc:
            raise InvalidSpecError(
                f"column_types[{column!r}]: {exc} (use Arrow names such as int64, float64, "
                "decimal128(12,2), date32, timestamp[us], bool, string)",
                field=f"spec.column_types.{column}",
            ) from exc
    return out


def check_overrides_apply(
    overrides: Mapping[str, pa.DataType], names: Sequence[str], source: str
) -> None:
    """Refuse overrides naming columns the file does not have (a typo would pass silently)."""
    unknown = [name for name in overrides if name not in names]
    if unknown:
        raise InvalidSpecError(
            f"column_types names {', '.join(map(repr, unknown))}, not columns of {source} "
            f"(columns: {', '.join(names)})",
            field="spec.column_types",
        )


def check_column_names(names: Sequence[str], source: str, *, where: str = "line 1") -> None:
    """A header must name every column once."""
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name.strip():
            raise SourceDataError(
                f"{source} {where}: the header has no name for column {position}; name it, or "
                "read with has_header=false"
            )
        if name in seen:
            raise SourceDataError(f"{source} {where}: the header names column {name!r} twice")
        seen.add(name)


def cast_columns(
    batch: pa.RecordBatch, overrides: Mapping[str, pa.DataType], source: str
) -> pa.RecordBatch:
    """``batch`` with the overridden columns cast (for formats whose reader cannot parse as)."""
    todo = {n: t for n, t in overrides.items() if batch.schema.field(n).type != t}
    if not todo:
        return batch
    arrays = []
    for field in batch.schema:
        column = batch.column(field.name)
        if field.name in todo:
            column = _cast(column, todo[field.name], source, field.name, "from column_types")
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def conform_batch(batch: pa.RecordBatch, schema: pa.Schema, source: str) -> pa.RecordBatch:
    """``batch`` (from a later file of a glob) with ``schema``'s columns, order and types."""
    if batch.schema.equals(schema):
        return batch
    names = batch.schema.names
    if sorted(names) != sorted(schema.names):
        raise SourceDataError(
            f"{source} has columns ({', '.join(names)}), but the first file of the glob has "
            f"({', '.join(schema.names)}); all matched files must have the same columns"
        )
    arrays = [
        _cast(batch.column(f.name), f.type, source, f.name, "the first file's type") for f in schema
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _cast(column: pa.Array, to: pa.DataType, source: str, name: str, why: str) -> pa.Array:
    if column.type == to:
        return column
    try:
        return pc.cast(column, to, safe=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise SourceDataError(
            f"{source}, column {name!r}: cannot read {column.type} values as {to} ({why}): "
            f"{_first_line(exc)}"
        ) from exc


def columns_of(schema: pa.Schema) -> list[ColumnInfo]:
    return [ColumnInfo(name=f.name, data_type=str(f.type), nullable=f.nullable) for f in schema]


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# --- Python cells (Excel) -> Arrow --------------------------------------------------------------


def infer_cell_type(values: Iterable[Any]) -> pa.DataType:
    """The Arrow type of a column of spreadsheet cells (``None`` = empty).

    >>> str(infer_cell_type([1.0, 2.0, None])), str(infer_cell_type([1.5, 2]))
    ('int64', 'double')
    >>> str(infer_cell_type([dt.date(2024, 1, 1), dt.datetime(2024, 1, 2, 3, 4)]))
    'timestamp[us]'
    >>> str(infer_cell_type(["a", 1.0])), str(infer_cell_type([None]))
    ('string', 'string')
    """
    kinds: set[str] = set()
    integral = True
    for value in values:
        if value is None:
            continue
        kind = _cell_kind(value)
        kinds.add(kind)
        if kind == "number" and integral and not _is_integral(value):
            integral = False
    if not kinds or (len(kinds) > 1 and kinds != {"date", "datetime"}):
        return pa.string()  # empty or mixed columns read as text
    if kinds == {"date", "datetime"}:
        return pa.timestamp("us")
    kind = kinds.pop()
    if kind == "number":
        return pa.int64() if integral else pa.float64()
    return _KIND_TYPES[kind]


_KIND_TYPES: dict[str, pa.DataType] = {
    "bool": pa.bool_(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "time": pa.time64("us"),
    "duration": pa.duration("us"),
}


def _cell_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, dt.timedelta):
        return "duration"
    return "string"


def _is_integral(value: Any) -> bool:
    return isinstance(value, int) or (
        isinstance(value, float) and value.is_integer() and abs(value) < 2**53
    )


def cells_to_array(values: Sequence[Any], to: pa.DataType) -> pa.Array:
    """Spreadsheet cells as an Arrow array of type ``to``; ``ValueError`` names a misfit."""
    if pa.types.is_integer(to):
        converted: list[Any] = []
        for value in values:
            if isinstance(value, bool | str) or (value is not None and not _is_integral(value)):
                raise ValueError(f"{value!r} is not a whole number")
            converted.append(None if value is None else int(value))
        return pa.array(converted, type=to)
    if pa.types.is_string(to):
        return pa.array([None if v is None else _cell_text(v) for v in values], type=to)
    if pa.types.is_timestamp(to):
        values = [dt.datetime.combine(v, dt.time()) if type(v) is dt.date else v for v in values]
    if pa.types.is_decimal(to):
        values = [_to_decimal(v) for v in values]
    if pa.types.is_floating(to) and any(isinstance(v, bool | str) for v in values):
        bad = next(v for v in values if isinstance(v, bool | str))
        raise ValueError(f"{bad!r} is not a number")
    try:
        return pa.array(values, type=to)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(_first_line(exc)) from exc


def _to_decimal(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float | str):
        try:
            return Decimal(repr(value) if isinstance(value, float) else value.strip())
        except ArithmeticError as exc:
            raise ValueError(f"{value!r} is not a decimal number") from exc
    return value


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and _is_integral(value):
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
