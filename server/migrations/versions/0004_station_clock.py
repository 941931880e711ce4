"""How far each station's clock is from the province's, as last seen in a push (the station sends
its time with every batch): supervision flags a station more than ten minutes off.

Revision ID: s0004
Revises: s0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stations", sa.Column("clock_offset_seconds", sa.Integer, nullable=True))
    op.add_column("stations", sa.Column("clock_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("stations", "clock_seen_at")
    op.drop_column("stations", "clock_offset_seconds")
