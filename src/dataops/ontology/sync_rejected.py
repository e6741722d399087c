"""Records a mapping's syncs rejected: one Delta table per mapping (zone ``rejected``), with the
reason, the row's position in the sync's read and its mapped source columns as JSON.

Each sync writes its records as files while it runs and commits them once, before its objects,
tagged ``(dataops:mapping:<id>:rejected, seq)`` so that a re-run never writes them twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pyarrow as pa

from dataops.engine.session import session
from dataops.lake.commits import RunCommit
from dataops.lake.parts import PartWriter
from dataops.lake.storage import Lake, Zone
from dataops.lake.tables import LakeTable, Staged
from dataops.ontology.arrow_types import TIMESTAMP
from dataops.ontology.transform_sql import ERROR, ROW, SOURCE

REJECTED_SCHEMA = pa.schema(
    [
        ("sync_id", pa.string()),
        ("row", pa.int64()),
        ("reason", pa.string()),
        ("source", pa.string()),
        ("rejected_at", TIMESTAMP),
    ]
)


def rejected_table(lake: Lake, mapping_id: str) -> LakeTable:
    return LakeTable.of(lake, Zone.REJECTED, mapping_id)


class RejectedWriter:
    """One sync's rejected records: written as files, committed once (or removed)."""

    def __init__(self, lake: Lake, mapping_id: str, app_id: str, seq: int, sync_id: str) -> None:
        self.table = rejected_table(lake, mapping_id)
        self.commit_as = RunCommit(f"{app_id}:rejected", seq, sync_id, kind="sync")
        self.writer = PartWriter(self.table.uri, lake.storage_options, REJECTED_SCHEMA)
        self.committed = False

    def write(self, rows: pa.RecordBatch, now: datetime) -> None:
        """Rows of the sync's query that carry an ``_error``."""
        n = rows.num_rows
        self.writer.write(
            pa.RecordBatch.from_arrays(
                [
                    pa.repeat(pa.scalar(self.commit_as.run_id, pa.string()), n),
                    rows.column(ROW).cast(pa.int64()),
                    rows.column(ERROR).cast(pa.string()),
                    rows.column(SOURCE).cast(pa.string()),
                    pa.repeat(pa.scalar(now, TIMESTAMP), n),
                ],
                schema=REJECTED_SCHEMA,
            )
        )

    def commit(self) -> None:
        """Commit the records (once per seq: a re-run after a crash drops its copy)."""
        adds = self.writer.close()
        if not adds:
            return
        done = self.table.committed_seq(self.commit_as.app_id)
        if done is not None and done >= self.commit_as.seq:
            self.writer.abort()
            return
        self.table.commit(Staged(self.writer, adds, REJECTED_SCHEMA), self.commit_as, mode="append")
        self.committed = True

    def abort(self) -> None:
        """Remove the files, unless committed (they are the table's then)."""
        if not self.committed:
            self.writer.abort()


def read_rejected(
    lake: Lake, mapping_id: str, sync_id: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of a mapping's rejected records (newest sync first, then by row) and how many
    there are. Each: ``sync_id``, ``row``, ``reason``, ``source`` (a dict), ``rejected_at``."""
    table = rejected_table(lake, mapping_id).open()
    if table is None:
        return [], 0
    where, params = ("WHERE sync_id = ?", [sync_id]) if sync_id is not None else ("", [])
    count = f"SELECT count(*) FROM rejected {where}"  # noqa: S608 a fixed clause
    page = (
        'SELECT sync_id, "row", reason, source, rejected_at FROM rejected '  # noqa: S608
        f'{where} ORDER BY rejected_at DESC, sync_id, "row" LIMIT ? OFFSET ?'
    )
    with session(memory_limit="256MB", threads=1) as con:
        con.register("rejected", table.to_pyarrow_dataset())
        total = con.sql(count, params=params).to_arrow_table().column(0)[0].as_py()
        # Arrow, not fetchall(): DuckDB converts TIMESTAMPTZ to Python through pytz.
        found = con.sql(page, params=[*params, limit, offset]).to_arrow_table().to_pylist()
    records = [
        {
            "sync_id": r["sync_id"],
            "row": r["row"],
            "reason": r["reason"],
            "source": _source(r["source"]),
            "rejected_at": r["rejected_at"],
        }
        for r in found
    ]
    return records, int(total)


def _source(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:  # not expected (DuckDB wrote it): keep the text rather than fail the page
        return {"_text": text}
    return value if isinstance(value, dict) else {"_value": value}
