"""What the province needs for supervision across stations: when a case ended and whether its
special case was approved, and how many copies of a certificate were printed.

Revision ID: s0002
Revises: s0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("finished_on", sa.String(10)))
    op.add_column(
        "cases", sa.Column("approved", sa.Boolean, nullable=False, server_default="false")
    )
    op.add_column("cases", sa.Column("case_no", sa.String(40), nullable=False, server_default=""))
    op.add_column(
        "certificates", sa.Column("print_count", sa.Integer, nullable=False, server_default="1")
    )
    op.add_column("certificates", sa.Column("case_id", sa.String(36)))
    op.create_index("ix_server_cases_created", "cases", ["created_on"])
    op.create_index("ix_server_certificates_issued", "certificates", ["issued_on"])


def downgrade() -> None:
    op.drop_index("ix_server_certificates_issued", "certificates")
    op.drop_index("ix_server_cases_created", "cases")
    op.drop_column("certificates", "case_id")
    op.drop_column("certificates", "print_count")
    op.drop_column("cases", "case_no")
    op.drop_column("cases", "approved")
    op.drop_column("cases", "finished_on")
