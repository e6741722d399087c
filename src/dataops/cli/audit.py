"""`dataops audit`: read and verify the audit trail."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dataops.audit import service
from dataops.cli.context import console, local_context, local_session

app = typer.Typer(help="Read and verify the hash-chained audit log.", no_args_is_help=True)


@app.command("verify")
def verify() -> None:
    """Recompute the hash chain; exits 1 if any entry was edited or deleted."""
    with local_context() as ctx, local_session(ctx) as session:
        result = service.verify_chain(session)
    if result.ok:
        console.print(
            f"[green]audit chain intact[/]: {result.entries_checked} entries, "
            f"head {result.head_seq} {result.head_hash}"
        )
        return
    console.print(f"[bold red]audit chain BROKEN[/]: {len(result.problems)} problem(s)")
    for problem in result.problems:
        console.print(f"  entry {problem.seq}: {problem.problem}")
    raise typer.Exit(1)


@app.command("tail")
def tail(limit: Annotated[int, typer.Option(min=1, max=500)] = 20) -> None:
    """Show the newest entries."""
    with local_context() as ctx, local_session(ctx) as session:
        page = service.list_entries(session, limit=limit)
    table = Table("seq", "time (UTC)", "actor", "action", "target", "outcome")
    for entry in page.items:
        target = f"{entry.target_type}:{entry.target_id}" if entry.target_type else ""
        table.add_row(
            str(entry.seq),
            entry.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name,
            entry.action,
            target,
            entry.outcome.value,
        )
    console.print(table)
