"""Feed entries signed when written (server.feed), no longer when served: a row put into the
table by hand is never served. The entries already there were served signed before; ``migrate``
signs them once with the province key (those up to ``feed_legacy.up_to``), then drops the mark.

Revision ID: s0011
Revises: s0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0011"
down_revision = "s0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feed", sa.Column("signature", sa.String(128), nullable=True))
    op.execute("CREATE TABLE feed_legacy (up_to bigint NOT NULL)")
    op.execute("INSERT INTO feed_legacy SELECT coalesce(max(id), 0) FROM feed")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS feed_legacy")
    op.drop_column("feed", "signature")
