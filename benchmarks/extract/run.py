"""Extraction into the lake, side by side: dataops end to end vs dlt, connectorx, DuckDB and the
``COPY ... TO STDOUT (FORMAT binary)`` ceiling, on the same table, machine and run.

    .venv/bin/python -m benchmarks.extract.run --rows 1000000 --repeat 3
    .venv/bin/python -m benchmarks.extract.run --rows 10000000
    .venv/bin/python -m benchmarks.extract.run --rows 1000000 --only copy_binary,dataops

Starts a throw-away PostgreSQL on 127.0.0.1 (data kept in ``--workdir`` so the table is generated
once per size, see ``generate.py``), runs every contender sequentially, each in a fresh process,
in rounds (``--repeat``), and prints rows/s, the ratio of dataops' rate to each contender's, CPU
seconds, peak RSS and whether the output's types are exact, then the targets. Results go to
``benchmarks/extract/results/<date>-<rows>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.extract import generate
from benchmarks.extract.postgres import PostgresServer
from benchmarks.extract.server import run_dataops

RESULTS = Path(__file__).parent / "results"
BATCH_ROWS = 131_072  # dataops' default (DATAOPS_DATASETS__BATCH_ROWS)

# What an exact extraction of the table gives, as Arrow types (dataops' PostgreSQL mapping).
EXPECTED = {
    "id": "int64",
    "qty": "int32",
    "amount": "decimal128(12, 2)",
    "price": "double",
    "title": "string",
    "code": "string",
    "active": "bool",
    "day": "date32[day]",
    "created_at": "timestamp[us, tz=UTC]",
    "uid": "string",
    "attrs": "string",
    "note": "string",
    "updated_at": "timestamp[us, tz=UTC]",
}


@dataclass(frozen=True)
class Contender:
    name: str
    group: str  # "postgres" or "csv"
    title: str
    dataops: bool = False  # the end-to-end product run (the reference of the ratios)
    diagnostic: bool = False  # not a peer: a part of dataops, to see where time goes


CONTENDERS = [
    Contender("copy_binary", "postgres", "COPY binary -> /dev/null (ceiling)"),
    Contender("connectorx", "postgres", "connectorx arrow_stream -> Parquet"),
    Contender("dlt_connectorx", "postgres", "dlt sql_table connectorx -> Parquet"),
    Contender("dlt_pyarrow", "postgres", "dlt sql_table pyarrow -> Parquet"),
    Contender("dataops_read", "postgres", "dataops read() only", diagnostic=True),
    Contender("dataops_write", "postgres", "dataops read() -> delta-rs", diagnostic=True),
    Contender("dataops", "postgres", "dataops end to end -> Delta", dataops=True),
    Contender("duckdb_csv", "csv", "DuckDB read_csv -> Parquet"),
    Contender("dataops_csv_read", "csv", "dataops read() only", diagnostic=True),
    Contender("dataops_csv_write", "csv", "dataops read() -> delta-rs", diagnostic=True),
    Contender("dataops_csv", "csv", "dataops end to end -> Delta", dataops=True),
]
BY_NAME = {c.name: c for c in CONTENDERS}
NEEDS = {  # modules each contender imports (checked before anything starts)
    "copy_binary": ("psycopg",),
    "connectorx": ("connectorx",),
    "dlt_connectorx": ("dlt", "connectorx"),
    "dlt_pyarrow": ("dlt",),
    "dataops_write": ("deltalake",),
    "duckdb_csv": ("duckdb",),
    "dataops_csv_write": ("deltalake",),
}
STAGE_LABELS = {
    "start": "queued->reading",
    "read_write": "read+write",
    "after_commit": "commit->succeeded",
}


# --- running one contender ------------------------------------------------------------------------


def run_child(name: str, config: dict[str, Any]) -> dict[str, Any]:
    process = subprocess.run(
        [sys.executable, "-m", "benchmarks.extract.contenders", name, json.dumps(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        raise RuntimeError(process.stderr[-4000:] or process.stdout[-4000:])
    return dict(json.loads(process.stdout.strip().splitlines()[-1]))


def run_once(
    contender: Contender, rows: int, pg: PostgresServer, workdir: Path, keep: bool
) -> dict[str, Any]:
    table = f"public.{generate.table_name(rows)}"
    files = workdir / "files"
    csv = files / generate.csv_name(rows)
    out = workdir / "out" / contender.name
    common = {
        "conninfo": pg.conninfo(),
        "url": pg.url(),
        "sqlalchemy_url": pg.sqlalchemy_url(),
        "table": table,
        "out": str(out),
        "keep": keep,
    }
    server_env = {"DATAOPS_SOURCES__FILE_ROOTS": json.dumps([str(files)])}
    home = workdir / "dataops-home" / contender.name
    log = workdir / "logs" / f"{contender.name}-{rows}.log"
    pg_read = {
        "type": "postgres",
        "settings": pg.settings(),
        "spec": {"kind": "table", "table": table},
        "batch_rows": BATCH_ROWS,
    }
    csv_read = {
        "type": "csv",
        "settings": {"root": str(files)},
        "allowed_roots": [str(files)],
        "spec": {"kind": "file", "path": csv.name},
        "batch_rows": BATCH_ROWS,
    }
    if contender.name == "dataops":
        source = {"type": "postgres", "config": pg.settings()}
        spec = {"kind": "table", "table": table}
        return run_dataops(home, server_env, source, spec, keep=keep, log=log)
    if contender.name == "dataops_csv":
        source = {"type": "csv", "config": {"root": "."}}
        spec = {"kind": "file", "path": csv.name}
        return run_dataops(home, server_env, source, spec, keep=keep, log=log)
    if contender.name in ("dataops_read", "dataops_write"):
        return run_child(contender.name, {**common, **pg_read})
    if contender.name in ("dataops_csv_read", "dataops_csv_write"):
        return run_child(contender.name.replace("_csv", ""), {**common, **csv_read})
    if contender.name == "duckdb_csv":
        return run_child("duckdb_csv", {**common, "csv": str(csv)})
    return run_child(contender.name, common)


def run_measured(
    contender: Contender, args: argparse.Namespace, pg: PostgresServer
) -> dict[str, Any]:
    """One run of ``contender``, with the 1-min load average before and after it; a failure is
    returned as ``{"error": ...}``."""
    load_before = os.getloadavg()[0]
    try:
        result = run_once(contender, args.rows, pg, args.workdir, args.keep_outputs)
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
    """The fastest run, with the highest peak RSS of all (a failure wins: it is reported)."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    best = dict(min(runs, key=lambda r: r["seconds"]))
    for key in ("peak_mb", "peak_run_mb", "extract_peak_mb", "extract_peak_run_mb"):
        if key in best:
            best[key] = max(r[key] for r in runs)
    best["type_diffs"] = type_diffs(best.get("types") or {})
    if len(runs) > 1:
        best["all_seconds"] = [r["seconds"] for r in runs]
    return best


# --- checking types -------------------------------------------------------------------------------


def normalise(arrow_type: str) -> str:
    for wide in ("large_string", "string_view"):
        arrow_type = arrow_type.replace(wide, "string")
    for utc in ("tz=+00:00", "tz=Etc/UTC", "tz=UTC"):
        arrow_type = arrow_type.replace(utc, "tz=UTC")
    return arrow_type


def type_diffs(types: dict[str, str]) -> dict[str, str]:
    """Columns whose output type is not the exact one (name -> type found)."""
    if not types:
        return {}
    diffs = {}
    for name, expected in EXPECTED.items():
        found = normalise(types.get(name, "missing"))
        if found != expected and not (name == "uid" and "uuid" in found):
            diffs[name] = found
    return diffs


# --- report ---------------------------------------------------------------------------------------


def environment(pg: PostgresServer | None) -> dict[str, Any]:
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
    for package in (
        "dataops", "dlt", "connectorx", "duckdb", "deltalake", "pyarrow", "psycopg",
        "adbc-driver-postgresql", "sqlalchemy",
    ):  # fmt: skip
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    if pg is not None:
        versions["postgresql"] = pg.version()
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
            ["git", *args], capture_output=True, text=True, check=False
        ).stdout.strip()

    return git("rev-parse", "--short", "HEAD"), bool(git("status", "--porcelain", "--", "src"))


def ratios(results: dict[str, dict[str, Any]]) -> dict[str, float]:
    """dataops' rows/s divided by each contender's, per group (> 1: dataops is faster)."""
    out = {}
    for group, reference in (("postgres", "dataops"), ("csv", "dataops_csv")):
        ref = results.get(reference, {})
        if not ref.get("rows_per_s"):
            continue
        for name, result in results.items():
            if BY_NAME[name].group == group and result.get("rows_per_s"):
                out[name] = ref["rows_per_s"] / result["rows_per_s"]
    return out


def previous_peak(rows: int) -> tuple[Path, float] | None:
    """dataops' peak RSS in the latest saved 1M-row result (for the 10M scaling check)."""
    for path in sorted(RESULTS.glob(f"*-{rows}.json"), reverse=True):
        found = json.loads(path.read_text()).get("results", {}).get("dataops", {})
        peak = found.get("extract_peak_mb", found.get("peak_mb"))
        if peak:
            return path, float(peak)
    return None


def targets(
    rows: int, results: dict[str, dict[str, Any]], ratio: dict[str, float]
) -> list[dict[str, Any]]:
    dataops = results.get("dataops", {})
    checks: list[dict[str, Any]] = []

    def check(name: str, value: float | str | None, ok: bool | None, target: str) -> None:
        checks.append({"target": name, "goal": target, "value": value, "ok": ok})

    rate = dataops.get("rows_per_s")
    check("dataops rows/s", rate, rate >= 200_000 if rate else None, ">= 200,000")
    for name, goal in (("dlt_connectorx", 1.5), ("dlt_pyarrow", 10.0)):
        value = ratio.get(name) if name in results else None
        check(f"dataops vs {name}", value, value >= goal if value else None, f">= {goal}x")
    if dataops.get("types"):
        amount = normalise(dataops["types"].get("amount", "missing"))
        exact = not dataops["type_diffs"]
        check("amount type", amount, amount == "decimal128(12, 2)", "decimal128(12, 2)")
        check("all types exact", json.dumps(dataops["type_diffs"]), exact, "no diffs")
        same = dataops.get("output_rows") == rows
        check("Delta rows == source", dataops.get("output_rows"), same, str(rows))
    run_peak = dataops.get("extract_peak_run_mb", dataops.get("peak_run_mb"))
    check("extraction peak RSS MB, run", run_peak, run_peak <= 400 if run_peak else None, "<= 400")
    peak = dataops.get("extract_peak_mb", dataops.get("peak_mb"))
    check("peak RSS MB, run or profile", peak, peak <= 400 if peak else None, "<= 400")
    if rows > 1_000_000 and peak:
        found = previous_peak(1_000_000)
        if found:
            scaled = peak / found[1]
            check(f"peak vs 1M ({found[0].name})", scaled, scaled <= 1.2, "<= 1.2x")
    duck, csv = results.get("duckdb_csv", {}), results.get("dataops_csv", {})
    if duck.get("seconds") and csv.get("seconds"):
        slower = csv["seconds"] / duck["seconds"]
        check("CSV: dataops time / DuckDB time", slower, slower <= 1.5, "<= 1.5x")
    return checks


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"
    return str(value)


def _memory_line(result: dict[str, Any]) -> str:
    """Where dataops' memory went: the run's worker process, the server, all of them."""
    server = (
        f"server RSS idle {result['idle_mb']:.0f} MB, peak {result['peak_mb']:.0f} MB; "
        f"all processes (server, fork server, worker) sampled peak "
        f"{result['sampled_peak_mb']:.0f} MB"
    )
    if result.get("worker_peak_mb") is None:
        return f"memory (run in a server thread): {server}"
    profile = result.get("profile_peak_mb")
    return (
        f"memory: worker process peak {result['worker_peak_mb']:.0f} MB (the run), profile "
        f"process peak {profile or 0:.0f} MB; {server}"
    )


def print_report(
    rows: int, results: dict[str, dict[str, Any]], ratio: dict[str, float], checks: list[Any]
) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(width=170)
    for group, label in (("postgres", "PostgreSQL table"), ("csv", "CSV file")):
        names = [c.name for c in CONTENDERS if c.group == group and c.name in results]
        if not names:
            continue
        table = Table(title=f"{label} -> lake, {rows:,} rows x 13 columns")
        for column, justify in (
            ("contender", "left"), ("seconds", "right"), ("rows/s", "right"),
            ("dataops x", "right"), ("CPU s", "right"), ("RSS MB base->peak", "right"),
            ("load", "right"), ("types", "left"),
        ):  # fmt: skip
            table.add_column(column, justify=justify)
        for name in names:
            contender, result = BY_NAME[name], results[name]
            title = contender.title + (" [dim](diag.)[/]" if contender.diagnostic else "")
            if "error" in result:
                table.add_row(title, "[red]failed[/]", *[""] * 5, escape(result["error"][:120]))
                continue
            seconds = f"{result['seconds']:.2f}"
            if "run_duration_s" in result:
                seconds += f" (run {result['run_duration_s']:.2f})"
            base = result.get("base_mb")
            peak = result.get("extract_peak_mb", result["peak_mb"])
            rss = f"{base:.0f} -> {peak:.0f}" if base else f"{peak:.0f}"
            if not result.get("types"):
                types = "-"
            elif result["type_diffs"]:
                types = escape(", ".join(f"{k}:{v}" for k, v in result["type_diffs"].items()))
            else:
                types = "exact"
            table.add_row(
                title,
                seconds,
                f"{result['rows_per_s']:,.0f}",
                f"{ratio[name]:.2f}" if name in ratio else "",
                f"{result['cpu_s']:.1f}" if "cpu_s" in result else "",
                rss,
                f"{result['load_1m'][1]:.1f}",
                types,
            )
        console.print(table)
        reference = results.get("dataops" if group == "postgres" else "dataops_csv", {})
        if reference.get("stages_s"):
            spans = reference["stages_s"]
            console.print(
                "dataops run, from its log: "
                + ", ".join(f"{STAGE_LABELS.get(k, k)} {v:.2f} s" for k, v in spans.items())
                + (
                    f", then the profile {reference['profile_s']:.1f} s"
                    if reference.get("profile_s") is not None
                    else ""
                )
            )
            console.print(_memory_line(reference))
    if checks:
        table = Table(title="targets")
        for column in ("target", "goal", "measured", "ok"):
            table.add_column(column)
        for check in checks:
            mark = {True: "[green]yes[/]", False: "[red]no[/]", None: "-"}[check["ok"]]
            table.add_row(
                escape(check["target"]), escape(check["goal"]), escape(_fmt(check["value"])), mark
            )
        console.print(table)


# --- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/dataops-bench-extract"),
        help="PostgreSQL data, CSV files, outputs (the generated data is reused between runs)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds over all contenders (each contender's best time is shown)",
    )
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BY_NAME)}")
    parser.add_argument("--skip", default="", help="comma-separated contenders to leave out")
    parser.add_argument("--keep-outputs", action="store_true", help="keep Parquet/Delta outputs")
    parser.add_argument("--no-save", action="store_true", help="do not write the results JSON")
    args = parser.parse_args()
    wanted = args.only.split(",") if args.only else list(BY_NAME)
    unknown = [n for n in [*wanted, *filter(None, args.skip.split(","))] if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown contender(s): {', '.join(unknown)}")
    chosen = [c for c in CONTENDERS if c.name in wanted and c.name not in args.skip.split(",")]
    missing = sorted(
        {
            module
            for c in chosen
            for module in NEEDS.get(c.name, ())
            if importlib.util.find_spec(module) is None
        }
    )
    if missing:
        parser.error(
            f"not installed: {', '.join(missing)}; the peers are in the bench dependency group: "
            "`uv sync --frozen --group bench` (a plain `uv sync` removes them again)"
        )

    pg = PostgresServer(args.workdir / "pg").start()
    results: dict[str, dict[str, Any]] = {}
    try:
        started = time.perf_counter()
        made = generate.make_table(pg, args.rows)
        print(f"table public.{generate.table_name(args.rows)} ready ({made:.0f} s)", flush=True)
        if any(c.group == "csv" for c in chosen):
            made = generate.make_csv(pg, args.rows, args.workdir / "files")
            print(f"{generate.csv_name(args.rows)} ready ({made:.0f} s)", flush=True)
        env = environment(pg)
        # Warm caches (the table's pages, the CSV file) so the first contender pays no I/O.
        table = f"public.{generate.table_name(args.rows)}"
        run_child("copy_binary", {"conninfo": pg.conninfo(), "table": table})
        if any(c.group == "csv" for c in chosen):
            with (args.workdir / "files" / generate.csv_name(args.rows)).open("rb") as handle:
                while handle.read(1 << 24):
                    pass
        # Rounds: every contender once per round, so a change of load on the machine during
        # the benchmark hits all of them alike instead of the ones that happened to run then.
        runs: dict[str, list[dict[str, Any]]] = {c.name: [] for c in chosen}
        for round_number in range(1, args.repeat + 1):
            for contender in chosen:
                if runs[contender.name] and "error" in runs[contender.name][-1]:
                    continue
                print(f"round {round_number}: {contender.name} ...", flush=True)
                result = run_measured(contender, args, pg)
                runs[contender.name].append(result)
                if "error" not in result:
                    print(
                        f"  {result['seconds']:.2f} s, {result['rows_per_s']:,.0f} rows/s, "
                        f"peak {result['peak_mb']:.0f} MB, load {result['load_1m'][1]:.1f}",
                        flush=True,
                    )
        results = {name: best_of(found) for name, found in runs.items()}
    finally:
        pg.stop()
    ratio = ratios(results)
    checks = targets(args.rows, results, ratio)
    commit_end, _ = source_state()
    if commit_end != env["git"]["commit"]:
        # Each dataops server imports src/ when it starts: later contenders ran newer code.
        env["git"]["commit_at_end"] = commit_end
        print(
            f"WARNING: the commit changed during the run ({env['git']['commit']} -> "
            f"{commit_end}): the contenders did not all run the same dataops",
            file=sys.stderr,
        )
    print_report(args.rows, results, ratio, checks)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{dt.date.today().isoformat()}-{args.rows}.json"
        payload = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "rows": args.rows,
            "columns": 13,
            "repeat": args.repeat,
            "total_seconds": round(time.perf_counter() - started, 1),
            **env,
            "contenders": {c.name: c.title for c in chosen},
            "results": results,
            "dataops_rate_ratio": ratio,
            "targets": checks,
        }
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
        print(f"saved {path}")


if __name__ == "__main__":
    main()
