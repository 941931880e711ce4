"""What the case services share: numbering, recording rows with their audit and outbox entries,
notices, certificates, and the archive files a failed transaction must not leave behind."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.context import Context
from app.policy.decision import Decision, Request, decide
from app.records import archive, audit, outbox
from app.records.db.models import (
    Case,
    Certificate,
    ExchangeRequest,
    Notice,
    Officer,
    Station,
    new_id,
)
from app.records.numbering import make_serial
from app.records.printing import CertificateDraft, Renderer, notice_pdf
from app.services import common
from app.services.common import Refused
from forms import specs


class DecisionRefused(Refused):
    """The decision does not allow what was asked; carries the decision for the caller to show."""

    def __init__(self, message: str, decision: Decision) -> None:
        super().__init__(message, field="kind")
        self.decision = decision


@dataclass(frozen=True, slots=True)
class IssueResult:
    case_id: str
    case_no: str
    status: str
    workstation: str
    serial: str | None = None
    sequence: int | None = None
    due_date: str | None = None
    due_date_note: str = ""
    notice_no: str | None = None
    decision: dict[str, Any] = field(default_factory=dict)
    pdf_path: str | None = None  # the printed document (certificate or receipt), in the archive

    def to_dict(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "sequence": self.sequence,
            "workstation": self.workstation,
            "status": self.status,
            "due_date": self.due_date,
            "due_date_note": self.due_date_note,
            "case_id": self.case_id,
            "case_no": self.case_no,
            "notice_no": self.notice_no,
        }


@dataclass(frozen=True, slots=True)
class NoticeResult:
    case_id: str
    case_no: str
    notice_no: str
    notice_type: str
    outcome: str | None
    report_to_superior: bool
    decision: dict[str, Any]
    pdf_path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "case_no": self.case_no,
            "notice_no": self.notice_no,
            "notice_type": self.notice_type,
            "outcome": self.outcome,
            "report_to_superior": self.report_to_superior,
            "decision": self.decision,
        }


NOTICE_NAMES = {
    "refusal": "不予出具证明告知书",
    "exchange": "信息交换告知书",
    "missing_materials": "一次性告知书",
    "acceptance_receipt": "受理回执",
}


def next_number(session: Session, st: Station, year: int, counter: str, letter: str) -> str:
    value = common.next_value(session, workstation=st.workstation, year=year, name=counter)
    return f"{st.code}-{st.workstation}-{year}-{letter}{value:06d}"


def decide_or_refuse(ctx: Context, request: Request) -> Decision:
    decision = decide(ctx.catalog, request, ctx.today())
    if decision.status == "needs_choice":
        names = "、".join(f"{c.name}({c.kind_id})" for c in decision.candidates)
        raise DecisionRefused(f"证明种类不明确，可能是：{names}", decision)
    return decision


def new_case(
    session: Session,
    ctx: Context,
    st: Station,
    officer: Officer,
    request: Request,
    decision: Decision,
    *,
    status: str,
    approver: Officer | None = None,
    form_values: dict[str, Any] | None = None,
    due_date: str | None = None,
    due_date_note: str = "",
) -> Case:
    """Write the case row at once (Core insert: no unit-of-work round for the busiest path)."""
    now = ctx.now()
    case = Case(
        id=new_id(),
        case_no=next_number(session, st, ctx.today().year, "case", "C"),
        kind_text=request.kind_text,
        kind_id=decision.kind_id,
        requester=request.requester,
        purpose=request.purpose,
        outcome=decision.outcome or "",
        special_case=decision.special_case,
        report_to_superior=decision.report_to_superior,
        decision=decision.to_dict(),
        catalog_id=decision.catalog_id,
        catalog_version=decision.catalog_version,
        officer_id=officer.id,
        approved_by_id=approver.id if approver else None,
        status=status,
        form_id=decision.form,
        form_values=form_values,
        due_date=due_date,
        due_date_note=due_date_note,
        created_at=now,
        updated_at=now,
    )
    insert_row(session, case)
    return case


def insert_row(session: Session, row: Case | Certificate) -> None:
    """INSERT a new row from its attributes; it stays outside the session (read-only here)."""
    values = {c.key: getattr(row, c.key) for c in row.__table__.columns}
    session.connection().execute(
        insert(type(row)), {k: v for k, v in values.items() if v is not None}
    )


def log_change(
    session: Session,
    ctx: Context,
    officer: Officer,
    action: str,
    entity: str,
    row: Case | Certificate | Notice | ExchangeRequest,
    *,
    topic: str | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    if row in session.new:  # column defaults are applied by the flush (one per transaction)
        session.flush()
    after = audit.snapshot(row)
    audit.record(
        session,
        officer=officer.code,
        action=action,
        entity=entity,
        entity_id=str(row.id),
        before=before,
        after=after,
        now=ctx.now(),
    )
    if topic:
        outbox.add(session, topic=topic, payload=audit.snapshot(row, full=True), now=ctx.now())


def new_notice(
    session: Session,
    ctx: Context,
    st: Station,
    officer: Officer,
    case: Case,
    notice_type: str,
    content: dict[str, Any],
    written: list[Path] | None = None,
) -> Notice:
    """Record a notice; with ``written`` also print it (archived, its path added to the list)."""
    notice = Notice(
        id=new_id(),
        notice_no=next_number(session, st, ctx.today().year, "notice", "N"),
        case_id=case.id,
        type=notice_type,
        content=content,
        officer_id=officer.id,
        print_count=0,
        created_at=ctx.now(),
    )
    if written is not None:
        pdf = notice_pdf(
            notice_type=notice_type,
            number=notice.notice_no,
            values=notice_values(notice_type, content),
            station_name=st.name,
            station_phone=st.phone,
            officer_name=officer.name,
            officer_code=officer.code,
            issued_on=ctx.today(),
        )
        path = archive.store(ctx.data_dir, notice.notice_no, ctx.today().year, pdf)
        written.append(path)
        notice.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        notice.print_count = 1
    session.add(notice)
    log_change(session, ctx, officer, "notice.create", "notice", notice, topic="notice")
    return notice


REPORT_UP = "本所将按规定将该要求报告上级公安机关。"


def notice_values(notice_type: str, content: Mapping[str, Any]) -> dict[str, str]:
    """What a notice prints, from what the case recorded."""

    def text(key: str) -> str:
        value = content.get(key)
        return "" if value is None else str(value)

    common = {
        "requested": text("requested"),
        "requester": text("requester"),
        "purpose": text("purpose"),
    }
    if notice_type == "refusal":
        return {
            **common,
            "reason": text("reason"),
            "basis": text("basis"),
            "use_instead": text("use_instead") or "—",
            "report": REPORT_UP if content.get("report_to_superior") else "",
        }
    if notice_type == "exchange":
        return {**common, "information": text("information_exchanged"), "basis": text("basis")}
    if notice_type == "missing_materials":
        items = content.get("missing") or []
        return {**common, "missing": "；".join(f"{i}. {m}" for i, m in enumerate(items, 1))}
    return {
        "requested": text("kind_name") or text("requested"),
        "case_no": text("case_no"),
        "due_date": text("due_date"),
        "working_days": text("working_days"),
        "due_date_note": text("due_date_note"),
    }


@contextmanager
def remove_on_failure(written: list[Path]) -> Iterator[None]:
    """Archive files written inside a transaction that then fails are removed again."""
    try:
        yield
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def relative_path(ctx: Context, written: list[Path]) -> str | None:
    return str(written[-1].relative_to(ctx.data_dir)) if written else None


def subject_pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).lower()


def new_certificate(
    session: Session,
    ctx: Context,
    st: Station,
    officer: Officer,
    case: Case,
    values: Mapping[str, str],
    render: Renderer | None,
    written: list[Path],
) -> Certificate:
    assert case.form_id is not None
    year = ctx.today().year
    sequence = common.next_value(session, workstation=st.workstation, year=year, name="certificate")
    serial = str(make_serial(st.code, st.workstation, year, sequence))
    form = specs.get(case.form_id)
    subject = values.get(form.subject_name, "") if form.subject_name else ""
    certificate = Certificate(
        id=new_id(),
        serial=serial,
        workstation=st.workstation,
        year=year,
        sequence=sequence,
        case_id=case.id,
        kind_id=case.kind_id,
        form_id=case.form_id,
        form_values=dict(values),
        subject_name=subject,
        subject_id_number=(values.get(form.subject_id) or None) if form.subject_id else None,
        subject_pinyin=subject_pinyin(subject),
        print_count=0,
        status="issued",
        issued_by_id=officer.id,
        issued_at=ctx.now(),
    )
    if render is not None:
        draft = CertificateDraft(
            serial=serial,
            form_id=case.form_id,
            kind_id=case.kind_id,
            values=dict(values),
            station_code=st.code,
            station_name=st.name,
            station_phone=st.phone,
            officer_name=officer.name,
            officer_code=officer.code,
            issued_on=ctx.today(),
            kind_name=case.decision.get("kind_name"),
            special_case=case.special_case,
        )
        pdf = render(draft)  # raises: nothing is recorded, no serial is used
        path = archive.store(ctx.data_dir, serial, year, pdf)
        written.append(path)
        certificate.pdf_path = str(path.relative_to(ctx.data_dir))
        certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        certificate.print_count = 1
    insert_row(session, certificate)
    log_change(
        session, ctx, officer, "certificate.issue", "certificate", certificate, topic="certificate"
    )
    return certificate
