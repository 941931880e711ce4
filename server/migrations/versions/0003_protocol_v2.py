"""Protocol version 2 (typed items): each stored record says which version it came in, so that a
version-1 record resent in version 2 after its station upgraded is recognised as the same record,
not as a conflict.

Revision ID: s0003
Revises: s0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "records", sa.Column("version", sa.SmallInteger, nullable=False, server_default="1")
    )


def downgrade() -> None:
    op.drop_column("records", "version")
