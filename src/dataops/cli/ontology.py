"""`dataops ontology`: object types, mappings and syncs through the HTTP API (as the user behind
DATAOPS_TOKEN); export/apply YAML for git workflows."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from dataops.cli.client import ApiClient, api_client
from dataops.cli.context import console, fail

app = typer.Typer(
    help="Object types, mappings and syncs (uses DATAOPS_URL and DATAOPS_TOKEN).",
    no_args_is_help=True,
)

FINAL = {"succeeded", "failed", "cancelled"}


def _mapping(client: ApiClient, name: str) -> dict[str, Any]:
    for mapping in client.call("GET", "/mappings")["items"]:
        if name in (mapping["name"], mapping["id"]):
            return dict(mapping)
    raise fail(f"no mapping named {name!r} that you may see")


def _type(client: ApiClient, name: str) -> dict[str, Any]:
    for found in client.call("GET", "/object-types")["items"]:
        if name in (found["name"], found["id"]):
            return dict(found)
    raise fail(f"no object type named {name!r} that you may see")


@app.command("types")
def list_types() -> None:
    """Object types you may see."""
    with api_client() as client:
        found = client.call("GET", "/object-types")["items"]
    table = Table("name", "key", "properties", "version", "classification", "objects")
    for t in found:
        count = t["object_count"]
        table.add_row(
            t["name"],
            t["key_property"],
            str(len(t["properties"])),
            str(t["version"]),
            t["classification"],
            "-" if count is None else f"{count:,}",
        )
    console.print(table)


@app.command("mappings")
def list_mappings() -> None:
    """Mappings from datasets onto object types."""
    with api_client() as client:
        found = client.call("GET", "/mappings")["items"]
    table = Table("name", "dataset", "object type", "mode", "last sync")
    for m in found:
        last = m["last_sync"]
        shown = "-" if last is None else f"{last['status']} ({last['succeeded']} written)"
        table.add_row(m["name"], m["dataset_name"], m["object_type_name"], m["sync_mode"], shown)
    console.print(table)


@app.command("export")
def export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout).")
    ] = None,
) -> None:
    """Object types, link types and mappings as YAML."""
    with api_client() as client:
        text = client.text("GET", "/ontology/export")
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)
        console.print(f"wrote {output}")


@app.command("apply")
def apply(
    file: Annotated[Path, typer.Option("-f", "--file", exists=True, dir_okay=False, help="YAML.")],
) -> None:
    """Create or update what the YAML describes (all or nothing)."""
    with api_client() as client:
        done = client.call("POST", "/ontology/import", json={"yaml": file.read_text()})
    for name in done["created"]:
        console.print(f"[green]created[/] {name}")
    for name in done["updated"]:
        console.print(f"[cyan]updated[/] {name}")
    if not done["created"] and not done["updated"]:
        console.print("nothing to change")


@app.command("sync")
def sync(
    mapping: Annotated[str, typer.Argument(help="Mapping name or id.")],
    follow: Annotated[bool, typer.Option(help="Wait and show progress until it ends.")] = True,
) -> None:
    """Sync a mapping: the dataset's changes since the last sync become objects."""
    with api_client() as client:
        found = _mapping(client, mapping)
        run = client.call("POST", f"/mappings/{found['id']}/syncs")
        if not follow:
            console.print(f"sync {run['id']} queued")
            return
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"syncing {found['name']}", total=None)
            while run["status"] not in FINAL:
                time.sleep(0.3)
                run = client.call("GET", f"/mappings/{found['id']}/syncs/{run['id']}")
                progress.update(task, description=f"syncing {found['name']}: {run['status']}")
    if run["status"] != "succeeded":
        raise fail(f"sync {run['status']}: {run['error']}")
    console.print(
        f"[green]succeeded[/]: {run['processed']:,} rows read, {run['succeeded']:,} objects "
        f"written, {run['failed']:,} rejected (objects version {run['lake_version']})"
    )


@app.command("objects")
def objects(
    object_type: Annotated[str, typer.Argument(help="Object type name or id.")],
    q: Annotated[str | None, typer.Option("--q", help="Text to look for.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
) -> None:
    """Objects of a type."""
    with api_client() as client:
        found = _type(client, object_type)
        params: dict[str, Any] = {"limit": limit}
        if q:
            params["q"] = q
        page = client.call("GET", f"/object-types/{found['id']}/objects", params=params)
    columns = [c for c in page["columns"] if not c.startswith("_")]
    table = Table(*columns, title=f"{found['name']}: {page['total']:,} objects")
    for row in page["rows"]:
        table.add_row(*["" if row[c] is None else str(row[c]) for c in columns])
    console.print(table)
