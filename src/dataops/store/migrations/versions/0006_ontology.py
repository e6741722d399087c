"""ontology: object types and their versions, link types, mappings, sync runs

Revision ID: 0006_ontology
Revises: 0005_datasets
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_ontology"
down_revision = "0005_datasets"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "object_types",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("key_property", sa.String(length=128), nullable=False),
        sa.Column("classification", sa.String(length=4), nullable=False),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        sa.Column("lake_version", sa.Integer(), nullable=True),
        sa.Column("object_count", sa.BigInteger(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_object_types_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_object_types")),
        sa.UniqueConstraint("name", name=op.f("uq_object_types_name")),
    )
    op.create_index(op.f("ix_object_types_owner_id"), "object_types", ["owner_id"], unique=False)
    op.create_table(
        "link_types",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_type_id", sa.String(length=26), nullable=False),
        sa.Column("target_type_id", sa.String(length=26), nullable=False),
        sa.Column("cardinality", sa.String(length=16), nullable=False),
        sa.Column("source_property", sa.String(length=128), nullable=False),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_link_types_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["source_type_id"],
            ["object_types.id"],
            name=op.f("fk_link_types_source_type_id_object_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_type_id"],
            ["object_types.id"],
            name=op.f("fk_link_types_target_type_id_object_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_types")),
        sa.UniqueConstraint("name", name=op.f("uq_link_types_name")),
    )
    op.create_index(op.f("ix_link_types_owner_id"), "link_types", ["owner_id"], unique=False)
    op.create_index(
        op.f("ix_link_types_source_type_id"), "link_types", ["source_type_id"], unique=False
    )
    op.create_index(
        op.f("ix_link_types_target_type_id"), "link_types", ["target_type_id"], unique=False
    )
    op.create_table(
        "object_type_versions",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("object_type_id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("key_property", sa.String(length=128), nullable=False),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("migration", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["object_type_id"],
            ["object_types.id"],
            name=op.f("fk_object_type_versions_object_type_id_object_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_object_type_versions")),
        sa.UniqueConstraint("object_type_id", "version", name="uq_object_type_versions_version"),
    )
    op.create_index(
        op.f("ix_object_type_versions_object_type_id"),
        "object_type_versions",
        ["object_type_id"],
        unique=False,
    )
    op.create_table(
        "mappings",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("dataset_id", sa.String(length=26), nullable=False),
        sa.Column("object_type_id", sa.String(length=26), nullable=False),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column("sync_mode", sa.String(length=16), nullable=False),
        sa.Column("on_conflict", sa.String(length=16), nullable=False),
        sa.Column("schedule_cron", sa.String(length=128), nullable=True),
        sa.Column("schedule_timezone", sa.String(length=64), nullable=False),
        sa.Column("schedule_enabled", sa.Boolean(), nullable=False),
        sa.Column("misfire_policy", sa.String(length=16), nullable=False),
        sa.Column("next_run_at", TS, nullable=True),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("synced_dataset_version", sa.Integer(), nullable=True),
        sa.Column("last_sync_id", sa.String(length=26), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_mappings_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["object_type_id"],
            ["object_types.id"],
            name=op.f("fk_mappings_object_type_id_object_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_mappings_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mappings")),
        sa.UniqueConstraint("name", name=op.f("uq_mappings_name")),
    )
    op.create_index(op.f("ix_mappings_dataset_id"), "mappings", ["dataset_id"], unique=False)
    op.create_index(op.f("ix_mappings_next_run_at"), "mappings", ["next_run_at"], unique=False)
    op.create_index(
        op.f("ix_mappings_object_type_id"), "mappings", ["object_type_id"], unique=False
    )
    op.create_index(op.f("ix_mappings_owner_id"), "mappings", ["owner_id"], unique=False)
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("mapping_id", sa.String(length=26), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("triggered_by", sa.String(length=128), nullable=False),
        sa.Column("scheduled_for", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("worker", sa.String(length=128), nullable=True),
        sa.Column("dataset_version_from", sa.Integer(), nullable=True),
        sa.Column("dataset_version_to", sa.Integer(), nullable=True),
        sa.Column("processed", sa.BigInteger(), nullable=False),
        sa.Column("succeeded", sa.BigInteger(), nullable=False),
        sa.Column("failed", sa.BigInteger(), nullable=False),
        sa.Column("lake_version", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["mapping_id"],
            ["mappings.id"],
            name=op.f("fk_sync_runs_mapping_id_mappings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
        sa.UniqueConstraint("mapping_id", "scheduled_for", name="uq_sync_runs_mapping_tick"),
        sa.UniqueConstraint("mapping_id", "seq", name="uq_sync_runs_mapping_seq"),
    )
    op.create_index(op.f("ix_sync_runs_mapping_id"), "sync_runs", ["mapping_id"], unique=False)
    op.create_index(op.f("ix_sync_runs_status"), "sync_runs", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_runs_status"), table_name="sync_runs")
    op.drop_index(op.f("ix_sync_runs_mapping_id"), table_name="sync_runs")
    op.drop_table("sync_runs")
    op.drop_index(op.f("ix_mappings_owner_id"), table_name="mappings")
    op.drop_index(op.f("ix_mappings_object_type_id"), table_name="mappings")
    op.drop_index(op.f("ix_mappings_next_run_at"), table_name="mappings")
    op.drop_index(op.f("ix_mappings_dataset_id"), table_name="mappings")
    op.drop_table("mappings")
    op.drop_index(op.f("ix_object_type_versions_object_type_id"), table_name="object_type_versions")
    op.drop_table("object_type_versions")
    op.drop_index(op.f("ix_link_types_target_type_id"), table_name="link_types")
    op.drop_index(op.f("ix_link_types_source_type_id"), table_name="link_types")
    op.drop_index(op.f("ix_link_types_owner_id"), table_name="link_types")
    op.drop_table("link_types")
    op.drop_index(op.f("ix_object_types_owner_id"), table_name="object_types")
    op.drop_table("object_types")
