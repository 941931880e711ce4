"""Each station's clock offset per China-time day, the farthest seen in that day's pushes: a
station that corrects its clock before it syncs again is still flagged for the day it was off.

Revision ID: s0005
Revises: s0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_clock_days",
        sa.Column("station_code", sa.String(12), sa.ForeignKey("stations.code"), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("offset_seconds", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("station_code", "day"),
    )


def downgrade() -> None:
    op.drop_table("station_clock_days")
