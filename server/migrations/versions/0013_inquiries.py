"""Partner departments' accounts and sessions, their inquiries (subject and answer sealed) and
the audit of every sign-in, inquiry and reading.

Revision ID: s0013
Revises: s0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0013"
down_revision = "s0012"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("unit", sa.String(80), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", STAMP, nullable=True),
        sa.Column("must_change", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("created_at", STAMP, nullable=False, server_default=NOW),
    )
    op.create_table(
        "partner_failures",
        sa.Column(
            "partner",
            sa.String(40),
            sa.ForeignKey("partners.name", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", STAMP, nullable=True),
    )
    op.create_table(
        "partner_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "partner",
            sa.String(40),
            sa.ForeignKey("partners.name", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("last_seen", STAMP, nullable=False, server_default=NOW),
        sa.Column("created_at", STAMP, nullable=False, server_default=NOW),
    )
    op.create_table(
        "inquiries",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("partner", sa.String(40), sa.ForeignKey("partners.name"), nullable=False),
        sa.Column("station_code", sa.String(12), sa.ForeignKey("stations.code"), nullable=False),
        sa.Column("kind_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("legal_basis", sa.String(240), nullable=False),
        sa.Column("partner_case_no", sa.String(60), nullable=False),
        sa.Column("asked_at", STAMP, nullable=False, server_default=NOW),
        sa.Column("asked_on", sa.String(10), nullable=False),
        sa.Column("due_date", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("answered_at", STAMP, nullable=True),
        sa.Column("answered_on", sa.String(10), nullable=True),
        sa.Column("workstation", sa.String(2), nullable=True),
        sa.Column("officer", sa.String(20), nullable=True),
        sa.Column("officer_name", sa.String(40), nullable=True),
        sa.Column("signature", sa.String(128), nullable=True),
        sa.Column("public_key", sa.String(64), nullable=True),
    )
    op.create_index("ix_inquiries_station_status", "inquiries", ["station_code", "status"])
    op.create_index("ix_inquiries_partner_asked", "inquiries", ["partner", "asked_at"])
    op.create_table(
        "data_key_check",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_table(
        "inquiry_events",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("at", STAMP, nullable=False, server_default=NOW),
        sa.Column("actor", sa.String(60), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("inquiry_id", sa.String(36), nullable=True),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.Column("client", sa.String(64), nullable=False, server_default=""),
    )
    op.create_index("ix_inquiry_events_actor_at", "inquiry_events", ["actor", "at"])


def downgrade() -> None:
    op.drop_table("inquiry_events")
    op.drop_table("data_key_check")
    op.drop_table("inquiries")
    op.drop_table("partner_sessions")
    op.drop_table("partner_failures")
    op.drop_table("partners")
