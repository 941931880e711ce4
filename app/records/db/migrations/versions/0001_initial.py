"""Station, officers, counters, cases, certificates, audit trail, outbox.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("jurisdiction", sa.String(120), nullable=False),
        sa.Column("workstation", sa.String(2), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_station"),
    )
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(30), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_officers"),
        sa.UniqueConstraint("code", name="uq_officers_code"),
    )
    op.create_table(
        "counters",
        sa.Column("workstation", sa.String(2), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String(20), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("workstation", "year", "name", name="pk_counters"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("case_no", sa.String(40), nullable=False),
        sa.Column("kind_text", sa.String(200), nullable=False),
        sa.Column("kind_id", sa.String(64), nullable=True),
        sa.Column("requester", sa.String(40), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("special_case", sa.Boolean, nullable=False),
        sa.Column("report_to_superior", sa.Boolean, nullable=False),
        sa.Column("decision", sa.JSON, nullable=False),
        sa.Column("catalog_id", sa.String(40), nullable=False),
        sa.Column("catalog_version", sa.String(32), nullable=False),
        sa.Column("officer_id", sa.Integer, nullable=False),
        sa.Column("approved_by_id", sa.Integer, nullable=True),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("form_id", sa.String(40), nullable=True),
        sa.Column("form_values", sa.JSON, nullable=True),
        sa.Column("due_date", sa.String(10), nullable=True),
        sa.Column("due_date_note", sa.String(200), nullable=False),
        sa.Column("refusal_reason", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("case_no", name="uq_cases_case_no"),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name="fk_cases_officer_id_officers"
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["officers.id"], name="fk_cases_approved_by_id_officers"
        ),
    )
    op.create_index("ix_cases_status_due", "cases", ["status", "due_date"])
    op.create_index("ix_cases_created", "cases", ["created_at"])
    op.create_table(
        "certificates",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("serial", sa.String(40), nullable=False),
        sa.Column("workstation", sa.String(2), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("kind_id", sa.String(64), nullable=True),
        sa.Column("form_id", sa.String(40), nullable=False),
        sa.Column("form_values", sa.JSON, nullable=False),
        sa.Column("subject_name", sa.String(40), nullable=False),
        sa.Column("subject_id_number", sa.String(18), nullable=True),
        sa.Column("pdf_sha256", sa.String(64), nullable=True),
        sa.Column("pdf_path", sa.String(300), nullable=True),
        sa.Column("print_count", sa.Integer, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("void_reason", sa.String(200), nullable=True),
        sa.Column("voided_by_id", sa.Integer, nullable=True),
        sa.Column("voided_at", sa.DateTime, nullable=True),
        sa.Column("issued_by_id", sa.Integer, nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_certificates"),
        sa.UniqueConstraint("serial", name="uq_certificates_serial"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_certificates_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["officers.id"], name="fk_certificates_voided_by_id_officers"
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["officers.id"], name="fk_certificates_issued_by_id_officers"
        ),
    )
    op.create_index(
        "ix_certificates_ws_year_seq",
        "certificates",
        ["workstation", "year", "sequence"],
        unique=True,
    )
    op.create_index("ix_certificates_subject_id", "certificates", ["subject_id_number"])
    op.create_index("ix_certificates_subject_name", "certificates", ["subject_name"])
    op.create_index("ix_certificates_case", "certificates", ["case_id"])
    op.create_index("ix_certificates_issued_at", "certificates", ["issued_at"])
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("officer_code", sa.String(20), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.String(40), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
        sa.UniqueConstraint("id", name="uq_audit_events_id"),
    )
    op.create_index("ix_audit_entity", "audit_events", ["entity", "entity_id", "seq"])
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("acked_at", sa.DateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("id", name="uq_outbox_id"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["acked_at", "seq"])


def downgrade() -> None:
    for table in (
        "outbox",
        "audit_events",
        "certificates",
        "cases",
        "counters",
        "officers",
        "station",
    ):
        op.drop_table(table)
