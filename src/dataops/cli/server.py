"""`dataops up`: serve the API and the web UI from one process."""

from __future__ import annotations

import errno
import socket
from typing import Annotated

import typer
import uvicorn
from rich.panel import Panel

from dataops import __version__
from dataops.api.app import create_app
from dataops.api.static import ui_available
from dataops.auth.bootstrap import FIRST_ADMIN, ensure_first_admin
from dataops.cli.context import console, fail
from dataops.core.errors import DataOpsError
from dataops.core.logs import configure_logging
from dataops.core.settings import Settings
from dataops.http.context import AppContext


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Same option uvicorn sets: a port whose old connections linger in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise fail(
                    f"port {port} on {host} is already in use (is dataops already running? "
                    f"open http://{host}:{port}, or pick another port with --port)"
                ) from exc
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def up(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
) -> None:
    """Start dataops: migrate the store, create the first admin if needed, serve API + UI."""
    base = Settings()
    settings = base.model_copy(update={"host": host or base.host, "port": port or base.port})
    configure_logging(settings.log_level)
    _check_port_free(settings.host, settings.port)
    try:
        app = create_app(settings)
    except DataOpsError as exc:
        raise fail(exc.message) from exc
    ctx: AppContext = app.state.ctx
    password = ensure_first_admin(ctx.sessions, settings.auth)
    url = f"http://{settings.host}:{settings.port}"
    lines = [
        f"[bold]dataops {__version__}[/] is starting at [link={url}]{url}[/link]",
        f"home: {settings.home}   store: {ctx.engine.url.render_as_string(hide_password=True)}",
    ]
    if password:
        lines += [
            "",
            "[bold yellow]First start:[/] an administrator account was created.",
            f"  username: [bold]{FIRST_ADMIN}[/]",
            f"  one-time password: [bold]{password}[/]",
            "You will choose a new password at first sign-in. This password is not shown again.",
        ]
    else:
        lines += [
            "",
            "Sign in with your account. Lost it? `dataops users reset-password USERNAME`.",
        ]
    if not ui_available():
        lines += ["", "[yellow]The web UI is not built[/] (run `make ui`); the API is available."]
    console.print(Panel("\n".join(lines), title="dataops", expand=False))
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        server_header=False,
    )
