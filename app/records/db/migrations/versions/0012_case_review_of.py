"""A review (复查) is a case of its own with its own deadline; ``review_of`` names the refused
case it reviews (NULL: not a review).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (nullable, no constraint): no rebuild of a table with triggers
    op.add_column("cases", sa.Column("review_of", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("review_of")
