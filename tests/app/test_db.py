"""Storage: pragmas, migrations (empty, from the previous schema, failing), backup, restore."""

from __future__ import annotations

import datetime as dt
import shutil
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text
from support import sql

from app.context import Context
from app.records.db import migrate
from app.records.db.migrate import (
    DB_NAME,
    MigrationError,
    current_revision,
    head_revision,
    open_database,
)
from app.records.db.models import Base


def test_fresh_database_has_pragmas_and_is_at_head(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000
    db.close()
    assert current_revision(tmp_path / DB_NAME) == head_revision() == "0013"
    assert migrate.alembic_head() == head_revision()


def test_migrations_match_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = open_database(tmp_path)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.close()
    assert diff == []


def _old_database(path: Path) -> Path:
    """A station database at the previous schema (0001) with a certificate in it."""
    path.mkdir(parents=True)
    db_file = path / DB_NAME
    migrate.upgrade(db_file, "0001")
    with closing(sql(db_file)) as conn:
        conn.executescript("""
            INSERT INTO officers VALUES (1, '100001', '张警官', 'clerk', 'x', 1, 0, NULL,
                                         '2026-01-01 00:00:00');
            INSERT INTO cases (id, case_no, kind_text, kind_id, requester, purpose, outcome,
                special_case, report_to_superior, decision, catalog_id, catalog_version,
                officer_id, status, due_date_note, created_at, updated_at)
              VALUES ('c1', 'X-C1', '亲属关系证明', 'jl_kinship', 'bank', 'in_province', 'issue',
                0, 0, '{}', 'jilin_2015', '2015.1', 1, 'issued', '', '2026-01-01 00:00:00',
                '2026-01-01 00:00:00');
            INSERT INTO certificates (id, serial, workstation, year, sequence, case_id, form_id,
                form_values, subject_name, print_count, status, issued_by_id, issued_at)
              VALUES ('z1', '220102001-01-2026-000001-H', '01', 2026, 1, 'c1', 'kinship', '{}',
                '王一', 0, 'issued', 1, '2026-01-01 00:00:00');
        """)
        conn.commit()
    return db_file


def test_migration_from_the_previous_schema_keeps_data_and_a_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db_file = _old_database(data)
    assert current_revision(db_file) == "0001"
    db = open_database(data)
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT serial, subject_name, subject_pinyin FROM certificates"))
        assert row.one() == ("220102001-01-2026-000001-H", "王一", "")
        assert conn.execute(text("SELECT count(*) FROM notices")).scalar() == 0
    db.close()
    assert current_revision(db_file) == "0013"
    [backup] = (data / "backups").glob("certdesk-*-before-0013.db")
    assert current_revision(backup) == "0001"


def test_failed_migration_leaves_the_old_database_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    db_file = _old_database(data)
    from alembic import command

    real_upgrade = command.upgrade

    def failing(config, target):  # type: ignore[no-untyped-def]
        real_upgrade(config, target)  # the schema changes happen ...
        raise RuntimeError("disk full")  # ... then something fails before the commit

    monkeypatch.setattr(command, "upgrade", failing)
    with pytest.raises(MigrationError) as caught:
        open_database(data)
    assert "原数据库未作改动" in caught.value.message and "0001" in caught.value.message
    assert "disk full" in caught.value.message and "backups" in caught.value.message
    assert current_revision(db_file) == "0001"
    with closing(sql(db_file)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = {r[1] for r in conn.execute("PRAGMA table_info(certificates)")}
        assert conn.execute("SELECT count(*) FROM certificates").fetchone()[0] == 1
    assert "notices" not in tables and "subject_pinyin" not in columns
    monkeypatch.undo()
    open_database(data).close()  # the next start migrates fine
    assert current_revision(db_file) == "0013"


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import paths

    monkeypatch.setenv("CERTDESK_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    monkeypatch.delenv("CERTDESK_DATA_DIR")
    assert "certdesk" in str(paths.data_dir())


def test_private_key_is_owner_only(ctx: Context) -> None:
    key = ctx.data_dir / "keys" / "station-ed25519.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    assert (key.parent.stat().st_mode & 0o077) == 0


def test_a_database_of_the_previous_release_migrates_and_still_verifies(tmp_path: Path) -> None:
    """A station database written by the release before 0007 (fixtures/station-0006.db): after
    the upgrade its audit trail still verifies, decisions are kept once, waiting outbox rows are
    protocol records, acknowledged ones keep only their digest — and the station goes on."""
    from sqlalchemy import select
    from support import CLERK, KINSHIP, SUPERVISOR, as_officer

    from app.context import Context
    from app.policy.decision import Request
    from app.protocol.models import PushRecord, record_digest
    from app.protocol.numbering import make_serial
    from app.records.db.models import Case, DecisionRecord, OutboxItem, OutboxPayload
    from app.services.counter import issue
    from app.services.integrity import verify_audit

    data = tmp_path / "station"
    data.mkdir()
    shutil.copy(Path(__file__).with_name("fixtures") / "station-0006.db", data / DB_NAME)
    assert current_revision(data / DB_NAME) == "0006"
    ctx = Context(data, clock=lambda: dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC))
    report = verify_audit(ctx, actor=as_officer(ctx, SUPERVISOR))
    assert report.ok, report.problem
    assert current_revision(data / DB_NAME) == "0013"
    with closing(sql(data / DB_NAME)) as conn:  # cases of that release name no unit
        assert {r[0] for r in conn.execute("SELECT requester_unit FROM cases")} == {None}
    from app.records import marks  # the number marks start from the release's counters

    held = marks.read(data)
    assert held is not None and (held.station, held.workstation) == ("220102001", "01")
    assert held.ceiling(2026, "certificate") == 3 and held.ceiling(0, "outbox") > 0
    with ctx.db.reading() as session:
        cases = session.scalars(select(Case)).all()
        decisions = session.scalars(select(DecisionRecord)).all()
        assert len(cases) == 7 and all(c.decision_sha for c in cases)
        assert len(decisions) < len(cases)  # the three kinship certificates share one
        rows = session.scalars(select(OutboxItem).order_by(OutboxItem.seq)).all()
        payloads = {p.seq: p.payload for p in session.scalars(select(OutboxPayload))}
    acked = [r for r in rows if r.acked_at is not None]
    waiting = [r for r in rows if r.acked_at is None]
    assert acked and all(r.seq not in payloads and len(r.sha256) in (0, 64) for r in acked)
    assert {r.topic for r in waiting} >= {"case", "certificate", "void", "notice"}
    assert "officer" not in {r.topic for r in waiting}  # the province keeps no officers
    for row in waiting:
        item = payloads[row.seq]
        record = PushRecord.model_validate({"id": row.id, "seq": row.seq, "item": item})
        assert record_digest(record) == row.sha256
    # the release before told the province of a void's certificate only: its case follows now
    assert payloads[rows[-1].seq]["topic"] == "case"
    assert payloads[rows[-1].seq]["status"] == "voided"
    serial = issue(
        ctx,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=as_officer(ctx, CLERK),
        values=KINSHIP,
    ).serial
    assert serial == str(make_serial("220102001", "01", 2026, 4))  # after the release's three
    assert marks.read(data).ceiling(2026, "certificate") == 4 + marks.BLOCK  # type: ignore[union-attr]
    assert verify_audit(ctx, actor=as_officer(ctx, SUPERVISOR)).ok
    ctx.close()
    with closing(sql(data / DB_NAME)) as conn:  # the running totals still move
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        issued = conn.execute("SELECT sum(n) FROM certificate_rollup").fetchone()[0]
    assert triggers == {
        "cases_rollup_insert",
        "cases_rollup_update",
        "cases_rollup_delete",
        "certificates_rollup_insert",
        "certificates_rollup_delete",
    }
    assert issued == 4
