"""What every local command needs: settings, a migrated store, a session factory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from dataops.api.app import build_context
from dataops.core.errors import DataOpsError
from dataops.core.settings import Settings
from dataops.domains import load_models
from dataops.http.context import AppContext
from dataops.store import migrate
from dataops.store.engine import transaction

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@contextmanager
def local_context(*, migrate_store: bool = True) -> Iterator[AppContext]:
    """The store of this machine's ``DATAOPS_HOME`` / ``DATAOPS_DATABASE_URL``, migrated."""
    try:
        ctx = build_context(Settings())
        load_models()
        if migrate_store:
            migrate.upgrade(ctx.engine)
    except DataOpsError as exc:
        raise fail(exc.message) from exc
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


@contextmanager
def local_session(ctx: AppContext) -> Iterator[Session]:
    try:
        with transaction(ctx.sessions) as session:
            yield session
    except DataOpsError as exc:
        raise fail(exc.message) from exc
