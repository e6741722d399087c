"""The per-request database session: one transaction, committed if the handler succeeds."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends
from sqlalchemy.orm import Session

from dataops.http.context import AppContext, app_context


def db_session(ctx: AppContext = Depends(app_context)) -> Iterator[Session]:
    with ctx.sessions() as session, session.begin():
        yield session
