"""Tables of the secrets domain."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dataops.core.ids import new_id
from dataops.store.base import Base, UtcDateTime, utcnow
from dataops.store.encrypted import EncryptedText


class Secret(Base):
    """A named credential. ``value`` is encrypted at rest and never leaves through the API."""

    __tablename__ = "secrets"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    value: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(128))
    updated_by: Mapped[str] = mapped_column(sa.String(128))
