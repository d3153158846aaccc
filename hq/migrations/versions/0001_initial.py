"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-07 03:42:37.942189

The first schema of kiosk-hq. Never edit it once released: add a revision for every change
(tests/hq/test_store.py checks the models and the migrations agree).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
import hq.store.types


revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stores",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("token_created_at", hq.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("last_seen", hq.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", hq.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("app_version", sa.String(length=100), nullable=True),
        sa.Column("uptime_seconds", sa.Double(), nullable=True),
        sa.Column("failing_feeds", sa.Integer(), nullable=False),
        sa.Column("data_stale", sa.Boolean(), nullable=False),
        sa.Column("data_last_success", hq.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("display_on", sa.Boolean(), nullable=True),
        sa.Column("display_reason", sa.String(length=200), nullable=True),
        sa.Column("outbox_pending", sa.BigInteger(), nullable=True),
        sa.Column("outbox_oldest", hq.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("database_bytes", sa.BigInteger(), nullable=True),
        sa.Column("free_disk_bytes", sa.BigInteger(), nullable=True),
        sa.Column("clock_offset_seconds", sa.Double(), nullable=True),
        sa.Column("thumbnail_sha256", sa.String(length=64), nullable=True),
        sa.Column("problem", sa.String(length=300), nullable=True),
        sa.Column("feeds_json", sa.Text(), nullable=True),
        sa.Column("history_rows", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("store_id", name=op.f("pk_stores")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_stores_token_hash")),
    )
    op.create_table(
        "current_entries",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("entered_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.store_id"], name=op.f("fk_current_entries_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("store_id", "day", "metric", name=op.f("pk_current_entries")),
    )
    op.create_table(
        "heartbeats",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("app_version", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("display_on", sa.Boolean(), nullable=True),
        sa.Column("outbox_pending", sa.BigInteger(), nullable=True),
        sa.Column("clock_offset_seconds", sa.Double(), nullable=True),
        sa.Column("problem", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.store_id"], name=op.f("fk_heartbeats_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heartbeats")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_heartbeats_idempotency_key")),
    )
    with op.batch_alter_table("heartbeats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_heartbeats_store_id_received_at"),
            ["store_id", "received_at"],
            unique=False,
        )

    op.create_table(
        "thumbnails",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.store_id"], name=op.f("fk_thumbnails_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("store_id", name=op.f("pk_thumbnails")),
    )
    op.create_table(
        "uploads",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("received_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.store_id"], name=op.f("fk_uploads_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_uploads_idempotency_key")),
    )
    op.create_table(
        "entries",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("previous_value", sa.Double(), nullable=True),
        sa.Column("entered_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("received_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idempotency_key"],
            ["uploads.idempotency_key"],
            name=op.f("fk_entries_idempotency_key_uploads"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.store_id"], name=op.f("fk_entries_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entries")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_entries_idempotency_key")),
    )
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entries_store_id_received_at"), ["store_id", "received_at"], unique=False
        )

    op.create_table(
        "shoutout_deletions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("shoutout_id", sa.BigInteger(), nullable=False),
        sa.Column("shoutout_key", sa.String(length=64), nullable=True),
        sa.Column("deleted_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("received_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idempotency_key"],
            ["uploads.idempotency_key"],
            name=op.f("fk_shoutout_deletions_idempotency_key_uploads"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.store_id"], name=op.f("fk_shoutout_deletions_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoutout_deletions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_shoutout_deletions_idempotency_key")),
    )
    with op.batch_alter_table("shoutout_deletions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shoutout_deletions_shoutout_key"), ["shoutout_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_shoutout_deletions_store_id_shoutout_id"),
            ["store_id", "shoutout_id"],
            unique=False,
        )

    op.create_table(
        "shoutouts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("shoutout_key", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("shoutout_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("received_at", hq.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", hq.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["shoutout_key"],
            ["uploads.idempotency_key"],
            name=op.f("fk_shoutouts_shoutout_key_uploads"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.store_id"], name=op.f("fk_shoutouts_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoutouts")),
        sa.UniqueConstraint("shoutout_key", name=op.f("uq_shoutouts_shoutout_key")),
    )
    with op.batch_alter_table("shoutouts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shoutouts_store_id_received_at"),
            ["store_id", "received_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_shoutouts_store_id_shoutout_id"),
            ["store_id", "shoutout_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("shoutouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shoutouts_store_id_shoutout_id"))
        batch_op.drop_index(batch_op.f("ix_shoutouts_store_id_received_at"))

    op.drop_table("shoutouts")
    with op.batch_alter_table("shoutout_deletions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shoutout_deletions_store_id_shoutout_id"))
        batch_op.drop_index(batch_op.f("ix_shoutout_deletions_shoutout_key"))

    op.drop_table("shoutout_deletions")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entries_store_id_received_at"))

    op.drop_table("entries")
    op.drop_table("uploads")
    op.drop_table("thumbnails")
    with op.batch_alter_table("heartbeats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heartbeats_store_id_received_at"))

    op.drop_table("heartbeats")
    op.drop_table("current_entries")
    op.drop_table("stores")
