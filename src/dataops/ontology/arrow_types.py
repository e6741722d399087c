"""Object properties as Arrow types (how objects are stored) and DuckDB types (how syncs cast).

>>> from dataops.ontology.schemas import PropertySpec
>>> spec = PropertySpec(name="tags", kind="array", items=PropertySpec(name="t", kind="integer"))
>>> property_arrow_type(spec), duckdb_type(spec)
(ListType(list<item: int64>), 'BIGINT[]')
>>> object_schema([PropertySpec(name="id", kind="string")], "id").names
['id', '_dataset_id', '_dataset_version', '_mapping_id', '_sync_id', '_synced_at']
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from dataops.ontology.schemas import PropertyKind, PropertySpec

TIMESTAMP = pa.timestamp("us", tz="UTC")

PROVENANCE = pa.schema(
    [
        ("_dataset_id", pa.string()),
        ("_dataset_version", pa.int64()),
        ("_mapping_id", pa.string()),
        ("_sync_id", pa.string()),
        ("_synced_at", TIMESTAMP),
    ]
)
"""Columns every object carries besides its properties: where and when it was synced from."""

_SCALARS: dict[PropertyKind, tuple[pa.DataType, str]] = {
    PropertyKind.STRING: (pa.string(), "VARCHAR"),
    PropertyKind.ENUM: (pa.string(), "VARCHAR"),
    PropertyKind.INTEGER: (pa.int64(), "BIGINT"),
    PropertyKind.FLOAT: (pa.float64(), "DOUBLE"),
    PropertyKind.BOOLEAN: (pa.bool_(), "BOOLEAN"),
    PropertyKind.DATE: (pa.date32(), "DATE"),
    PropertyKind.TIMESTAMP: (TIMESTAMP, "TIMESTAMPTZ"),
}


def property_arrow_type(spec: PropertySpec) -> pa.DataType:
    """The Arrow type objects store ``spec``'s values in."""
    if spec.kind in _SCALARS:
        return _SCALARS[spec.kind][0]
    if spec.kind is PropertyKind.DECIMAL:
        return pa.decimal128(spec.precision, spec.scale)
    if spec.kind is PropertyKind.ARRAY:
        return pa.list_(property_arrow_type(_items(spec)))
    return pa.struct([pa.field(f.name, property_arrow_type(f)) for f in _fields(spec)])


def duckdb_type(spec: PropertySpec) -> str:
    """The DuckDB type text for casts to ``spec``'s type (``STRUCT("a" BIGINT)``, ``DATE[]``).

    >>> from dataops.ontology.schemas import PropertySpec
    >>> duckdb_type(PropertySpec(name="a", kind="object", fields=[
    ...     PropertySpec(name="n", kind="decimal", precision=10, scale=2)]))
    'STRUCT("n" DECIMAL(10, 2))'
    """
    if spec.kind in _SCALARS:
        return _SCALARS[spec.kind][1]
    if spec.kind is PropertyKind.DECIMAL:
        return f"DECIMAL({spec.precision}, {spec.scale})"
    if spec.kind is PropertyKind.ARRAY:
        return f"{duckdb_type(_items(spec))}[]"
    fields = ", ".join(f'"{f.name}" {duckdb_type(f)}' for f in _fields(spec))
    return f"STRUCT({fields})"


def object_schema(properties: Sequence[PropertySpec], key: str) -> pa.Schema:
    """The objects table of a type: its key, its other properties, then :data:`PROVENANCE`.

    Every column is nullable (a required property is enforced by the sync, not the table)."""
    if not any(p.name == key for p in properties):
        raise ValueError(f"key property {key!r} is not among the properties")
    ordered = sorted(properties, key=lambda p: p.name != key)  # stable: the key first
    fields = [pa.field(p.name, property_arrow_type(p)) for p in ordered]
    return pa.schema([*fields, *PROVENANCE])


def _items(spec: PropertySpec) -> PropertySpec:
    # An array without an element type holds text (the widest scalar).
    return spec.items or PropertySpec(name="item", kind=PropertyKind.STRING)


def _fields(spec: PropertySpec) -> list[PropertySpec]:
    if not spec.fields:
        raise ValueError(f"object property {spec.name!r} has no fields")
    return spec.fields
