"""Notices, exchange requests, and a pinyin search key on certificates.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("notice_no", sa.String(40), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("officer_id", sa.Integer, nullable=False),
        sa.Column("print_count", sa.Integer, nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
        sa.UniqueConstraint("notice_no", name="uq_notices_notice_no"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_notices_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name="fk_notices_officer_id_officers"
        ),
    )
    op.create_index("ix_notices_case", "notices", ["case_id"])
    op.create_table(
        "exchange_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("exchange_kind_id", sa.String(64), nullable=False),
        sa.Column("requester", sa.String(40), nullable=False),
        sa.Column("information", sa.String(300), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_exchange_requests"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_exchange_requests_case_id_cases"
        ),
    )
    op.create_index("ix_exchange_requests_status", "exchange_requests", ["status", "requester"])
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(
            sa.Column("subject_pinyin", sa.String(200), nullable=False, server_default="")
        )
        batch.create_index("ix_certificates_subject_pinyin", ["subject_pinyin"])


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_index("ix_certificates_subject_pinyin")
        batch.drop_column("subject_pinyin")
    op.drop_table("exchange_requests")
    op.drop_table("notices")
