"""The audit chain anchored at the province: per workstation the newest event it holds (number
and hash, never content), and every time a station's chain did not extend it (kept, flagged).

Revision ID: s0007
Revises: s0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0007"
down_revision = "s0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chain_anchors",
        sa.Column("station_code", sa.String(12), nullable=False),
        sa.Column("workstation", sa.String(2), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("station_code", "workstation"),
    )
    op.create_table(
        "chain_breaks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("station_code", sa.String(12), nullable=False),
        sa.Column("workstation", sa.String(2), nullable=False),
        sa.Column("held_seq", sa.BigInteger, nullable=False),
        sa.Column("held_hash", sa.String(64), nullable=False),
        sa.Column("got_seq", sa.BigInteger, nullable=False),
        sa.Column("got_hash", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("chain_breaks")
    op.drop_table("chain_anchors")
