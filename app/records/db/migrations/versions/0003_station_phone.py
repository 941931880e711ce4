"""The station's contact telephone, printed on every certificate and notice.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("station") as batch:
        batch.add_column(sa.Column("phone", sa.String(20), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("station") as batch:
        batch.drop_column("phone")
