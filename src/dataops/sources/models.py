"""Tables of the sources domain."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dataops.core.ids import new_id
from dataops.store.base import Base, UtcDateTime, utcnow
from dataops.store.encrypted import EncryptedText


class Source(Base):
    """A connection to a system holding data.

    ``config`` is the settings with every secret replaced by null (safe to show);
    ``sealed_config`` is the complete settings as JSON, encrypted at rest.
    """

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    type: Mapped[str] = mapped_column(sa.String(32))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    config: Mapped[str] = mapped_column(sa.Text)
    secret_fields: Mapped[str] = mapped_column(sa.Text, default="[]")
    sealed_config: Mapped[str] = mapped_column(EncryptedText)
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="untested")
    last_tested_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_latency_ms: Mapped[float | None] = mapped_column(sa.Float)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    server_version: Mapped[str | None] = mapped_column(sa.String(256))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class SourceGrant(Base):
    """Lets a user or every holder of a role use (test, discover, preview, read) or edit it."""

    __tablename__ = "source_grants"
    __table_args__ = (sa.UniqueConstraint("source_id", "principal_type", "principal"),)

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    source_id: Mapped[str] = mapped_column(
        sa.ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    principal_type: Mapped[str] = mapped_column(sa.String(8))  # "user" | "role"
    principal: Mapped[str] = mapped_column(sa.String(64))  # user id or role name
    level: Mapped[str] = mapped_column(sa.String(8))  # "use" | "edit"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(128))
