"""how a feed was read: encoding, delimiter, and rows for other stores

Revision ID: 0002_feed_reading
Revises: 0001_initial
Create Date: 2026-12-07 09:00:00

`kiosk status` names the encoding and delimiter of each feed's last body and counts the rows it
dropped for stores outside the region, with one of their store ids, so a store-id mismatch
(`1001.0` for `1001`) never reads as "ok, 0 rows".
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_feed_reading"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feed_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encoding", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("delimiter", sa.String(), nullable=True))
        batch_op.add_column(
            sa.Column("rows_other_stores", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("other_store_example", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feed_state", schema=None) as batch_op:
        batch_op.drop_column("other_store_example")
        batch_op.drop_column("rows_other_stores")
        batch_op.drop_column("delimiter")
        batch_op.drop_column("encoding")
