"""Numbers never reused: each counter keeps the ceiling of the numbers.mark file it last saw, and
the outbox's sequence becomes a counter (year 0) so that it continues above a restore too. A
record the province refused as a conflict stays on the waiting list until an administrator
resolves it (who, when and why are kept with the row). Known keys carry their id (workstation,
key number) and how far a withdrawn key's signatures count.
The new columns are NULL or 0 unless set, so every state audited before still verifies.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE counters ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0")
    op.execute(
        "INSERT INTO counters (workstation, year, name, value, reserved) "
        "SELECT station.workstation, 0, 'outbox', coalesce(max(outbox.seq), 0), 0 "
        "FROM station LEFT JOIN outbox ON 1 GROUP BY station.workstation"
    )
    op.add_column("outbox", sa.Column("conflict", sa.Text, nullable=True))
    op.add_column("outbox", sa.Column("resolved_at", sa.DateTime, nullable=True))
    op.add_column("outbox", sa.Column("resolved_by", sa.String(20), nullable=True))
    op.add_column("outbox", sa.Column("resolution", sa.Text, nullable=True))
    # keys carry their id and, once withdrawn, how far their signatures count
    op.add_column("known_keys", sa.Column("workstation", sa.String(2), nullable=True))
    op.add_column("known_keys", sa.Column("key_no", sa.Integer, nullable=True))
    op.add_column("known_keys", sa.Column("valid_until", sa.String(10), nullable=True))
    op.add_column("known_keys", sa.Column("compromised_from", sa.String(10), nullable=True))
    # conflicts the province reported before this version are put back on the list
    op.execute("UPDATE outbox SET conflict = substr(last_error, 4) WHERE last_error LIKE '冲突：%'")


def downgrade() -> None:
    op.execute("DELETE FROM counters WHERE year = 0 AND name = 'outbox'")
    for column in ("compromised_from", "valid_until", "key_no", "workstation"):
        op.drop_column("known_keys", column)
    for column in ("resolution", "resolved_by", "resolved_at", "conflict"):
        op.drop_column("outbox", column)
    op.drop_column("counters", "reserved")
