"""The printer this counter PC prints on, set by the station's administrator (NULL: Qt's print
dialog asks the first time in each session); and since when the station has had a supervisor
who chose their own password (NULL: not yet — only then may an administrator add or change a
supervisor's or an administrator's account without a supervisor's approval).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("station") as batch:
        batch.add_column(sa.Column("printer", sa.String(200), nullable=True))
        batch.add_column(sa.Column("supervised_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("station") as batch:
        batch.drop_column("supervised_since")
        batch.drop_column("printer")
