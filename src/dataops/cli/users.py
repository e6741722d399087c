"""`dataops users`: local user administration (for operators with access to the machine)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dataops.auth import users as service
from dataops.auth.passwords import generate_password
from dataops.auth.permissions import Role
from dataops.auth.schemas import UserCreate
from dataops.cli.context import console, fail, local_context, local_session
from dataops.core.actor import Actor
from dataops.core.classification import Classification

app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)


@app.command("list")
def list_users() -> None:
    """List user accounts."""
    with local_context() as ctx, local_session(ctx) as session:
        result = service.list_users(session)
    table = Table("username", "name", "role", "clearance", "active", "last login")
    for user in result.items:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        table.add_row(
            user.username,
            user.display_name,
            user.role.value,
            user.clearance.value,
            "yes" if user.is_active else "no",
            last,
        )
    console.print(table)


@app.command("create")
def create(
    username: str,
    role: Annotated[Role, typer.Option(help="Role of the new user.")] = Role.VIEWER,
    clearance: Annotated[Classification, typer.Option(help="Clearance level.")] = Classification.U,
    display_name: Annotated[str | None, typer.Option(help="Full name.")] = None,
) -> None:
    """Create a user with a one-time password (printed once)."""
    password = generate_password()
    with local_context() as ctx, local_session(ctx) as session:
        user = service.create_user(
            session,
            Actor.cli(),
            UserCreate(
                username=username,
                display_name=display_name or username,
                role=role,
                clearance=clearance,
                password=password,
            ),
            ctx.settings.auth,
        )
        name = user.username
    console.print(f"created [bold]{name}[/] ({role.value}, {clearance.value})")
    console.print(f"one-time password: [bold]{password}[/] (must be changed at first sign-in)")


@app.command("reset-password")
def reset_password(username: str) -> None:
    """Give a user a new one-time password (printed once) and end their sessions."""
    password = generate_password()
    with local_context() as ctx, local_session(ctx) as session:
        user = service.find_user(session, username)
        if user is None:
            raise fail(f"no user named {username!r}")
        service.reset_password(session, Actor.cli(), user.id, password, ctx.settings.auth)
    console.print(f"one-time password for [bold]{username}[/]: [bold]{password}[/]")
