"""Arrow types as Delta stores them, and which schema changes are safe.

delta-rs silently maps some Arrow types to narrower Delta types (uint32 → int32, uint64 → int64:
values above the signed range would wrap) and refuses others (time, float16, decimals wider than
38 digits). :func:`lake_type` picks a Delta type that holds every value exactly; batches are cast
with :func:`conform_batch` before they reach the writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa

_UNSIGNED = {
    pa.uint8(): pa.int16(),
    pa.uint16(): pa.int32(),
    pa.uint32(): pa.int64(),
    pa.uint64(): pa.decimal128(20, 0),
}
_INT_WIDTH = {pa.int8(): 8, pa.int16(): 16, pa.int32(): 32, pa.int64(): 64}


def lake_type(dtype: pa.DataType) -> pa.DataType:
    """The Delta-compatible type holding every value of ``dtype`` exactly.

    >>> lake_type(pa.uint32()), lake_type(pa.time64("us")), lake_type(pa.large_string())
    (DataType(int64), DataType(string), DataType(string))
    >>> lake_type(pa.timestamp("ns", tz="Europe/Paris"))
    TimestampType(timestamp[us, tz=UTC])
    """
    if isinstance(dtype, pa.BaseExtensionType):
        return lake_type(dtype.storage_type)
    if dtype in _UNSIGNED:
        return _UNSIGNED[dtype]
    if pa.types.is_dictionary(dtype):
        return lake_type(dtype.value_type)
    if pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype):
        return pa.string()
    if pa.types.is_large_binary(dtype) or pa.types.is_fixed_size_binary(dtype):
        return pa.binary()
    if pa.types.is_binary_view(dtype):
        return pa.binary()
    if pa.types.is_time(dtype) or pa.types.is_null(dtype) or pa.types.is_interval(dtype):
        return pa.string()
    if pa.types.is_duration(dtype):
        return pa.int64()
    if pa.types.is_float16(dtype):
        return pa.float32()
    if pa.types.is_decimal(dtype) and (dtype.precision > 38 or pa.types.is_decimal256(dtype)):
        if dtype.precision <= 38:
            return pa.decimal128(dtype.precision, dtype.scale)
        return pa.string()
    if pa.types.is_date64(dtype):
        return pa.date32()
    if pa.types.is_timestamp(dtype):
        return pa.timestamp("us", tz="UTC" if dtype.tz else None)
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype) or pa.types.is_list_view(dtype):
        return pa.list_(lake_type(dtype.value_type))
    if pa.types.is_fixed_size_list(dtype):
        return pa.list_(lake_type(dtype.value_type))
    if pa.types.is_map(dtype):
        return pa.map_(lake_type(dtype.key_type), lake_type(dtype.item_type))
    if pa.types.is_struct(dtype):
        return pa.struct([pa.field(f.name, lake_type(f.type), f.nullable) for f in dtype])
    return dtype


def lake_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with every type replaced by its :func:`lake_type`; metadata dropped."""
    return pa.schema([pa.field(f.name, lake_type(f.type), nullable=True) for f in schema])


def conform_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` cast to ``schema`` (same column names); columns missing from it become nulls.

    Raises ``pa.ArrowInvalid`` when a value does not fit (the caller quarantines those rows)."""
    if batch.schema.equals(schema):
        return batch
    columns = []
    for target in schema:
        index = batch.schema.get_field_index(target.name)
        if index < 0:
            columns.append(pa.nulls(batch.num_rows, target.type))
            continue
        columns.append(cast_column(batch.column(index), target.type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def cast_column(values: pa.Array, target: pa.DataType) -> pa.Array:
    """``values`` as ``target``: exact casts only; times, nulls and wide decimals as text."""
    if values.type.equals(target):
        return values
    if isinstance(values.type, pa.BaseExtensionType):
        values = values.storage
    if pa.types.is_null(values.type):
        return pa.nulls(len(values), target)
    if pa.types.is_timestamp(values.type) and pa.types.is_timestamp(target):
        # Delta stores microseconds: nanoseconds are truncated instead of failing the batch.
        return values.cast(target, safe=values.type.unit != "ns")
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    return values.cast(target)


class Change(StrEnum):
    SAME = "same"
    ADDED = "added"  # a column the table does not have
    REMOVED = "removed"  # a table column the data no longer has
    WIDENED = "widened"  # a safe widening of the table's type (int32 → int64...)
    NARROWER = "narrower"  # the data's type fits in the table's (cast on write)
    CHANGED = "changed"  # anything else


@dataclass(frozen=True)
class ColumnChange:
    column: str
    change: Change
    before: str | None
    after: str | None

    def describe(self) -> str:
        if self.change is Change.ADDED:
            return f"new column {self.column!r} ({self.after})"
        if self.change is Change.REMOVED:
            return f"column {self.column!r} ({self.before}) is gone from the source"
        return f"column {self.column!r}: {self.before} → {self.after} ({self.change.value})"


def widens(old: pa.DataType, new: pa.DataType) -> bool:
    """Whether every ``old`` value is exactly a ``new`` value (a safe widening).

    >>> widens(pa.int32(), pa.int64()), widens(pa.int64(), pa.float64())
    (True, False)
    >>> widens(pa.decimal128(12, 2), pa.decimal128(14, 2)), widens(pa.date32(), pa.timestamp("us"))
    (True, True)
    """
    if old.equals(new):
        return True
    if old in _INT_WIDTH and new in _INT_WIDTH:
        return _INT_WIDTH[old] <= _INT_WIDTH[new]
    if old in _INT_WIDTH and pa.types.is_floating(new):
        return _INT_WIDTH[old] <= (16 if new == pa.float32() else 32)
    if pa.types.is_floating(old) and pa.types.is_floating(new):
        return bool(old.bit_width <= new.bit_width)
    if old in _INT_WIDTH and pa.types.is_decimal(new):
        digits = {8: 3, 16: 5, 32: 10, 64: 19}[_INT_WIDTH[old]]
        return bool(new.precision - new.scale >= digits)
    if pa.types.is_decimal(old) and pa.types.is_decimal(new):
        whole = new.precision - new.scale >= old.precision - old.scale
        return bool(new.scale >= old.scale and whole)
    if pa.types.is_date(old) and pa.types.is_timestamp(new):
        return new.tz is None
    return False


def compare_schemas(table: pa.Schema, data: pa.Schema) -> list[ColumnChange]:
    """How ``data`` (already :func:`lake_schema`) differs from the stored ``table`` schema."""
    changes: list[ColumnChange] = []
    for field in data:
        index = table.get_field_index(field.name)
        if index < 0:
            changes.append(ColumnChange(field.name, Change.ADDED, None, str(field.type)))
            continue
        before = table.field(index).type
        if before.equals(field.type):
            continue
        if widens(field.type, before):
            kind = Change.NARROWER
        elif widens(before, field.type):
            kind = Change.WIDENED
        else:
            kind = Change.CHANGED
        changes.append(ColumnChange(field.name, kind, str(before), str(field.type)))
    changes.extend(
        ColumnChange(f.name, Change.REMOVED, str(f.type), None)
        for f in table
        if data.get_field_index(f.name) < 0
    )
    return changes
