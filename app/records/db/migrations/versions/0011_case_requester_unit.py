"""The demanding unit's name on a case, as the clerk recorded it (NULL: none recorded). A refusal
for no legal basis or outside police duties is reported up per unit (五个一律 rule 4); the name
goes to the province with the case.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (nullable): no rebuild of a table with children and triggers
    op.add_column("cases", sa.Column("requester_unit", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("requester_unit")
