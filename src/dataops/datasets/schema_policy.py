"""Schema evolution: which table schema a run writes, given the dataset's policy.

New columns are added; safe widenings are allowed; anything else follows the policy and is reported
as drift on the run. A column the source no longer sends stays in the table (filled with nulls)
unless the policy is ``allow_all`` and the run replaces the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

from dataops.datasets.errors import SchemaDriftError
from dataops.datasets.schemas import SchemaPolicy
from dataops.lake.types import Change, ColumnChange, compare_schemas

_ALLOWED: dict[SchemaPolicy, frozenset[Change]] = {
    SchemaPolicy.BLOCK: frozenset({Change.NARROWER}),
    SchemaPolicy.ADD_COLUMNS: frozenset(
        {Change.NARROWER, Change.ADDED, Change.REMOVED, Change.WIDENED}
    ),
    SchemaPolicy.ALLOW_ALL: frozenset(Change),
}


@dataclass(frozen=True)
class SchemaPlan:
    """What to write: the table schema, how delta-rs should treat it, and the drift seen."""

    schema: pa.Schema
    changes: list[ColumnChange]
    schema_mode: Literal["merge", "overwrite"] | None
    retype_existing: bool  # an incremental run must first rewrite the table with new types


def plan_schema(
    existing: pa.Schema | None, incoming: pa.Schema, policy: SchemaPolicy, *, replaces_all: bool
) -> SchemaPlan:
    """The schema plan for writing ``incoming`` (lake types) into a table holding ``existing``.

    >>> old = pa.schema([("id", pa.int32()), ("name", pa.string())])
    >>> new = pa.schema([("id", pa.int64()), ("name", pa.string()), ("age", pa.int16())])
    >>> plan = plan_schema(old, new, SchemaPolicy.ADD_COLUMNS, replaces_all=False)
    >>> [c.describe() for c in plan.changes]
    ["column 'id': int32 → int64 (widened)", "new column 'age' (int16)"]
    >>> plan.schema.names, plan.retype_existing
    (['id', 'name', 'age'], True)
    """
    if existing is None:
        return SchemaPlan(incoming, [], None, retype_existing=False)
    changes = compare_schemas(existing, incoming)
    refused = [c for c in changes if c.change not in _ALLOWED[policy]]
    if refused:
        listed = "; ".join(c.describe() for c in refused)
        raise SchemaDriftError(
            f"the source's schema changed and the dataset's policy ({policy.value}) does not "
            f"allow it: {listed}. Change the schema policy or run a full refresh with allow_all.",
            details={"changes": [c.describe() for c in changes]},
        )
    kinds = {c.change for c in changes}
    if replaces_all and policy is SchemaPolicy.ALLOW_ALL and kinds - {Change.NARROWER}:
        return SchemaPlan(incoming, changes, "overwrite", retype_existing=False)
    by_name = {c.column: c for c in changes}
    fields = []
    for field in existing:
        change = by_name.get(field.name)
        retyped = change is not None and change.change in {Change.WIDENED, Change.CHANGED}
        fields.append(incoming.field(field.name) if retyped else field)
    fields += [incoming.field(c.column) for c in changes if c.change is Change.ADDED]
    retyped_any = bool(kinds & {Change.WIDENED, Change.CHANGED})
    if retyped_any:
        mode: Literal["merge", "overwrite"] | None = "overwrite" if replaces_all else "merge"
    elif Change.ADDED in kinds:
        mode = "merge"
    else:
        mode = None
    return SchemaPlan(
        pa.schema(fields), changes, mode, retype_existing=retyped_any and not replaces_all
    )
