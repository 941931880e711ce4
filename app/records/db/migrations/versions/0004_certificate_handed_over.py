"""When and by whom a certificate was handed over to the citizen (after printing).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("handed_over_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column(
                "handed_over_by_id",
                sa.Integer(),
                sa.ForeignKey("officers.id", name="fk_certificates_handed_over_by"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("handed_over_by_id")
        batch.drop_column("handed_over_at")
