"""Provincial accounts and their sessions: province-wide detail is read by right, not by any
station's token.

Revision ID: s0009
Revises: s0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0009"
down_revision = "s0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "province_users",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_table(
        "province_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "name",
            sa.String(40),
            sa.ForeignKey("province_users.name", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("province_sessions")
    op.drop_table("province_users")
