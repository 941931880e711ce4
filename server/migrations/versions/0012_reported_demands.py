"""Cases keep the demanding unit's sector, whether the refusal is reported up, and the unit's
name the station recorded (五个一律 rule 4: the province lists reported demands per unit).

Revision ID: s0012
Revises: s0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0012"
down_revision = "s0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("requester", sa.String(40), nullable=False, server_default=""))
    op.add_column(
        "cases",
        sa.Column("report_to_superior", sa.Boolean, nullable=False, server_default="false"),
    )
    op.add_column("cases", sa.Column("requester_unit", sa.String(240), nullable=True))


def downgrade() -> None:
    op.drop_column("cases", "requester_unit")
    op.drop_column("cases", "report_to_superior")
    op.drop_column("cases", "requester")
