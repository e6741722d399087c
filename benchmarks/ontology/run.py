"""Ontology sync, side by side: dataops' upsert of changed rows into an object type (``run_sync``,
end to end) vs a raw delta-rs MERGE of the same rows, on the same data, machine and run.

    .venv/bin/python -m benchmarks.ontology.run --rows 10000000 --changed 1000000 --repeat 2
    .venv/bin/python -m benchmarks.ontology.run --rows 1000000 --changed 100000

The issue's target: upserting 1M changed rows into an object type holding 10M objects takes at
most 2x a raw Delta MERGE of the same data, with peak memory bounded.

The data is built once per size in ``--workdir`` (``generate.py``, untimed): a dataset of
``--rows`` rows whose version 1 appends ``--changed`` rows (existing keys, new values), and the
objects of version 0 (``run_sync``). Before each contender run the objects table is copied
afresh (untimed), so each one upserts into the same ``--rows`` objects. Each contender runs in a
fresh process (its peak RSS is its own), in rounds (``--repeat``); the best time and the highest
peak of each are reported, with the ratio of dataops' time to the raw MERGE's, the MERGE's own
metrics, and the checks of the result. Results go to
``benchmarks/ontology/results/<date>-<rows>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.ontology import generate

RESULTS = Path(__file__).parent / "results"
REPO = Path(__file__).resolve().parents[2]
TARGET_RATIO = 2.0
DUCKDB_CAP_MB = 1024  # the sync's DuckDB memory_limit (dataops.ontology.sync.MEMORY_LIMIT)


@dataclass(frozen=True)
class Contender:
    name: str
    title: str
    dataops: bool = False  # the product (the numerator of the ratio)
    diagnostic: bool = False  # a part of dataops alone, to see where its time goes
    writes: bool = True  # upserts into a fresh copy of the objects


CONTENDERS = [
    Contender("delta_merge", "raw delta-rs MERGE (Parquet source)"),
    Contender("dataops_sync", "dataops run_sync (upsert)", dataops=True),
    Contender(
        "dataops_select", "dataops changed rows -> DuckDB query", diagnostic=True, writes=False
    ),
]
BY_NAME = {c.name: c for c in CONTENDERS}
DEFAULT = "delta_merge,dataops_sync"


# --- running one contender ------------------------------------------------------------------------


def run_child(name: str, config: dict[str, Any]) -> dict[str, Any]:
    process = subprocess.run(
        [sys.executable, "-m", "benchmarks.ontology.contenders", name, json.dumps(config)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    lines = process.stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        raise RuntimeError(process.stderr[-4000:] or process.stdout[-4000:] or "no output")
    return dict(json.loads(lines[-1]))


def run_once(
    contender: Contender, setup: generate.Setup, args: argparse.Namespace
) -> dict[str, Any]:
    """Copy the objects (untimed), run the contender in its own process, remove the copy."""
    target = f"{setup.dataset_id}_run"
    base_dir = setup.table_dir("objects", setup.base_id)
    target_dir = setup.table_dir("objects", target)
    staging = Path(setup.workdir) / "staging"
    shutil.rmtree(target_dir, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    copy_s = 0.0
    if contender.writes:
        started = time.perf_counter()
        shutil.copytree(base_dir, target_dir)
        os.sync()  # the copy's dirty pages are on disk before the clock starts
        copy_s = time.perf_counter() - started
    config = {
        "lake_root": setup.lake_root,
        "dataset_id": setup.dataset_id,
        "target": target,
        "base_uri": str(base_dir),
        "source": setup.source,
        "rows": setup.rows,
        "changed": setup.changed,
        "staging_dir": str(staging),
        "sample": args.sample,
    }
    try:
        result = run_child(contender.name, config)
    finally:
        if not args.keep_outputs:
            shutil.rmtree(target_dir, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
    result["copy_s"] = copy_s
    return result


def run_measured(
    contender: Contender, setup: generate.Setup, args: argparse.Namespace
) -> dict[str, Any]:
    """One run, with the 1-min load average before and after; a failure as ``{"error": ...}``."""
    load_before = os.getloadavg()[0]
    try:
        result = run_once(contender, setup, args)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        print(f"  {contender.name}: FAILED\n{detail[-3000:]}", file=sys.stderr)
        lines = [line for line in detail.splitlines() if line.strip()]
        summary = next((line for line in reversed(lines) if "Error" in line), lines[-1])
        return {"error": summary.strip()[:300], "error_detail": detail[-3000:]}
    result["load_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    result["rows_per_s"] = result["rows"] / result["seconds"] if result["seconds"] else 0.0
    return result


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run, with the highest peak RSS of all; a failure, or a failed check, wins
    (it is reported)."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    wrong = [r for r in runs if not r.get("check", {"ok": True})["ok"]]
    best = dict(wrong[0] if wrong else min(runs, key=lambda r: r["seconds"]))
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    best["min_cpu_s"] = min(r["cpu_s"] for r in runs)
    if len(runs) > 1:
        best["all_seconds"] = [r["seconds"] for r in runs]
        best["all_cpu_s"] = [r["cpu_s"] for r in runs]
        best["all_peak_mb"] = [r["peak_mb"] for r in runs]
    return best


def warm(setup: generate.Setup) -> float:
    """Read the files every contender reads (dataset version 1, the MERGE source, the objects)
    once, so that the first contender pays no more I/O than the others."""
    started = time.perf_counter()
    folders = [
        setup.table_dir("datasets", setup.dataset_id),
        setup.table_dir("objects", setup.base_id),
    ]
    files = [Path(setup.source), *(f for d in folders for f in sorted(d.rglob("*")))]
    for path in files:
        if path.is_file():
            with path.open("rb") as handle:
                while handle.read(1 << 24):
                    pass
    return time.perf_counter() - started


# --- report ---------------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    versions = {}
    for package in ("dataops", "deltalake", "duckdb", "pyarrow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    commit, dirty = source_state()
    return {
        "machine": {
            "cpu": cpu,
            "cores": len(os.sched_getaffinity(0)),
            "memory_gb": round(mem_kb / 2**20, 1),
            "kernel": platform.release(),
            "python": platform.python_version(),
        },
        "versions": versions,
        "git": {"commit": commit, "src_dirty": dirty},
    }


def source_state() -> tuple[str, bool]:
    """The git commit, and whether ``src/`` differs from it (dataops is imported from there)."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=False, cwd=REPO
        ).stdout.strip()

    return git("rev-parse", "--short", "HEAD"), bool(git("status", "--porcelain", "--", "src"))


def ratio(results: dict[str, dict[str, Any]]) -> float | None:
    """dataops' seconds divided by the raw MERGE's (<= 2: the target)."""
    ours, raw = results.get("dataops_sync", {}), results.get("delta_merge", {})
    if ours.get("seconds") and raw.get("seconds"):
        return float(ours["seconds"] / raw["seconds"])
    return None


def previous(rows: int, changed: int) -> tuple[Path, dict[str, Any]] | None:
    """The latest saved result of a smaller size (for the memory scaling line)."""
    found = []
    for path in RESULTS.glob("*.json"):
        data = json.loads(path.read_text())
        if data.get("rows", rows) < rows and "dataops_sync" in data.get("results", {}):
            found.append((data["rows"], data.get("date", ""), path, data))
    if not found:
        return None
    _, _, path, data = max(found, key=lambda f: (f[0], f[1]))
    return path, data


def targets(
    setup: generate.Setup, results: dict[str, dict[str, Any]], slower: float | None
) -> list[dict[str, Any]]:
    ours, raw = results.get("dataops_sync", {}), results.get("delta_merge", {})
    checks: list[dict[str, Any]] = []

    def add(name: str, value: Any, ok: bool | None, goal: str) -> None:
        checks.append({"target": name, "goal": goal, "value": value, "ok": ok})

    add(
        "dataops seconds / raw MERGE seconds",
        slower,
        slower <= TARGET_RATIO if slower is not None else None,
        f"<= {TARGET_RATIO}",
    )
    if ours.get("min_cpu_s") and raw.get("min_cpu_s"):
        cpu = ours["min_cpu_s"] / raw["min_cpu_s"]
        add("(CPU s, lowest of each: dataops / raw MERGE)", cpu, None, "(shown: less noisy)")
    for name, result in (("dataops", ours), ("raw MERGE", raw)):
        found = result.get("check")
        if found:
            count, right = found["objects"], found["objects_ok"]
            add(f"{name}: objects after", count, right, f"== {setup.rows:,}")
            bad = len(found["changed_wrong"]) + len(found["unchanged_wrong"])
            sampled = f"{found['changed_checked']} changed + {found['unchanged_checked']} unchanged"
            add(f"{name}: sampled keys right", f"{sampled}, {bad} wrong", found["ok"], "all")
    sync = ours.get("sync_result")
    if sync:
        right = sync["processed"] == setup.changed and sync["failed"] == 0
        add("dataops: processed, rejected", f"{sync['processed']:,}, {sync['failed']}", right, "")
    if ours.get("peak_mb") and raw.get("peak_mb"):
        extra = ours["peak_mb"] - raw["peak_mb"]
        add(
            "peak RSS MB: dataops - raw MERGE",
            extra,
            extra <= DUCKDB_CAP_MB,
            f"<= {DUCKDB_CAP_MB} (the sync's DuckDB cap)",
        )
    found_prev = previous(setup.rows, setup.changed)
    if found_prev and ours.get("peak_mb"):
        path, data = found_prev
        before = data["results"]["dataops_sync"].get("peak_mb")
        raw_before = data["results"].get("delta_merge", {}).get("peak_mb")
        if before:
            scale = setup.rows / data["rows"]
            shown = f"{ours['peak_mb'] / before:.2f}x"
            if raw_before and raw.get("peak_mb"):
                shown += f" (raw MERGE {raw['peak_mb'] / raw_before:.2f}x)"
            add(f"peak vs {path.name} ({scale:g}x the rows)", shown, None, "(shown)")
    return checks


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"
    return str(value)


def print_report(
    setup: generate.Setup,
    built: bool,
    results: dict[str, dict[str, Any]],
    slower: float | None,
    checks: list[dict[str, Any]],
) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(width=170)
    table = Table(
        title=f"upsert {setup.changed:,} changed rows into {setup.rows:,} objects "
        f"(11 properties + 5 provenance columns)"
    )
    for column, justify in (
        ("contender", "left"), ("seconds", "right"), ("rows/s", "right"),
        ("x raw MERGE", "right"), ("CPU s (min)", "right"), ("RSS MB base->peak", "right"),
        ("MERGE ms (scan, rewrite)", "right"), ("files -/+", "right"), ("load", "right"),
        ("check", "left"),
    ):  # fmt: skip
        table.add_column(column, justify=justify)
    raw_s = results.get("delta_merge", {}).get("seconds")
    for contender in CONTENDERS:
        result = results.get(contender.name)
        if result is None:
            continue
        title = contender.title + (" [dim](diag.)[/]" if contender.diagnostic else "")
        if contender.dataops:
            title = f"[bold]{title}[/]"
        if "error" in result:
            table.add_row(title, "[red]failed[/]", *[""] * 7, escape(result["error"][:120]))
            continue
        merge = result.get("merge", {})
        merge_ms = (
            f"{merge['execution_time_ms']:,} ({merge.get('scan_time_ms', 0):,}, "
            f"{merge.get('rewrite_time_ms', 0):,})"
            if "execution_time_ms" in merge
            else ""
        )
        files = (
            f"{merge['num_target_files_removed']}/{merge['num_target_files_added']}"
            if "num_target_files_added" in merge
            else ""
        )
        found = result.get("check")
        shown_check = "" if found is None else ("[green]ok[/]" if found["ok"] else "[red]WRONG[/]")
        seconds = f"{result['seconds']:.2f}"
        if result.get("all_seconds"):
            seconds += " [dim](" + ", ".join(f"{s:.2f}" for s in result["all_seconds"]) + ")[/]"
        table.add_row(
            title,
            seconds,
            f"{result['rows_per_s']:,.0f}",
            f"{result['seconds'] / raw_s:.2f}" if raw_s else "",
            f"{result['min_cpu_s']:.1f}",
            f"{result['base_mb']:.0f} -> {result['peak_mb']:.0f}",
            merge_ms,
            files,
            f"{result['load_1m'][1]:.1f}",
            shown_check,
        )
    console.print(table)
    ours = results.get("dataops_sync", {})
    if ours.get("merge", {}).get("execution_time_ms") is not None:
        merge_s = ours["merge"]["execution_time_ms"] / 1000
        console.print(
            f"dataops: {ours['seconds']:.2f} s = MERGE {merge_s:.2f} s (delta-rs' own metric) "
            f"+ {ours['seconds'] - merge_s:.2f} s before it (open, changed rows, DuckDB query, "
            "split, Arrow IPC staging) and after it"
        )
    state = "built now" if built else f"cached, built {setup.built_at}"
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in setup.durations.items())
    sizes = ", ".join(f"{k} {v:,.0f} MB" for k, v in setup.sizes_mb.items())
    console.print(f"setup (untimed, {state}): {steps}; sizes: {sizes}")
    copies = [r["copy_s"] for r in results.values() if r.get("copy_s")]
    if copies:
        console.print(f"objects copied before each run (untimed): {max(copies):.1f} s at most")
    if checks:
        table = Table(title="targets")
        for column in ("target", "goal", "measured", "ok"):
            table.add_column(column)
        for item in checks:
            mark = {True: "[green]yes[/]", False: "[red]no[/]", None: "-"}[item["ok"]]
            table.add_row(
                escape(item["target"]), escape(item["goal"]), escape(_fmt(item["value"])), mark
            )
        console.print(table)


# --- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000, help="objects in the type")
    parser.add_argument("--changed", type=int, help="changed rows to upsert (default rows/10)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/dataops-bench-ontology"),
        help="the lake (dataset, objects), the MERGE source, the copies (data reused)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds over the contenders (best time shown)"
    )
    parser.add_argument(
        "--only", default=DEFAULT, help=f"comma-separated subset of: {', '.join(BY_NAME)}"
    )
    parser.add_argument("--sample", type=int, default=1000, help="keys checked after each run")
    parser.add_argument("--keep-outputs", action="store_true", help="keep the last copies")
    parser.add_argument("--no-save", action="store_true", help="do not write the results JSON")
    args = parser.parse_args()
    changed = args.changed or max(1, args.rows // 10)
    wanted = args.only.split(",")
    unknown = [n for n in wanted if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown contender(s): {', '.join(unknown)}")
    chosen = [c for c in CONTENDERS if c.name in wanted]

    started = time.perf_counter()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"data for {args.rows:,} objects, {changed:,} changed rows ...", flush=True)
    setup, built = prepare(args.workdir, args.rows, changed)
    env = environment()
    print(f"warming the page cache: {warm(setup):.1f} s", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {c.name: [] for c in chosen}
    for round_number in range(1, args.repeat + 1):
        for contender in chosen:
            if runs[contender.name] and "error" in runs[contender.name][-1]:
                continue
            print(f"round {round_number}: {contender.name} ...", flush=True)
            result = run_measured(contender, setup, args)
            runs[contender.name].append(result)
            if "error" not in result:
                found = result.get("check")
                print(
                    f"  {result['seconds']:.2f} s, CPU {result['cpu_s']:.1f} s, peak "
                    f"{result['peak_mb']:.0f} MB, load {result['load_1m'][1]:.1f}"
                    + ("" if found is None else f", check {'ok' if found['ok'] else 'WRONG'}"),
                    flush=True,
                )
    results = {name: best_of(found) for name, found in runs.items()}
    slower = ratio(results)
    checks = targets(setup, results, slower)
    commit_end, _ = source_state()
    if commit_end != env["git"]["commit"]:
        env["git"]["commit_at_end"] = commit_end
        print(
            f"WARNING: the commit changed during the run ({env['git']['commit']} -> "
            f"{commit_end}): the contenders did not all run the same dataops",
            file=sys.stderr,
        )
    print_report(setup, built, results, slower, checks)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{dt.date.today().isoformat()}-{args.rows}.json"
        payload = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "rows": args.rows,
            "changed": changed,
            "repeat": args.repeat,
            "total_seconds": round(time.perf_counter() - started, 1),
            **env,
            "setup": {**asdict(setup), "built_now": built},
            "contenders": {c.name: c.title for c in chosen},
            "results": results,
            "dataops_over_raw_merge": slower,
            "targets": checks,
        }
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
        print(f"saved {path}")


def prepare(workdir: Path, rows: int, changed: int) -> tuple[generate.Setup, bool]:
    """The data of this size (built in a process of its own unless cached), and whether it was
    built now."""
    found = generate.load(workdir, rows, changed)
    if found is not None:
        return found, False
    command = [sys.executable, "-m", "benchmarks.ontology.generate", "--workdir", str(workdir)]
    subprocess.run([*command, "--rows", str(rows), "--changed", str(changed)], check=True, cwd=REPO)
    found = generate.load(workdir, rows, changed)
    if found is None:
        raise RuntimeError("generating the data left no complete build")
    return found, True


if __name__ == "__main__":
    main()
