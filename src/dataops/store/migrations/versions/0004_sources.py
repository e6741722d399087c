"""sources and their grants

Revision ID: 0004_sources
Revises: 0003_secrets
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sources"
down_revision = "0003_secrets"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("secret_fields", sa.Text(), nullable=False),
        sa.Column("sealed_config", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(26), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_tested_at", TS, nullable=True),
        sa.Column("last_latency_ms", sa.Float(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("server_version", sa.String(256), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_sources_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_sources_name")),
    )
    op.create_index(op.f("ix_sources_owner_id"), "sources", ["owner_id"])
    op.create_table(
        "source_grants",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("source_id", sa.String(26), nullable=False),
        sa.Column("principal_type", sa.String(8), nullable=False),
        sa.Column("principal", sa.String(64), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_grants_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_grants")),
        sa.UniqueConstraint(
            "source_id", "principal_type", "principal", name=op.f("uq_source_grants_source_id")
        ),
    )
    op.create_index(op.f("ix_source_grants_source_id"), "source_grants", ["source_id"])


def downgrade() -> None:
    op.drop_table("source_grants")
    op.drop_table("sources")
