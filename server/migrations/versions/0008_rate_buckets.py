"""The public check's rate limit, shared by every worker process: one token bucket per client
address in an unlogged table (a crash only forgets who asked recently).

Revision ID: s0008
Revises: s0007
"""

from __future__ import annotations

from alembic import op

revision = "s0008"
down_revision = "s0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE UNLOGGED TABLE rate_buckets ("
        " client text PRIMARY KEY,"
        " tokens double precision NOT NULL,"
        " at timestamptz NOT NULL DEFAULT now())"
    )


def downgrade() -> None:
    op.execute("DROP TABLE rate_buckets")
