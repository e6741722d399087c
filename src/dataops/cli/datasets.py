"""`dataops datasets`: define, extract and inspect datasets through the HTTP API (as the user
behind DATAOPS_TOKEN)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from dataops.cli.client import ApiClient, api_client
from dataops.cli.context import console, fail
from dataops.cli.grid import print_preview
from dataops.cli.specs import read_spec

app = typer.Typer(
    help="Extract datasets into the lake (uses DATAOPS_URL and DATAOPS_TOKEN).",
    no_args_is_help=True,
)

FINAL = {"succeeded", "failed", "cancelled"}
STATUS_STYLE = {"succeeded": "green", "failed": "red", "cancelled": "yellow", "running": "cyan"}


def _find(client: ApiClient, name: str) -> dict[str, Any]:
    for dataset in client.call("GET", "/datasets")["items"]:
        if name in (dataset["name"], dataset["id"]):
            return dict(dataset)
    raise fail(f"no dataset named {name!r} that you may see")


def _source_id(client: ApiClient, name: str) -> str:
    for source in client.call("GET", "/sources")["items"]:
        if name in (source["name"], source["id"]):
            return str(source["id"])
    raise fail(f"no source named {name!r} that you may use")


def _status(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, 'white')}]{status}[/]"


def _size(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


@app.command("list")
def list_datasets() -> None:
    """Datasets you may see."""
    with api_client() as client:
        items = client.call("GET", "/datasets")["items"]
    table = Table("name", "source", "mode", "schedule", "last run", "rows", "version")
    for d in items:
        last = d["last_run"]
        schedule = d["schedule"]
        table.add_row(
            d["name"],
            d["source"]["name"],
            d["mode"],
            f"{schedule['cron']} {schedule['timezone']}" if schedule else "manual",
            _status(last["status"]) if last else "never",
            "" if d["row_count"] is None else f"{d['row_count']:,}",
            "" if d["lake_version"] is None else str(d["lake_version"]),
        )
    console.print(table)


@app.command("create")
def create(
    name: str,
    source: Annotated[str, typer.Option(help="Source name or id.")],
    table: Annotated[str | None, typer.Option(help="A table or view.")] = None,
    sql: Annotated[str | None, typer.Option(help="A read-only query.")] = None,
    path: Annotated[str | None, typer.Option(help="A file path or glob.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="A REST endpoint path.")] = None,
    mode: Annotated[str, typer.Option(help="full, append or merge.")] = "full",
    key: Annotated[list[str] | None, typer.Option(help="Primary key column (repeat).")] = None,
    watermark: Annotated[str | None, typer.Option(help="Watermark column (incremental).")] = None,
    initial: Annotated[str | None, typer.Option(help="First watermark value.")] = None,
    lookback: Annotated[float | None, typer.Option(help="Re-read window (s or units).")] = None,
    policy: Annotated[str, typer.Option(help="allow_all, add_columns or block.")] = "add_columns",
    cron: Annotated[str | None, typer.Option(help="Schedule, e.g. '0 2 * * *'.")] = None,
    timezone: Annotated[str, typer.Option(help="Time zone of the schedule.")] = "UTC",
    definition: Annotated[
        Path | None, typer.Option(help="JSON file with the whole definition instead.")
    ] = None,
) -> None:
    """Define a dataset: a source plus what to extract and how."""
    with api_client() as client:
        if definition is not None:
            body: dict[str, Any] = json.loads(definition.read_text())
            body.setdefault("name", name)
        else:
            body = {
                "name": name,
                "spec": read_spec(table=table, sql=sql, path=path, endpoint=endpoint),
                "mode": mode,
                "primary_key": key or [],
                "schema_policy": policy,
            }
            if watermark:
                body["incremental"] = {
                    "column": watermark,
                    "initial_value": initial,
                    "lookback": lookback,
                }
            if cron:
                body["schedule"] = {"cron": cron, "timezone": timezone}
        body["source_id"] = _source_id(client, source)
        created = client.call("POST", "/datasets", json=body)
    console.print(f"created dataset [bold]{created['name']}[/] ({created['id']})")
    if created["next_run_at"]:
        console.print(f"next scheduled run: {created['next_run_at']}")


@app.command("extract")
def extract(
    name: str,
    follow: Annotated[bool, typer.Option(help="Show progress until the run ends.")] = True,
) -> None:
    """Run an extraction now, with a live progress bar."""
    with api_client() as client:
        dataset = _find(client, name)
        run = client.call("POST", f"/datasets/{dataset['id']}/runs")
        console.print(f"run #{run['seq']} ({run['id']}) queued")
        if not follow:
            return
        run = _follow(client, dataset, run)
    _summary(run)
    if run["status"] != "succeeded":
        raise typer.Exit(1)


def _follow(client: ApiClient, dataset: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    expected = dataset["row_count"]  # the last load's size: a fair guess of this one's
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} rows"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(dataset["name"], total=expected or None, rate="")
        started = time.monotonic()
        while run["status"] not in FINAL:
            time.sleep(0.5)
            run = client.call("GET", f"/datasets/{dataset['id']}/runs/{run['id']}")
            elapsed = max(time.monotonic() - started, 1e-6)
            total = expected if expected and run["rows"] <= expected else None
            progress.update(
                task,
                completed=run["rows"],
                total=total,
                description=f"{dataset['name']} ({run['status']})",
                rate=f"{run['rows'] / elapsed:,.0f} rows/s",
            )
        if run["status"] == "succeeded":
            progress.update(task, total=max(run["rows"], 1), completed=max(run["rows"], 1))
    return run


def _summary(run: dict[str, Any]) -> None:
    console.print(f"run #{run['seq']} {_status(run['status'])}")
    seconds = (run["duration_ms"] or 0) / 1000
    rate = f" ({run['rows'] / seconds:,.0f} rows/s)" if seconds else ""
    console.print(f"  rows: {run['rows']:,}{rate}   bytes: {_size(run['bytes'])}")
    if run["lake_version"] is not None:
        console.print(f"  lake version: {run['lake_version']}")
    if run["watermark_after"] is not None:
        console.print(f"  watermark: {run['watermark_before']} → {run['watermark_after']}")
    if run["quarantined"]:
        console.print(f"  [yellow]quarantined: {run['quarantined']:,} record(s)[/]")
    for change in run["schema_changes"]:
        console.print(f"  schema: {change}")
    if run["error"]:
        console.print(f"  [red]{run['error']}[/]")


@app.command("runs")
def runs(name: str, limit: Annotated[int, typer.Option(min=1, max=500)] = 20) -> None:
    """Extraction history, newest first."""
    with api_client() as client:
        dataset = _find(client, name)
        items = client.call("GET", f"/datasets/{dataset['id']}/runs", params={"limit": limit})
    table = Table("#", "status", "trigger", "started", "seconds", "rows", "version", "bad")
    for r in items["items"]:
        table.add_row(
            str(r["seq"]),
            _status(r["status"]),
            r["trigger"],
            (r["started_at"] or "")[:19],
            "" if r["duration_ms"] is None else f"{r['duration_ms'] / 1000:.1f}",
            f"{r['rows']:,}",
            "" if r["lake_version"] is None else str(r["lake_version"]),
            str(r["quarantined"] or ""),
        )
    console.print(table)


@app.command("preview")
def preview(
    name: str,
    version: Annotated[int | None, typer.Option(help="Lake version (time travel).")] = None,
    live: Annotated[bool, typer.Option(help="Read the source now, not the lake.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 20,
) -> None:
    """The first rows of the dataset's lake table (or of the source, with --live)."""
    with api_client() as client:
        dataset = _find(client, name)
        where = "preview" if live else "data"
        params: dict[str, Any] = {"limit": limit}
        if version is not None:
            params["version"] = version
        result = client.call("GET", f"/datasets/{dataset['id']}/{where}", params=params)
    print_preview(result)


@app.command("quarantine")
def quarantine(name: str, limit: Annotated[int, typer.Option(min=1, max=1000)] = 50) -> None:
    """Open quarantined records: reason, where, raw text."""
    with api_client() as client:
        dataset = _find(client, name)
        found = client.call(
            "GET",
            f"/datasets/{dataset['id']}/quarantine",
            params={"status": "open", "limit": limit},
        )
    table = Table("file", "line", "row", "reason", "raw")
    for r in found["items"]:
        line = "" if r["line"] is None else str(r["line"])
        row = "" if r["row"] is None else str(r["row"])
        table.add_row(r["file"] or "", line, row, r["reason"], r["raw"][:80])
    console.print(table)
    console.print(f"{found['total']} open record(s)")


@app.command("delete")
def delete(
    name: str, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False
) -> None:
    """Delete a dataset's definition and history (its lake files stay)."""
    if not yes:
        typer.confirm(f"Delete dataset {name!r}?", abort=True)
    with api_client() as client:
        client.call("DELETE", f"/datasets/{_find(client, name)['id']}")
    console.print(f"deleted [bold]{name}[/]")
