"""dataops end to end, as a user runs it: ``dataops up`` in its own process (fresh home, so its
peak RSS is this run's), a source and a dataset created through the HTTP API, one run started with
``POST /api/v1/datasets/{id}/runs`` and polled until it ends.

Measured: the run's own ``duration_ms`` and the wall time from the POST to the poll that saw it
end (polled every 0.1 s); the server's CPU seconds over that time; its RSS when idle (signed in,
source and dataset created) and its peak (``VmHWM`` from ``/proc/<pid>/status``) when the run
ends and again once the column profile, computed by the server after the run is reported done,
is stored (the log says how long it took), plus the peak of the RSS sampled every 0.1 s over the
server and any process it started.
The server's output is kept in ``<workdir>/logs/``. The Delta table is checked
afterwards with ``deltalake``: row count and Arrow types.

The sign-in follows ``tests/fixtures/server.py``: the one-time admin password printed at first
start, changed at first sign-in; the session cookie and CSRF header then carry every call.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import httpx
from benchmarks.extract.postgres import free_port

_PASSWORD = re.compile(r"one-time password:\s*(\S+)")
_PROFILED = re.compile(r"version \d+ profiled in ([\d.]+)s")
_PROFILE_FAILED = re.compile(r"profiling \S+ at version \S+ failed")
_WORKER_DONE = re.compile(r"worker process done: peak RSS ([\d.]+) MB, CPU ([\d.]+) s")
_PROFILE_DONE = re.compile(r"profile process done: peak RSS ([\d.]+) MB, CPU ([\d.]+) s")
POLL_SECONDS = 0.1
PROFILE_TIMEOUT = 900.0
DONE = {"succeeded", "failed", "cancelled"}


_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")
_STAGES = (
    ("queued", re.compile(r"queued \(manual\)")),
    ("read_started", re.compile(r"read started|reading \d+ file")),
    ("read_done", re.compile(r"read done")),
    ("committed", re.compile(r"committed version")),
    ("succeeded", re.compile(r"run \S+ succeeded")),
)


def stages(log: str) -> dict[str, float]:
    """Seconds between the run's logged steps: start (queue -> reading), read_write (reading ->
    Delta commit: the source is read and written as one stream), after_commit (commit ->
    succeeded: the profile and the bookkeeping)."""
    seen: dict[str, datetime] = {}
    for line in log.splitlines():
        stamp = _STAMP.match(line)
        if not stamp:
            continue
        for name, pattern in _STAGES:
            if name not in seen and pattern.search(line):
                seen[name] = datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S,%f")
    spans = {
        "start": ("queued", "read_started"),
        "read_write": ("read_started", "committed"),
        "after_commit": ("committed", "succeeded"),
    }
    return {
        name: (seen[end] - seen[begin]).total_seconds()
        for name, (begin, end) in spans.items()
        if begin in seen and end in seen
    }


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in task.read_text().split()]
        found.append(current)
    return found


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` (all threads) and its waited-for children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, key: str) -> int:
    with Path(f"/proc/{pid}/status").open() as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    """Largest RSS of a process and its descendants, sampled every 0.1 s from /proc."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self._halt = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = 0
            for pid in _descendants(self.pid):
                with contextlib.suppress(OSError):
                    total += _status_kb(pid, "VmRSS")
            self.peak_mb = max(self.peak_mb, total / 1024)
            self._halt.wait(0.1)

    def stop(self) -> float:
        self._halt.set()
        self.join(5)
        return self.peak_mb


@dataclass
class Server:
    home: Path
    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return "".join(self.output)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def _pump(stream: IO[str], sink: list[str]) -> None:
    for line in stream:
        sink.append(line)
    stream.close()


def start_server(home: Path, env: dict[str, str]) -> Server:
    """``dataops up`` on a free loopback port, once ``/health`` answers."""
    shutil.rmtree(home, ignore_errors=True)
    home.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DATAOPS_")}
    environment.update({"DATAOPS_HOME": str(home), "COLUMNS": "200", **env})
    process = subprocess.Popen(
        [sys.executable, "-m", "dataops", "up", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    server = Server(home, process, port)
    assert process.stdout is not None
    threading.Thread(target=_pump, args=(process.stdout, server.output), daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("dataops up exited:\n" + server.log())
        try:
            if httpx.get(f"{server.url}/health", timeout=1).status_code == 200:
                time.sleep(0.2)  # the banner is printed before the server listens
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise TimeoutError("dataops up did not answer /health within 120 s:\n" + server.log())


def sign_in(server: Server) -> httpx.Client:
    match = _PASSWORD.search(server.log())
    if not match:
        raise RuntimeError("no one-time admin password in the server output:\n" + server.log())
    password, new_password = match.group(1), "bench-" + secrets.token_urlsafe(16)
    client = httpx.Client(base_url=server.url + "/api/v1", timeout=60)
    login = client.post("/auth/login", json={"username": "admin", "password": password})
    login.raise_for_status()
    client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    changed = client.post(
        "/auth/password", json={"current_password": password, "new_password": new_password}
    )
    changed.raise_for_status()
    return client


def _checked(response: httpx.Response) -> Any:
    if response.is_error:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:2000]}"
        )
    return response.json()


def wait_for_profile(server: Server, timeout: float) -> float | None:
    """Seconds the server's log says the post-run profile took (None: failed or timed out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = server.log()
        if match := _PROFILED.search(text):
            return float(match.group(1))
        if _PROFILE_FAILED.search(text) or server.process.poll() is not None:
            return None
        time.sleep(POLL_SECONDS)
    return None


def delta_output(uri: str) -> tuple[int, dict[str, str]]:
    """Rows and Arrow types of the Delta table at ``uri``."""
    import pyarrow as pa
    from deltalake import DeltaTable

    table = DeltaTable(uri)
    schema = pa.schema(table.schema().to_arrow())
    rows = table.to_pyarrow_dataset().count_rows()
    return rows, {f.name: str(f.type) for f in schema}


def worker_numbers(log: str) -> dict[str, float | None]:
    """The run's worker process and the profile process after it, from their log lines: peak
    RSS and CPU seconds of each. None when the run executed in a thread of the server
    (``DATAOPS_DATASETS__ISOLATION=thread``)."""
    done, profile = _WORKER_DONE.search(log), _PROFILE_DONE.search(log)
    return {
        "worker_peak_mb": float(done.group(1)) if done else None,
        "worker_cpu_s": float(done.group(2)) if done else None,
        "profile_peak_mb": float(profile.group(1)) if profile else None,
        "profile_cpu_s": float(profile.group(2)) if profile else None,
    }


def run_dataops(
    home: Path,
    env: dict[str, str],
    source: dict[str, Any],
    spec: dict[str, Any],
    *,
    keep: bool = False,
    log: Path | None = None,
) -> dict[str, Any]:
    """One extraction through a fresh server; the measurements as a dict. The server's output
    goes to ``log`` when given."""
    server = start_server(home, env)
    try:
        client = sign_in(server)
        created = _checked(client.post("/sources", json={"name": "bench", **source}))
        dataset = _checked(
            client.post(
                "/datasets",
                json={"name": "bench", "source_id": created["id"], "spec": spec, "mode": "full"},
            )
        )
        pid = server.process.pid
        idle_mb = _status_kb(pid, "VmRSS") / 1024
        idle_hwm_mb = _status_kb(pid, "VmHWM") / 1024
        sampler = RssSampler(pid)
        sampler.start()
        cpu = _cpu_seconds(pid)
        started = time.perf_counter()
        run = _checked(client.post(f"/datasets/{dataset['id']}/runs"))
        while run["status"] not in DONE:
            time.sleep(POLL_SECONDS)
            run = _checked(client.get(f"/datasets/{dataset['id']}/runs/{run['id']}"))
        wall = time.perf_counter() - started
        cpu = _cpu_seconds(pid) - cpu
        peak_run_mb = _status_kb(pid, "VmHWM") / 1024
        if run["status"] != "succeeded":
            sampler.stop()
            raise RuntimeError(
                f"run {run['status']}: {run.get('error_code')} {run.get('error')}\n"
                + server.log()[-4000:]
            )
        # The column profile is computed after the run is reported done, in the same worker:
        # wait for it (its memory is the server's too, and it must not overlap the next run).
        profile_s = wait_for_profile(server, timeout=PROFILE_TIMEOUT)
        sampled_mb = sampler.stop()
        peak_mb = _status_kb(pid, "VmHWM") / 1024
        dataset = _checked(client.get(f"/datasets/{dataset['id']}"))
        client.close()
    finally:
        server.stop()
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(server.log())
    output_rows, types = delta_output(dataset["lake_uri"])
    worker = worker_numbers(server.log())
    result = {
        "rows": run["rows"],
        "seconds": wall,
        "cpu_s": cpu + (worker["worker_cpu_s"] or 0.0),  # the profile's is not the run's
        "server_cpu_s": cpu,
        "run_duration_s": (run["duration_ms"] or 0) / 1000,
        "idle_mb": idle_mb,
        "idle_hwm_mb": idle_hwm_mb,
        "peak_run_mb": peak_run_mb,
        "peak_mb": peak_mb,
        "profile_s": profile_s,
        "sampled_peak_mb": sampled_mb,
        **worker,
        # The process that extracts: the run's worker process, or the server in thread mode.
        "extract_peak_run_mb": worker["worker_peak_mb"] or peak_run_mb,
        "extract_peak_mb": max(worker["worker_peak_mb"] or 0, worker["profile_peak_mb"] or 0)
        or peak_mb,
        "output_rows": output_rows,
        "types": types,
        "lake_uri": dataset["lake_uri"],
        "stages_s": stages(server.log()),
        "run": {
            k: run.get(k) for k in ("rows", "bytes", "duration_ms", "lake_version", "attempts")
        },
    }
    if not keep:
        shutil.rmtree(home, ignore_errors=True)
    return result


def main() -> None:
    """Manual use: ``python -m benchmarks.extract.server HOME '<env json>' '<source>' '<spec>'``."""
    home, env, source, spec = sys.argv[1:5]
    print(
        json.dumps(run_dataops(Path(home), json.loads(env), json.loads(source), json.loads(spec)))
    )


if __name__ == "__main__":
    main()
