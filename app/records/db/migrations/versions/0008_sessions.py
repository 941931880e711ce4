"""Who acts: sessions of signed-in officers (only the token's SHA-256 kept), the password an
administrator set that must be changed at first sign-in, the window's idle lock per station, and
who approved a void.
The new columns are NULL unless set, so every state audited before still verifies.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("officers", sa.Column("must_change_password", sa.Boolean, nullable=True))
    op.add_column("station", sa.Column("idle_lock_minutes", sa.Integer, nullable=True))
    # a plain ADD COLUMN (SQLite allows a REFERENCES clause on one): alembic's batch mode would
    # copy the table and drop the triggers that keep the running totals (0006)
    op.execute(
        "ALTER TABLE certificates ADD COLUMN void_approved_by_id INTEGER "
        "CONSTRAINT fk_certificates_void_approved_by_id_officers REFERENCES officers (id)"
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("officer_id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime, nullable=True),
        sa.Column("ended_reason", sa.String(20), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name="fk_sessions_officer_id_officers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_sessions_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("sessions")
    op.drop_column("certificates", "void_approved_by_id")
    op.drop_column("station", "idle_lock_minutes")
    op.drop_column("officers", "must_change_password")
