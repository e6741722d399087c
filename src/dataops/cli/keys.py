"""`dataops keys`: the master key for secrets at rest."""

from __future__ import annotations

import typer

from dataops.cli.context import console, fail, local_context
from dataops.core.actor import Actor
from dataops.core.crypto import generate_key
from dataops.core.errors import DataOpsError
from dataops.core.settings import Settings
from dataops.domains import load_models
from dataops.secrets.rotation import rotate_keys

app = typer.Typer(help="Manage the master key that encrypts secrets at rest.", no_args_is_help=True)


@app.command("generate")
def generate() -> None:
    """Print a fresh master key (for DATAOPS_MASTER_KEY)."""
    console.print(generate_key(), highlight=False)


@app.command("status")
def status() -> None:
    """Where the keyring comes from and the primary key's id (never the key)."""
    settings = Settings()
    with local_context() as ctx:
        source = "DATAOPS_MASTER_KEY" if settings.master_key else str(settings.key_file)
        console.print(f"keyring source: {source}")
        console.print(f"primary key id: {ctx.keyring.primary_id}")
        others = [k for k in ctx.keyring.keys if k != ctx.keyring.primary_id]
        console.print(f"other keys: {', '.join(others) or 'none'}")


@app.command("rotate")
def rotate() -> None:
    """Re-encrypt every secret under a new master key without losing any."""
    settings = Settings()
    with local_context():
        pass  # make sure the store exists and is migrated before rotating
    try:
        with console.status("re-encrypting every secret under a new key..."):
            report = rotate_keys(settings, load_models(), Actor.cli())
    except DataOpsError as exc:
        raise fail(exc.message) from exc
    console.print(f"[green]rotated[/] to key [bold]{report.new_key_id}[/]")
    console.print(
        f"re-encrypted {report.values_reencrypted} value(s) in {', '.join(report.columns)}"
    )
    if settings.master_key is not None and report.retired_key_ids:
        console.print(
            "Now remove the old key(s) from DATAOPS_MASTER_KEY, keeping only the first one: "
            + ", ".join(report.retired_key_ids)
        )
