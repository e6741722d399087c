"""Rewrite an object type's objects to a new version of its schema (a breaking change saved with
``migration: rewrite``): kept properties are cast to their new kind (a value that no longer fits
becomes null), removed ones are dropped, new ones start null. One Delta commit, streamed through
DuckDB a batch at a time; the previous version stays readable (time travel)."""

from __future__ import annotations

import logging

import pyarrow as pa

from dataops.engine.session import quote_identifier
from dataops.engine.session import session as duckdb_session
from dataops.lake.commits import RunCommit
from dataops.lake.storage import Lake, Zone
from dataops.lake.tables import LakeTable, scan
from dataops.ontology.arrow_types import PROVENANCE, duckdb_type, object_schema
from dataops.ontology.schemas import PropertySpec

log = logging.getLogger(__name__)

BATCH_ROWS = 65_536


def rewrite_objects(
    lake: Lake, type_id: str, properties: list[PropertySpec], key: str, version: int
) -> int | None:
    """Rewrite the objects of ``type_id`` to ``properties``; the new Delta version (None: the
    type has no objects yet)."""
    table = LakeTable.of(lake, Zone.OBJECTS, type_id)
    delta = table.open()
    if delta is None:
        return None
    target = object_schema(properties, key)
    existing = set(pa.schema(delta.schema().to_arrow()).names)
    columns = []
    for spec in properties:
        if spec.name in existing:
            columns.append(f"TRY_CAST({quote_identifier(spec.name)} AS {duckdb_type(spec)})")
        else:
            columns.append(f"CAST(NULL AS {duckdb_type(spec)})")
    columns += [quote_identifier(f.name) if f.name in existing else "NULL" for f in PROVENANCE]
    names = [*[s.name for s in properties], *PROVENANCE.names]
    select = ", ".join(f"{c} AS {quote_identifier(n)}" for c, n in zip(columns, names, strict=True))
    commit = RunCommit(
        f"dataops:object_type:{type_id}", version, f"schema-v{version}", kind="migrate"
    )
    with duckdb_session(memory_limit="256MB", threads=1) as con:
        con.register("objects", scan(delta))
        reader = con.sql(f"SELECT {select} FROM objects").fetch_record_batch(BATCH_ROWS)  # noqa: S608
        batches = (batch.cast(target) for batch in reader)
        written = table.write(
            pa.RecordBatchReader.from_batches(target, batches), commit, mode="overwrite"
        )
    log.info(
        "objects of type %s rewritten to schema version %d (lake %d)", type_id, version, written
    )
    return written
