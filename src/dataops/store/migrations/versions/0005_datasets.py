"""datasets and extraction runs

Revision ID: 0005_datasets
Revises: 0004_sources
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_datasets"
down_revision = "0004_sources"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_id", sa.String(length=26), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("primary_key", sa.Text(), nullable=False),
        sa.Column("watermark_column", sa.String(length=256), nullable=True),
        sa.Column("watermark_initial", sa.Text(), nullable=True),
        sa.Column("lookback", sa.Float(), nullable=True),
        sa.Column("schema_policy", sa.String(length=16), nullable=False),
        sa.Column("max_bad_records", sa.Integer(), nullable=True),
        sa.Column("max_bad_percent", sa.Float(), nullable=True),
        sa.Column("schedule_cron", sa.String(length=128), nullable=True),
        sa.Column("schedule_timezone", sa.String(length=64), nullable=False),
        sa.Column("schedule_enabled", sa.Boolean(), nullable=False),
        sa.Column("misfire_policy", sa.String(length=16), nullable=False),
        sa.Column("next_run_at", TS, nullable=True),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("lake_version", sa.Integer(), nullable=True),
        sa.Column("row_count", sa.BigInteger(), nullable=True),
        sa.Column("watermark", sa.Text(), nullable=True),
        sa.Column("lake_schema", sa.Text(), nullable=True),
        sa.Column("profile", sa.Text(), nullable=True),
        sa.Column("last_run_id", sa.String(length=26), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_datasets_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_datasets_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datasets")),
        sa.UniqueConstraint("name", name=op.f("uq_datasets_name")),
    )
    op.create_index(op.f("ix_datasets_next_run_at"), "datasets", ["next_run_at"], unique=False)
    op.create_index(op.f("ix_datasets_owner_id"), "datasets", ["owner_id"], unique=False)
    op.create_index(op.f("ix_datasets_source_id"), "datasets", ["source_id"], unique=False)
    op.create_table(
        "extraction_runs",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("dataset_id", sa.String(length=26), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("triggered_by", sa.String(length=128), nullable=False),
        sa.Column("scheduled_for", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("heartbeat_at", TS, nullable=True),
        sa.Column("worker", sa.String(length=128), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=True),
        sa.Column("watermark_before", sa.Text(), nullable=True),
        sa.Column("watermark_after", sa.Text(), nullable=True),
        sa.Column("lake_version", sa.Integer(), nullable=True),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("schema_changes", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("options", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_extraction_runs_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_runs")),
        sa.UniqueConstraint("dataset_id", "seq", name="uq_extraction_runs_dataset_seq"),
        sa.UniqueConstraint("dataset_id", "scheduled_for", name="uq_extraction_runs_dataset_tick"),
    )
    op.create_index(
        op.f("ix_extraction_runs_dataset_id"), "extraction_runs", ["dataset_id"], unique=False
    )
    op.create_index(op.f("ix_extraction_runs_status"), "extraction_runs", ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("extraction_runs")
    op.drop_table("datasets")
