"""The `dataops` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dataops import __version__
from dataops.cli import audit, datasets, keys, ontology, sources, users
from dataops.cli.context import console, local_context
from dataops.cli.server import up
from dataops.store import migrate

app = typer.Typer(
    name="dataops",
    help="dataops: sources, versioned lake, pipelines, ontology, catalog and governance.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("up")(up)
app.add_typer(keys.app, name="keys")
app.add_typer(audit.app, name="audit")
app.add_typer(users.app, name="users")
app.add_typer(sources.app, name="sources")
app.add_typer(datasets.app, name="datasets")
app.add_typer(ontology.app, name="ontology")
db = typer.Typer(help="The metadata store's schema.", no_args_is_help=True)
app.add_typer(db, name="db")


@app.command("version")
def version() -> None:
    """Print the version."""
    console.print(__version__)


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations."""
    with local_context() as ctx:
        console.print(f"metadata store at revision {migrate.current_revision(ctx.engine)}")


@db.command("current")
def db_current() -> None:
    """Show the store's revision and the newest one."""
    with local_context(migrate_store=False) as ctx:
        console.print(
            f"current: {migrate.current_revision(ctx.engine)}  head: {migrate.head_revision()}"
        )


@app.command("openapi")
def openapi(
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the OpenAPI document (the contract the UI's typed client is generated from)."""
    from dataops.api.openapi import openapi_document

    text = json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"
    if output:
        output.write_text(text)
    else:
        typer.echo(text, nl=False)
