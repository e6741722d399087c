"""Runs extractions (each in a worker process of its own, see :mod:`dataops.datasets.worker`, or
in a thread), and fires schedules.

Any number of processes may run a Runner against one metadata store: a queued run is claimed with
a compare-and-set (``queued`` → ``running``), so exactly one worker executes it; a schedule tick is
turned into a run in the same transaction that moves ``next_run_at`` on, and runs are unique per
``(dataset, tick)``, so a tick fires once. Runs whose worker died (no heartbeat) are reconciled
from the lake or marked failed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dataops.core.settings import Settings
from dataops.datasets import runs
from dataops.datasets.execute import RunEnv, execute_run, reconcile
from dataops.datasets.models import Dataset, ExtractionRun
from dataops.datasets.schedule import due_tick
from dataops.datasets.schemas import RunStatus, RunTrigger
from dataops.datasets.worker import run_in_process, start_fork_server
from dataops.lake.storage import Zone, lake_from_settings
from dataops.lake.tables import LakeTable
from dataops.store.base import utcnow
from dataops.store.engine import transaction

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"


class Runner:
    """The process's extraction workers and scheduler loop."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.env = RunEnv(sessions, settings, lake_from_settings(settings), worker)
        self._config = settings.datasets
        self._pool = ThreadPoolExecutor(self._config.workers, thread_name_prefix="extract")
        self._active: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.schedules = self._config.scheduler

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        if self._config.isolation == "process":
            start_fork_server()
        self._thread = threading.Thread(target=self._loop, name="dataops-runner", daemon=True)
        self._thread.start()
        log.info("runner %s started (scheduler %s)", self.env.worker, self.schedules)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        with self._lock:
            for cancel in self._active.values():
                cancel.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._pool.shutdown(wait=True, cancel_futures=True)

    # --- requests from the API --------------------------------------------------------------

    def submit(self, run_id: str) -> None:
        """A run was queued: look for work now instead of at the next interval."""
        self._wake.set()

    def cancel(self, run_id: str) -> None:
        with self._lock:
            event = self._active.get(run_id)
        if event is not None:
            event.set()

    # --- the loop ------------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick(utcnow())
            except Exception:
                log.exception("runner tick failed")
            self._wake.wait(self._config.scheduler_interval_seconds)
            self._wake.clear()

    def tick(self, now: datetime) -> None:
        """One pass: heartbeats, dead runs, due schedules, queued runs."""
        with self._lock:
            mine = list(self._active)
        if mine:
            with transaction(self.env.sessions) as session:
                runs.heartbeat(session, mine)
        self.recover_stale()
        if self.schedules:
            self.fire_schedules(now)
        self._claim_queued()

    def _claim_queued(self) -> None:
        with self._lock:
            free = self._config.workers - len(self._active)
        if free <= 0:
            return
        with transaction(self.env.sessions) as session:
            candidates = runs.queued_run_ids(session, free * 2)
        for run_id in candidates:
            with transaction(self.env.sessions) as session:
                if not runs.claim(session, run_id, self.env.worker):
                    continue
            self._start(run_id)
            free -= 1
            if free == 0:
                return

    def _start(self, run_id: str) -> None:
        cancel = threading.Event()
        with self._lock:
            self._active[run_id] = cancel
        execute = run_in_process if self._config.isolation == "process" else execute_run
        future = self._pool.submit(execute, self.env, run_id, cancel)
        future.add_done_callback(partial(self._done, run_id))

    def _done(self, run_id: str, future: Future[None]) -> None:
        with self._lock:
            self._active.pop(run_id, None)
        if future.exception() is not None:
            log.error("run %s crashed its worker: %s", run_id, future.exception())
        self._wake.set()

    # --- recovery --------------------------------------------------------------------------------

    def recover_stale(self) -> None:
        """Runs left ``running`` by a dead worker: finished from the lake if it holds them,
        otherwise failed as interrupted (nothing of theirs is visible: writes are atomic)."""
        limit = timedelta(seconds=self._config.stale_after_seconds)
        with transaction(self.env.sessions) as session:
            stale = runs.stale_runs(session, limit)
            session.expunge_all()
        for run in stale:
            table = LakeTable.of(self.env.lake, Zone.DATASETS, run.dataset_id)
            committed = table.committed_seq(runs.app_id(run.dataset_id))
            if committed is not None and committed >= run.seq:
                reconcile(self.env, run, table)
                continue
            with transaction(self.env.sessions) as session:
                session.execute(
                    sa.update(ExtractionRun)
                    .where(ExtractionRun.id == run.id, ExtractionRun.status == "running")
                    .values(
                        status=RunStatus.FAILED.value,
                        finished_at=utcnow(),
                        error=f"interrupted: its worker {run.worker} stopped before committing; "
                        "nothing of it was loaded. Run it again.",
                        error_code="interrupted",
                    )
                )
            log.warning("run %s was interrupted (worker %s stopped)", run.id, run.worker)

    # --- schedules -------------------------------------------------------------------------

    def fire_schedules(self, now: datetime) -> None:
        with transaction(self.env.sessions) as session:
            due = list(
                session.scalars(
                    sa.select(Dataset.id).where(
                        Dataset.schedule_enabled.is_(True), Dataset.next_run_at <= now
                    )
                )
            )
        for dataset_id in due:
            try:
                with transaction(self.env.sessions) as session:
                    self._fire(session, dataset_id, now)
            except IntegrityError:
                log.info("tick of dataset %s already taken by another scheduler", dataset_id)

    def _fire(self, session: Session, dataset_id: str, now: datetime) -> None:
        dataset = session.get(Dataset, dataset_id)
        if dataset is None or not dataset.schedule_enabled or dataset.next_run_at is None:
            return
        if dataset.next_run_at > now or dataset.schedule_cron is None:
            return  # another scheduler moved it on since we looked
        planned = dataset.next_run_at
        tick, following = due_tick(
            dataset.schedule_cron, dataset.schedule_timezone, planned, now, dataset.misfire_policy
        )
        moved = session.execute(
            sa.update(Dataset)
            .where(Dataset.id == dataset.id, Dataset.next_run_at == planned)
            .values(next_run_at=following)
        )
        if getattr(moved, "rowcount", 0) != 1:
            return
        session.refresh(dataset)
        if tick is None:
            log.info(
                "dataset %s: missed tick %s skipped (misfire policy skip)", dataset_id, planned
            )
            return
        active = session.scalar(
            sa.select(ExtractionRun.id).where(
                ExtractionRun.dataset_id == dataset.id, ExtractionRun.status.in_(runs.ACTIVE)
            )
        )
        if active is not None:
            log.info("dataset %s: tick %s skipped, run %s still active", dataset_id, tick, active)
            return
        runs.create_run(
            session, dataset, RunTrigger.SCHEDULE, SCHEDULER, scheduled_for=tick.astimezone(UTC)
        )
        self._wake.set()
