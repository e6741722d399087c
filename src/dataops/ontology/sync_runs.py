"""Sync runs of mappings: queue (by hand or by schedule), execute, record.

A sync reads the dataset's changes since the version the mapping last synced and writes objects
in one Delta commit tagged with the mapping's app id and the sync's number, so a sync whose
process died after its commit is never written twice. The :class:`SyncRunner` executes queued
syncs in worker threads and fires due schedules; like the extraction runner, it claims a run with
a compare-and-set, so several server processes can share one store.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dataops.audit import service as audit
from dataops.auth.principal import Principal
from dataops.core.errors import ConflictError, DataOpsError, NotFoundError
from dataops.core.processes import pid_alive
from dataops.core.settings import Settings
from dataops.datasets.schedule import due_tick
from dataops.datasets.schemas import RunStatus
from dataops.lake.storage import Zone, lake_from_settings
from dataops.lake.tables import LakeTable
from dataops.ontology.models import Mapping, ObjectType, SyncRun
from dataops.ontology.object_types import mappings_of, properties_of
from dataops.ontology.schemas import (
    OnConflict,
    SyncMode,
    SyncRunList,
    SyncRunOut,
)
from dataops.ontology.sync import SyncPlan, run_sync
from dataops.store.base import utcnow
from dataops.store.engine import transaction

log = logging.getLogger(__name__)

ACTIVE = (RunStatus.QUEUED.value, RunStatus.RUNNING.value)


def sync_out(run: SyncRun) -> SyncRunOut:
    return SyncRunOut(
        id=run.id,
        mapping_id=run.mapping_id,
        seq=run.seq,
        trigger=run.trigger,
        status=RunStatus(run.status),
        triggered_by=run.triggered_by,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        dataset_version_from=run.dataset_version_from,
        dataset_version_to=run.dataset_version_to,
        processed=run.processed,
        succeeded=run.succeeded,
        failed=run.failed,
        lake_version=run.lake_version,
        duration_ms=run.duration_ms,
        error=run.error,
        error_code=run.error_code,
    )


def create_sync(
    session: Session,
    mapping: Mapping,
    trigger: str,
    triggered_by: str,
    *,
    scheduled_for: datetime | None = None,
) -> SyncRun:
    """A queued sync with the mapping's next number (in the caller's transaction)."""
    session.execute(sa.update(Mapping).where(Mapping.id == mapping.id).values(seq=Mapping.seq + 1))
    session.refresh(mapping, ["seq"])
    run = SyncRun(
        mapping_id=mapping.id,
        seq=mapping.seq,
        trigger=trigger,
        status=RunStatus.QUEUED.value,
        triggered_by=triggered_by,
        scheduled_for=scheduled_for,
        processed=0,
        succeeded=0,
        failed=0,
    )
    session.add(run)
    session.flush()
    mapping.last_sync_id = run.id
    log.info("sync %s #%d of mapping %s queued (%s)", run.id, run.seq, mapping.id, trigger)
    return run


def start_manual_sync(session: Session, principal: Principal, mapping: Mapping) -> SyncRunOut:
    active = session.scalar(
        sa.select(SyncRun.id).where(SyncRun.mapping_id == mapping.id, SyncRun.status.in_(ACTIVE))
    )
    if active is not None:
        raise ConflictError(f"mapping {mapping.name!r} already has sync {active} in progress")
    run = create_sync(session, mapping, "manual", principal.username)
    audit.record(
        session,
        principal.actor,
        "mapping.sync",
        target_type="mapping",
        target_id=mapping.id,
        details={"name": mapping.name, "sync": run.id},
    )
    return sync_out(run)


def list_syncs(session: Session, mapping: Mapping, limit: int, offset: int) -> SyncRunList:
    base = sa.select(SyncRun).where(SyncRun.mapping_id == mapping.id)
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    found = session.scalars(base.order_by(SyncRun.seq.desc()).limit(limit).offset(offset)).all()
    return SyncRunList(items=[sync_out(r) for r in found], total=total)


def get_sync(session: Session, mapping: Mapping, sync_id: str) -> SyncRunOut:
    run = session.get(SyncRun, sync_id)
    if run is None or run.mapping_id != mapping.id:
        raise NotFoundError(f"no sync {sync_id} of mapping {mapping.name!r}")
    return sync_out(run)


# --- execution -----------------------------------------------------------------------------------


def execute_sync(sessions: sessionmaker[Session], settings: Settings, run_id: str) -> None:
    """Run a claimed sync to its end; never raises."""
    started = time.monotonic()
    lake = lake_from_settings(settings)
    try:
        with transaction(sessions) as session:
            run = session.get(SyncRun, run_id)
            assert run is not None
            mapping = session.get(Mapping, run.mapping_id)
            assert mapping is not None
            ot = session.get(ObjectType, mapping.object_type_id)
            assert ot is not None
            dataset_table = LakeTable.of(lake, Zone.DATASETS, mapping.dataset_id)
            latest = dataset_table.open()
            if latest is None:
                raise ConflictError("the dataset has no data yet: run an extraction first")
            plan = SyncPlan(
                lake=lake,
                object_type_id=ot.id,
                key_property=ot.key_property,
                properties=properties_of(ot),
                mapping_id=mapping.id,
                mappings=mappings_of(mapping),
                mode=SyncMode(mapping.sync_mode),
                on_conflict=OnConflict(mapping.on_conflict),
                dataset_id=mapping.dataset_id,
                from_version=mapping.synced_dataset_version,
                to_version=latest.version(),
                sync_id=run.id,
                seq=run.seq,
                staging_dir=settings.home / "staging",
            )
            run.dataset_version_from = plan.from_version
            run.dataset_version_to = plan.to_version
        result = run_sync(plan)
    except Exception as exc:
        code = exc.code if isinstance(exc, DataOpsError) else "internal_error"
        message = exc.message if isinstance(exc, DataOpsError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, DataOpsError):
            log.exception("sync %s failed unexpectedly", run_id)
        _finish(sessions, run_id, started, RunStatus.FAILED, error=message, code=code)
        return
    objects = LakeTable.of(lake, Zone.OBJECTS, plan.object_type_id)
    with transaction(sessions) as session:
        run = session.get(SyncRun, run_id)
        mapping = session.get(Mapping, plan.mapping_id)
        ot = session.get(ObjectType, plan.object_type_id)
        assert run is not None and mapping is not None and ot is not None
        run.processed, run.succeeded, run.failed = (
            result.processed,
            result.succeeded,
            result.failed,
        )
        run.lake_version = result.lake_version
        mapping.synced_dataset_version = plan.to_version
        if result.lake_version is not None:
            ot.lake_version = result.lake_version
            ot.object_count = objects.count(result.lake_version)
    _finish(sessions, run_id, started, RunStatus.SUCCEEDED)
    log.info(
        "sync %s succeeded: %d processed, %d written, %d rejected",
        run_id,
        result.processed,
        result.succeeded,
        result.failed,
    )


def _finish(
    sessions: sessionmaker[Session],
    run_id: str,
    started: float,
    status: RunStatus,
    *,
    error: str | None = None,
    code: str | None = None,
) -> None:
    with transaction(sessions) as session:
        run = session.get(SyncRun, run_id)
        assert run is not None
        run.status = status.value
        run.finished_at = utcnow()
        run.duration_ms = (time.monotonic() - started) * 1000
        run.error, run.error_code = error, code
    if error:
        log.info("sync %s %s: %s", run_id, status.value, error)


class SyncRunner:
    """Worker threads for syncs, plus the mapping scheduler loop."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self.sessions, self.settings = sessions, settings
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self._config = settings.datasets
        self._pool = ThreadPoolExecutor(self._config.workers, thread_name_prefix="sync")
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._recover()
        self._thread = threading.Thread(target=self._loop, name="dataops-syncs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self._config.scheduler:
                    self.fire_schedules(utcnow())
                self._claim_queued()
            except Exception:
                log.exception("sync runner tick failed")
            self._wake.wait(self._config.scheduler_interval_seconds)
            self._wake.clear()

    def _claim_queued(self) -> None:
        with transaction(self.sessions) as session:
            queued = list(
                session.scalars(
                    sa.select(SyncRun.id)
                    .where(SyncRun.status == RunStatus.QUEUED.value)
                    .order_by(SyncRun.created_at)
                    .limit(10)
                )
            )
        for run_id in queued:
            with transaction(self.sessions) as session:
                claimed = session.execute(
                    sa.update(SyncRun)
                    .where(SyncRun.id == run_id, SyncRun.status == RunStatus.QUEUED.value)
                    .values(status=RunStatus.RUNNING.value, started_at=utcnow(), worker=self.worker)
                )
                if getattr(claimed, "rowcount", 0) != 1:
                    continue
            self._pool.submit(execute_sync, self.sessions, self.settings, run_id)

    def _recover(self) -> None:
        """Syncs left running by a process of this host that is gone: interrupted (a sync
        commits once, at its end: nothing of it is visible, or all of it is, in the lake)."""
        host = socket.gethostname()
        with transaction(self.sessions) as session:
            running = session.scalars(
                sa.select(SyncRun).where(SyncRun.status == RunStatus.RUNNING.value)
            ).all()
            for run in running:
                owner_host, _, pid = (run.worker or "").partition(":")
                if owner_host != host or not pid.isdigit() or pid_alive(int(pid)):
                    continue
                run.status = RunStatus.FAILED.value
                run.finished_at = utcnow()
                run.error = f"interrupted: its server {run.worker} stopped; run the sync again"
                run.error_code = "interrupted"
                log.warning("sync %s was interrupted (server %s stopped)", run.id, run.worker)

    def fire_schedules(self, now: datetime) -> None:
        with transaction(self.sessions) as session:
            due = list(
                session.scalars(
                    sa.select(Mapping.id).where(
                        Mapping.schedule_enabled.is_(True), Mapping.next_run_at <= now
                    )
                )
            )
        for mapping_id in due:
            try:
                with transaction(self.sessions) as session:
                    self._fire(session, mapping_id, now)
            except IntegrityError:
                log.info("tick of mapping %s already taken by another scheduler", mapping_id)

    def _fire(self, session: Session, mapping_id: str, now: datetime) -> None:
        mapping = session.get(Mapping, mapping_id)
        if mapping is None or mapping.next_run_at is None or mapping.schedule_cron is None:
            return
        if mapping.next_run_at > now:
            return
        planned = mapping.next_run_at
        tick, following = due_tick(
            mapping.schedule_cron, mapping.schedule_timezone, planned, now, mapping.misfire_policy
        )
        moved = session.execute(
            sa.update(Mapping)
            .where(Mapping.id == mapping.id, Mapping.next_run_at == planned)
            .values(next_run_at=following)
        )
        if getattr(moved, "rowcount", 0) != 1 or tick is None:
            return
        session.refresh(mapping)
        active = session.scalar(
            sa.select(SyncRun.id).where(
                SyncRun.mapping_id == mapping.id, SyncRun.status.in_(ACTIVE)
            )
        )
        if active is None:
            create_sync(session, mapping, "schedule", "scheduler", scheduled_for=tick)
            self._wake.set()
