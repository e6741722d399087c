"""Each extraction in a process of its own, forked from a lean pre-started process.

Why a process: the server stays small and responsive whatever a run does (its memory is the
run's alone and is returned to the system when it ends: a 10M-row run peaks at ~300 MB in its
worker instead of adding that to the server's ~230 MB), and a cancel that the run does not honour
in time ends it for real (SIGTERM, then SIGKILL).

Why forked from a pre-started process (multiprocessing's *forkserver*): the fork server imports
the extraction code once (pyarrow, the connectors, delta-rs); forking a run from it takes
milliseconds instead of the ~1 s of a fresh interpreter, and it never inherits the server's
threads or open connections.

The run's worker process ends when the server process that asked for it ends (it checks every
half second): a killed server leaves its runs interrupted, as with threads, and a restarted one
reports them so.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, NoReturn

import sqlalchemy as sa

from dataops.core.crypto import load_keyring
from dataops.core.logs import configure_logging
from dataops.core.processes import pid_alive
from dataops.core.settings import Settings
from dataops.datasets.execute import RunEnv, execute_run, peak_rss_mb, store_profile
from dataops.datasets.models import ExtractionRun
from dataops.datasets.schemas import RunStatus
from dataops.lake.memory import return_freed_memory
from dataops.lake.storage import lake_from_settings
from dataops.store.base import utcnow
from dataops.store.engine import create_store_engine, make_session_factory, transaction

log = logging.getLogger(__name__)

KILL_AFTER_SECONDS = 10.0
"""How long a cancelled run's process gets to stop by itself before it is killed."""

_WATCH_SECONDS = 0.5

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload([__name__, "dataops.datasets.warm"])
# The profile process starts from a fresh interpreter instead: it needs DuckDB but none of the
# connectors (~50 MB less resident memory), and a second of start-up after the run is done
# delays nothing anyone waits for.
_profile_context = multiprocessing.get_context("spawn")


def start_fork_server() -> None:
    """Start the fork server now (it imports the extraction code, ~1 s), not at the first run."""
    multiprocessing.forkserver.ensure_running()


def run_in_process(env: RunEnv, run_id: str, cancel: threading.Event) -> None:
    """Execute ``run_id`` (claimed by this process) in a worker process, then profile the version
    it committed in another one; returns when both end.

    ``cancel`` set: the worker is asked to stop (SIGTERM: the run ends as cancelled at its next
    batch), and killed if it has not after :data:`KILL_AFTER_SECONDS`."""
    _run_worker(env, run_id, cancel, _worker_main, (env.settings, run_id, os.getpid()))
    with transaction(env.sessions) as session:
        run = session.get(ExtractionRun, run_id)
        committed = run is not None and run.status == RunStatus.SUCCEEDED.value
        version = run.lake_version if run is not None else None
        dataset_id = run.dataset_id if run is not None else ""
    if committed and version is not None and not cancel.is_set():
        # Its own process: the profile's memory (DuckDB) never adds to the extraction's.
        args = (env.settings, dataset_id, version, os.getpid())
        _run_worker(env, run_id, cancel, _profile_main, args, profile=True)


def _run_worker(
    env: RunEnv,
    run_id: str,
    cancel: threading.Event,
    target: Callable[..., None],
    args: tuple[Any, ...],
    *,
    profile: bool = False,
) -> None:
    what = "profile" if profile else "worker"
    context = _profile_context if profile else _context
    process = context.Process(target=target, args=args, name=f"dataops-{what}-{run_id}")
    process.start()
    log.info("run %s: %s process %s started", run_id, what, process.pid)
    asked: float | None = None
    while process.is_alive():
        process.join(0.2)
        if not cancel.is_set() or not process.is_alive():
            continue
        if asked is None:
            asked = time.monotonic()
            process.terminate()
        elif time.monotonic() - asked > KILL_AFTER_SECONDS:
            log.warning("run %s: worker process %s ignored the cancel; killed", run_id, process.pid)
            process.kill()
            process.join()
    if process.exitcode != 0 and not profile:
        _worker_died(env, run_id, process.exitcode, cancelled=cancel.is_set())
    elif process.exitcode != 0:
        log.warning("run %s: profile process ended with %s", run_id, process.exitcode)
    process.close()


def _worker_died(env: RunEnv, run_id: str, exitcode: int | None, *, cancelled: bool) -> None:
    """The worker ended without recording an outcome (killed, crashed, out of memory)."""
    how = f"was killed by signal {-exitcode}" if exitcode and exitcode < 0 else f"exited {exitcode}"
    status, code = (
        (RunStatus.CANCELLED, "cancelled") if cancelled else (RunStatus.FAILED, "interrupted")
    )
    error = f"interrupted: its worker process {how} before committing; nothing of it was loaded" + (
        "" if cancelled else ". Run it again."
    )
    with transaction(env.sessions) as session:
        session.execute(
            sa.update(ExtractionRun)
            .where(ExtractionRun.id == run_id, ExtractionRun.status == RunStatus.RUNNING.value)
            .values(status=status.value, finished_at=utcnow(), error=error, error_code=code)
        )
    log.warning("run %s: worker process %s", run_id, how)


def _start_child(settings: Settings, server_pid: int) -> tuple[sa.Engine, threading.Event]:
    """What every worker process does first: logging, memory, cancel on SIGTERM, its own
    engine for the metadata store, and the watch on its server."""
    configure_logging(settings.log_level)
    return_freed_memory()
    cancel = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: cancel.set())
    _watch_server(server_pid)
    master = settings.master_key.get_secret_value() if settings.master_key else None
    engine = create_store_engine(
        settings.resolved_database_url, load_keyring(master, settings.key_file)
    )
    return engine, cancel


def _end_child(engine: sa.Engine, what: str) -> NoReturn:
    engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    log.info(
        "%s process done: peak RSS %.0f MB, CPU %.2f s",
        what,
        peak_rss_mb(),
        usage.ru_utime + usage.ru_stime,
    )
    logging.shutdown()
    # Leave without running interpreter teardown: delta-rs's runtime threads can abort it.
    os._exit(0)


def _profile_main(settings: Settings, dataset_id: str, version: int, server_pid: int) -> None:
    """The profile process: profile one version of a dataset, then exit."""
    engine, _ = _start_child(settings, server_pid)
    env = RunEnv(make_session_factory(engine), settings, lake_from_settings(settings), "profile")
    store_profile(env, dataset_id, version)  # logs its own failure: a profile is optional
    _end_child(engine, f"dataset {dataset_id}: profile")


def _worker_main(settings: Settings, run_id: str, server_pid: int) -> None:
    """The worker process: one run, then exit."""
    engine, cancel = _start_child(settings, server_pid)
    sessions = make_session_factory(engine)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    log.info("run %s: worker %s for server process %d", run_id, worker, server_pid)
    with transaction(sessions) as session:
        session.execute(
            sa.update(ExtractionRun).where(ExtractionRun.id == run_id).values(worker=worker)
        )
    env = RunEnv(sessions, settings, lake_from_settings(settings), worker, profile=False)
    try:
        execute_run(env, run_id, cancel)
    finally:
        _end_child(engine, f"run {run_id}: worker")


def _watch_server(server_pid: int) -> None:
    """End this process as soon as the server that started it is gone."""

    def watch() -> None:
        while True:
            time.sleep(_WATCH_SECONDS)
            if not pid_alive(server_pid):
                log.warning("server process %d is gone: this worker stops", server_pid)
                os._exit(3)

    threading.Thread(target=watch, name="dataops-watch-server", daemon=True).start()
