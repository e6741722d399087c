"""Bad records, set aside in a Delta table per dataset (zone ``quarantine``).

Each record keeps the reason, the file/line/row where it was found and its raw text, so it can be
fixed and re-processed. Records are written once per run (tagged with the run's app transaction, so
a retried run never writes them twice) and later marked resolved by a reprocess run.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.principal import Principal
from dataops.connectors.base import Reject
from dataops.core.ids import new_id
from dataops.core.settings import Settings
from dataops.datasets.access import usable_dataset
from dataops.datasets.schemas import QuarantinedRecord, QuarantineList, QuarantineStatus
from dataops.lake.commits import RunCommit
from dataops.lake.storage import Lake, Zone, lake_from_settings
from dataops.lake.tables import LakeTable
from dataops.store.base import utcnow

log = logging.getLogger(__name__)

MAX_RAW_CHARS = 65_536
"""Raw text kept per record (a runaway line must not fill the quarantine)."""
MAX_KEPT = 100_000
"""Records kept per run; beyond this they are counted, not stored (the run fails anyway unless
the dataset allows that many)."""

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("run_id", pa.string()),
        ("reason", pa.string()),
        ("raw", pa.string()),
        ("line", pa.int64()),
        ("row", pa.int64()),
        ("file", pa.string()),
        ("status", pa.string()),
        ("quarantined_at", pa.timestamp("us", tz="UTC")),
        ("resolved_run_id", pa.string()),
    ]
)


def quarantine_table(lake: Lake, dataset_id: str) -> LakeTable:
    return LakeTable.of(lake, Zone.QUARANTINE, dataset_id)


class QuarantineBuffer:
    """Collects a run's rejects (bounded), then writes them in one commit."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.count = 0
        self._kept: list[Reject] = []

    def add(self, reject: Reject) -> None:
        self.count += 1
        if len(self._kept) < MAX_KEPT:
            self._kept.append(reject)

    def flush(
        self, table: LakeTable, commit: RunCommit, status: QuarantineStatus = QuarantineStatus.OPEN
    ) -> None:
        if not self._kept:
            return
        if table.committed_seq(commit.app_id + ":quarantine") == commit.seq:
            return
        now = utcnow()
        data = pa.table(
            {
                "id": [new_id() for _ in self._kept],
                "run_id": [self.run_id] * len(self._kept),
                "reason": [r.reason for r in self._kept],
                "raw": [r.raw[:MAX_RAW_CHARS] for r in self._kept],
                "line": [r.line for r in self._kept],
                "row": [r.row for r in self._kept],
                "file": [r.file for r in self._kept],
                "status": [status.value] * len(self._kept),
                "quarantined_at": [now] * len(self._kept),
                "resolved_run_id": [None] * len(self._kept),
            },
            schema=SCHEMA,
        )
        quarantine = RunCommit(
            commit.app_id + ":quarantine", commit.seq, commit.run_id, kind="quarantine"
        )
        table.write(
            pa.RecordBatchReader.from_batches(SCHEMA, data.to_batches()), quarantine, mode="append"
        )
        log.info("quarantined %d record(s) of run %s", len(self._kept), self.run_id)


def read_records(
    table: LakeTable,
    *,
    run_id: str | None = None,
    status: QuarantineStatus | None = None,
    ids: list[str] | None = None,
) -> pa.Table:
    """Matching records, oldest first (run, then row/line)."""
    dataset = table.dataset()
    if dataset is None:
        return SCHEMA.empty_table()
    # delta-rs hands strings over as string_view, which pyarrow's dataset filters cannot compare
    # yet: read (a quarantine is bounded, see MAX_KEPT), cast to the stored schema, then filter.
    found = dataset.to_table().cast(SCHEMA)
    mask: Any = None
    for column, value in (("run_id", run_id), ("status", status.value if status else None)):
        if value is not None:
            test = pc.equal(found.column(column), value)
            mask = test if mask is None else pc.and_(mask, test)
    if ids is not None:
        test = pc.is_in(found.column("id"), pa.array(ids, pa.string()))
        mask = test if mask is None else pc.and_(mask, test)
    if mask is not None:
        found = found.filter(mask)
    return found.sort_by(
        [("quarantined_at", "ascending"), ("row", "ascending"), ("line", "ascending")]
    )


def mark_resolved(table: LakeTable, ids: list[str], run_id: str) -> None:
    """Mark ``ids`` resolved by ``run_id`` (one commit)."""
    if not ids:
        return
    delta = table.open()
    assert delta is not None
    listed = ", ".join("'" + i.replace("'", "''") + "'" for i in ids)
    delta.update(
        predicate=f"id IN ({listed})",
        updates={
            "status": f"'{QuarantineStatus.RESOLVED.value}'",
            "resolved_run_id": f"'{run_id}'",
        },
    )


def list_records(
    session: Session,
    principal: Principal,
    settings: Settings,
    dataset_id: str,
    run_id: str | None,
    status: QuarantineStatus | None,
    limit: int,
    offset: int,
) -> QuarantineList:
    """Quarantined records of a dataset (raw source data: an audited read)."""
    dataset = usable_dataset(session, principal, dataset_id)
    table = quarantine_table(lake_from_settings(settings), dataset.id)
    found = read_records(table, run_id=run_id, status=status)
    page = found.slice(offset, limit).to_pylist()
    audit.record(
        session,
        principal.actor,
        "data.quarantine.read",
        target_type="dataset",
        target_id=dataset.id,
        details={"name": dataset.name, "records": len(page)},
    )
    return QuarantineList(items=[_record_out(r) for r in page], total=found.num_rows)


def _record_out(row: dict[str, Any]) -> QuarantinedRecord:
    quarantined_at = row["quarantined_at"]
    assert isinstance(quarantined_at, datetime)
    return QuarantinedRecord(
        id=row["id"],
        run_id=row["run_id"],
        reason=row["reason"],
        raw=row["raw"],
        line=row["line"],
        row=row["row"],
        file=row["file"],
        status=QuarantineStatus(row["status"]),
        quarantined_at=quarantined_at,
    )
