"""Running totals for supervision: cases per China-time day × kind × outcome × officer × status
(with on-the-spot and deadline flags), certificates per day; kept by triggers (and an index for
the oversight query) on every insert,
update and delete, so a year's dashboard over a million cases reads a few thousand rows.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def key(row: str) -> str:
    """The rollup key of a cases row (NEW or OLD)."""
    late = (
        f"CASE WHEN {row}.due_date IS NOT NULL AND {row}.status IN ('issued', 'refused', 'voided') "
        f"THEN date({row}.updated_at, '+8 hours') > {row}.due_date ELSE -1 END"
    )
    return (
        f"date({row}.created_at, '+8 hours'), coalesce({row}.kind_id, ''), {row}.outcome, "
        f"{row}.officer_id, {row}.status, {row}.due_date IS NULL, {late}"
    )


MATCH = (
    "day = date(OLD.created_at, '+8 hours') AND kind_id = coalesce(OLD.kind_id, '') "
    "AND outcome = OLD.outcome AND officer_id = OLD.officer_id AND status = OLD.status "
    "AND spot = (OLD.due_date IS NULL) AND late = (CASE WHEN OLD.due_date IS NOT NULL AND "
    "OLD.status IN ('issued', 'refused', 'voided') THEN date(OLD.updated_at, '+8 hours') > "
    "OLD.due_date ELSE -1 END)"
)


def upgrade() -> None:
    op.execute(
        "CREATE TABLE case_rollup (day TEXT NOT NULL, kind_id TEXT NOT NULL, outcome TEXT NOT NULL,"
        " officer_id INTEGER NOT NULL, status TEXT NOT NULL, spot INTEGER NOT NULL,"
        " late INTEGER NOT NULL, n INTEGER NOT NULL,"
        " PRIMARY KEY (day, kind_id, outcome, officer_id, status, spot, late)) WITHOUT ROWID"
    )
    # the oversight query: issue-kind cases by how they ended, in a period
    op.create_index("ix_cases_outcome_status", "cases", ["outcome", "status", "created_at"])
    op.execute(
        "CREATE TABLE certificate_rollup (day TEXT NOT NULL PRIMARY KEY, n INTEGER NOT NULL)"
        " WITHOUT ROWID"
    )
    op.execute(
        f"INSERT INTO case_rollup SELECT {key('c')}, count(*) FROM cases c GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
    op.execute(
        "INSERT INTO certificate_rollup SELECT date(issued_at, '+8 hours'), count(*)"
        " FROM certificates GROUP BY 1"
    )
    add = f"INSERT INTO case_rollup VALUES ({key('NEW')}, 1) ON CONFLICT DO UPDATE SET n = n + 1;"
    remove = f"UPDATE case_rollup SET n = n - 1 WHERE {MATCH};"
    op.execute(f"CREATE TRIGGER cases_rollup_insert AFTER INSERT ON cases BEGIN {add} END")
    op.execute(f"CREATE TRIGGER cases_rollup_update AFTER UPDATE ON cases BEGIN {remove} {add} END")
    op.execute(f"CREATE TRIGGER cases_rollup_delete AFTER DELETE ON cases BEGIN {remove} END")
    op.execute(
        "CREATE TRIGGER certificates_rollup_insert AFTER INSERT ON certificates BEGIN"
        " INSERT INTO certificate_rollup VALUES (date(NEW.issued_at, '+8 hours'), 1)"
        " ON CONFLICT DO UPDATE SET n = n + 1; END"
    )
    op.execute(
        "CREATE TRIGGER certificates_rollup_delete AFTER DELETE ON certificates BEGIN"
        " UPDATE certificate_rollup SET n = n - 1 WHERE day = date(OLD.issued_at, '+8 hours'); END"
    )


def downgrade() -> None:
    for trigger in (
        "cases_rollup_insert",
        "cases_rollup_update",
        "cases_rollup_delete",
        "certificates_rollup_insert",
        "certificates_rollup_delete",
    ):
        op.execute(f"DROP TRIGGER {trigger}")
    op.drop_index("ix_cases_outcome_status", "cases")
    op.execute("DROP TABLE certificate_rollup")
    op.execute("DROP TABLE case_rollup")
