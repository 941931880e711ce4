"""Partner departments' inquiries addressed to the station (fetched from the province) and the
answers given here.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inquiries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("partner", sa.String(80), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("kind_id", sa.String(64), nullable=False),
        sa.Column("information", sa.String(240), nullable=False),
        sa.Column("subject_name", sa.String(60), nullable=False),
        sa.Column("subject_id", sa.String(18), nullable=False),
        sa.Column("legal_basis", sa.String(240), nullable=False),
        sa.Column("partner_case_no", sa.String(60), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("answer", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("reason", sa.String(240), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_elsewhere", sa.Boolean(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("signature", sa.String(128), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name="fk_inquiries_officer_id_officers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_inquiries"),
        sa.UniqueConstraint("number", name="uq_inquiries_number"),
    )
    op.create_index("ix_inquiries_status_due", "inquiries", ["status", "due_date"])


def downgrade() -> None:
    op.drop_table("inquiries")
