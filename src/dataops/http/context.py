"""What a running app holds: settings, the keyring, the metadata store."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from dataops.core.crypto import Keyring
from dataops.core.settings import Settings


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    keyring: Keyring
    engine: sa.Engine
    sessions: sessionmaker[Session]


def app_context(request: Request) -> AppContext:
    ctx = request.app.state.ctx
    assert isinstance(ctx, AppContext)
    return ctx
