"""Recording a change: one unit of work writes the row, its audit event and its outbox item
together or not at all; readers never hold up a writer; the trail keeps what proves a change."""

from __future__ import annotations

import json
import re
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import AUDITOR, CLERK, KINSHIP, SUPERVISOR, approval, as_officer, sql

from app.context import Context
from app.policy.decision import Request
from app.protocol.models import PushRecord, record_digest
from app.protocol.status import CaseStatus
from app.records import audit, outbox
from app.records.db.models import (
    AuditEvent,
    Case,
    Certificate,
    Counter,
    DecisionRecord,
    OutboxItem,
    OutboxPayload,
)
from app.services import certificates, counter

KIN = Request("亲属关系证明", "bank", "in_province")
REPO = Path(__file__).resolve().parents[2]


def _counts(ctx: Context) -> tuple[int, ...]:
    with ctx.db.reading() as s:
        rows = [
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Case, Certificate, AuditEvent, OutboxItem, OutboxPayload)
        ]
        numbers = int(s.scalar(select(func.coalesce(func.sum(Counter.value), 0))) or 0)
    return (*rows, numbers)


def test_a_failing_change_leaves_nothing_behind(ctx: Context) -> None:
    counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP)
    before = _counts(ctx)

    def broken(_draft: object) -> bytes:
        raise RuntimeError("printer driver crashed")

    with pytest.raises(RuntimeError):
        counter.issue(
            ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP, render=broken
        )
    assert _counts(ctx) == before  # no case, certificate, event, item — and no serial used
    assert not list((ctx.data_dir / "archive").rglob("*.pdf"))
    again = counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP)
    assert again.sequence == 2


def test_a_long_read_does_not_hold_up_issuing(ctx: Context, station_dir: Path) -> None:
    """A supervisor's query reads a snapshot (plain BEGIN): the counter issues meanwhile. (With
    every session taking BEGIN IMMEDIATE, the issue waited for the read to end.)"""
    other = Context(station_dir)
    issued: list[str | None] = []
    as_officer(ctx, CLERK)  # (opens the station's data)
    with ctx.db.reading() as session:
        session.scalar(select(func.count()).select_from(Case))  # the read has begun
        worker = threading.Thread(
            target=lambda: issued.append(
                counter.issue(
                    other, request=KIN, officer=as_officer(other, CLERK), values=KINSHIP
                ).serial
            )
        )
        worker.start()
        worker.join(timeout=8)  # it would wait out the 10 s busy timeout if blocked
        still_reading = session.scalar(select(func.count()).select_from(Case))
        assert not worker.is_alive() and issued and issued[0]
        assert still_reading == 0  # the reader's snapshot does not move under it
    other.close()


def test_an_update_is_audited_by_what_changed_and_a_digest_of_the_state(ctx: Context) -> None:
    serial = (
        counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP).serial or ""
    )
    certificates.void(
        ctx, serial=serial, reason="填写错误", officer=as_officer(ctx, CLERK), approval=approval()
    )
    with ctx.db.reading() as session:
        row = session.scalar(select(Certificate).where(Certificate.serial == serial))
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.void"))
        assert row is not None and event is not None
        assert event.officer_code == CLERK  # who acted, and who approved with their password
        assert (event.after or {}).get("approver") == SUPERVISOR
        assert event.before == {
            "status": "issued",
            "void_reason": None,
            "voided_at": None,
            "voided_by_id": None,
            "void_approved_by_id": None,
        }
        assert event.after is not None
        assert event.after["set"]["status"] == "void"
        assert event.after["set"]["void_reason"] == "填写错误"
        assert event.after["state"] == audit.sha256(audit.snapshot(row))
        issued = session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issue"))
        assert issued is not None and issued.before is None
        # a new row: the digest of its state is the proof, and the event names what was queued
        assert set(issued.after or {}) == {"v", "state", "sent"}


def test_a_void_tells_the_province_the_case_was_voided(ctx: Context) -> None:
    result = counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP)
    certificates.void(
        ctx,
        serial=result.serial or "",
        reason="填写错误",
        officer=as_officer(ctx, CLERK),
        approval=approval(),
    )
    with ctx.db.reading() as session:
        items = [
            PushRecord.model_validate({"id": i, "seq": s, "item": p}).item
            for i, s, p, _ in outbox.waiting(session, 100)
        ]
    cases = [i for i in items if i.topic == "case" and i.id == result.case_id]
    assert [c.status for c in cases] == [CaseStatus.ISSUED, CaseStatus.VOIDED]  # type: ignore[union-attr]
    assert cases[-1].ended_at is not None  # type: ignore[union-attr]
    assert [i.topic for i in items][-2:] == ["void", "case"]


def test_acknowledged_items_lose_their_payload_and_keep_their_digest(ctx: Context) -> None:
    counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP)
    with ctx.db.writing() as session:
        waiting = outbox.waiting(session, 100)
        digests = {
            seq: record_digest(PushRecord.model_validate({"id": i, "seq": seq, "item": p}))
            for i, seq, p, _ in waiting
        }
        outbox.acknowledge(session, list(digests), through=max(digests), now=ctx.now())
    with ctx.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(OutboxPayload)) == 0
        rows = session.scalars(select(OutboxItem)).all()
        assert {r.seq: r.sha256 for r in rows} == digests
        assert all(r.acked_at is not None for r in rows)


def test_the_same_decision_is_kept_once(ctx: Context) -> None:
    for _ in range(5):
        counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP)
    with ctx.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(DecisionRecord)) == 1
        assert session.scalar(select(func.count(func.distinct(Case.decision_sha)))) == 1


def behind_the_back(ctx: Context, statements: str) -> None:
    """Statements run as the sqlite3 shell runs them (foreign keys off), bypassing certdesk
    (by someone who has the key)."""
    ctx.close()
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        conn.executescript(statements)


@pytest.mark.parametrize(
    ("tampering", "found"),
    [
        ("UPDATE decisions SET body = json_set(body, '$.reason', '随便出具')", "判断记录"),
        ("DELETE FROM decisions", "已不在数据库中"),
        ("FORGED", "已不在数据库中"),  # a forged body stored under its own correct digest
    ],
)
def test_a_changed_decision_is_found_by_the_audit(ctx: Context, tampering: str, found: str) -> None:

    from app.services.integrity import verify_audit

    counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP)
    if tampering == "FORGED":
        with ctx.db.reading() as session:
            stored = session.scalars(select(DecisionRecord)).one()
        forged = {**stored.body, "reason": "随便出具"}
        tampering = (
            f"UPDATE decisions SET sha256 = '{audit.sha256(forged)}', "
            f"body = '{json.dumps(forged, ensure_ascii=False)}'"
        )
    behind_the_back(ctx, tampering)
    report = verify_audit(ctx, actor=as_officer(ctx, AUDITOR))
    assert not report.ok and found in report.problem, report.problem


@pytest.mark.parametrize(
    ("tampering", "found"),
    [
        (  # a waiting item edited: the province would be told something else
            "UPDATE outbox_payloads SET payload = json_set(payload, '$.outcome', 'abolished')"
            " WHERE seq = (SELECT min(seq) FROM outbox WHERE topic = 'case')",
            "与其摘要不符",
        ),
        ("UPDATE outbox SET sha256 = 'deadbeef' WHERE seq = 1", "已不在待上报队列中"),
        (  # a waiting void dropped from the queue
            "DELETE FROM outbox_payloads WHERE seq = (SELECT max(seq) FROM outbox);"
            " DELETE FROM outbox WHERE seq = (SELECT max(seq) FROM outbox)",
            "已不在待上报队列中",
        ),
        (  # an item slipped in
            "INSERT INTO outbox (seq, id, topic, sha256, created_at, attempts) SELECT max(seq) + 1,"
            " 'x', 'case', 'ab', '2026-11-30 00:00:00', 0 FROM outbox",
            "不在审计记录中",
        ),
    ],
)
def test_what_the_province_gets_cannot_be_changed_unseen(
    ctx: Context, tampering: str, found: str
) -> None:

    from app.services.integrity import verify_audit

    serial = (
        counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP).serial or ""
    )
    certificates.void(
        ctx, serial=serial, reason="填写错误", officer=as_officer(ctx, CLERK), approval=approval()
    )
    assert verify_audit(ctx, actor=as_officer(ctx, AUDITOR)).ok
    behind_the_back(ctx, tampering)
    report = verify_audit(ctx, actor=as_officer(ctx, AUDITOR))
    assert not report.ok and found in report.problem, report.problem


def test_an_edited_waiting_item_is_not_sent(ctx: Context) -> None:
    from sqlalchemy import text

    from app.sync import push
    from app.sync.transport import Refused

    counter.issue(ctx, request=KIN, officer=as_officer(ctx, CLERK), values=KINSHIP)
    assert len(push._batch(ctx, 10)) == 2
    with ctx.db.writing() as session:
        session.execute(
            text("UPDATE outbox_payloads SET payload = json_set(payload, '$.print_count', 9)")
        )
    with pytest.raises(Refused) as caught:
        push._batch(ctx, 10)
    assert "摘要不符" in caught.value.message


WORDS = (  # every status and notice type word that means nothing else in the code
    "pending_investigation|notice_printed|voided|decided|refused|issued|void|valid|unknown"
    "|answered|missing_materials|acceptance_receipt"
)
STATUS_WORDS = re.compile(  # compared or set by its spelling, in Python or in SQL
    rf"""(status|type)\s*(?:==|!=|=|\bin\b|\bIN\b)\s*\(?\s*["']({WORDS})["']"""
)


def test_statuses_are_spelt_in_one_place() -> None:
    """Every status word is a StrEnum member (app/protocol/status.py); code elsewhere names the
    member, so a misspelt status cannot pass silently."""
    allowed = {"app/protocol/status.py", "app/policy/decision.py"}
    found = []
    for package in ("app", "ui", "server"):
        for path in (REPO / package).rglob("*.py"):
            relative = path.relative_to(REPO).as_posix()
            if relative in allowed or "/migrations/" in relative:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if STATUS_WORDS.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []
