"""Run records: creating them (manual, scheduled, reprocess), claiming, progress, outcome.

A run's number ``seq`` comes from the dataset row (incremented in the creating transaction) and is
the version of the run's Delta app transaction, so the lake knows which runs it holds.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.principal import Principal
from dataops.core.errors import NotFoundError
from dataops.datasets.access import editable_dataset, usable_dataset
from dataops.datasets.errors import RunActiveError
from dataops.datasets.models import Dataset, ExtractionRun
from dataops.datasets.schemas import RunList, RunOut, RunStatus, RunTrigger
from dataops.store.base import utcnow

log = logging.getLogger(__name__)

ACTIVE = (RunStatus.QUEUED.value, RunStatus.RUNNING.value)
CANCEL_REQUESTED = "cancel_requested"


def app_id(dataset_id: str) -> str:
    """The Delta app transaction id of a dataset's runs."""
    return f"dataops:dataset:{dataset_id}"


def run_out(run: ExtractionRun) -> RunOut:
    return RunOut(
        id=run.id,
        dataset_id=run.dataset_id,
        seq=run.seq,
        trigger=RunTrigger(run.trigger),
        status=RunStatus(run.status),
        triggered_by=run.triggered_by,
        scheduled_for=run.scheduled_for,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        attempts=run.attempts,
        rows=run.rows,
        bytes=run.bytes,
        duration_ms=run.duration_ms,
        watermark_before=run.watermark_before,
        watermark_after=run.watermark_after,
        lake_version=run.lake_version,
        quarantined=run.quarantined,
        schema_changes=json.loads(run.schema_changes),
        error=run.error,
        error_code=None if run.error_code == CANCEL_REQUESTED else run.error_code,
        worker=run.worker,
    )


def create_run(
    session: Session,
    dataset: Dataset,
    trigger: RunTrigger,
    triggered_by: str,
    *,
    scheduled_for: datetime | None = None,
    options: dict[str, object] | None = None,
) -> ExtractionRun:
    """A queued run with the dataset's next number (in the caller's transaction)."""
    session.execute(sa.update(Dataset).where(Dataset.id == dataset.id).values(seq=Dataset.seq + 1))
    session.refresh(dataset, ["seq"])
    run = ExtractionRun(
        dataset_id=dataset.id,
        seq=dataset.seq,
        trigger=trigger.value,
        status=RunStatus.QUEUED.value,
        triggered_by=triggered_by,
        scheduled_for=scheduled_for,
        attempts=0,
        rows=0,
        bytes=0,
        quarantined=0,
        schema_changes="[]",
        options=json.dumps(options or {}),
    )
    session.add(run)
    session.flush()
    dataset.last_run_id = run.id
    log.info("run %s #%d of dataset %s queued (%s)", run.id, run.seq, dataset.id, trigger.value)
    return run


def _check_idle(session: Session, dataset: Dataset) -> None:
    active = session.scalar(
        sa.select(ExtractionRun.id).where(
            ExtractionRun.dataset_id == dataset.id, ExtractionRun.status.in_(ACTIVE)
        )
    )
    if active is not None:
        raise RunActiveError(
            f"dataset {dataset.name!r} already has a run in progress ({active}); "
            "wait for it or cancel it",
            details={"run_id": active},
        )


def start_manual_run(session: Session, principal: Principal, dataset_id: str) -> RunOut:
    dataset = editable_dataset(session, principal, dataset_id)
    _check_idle(session, dataset)
    run = create_run(session, dataset, RunTrigger.MANUAL, principal.actor.name)
    audit.record(
        session,
        principal.actor,
        "dataset.run",
        target_type="dataset",
        target_id=dataset.id,
        details={"name": dataset.name, "run_id": run.id},
    )
    return run_out(run)


def start_reprocess_run(
    session: Session,
    principal: Principal,
    dataset_id: str,
    ids: list[str] | None,
    corrections: dict[str, str],
) -> RunOut:
    dataset = editable_dataset(session, principal, dataset_id)
    _check_idle(session, dataset)
    options: dict[str, object] = {"ids": ids, "corrections": corrections}
    run = create_run(session, dataset, RunTrigger.REPROCESS, principal.actor.name, options=options)
    audit.record(
        session,
        principal.actor,
        "dataset.reprocess",
        target_type="dataset",
        target_id=dataset.id,
        details={
            "name": dataset.name,
            "run_id": run.id,
            "records": len(ids or []) or "all",
            "corrected": sorted(corrections),
        },
    )
    return run_out(run)


def _run_of(session: Session, dataset_id: str, run_id: str) -> ExtractionRun:
    run = session.get(ExtractionRun, run_id)
    if run is None or run.dataset_id != dataset_id:
        raise NotFoundError(f"run {run_id} not found")
    return run


def get_run(session: Session, principal: Principal, dataset_id: str, run_id: str) -> RunOut:
    usable_dataset(session, principal, dataset_id)
    return run_out(_run_of(session, dataset_id, run_id))


def list_runs(
    session: Session,
    principal: Principal,
    dataset_id: str,
    status: RunStatus | None,
    limit: int,
    offset: int,
) -> RunList:
    usable_dataset(session, principal, dataset_id)
    condition = ExtractionRun.dataset_id == dataset_id
    if status is not None:
        condition = sa.and_(condition, ExtractionRun.status == status.value)
    total = session.scalar(sa.select(sa.func.count()).select_from(ExtractionRun).where(condition))
    found = session.scalars(
        sa.select(ExtractionRun)
        .where(condition)
        .order_by(ExtractionRun.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    return RunList(items=[run_out(r) for r in found], total=total or 0)


def request_cancel(session: Session, principal: Principal, dataset_id: str, run_id: str) -> RunOut:
    """Cancel a queued run at once; ask a running one to stop (its worker checks between
    batches, whichever process it runs in)."""
    editable_dataset(session, principal, dataset_id)
    run = _run_of(session, dataset_id, run_id)
    if run.status == RunStatus.QUEUED:
        run.status = RunStatus.CANCELLED.value
        run.finished_at = utcnow()
        run.error = f"cancelled by {principal.actor.name} before it started"
    elif run.status == RunStatus.RUNNING:
        run.error_code = CANCEL_REQUESTED
    audit.record(
        session,
        principal.actor,
        "dataset.run.cancel",
        target_type="dataset",
        target_id=dataset_id,
        details={"run_id": run.id},
    )
    session.flush()
    return run_out(run)


def claim(session: Session, run_id: str, worker: str) -> bool:
    """Move a queued run to running for ``worker``; False if another worker got it first."""
    now = utcnow()
    result = session.execute(
        sa.update(ExtractionRun)
        .where(ExtractionRun.id == run_id, ExtractionRun.status == RunStatus.QUEUED.value)
        .values(status=RunStatus.RUNNING.value, worker=worker, started_at=now, heartbeat_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def queued_run_ids(session: Session, limit: int) -> list[str]:
    return list(
        session.scalars(
            sa.select(ExtractionRun.id)
            .where(ExtractionRun.status == RunStatus.QUEUED.value)
            .order_by(ExtractionRun.created_at)
            .limit(limit)
        )
    )


def record_progress(session: Session, run_id: str, rows: int, size: int) -> bool:
    """Store progress; returns True if a cancel was requested."""
    session.execute(
        sa.update(ExtractionRun)
        .where(ExtractionRun.id == run_id)
        .values(rows=rows, bytes=size, heartbeat_at=utcnow())
    )
    code = session.scalar(sa.select(ExtractionRun.error_code).where(ExtractionRun.id == run_id))
    return code == CANCEL_REQUESTED


def heartbeat(session: Session, run_ids: list[str]) -> None:
    session.execute(
        sa.update(ExtractionRun).where(ExtractionRun.id.in_(run_ids)).values(heartbeat_at=utcnow())
    )


def stale_runs(session: Session, older_than: timedelta) -> list[ExtractionRun]:
    """Running runs whose worker stopped sending heartbeats (killed, crashed)."""
    limit = utcnow() - older_than
    return list(
        session.scalars(
            sa.select(ExtractionRun).where(
                ExtractionRun.status == RunStatus.RUNNING.value,
                sa.or_(ExtractionRun.heartbeat_at.is_(None), ExtractionRun.heartbeat_at < limit),
            )
        )
    )
