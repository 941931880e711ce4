"""What the station learned from the province: its feed cursor, the other stations' public keys
(and revoked ones) and voided serials, so QR codes of the whole province verify offline.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "known_keys",
        sa.Column("station_code", sa.String(12), primary_key=True),
        sa.Column("public_key", sa.String(64), primary_key=True),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_table(
        "known_voids",
        sa.Column("serial", sa.String(40), primary_key=True),
        sa.Column("station_code", sa.String(12), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("known_voids")
    op.drop_table("known_keys")
    op.drop_table("sync_state")
