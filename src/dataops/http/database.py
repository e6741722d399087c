"""The per-request database session: committed if the handler succeeds, else rolled back.

Code that must keep a record even though the request fails (an audited denial) commits the
session itself before raising; the rollback then only drops what came after.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends
from sqlalchemy.orm import Session

from dataops.http.context import AppContext, app_context


def db_session(ctx: AppContext = Depends(app_context)) -> Iterator[Session]:
    session = ctx.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
