"""The provincial database: stations, records, conflicts, certificates, cases, feed, catalogs.

Revision ID: s0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

NOW = sa.text("now()")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("code", sa.String(12), primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("enrol_code_hash", sa.String(64)),
        sa.Column("enrol_expires_at", TS),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("public_key", sa.String(64)),
        sa.Column("acked_seq", sa.BigInteger, nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("enrolled_at", TS),
        sa.Column("last_push_at", TS),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("station_code", sa.String(12), sa.ForeignKey("stations.code"), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("received_at", TS, nullable=False, server_default=NOW),
    )
    op.create_index("ix_records_station_seq", "records", ["station_code", "seq"], unique=True)
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("station_code", sa.String(12), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        sa.Column("received_at", TS, nullable=False, server_default=NOW),
    )
    op.create_table(
        "certificates",
        sa.Column("serial", sa.String(40), primary_key=True),
        sa.Column("station_code", sa.String(12), nullable=False),
        sa.Column("kind_id", sa.String(64)),
        sa.Column("form_id", sa.String(40), nullable=False),
        sa.Column("issued_on", sa.String(10), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("voided_at", TS),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("station_code", sa.String(12), nullable=False),
        sa.Column("kind_id", sa.String(64)),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("special_case", sa.Boolean, nullable=False),
        sa.Column("created_on", sa.String(10), nullable=False),
        sa.Column("due_date", sa.String(10)),
    )
    op.create_index("ix_cases_station_created", "cases", ["station_code", "created_on"])
    op.create_table(
        "feed",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("body", JSONB, nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
    )
    op.create_table(
        "catalog_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("catalog_id", sa.String(40), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("published_at", TS, nullable=False, server_default=NOW),
    )


def downgrade() -> None:
    for table in ("catalog_versions", "feed", "cases", "certificates", "conflicts", "records"):
        op.drop_table(table)
    op.drop_table("stations")
