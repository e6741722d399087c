"""`dataops sources`: manage sources through the HTTP API (as the user behind DATAOPS_TOKEN)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from dataops.cli.client import ApiClient, api_client
from dataops.cli.context import console, fail
from dataops.cli.grid import print_preview
from dataops.cli.specs import read_spec

app = typer.Typer(
    help="Connect data sources (uses DATAOPS_URL and DATAOPS_TOKEN).", no_args_is_help=True
)

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set", help="A setting as key=value (dotted keys for nested: auth.type=bearer)."
    ),
]
SecretOption = Annotated[
    list[str] | None,
    typer.Option("--secret", help="Name of a secret setting to prompt for (hidden input)."),
]


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _build_config(
    config_file: Path | None, sets: list[str] | None, secrets: list[str] | None
) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(config_file.read_text()) if config_file else {}
    for item in sets or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise fail(f"--set takes key=value, got {item!r}")
        _put(config, key, _parse_value(value))
    for key in secrets or []:
        _put(config, key, typer.prompt(key, hide_input=True))
    return config


def _put(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        tree = tree.setdefault(part, {})
    tree[parts[-1]] = value


def _find(client: ApiClient, name: str) -> dict[str, Any]:
    for source in client.call("GET", "/sources")["items"]:
        if name in (source["name"], source["id"]):
            return dict(source)
    raise fail(f"no source named {name!r} that you may use")


def _print_check(result: dict[str, Any]) -> None:
    if result["ok"]:
        version = f", {result['server_version']}" if result.get("server_version") else ""
        console.print(f"[green]connected[/] in {result['latency_ms']:.0f} ms{version}")
    else:
        console.print(f"[red]failed:[/] {result['message']}")


@app.command("list")
def list_sources() -> None:
    """Sources you may use."""
    with api_client() as client:
        items = client.call("GET", "/sources")["items"]
    table = Table("name", "type", "status", "owner", "last tested", "latency")
    for s in items:
        latency = f"{s['last_latency_ms']:.0f} ms" if s["last_latency_ms"] is not None else ""
        table.add_row(
            s["name"],
            s["type"],
            s["status"],
            s["owner"]["username"],
            (s["last_tested_at"] or "never")[:19],
            latency,
        )
    console.print(table)


@app.command("add")
def add(
    name: str,
    type_: Annotated[
        str, typer.Option("--type", help="Source type (see `dataops sources types`).")
    ],
    description: Annotated[str, typer.Option(help="What the source holds.")] = "",
    config_file: Annotated[Path | None, typer.Option(help="JSON file with the settings.")] = None,
    set_: SetOption = None,
    secret: SecretOption = None,
    test: Annotated[bool, typer.Option(help="Test the connection after saving.")] = True,
) -> None:
    """Save a new source (secrets are prompted for, never put on the command line)."""
    config = _build_config(config_file, set_, secret)
    with api_client() as client:
        created = client.call(
            "POST",
            "/sources",
            json={"name": name, "type": type_, "description": description, "config": config},
        )
        console.print(f"saved source [bold]{created['name']}[/] ({created['id']})")
        if test:
            _print_check(client.call("POST", f"/sources/{created['id']}/test"))


@app.command("types")
def types() -> None:
    """Source types and their settings."""
    with api_client() as client:
        items = client.call("GET", "/connectors")["items"]
    table = Table("type", "title", "category", "settings")
    for t in items:
        table.add_row(
            t["type"],
            t["title"],
            t["category"],
            ", ".join(t["settings_schema"].get("properties", {})),
        )
    console.print(table)


@app.command("show")
def show(name: str) -> None:
    """A source's settings (secrets only say whether they are set)."""
    with api_client() as client:
        source = _find(client, name)
    console.print_json(json.dumps({k: v for k, v in source.items() if k != "can_edit"}))


@app.command("test")
def test(name: str) -> None:
    """Test a saved source's connection."""
    with api_client() as client:
        result = client.call("POST", f"/sources/{_find(client, name)['id']}/test")
    _print_check(result)
    if not result["ok"]:
        raise typer.Exit(1)


@app.command("tables")
def tables(name: str) -> None:
    """Tables, files, sheets or endpoints the source offers."""
    with api_client() as client:
        items = client.call("GET", f"/sources/{_find(client, name)['id']}/objects")["items"]
    table = Table("name", "kind", "columns", "rows (est.)")
    for o in items:
        table.add_row(
            o["name"],
            o["kind"],
            str(len(o["columns"] or [])) if o["columns"] else "",
            "" if o["row_count"] is None else f"{o['row_count']:,}",
        )
    console.print(table)


@app.command("preview")
def preview(
    name: str,
    table: Annotated[str | None, typer.Option(help="A table or view.")] = None,
    sql: Annotated[str | None, typer.Option(help="A read-only query.")] = None,
    path: Annotated[str | None, typer.Option(help="A file path or glob.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="A REST endpoint path.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 20,
) -> None:
    """The first rows of a table, query, file or endpoint."""
    spec = read_spec(table=table, sql=sql, path=path, endpoint=endpoint)
    with api_client() as client:
        result = client.call(
            "POST",
            f"/sources/{_find(client, name)['id']}/preview",
            json={"spec": spec, "limit": limit},
        )
    print_preview(result)


@app.command("edit")
def edit(
    name: str,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename.")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    set_: SetOption = None,
    secret: SecretOption = None,
) -> None:
    """Change a source; settings not given keep their value, secrets included."""
    with api_client() as client:
        source = _find(client, name)
        body: dict[str, Any] = {}
        if new_name:
            body["name"] = new_name
        if description is not None:
            body["description"] = description
        if set_ or secret:
            config = dict(source["config"])
            for item in set_ or []:
                key, _, value = item.partition("=")
                _put(config, key, _parse_value(value))
            for key in secret or []:
                _put(config, key, typer.prompt(key, hide_input=True))
            body["config"] = config
        updated = client.call("PATCH", f"/sources/{source['id']}", json=body)
    console.print(f"updated [bold]{updated['name']}[/] (status {updated['status']})")


@app.command("delete")
def delete(
    name: str,
    force: Annotated[bool, typer.Option(help="Admins: delete even if datasets use it.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a source."""
    if not yes:
        typer.confirm(f"Delete source {name!r}?", abort=True)
    with api_client() as client:
        source = _find(client, name)
        client.call("DELETE", f"/sources/{source['id']}", params={"force": force})
    console.print(f"deleted [bold]{name}[/]")
