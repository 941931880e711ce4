"""Counter visits: decide, then record the case with its certificate or notice in one transaction.

Everything a request leaves behind (case, serial, certificate, notice, exchange request, audit
events, outbox rows) is written in the same transaction: a failure anywhere records nothing and
allocates no serial.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app import archive, audit, outbox
from app.context import Context
from app.db.models import (
    Case,
    Certificate,
    ExchangeRequest,
    Notice,
    Officer,
    Station,
    new_id,
)
from app.decision import Decision, Request, decide
from app.errors import InvalidInput
from app.formvalues import clean_values
from app.numbering import make_serial
from app.printing import CertificateDraft, Renderer, notice_pdf
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


def _number(session: Session, st: Station, year: int, counter: str, letter: str) -> str:
    value = common.next_value(session, workstation=st.workstation, year=year, name=counter)
    return f"{st.code}-{st.workstation}-{year}-{letter}{value:06d}"


def _decide(ctx: Context, request: Request) -> Decision:
    decision = decide(ctx.catalog, request, ctx.today())
    if decision.status == "needs_choice":
        names = "、".join(f"{c.name}({c.kind_id})" for c in decision.candidates)
        raise DecisionRefused(f"证明种类不明确，可能是：{names}", decision)
    return decision


def _new_case(
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
        case_no=_number(session, st, ctx.today().year, "case", "C"),
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
    _insert(session, case)
    return case


def _insert(session: Session, row: Case | Certificate) -> None:
    """INSERT a new row from its attributes; it stays outside the session (read-only here)."""
    values = {c.key: getattr(row, c.key) for c in row.__table__.columns}
    session.connection().execute(
        insert(type(row)), {k: v for k, v in values.items() if v is not None}
    )


def _log(
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


def _notice(
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
        notice_no=_number(session, st, ctx.today().year, "notice", "N"),
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
            values=_notice_values(notice_type, content),
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
    _log(session, ctx, officer, "notice.create", "notice", notice, topic="notice")
    return notice


REPORT_UP = "本所将按规定将该要求报告上级公安机关。"


def _notice_values(notice_type: str, content: Mapping[str, Any]) -> dict[str, str]:
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
def _remove_on_failure(written: list[Path]) -> Iterator[None]:
    """Archive files written inside a transaction that then fails are removed again."""
    try:
        yield
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _relative(ctx: Context, written: list[Path]) -> str | None:
    return str(written[-1].relative_to(ctx.data_dir)) if written else None


def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).lower()


def _certificate(
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
        subject_pinyin=_pinyin(subject),
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
    _insert(session, certificate)
    return certificate


def issue(
    ctx: Context,
    *,
    request: Request,
    officer: str,
    values: Mapping[str, str],
    approved_by: str | None = None,
    render: Renderer | None = None,
) -> IssueResult:
    """Decide; unless the outcome is issue, refuse. Then record case + certificate (or, when the
    kind needs investigation, case + acceptance receipt with its due date)."""
    decision = _decide(ctx, request)
    if decision.outcome != "issue":
        raise DecisionRefused(
            f"结论为“{decision.outcome_name}”，派出所不出具证明；请用 certdesk notice 出具告知书",
            decision,
        )
    assert decision.form is not None and decision.deadline_working_days is not None
    cleaned = clean_values(specs.get(decision.form), values)
    now = ctx.now()
    written: list[Path] = []
    with _remove_on_failure(written), ctx.db.transaction() as session:
        st = common.station(session)
        clerk = common.officer(session, officer, now=now)
        approver = None
        if approved_by:
            approver = common.officer(
                session, approved_by, now=now, field="approved_by", roles=("supervisor",)
            )
        elif decision.special_case:
            raise InvalidInput(
                "特事特办须经所领导审批：请用 --approved-by 给出所领导的警号", field="approved_by"
            )
        deadline = decision.deadline_working_days
        status = "pending_investigation" if deadline else "issued"
        common.reserve(
            session,
            workstation=st.workstation,
            year=ctx.today().year,
            names=("case", "notice" if deadline else "certificate"),
        )
        due = ctx.calendar().add_working_days(ctx.today(), deadline) if deadline else None
        case = _new_case(
            session,
            ctx,
            st,
            clerk,
            request,
            decision,
            status=status,
            approver=approver,
            form_values=cleaned,
            due_date=due.due.isoformat() if due else None,
            due_date_note=due.note() if due else "",
        )
        if deadline:
            _log(session, ctx, clerk, "case.accept", "case", case, topic="case")
            receipt = _notice(
                session,
                ctx,
                st,
                clerk,
                case,
                "acceptance_receipt",
                {
                    "case_no": case.case_no,
                    "due_date": case.due_date,
                    "working_days": deadline,
                    "due_date_note": case.due_date_note,
                    "kind_name": decision.kind_name,
                    "requested": decision.requested,
                },
                written if render is not None else None,
            )
            return IssueResult(
                case.id,
                case.case_no,
                status,
                st.workstation,
                due_date=case.due_date,
                due_date_note=case.due_date_note,
                notice_no=receipt.notice_no,
                decision=decision.to_dict(),
                pdf_path=_relative(ctx, written),
            )
        certificate = _certificate(session, ctx, st, clerk, case, cleaned, render, written)
        _log(session, ctx, clerk, "case.create", "case", case, topic="case")
        _log(
            session,
            ctx,
            clerk,
            "certificate.issue",
            "certificate",
            certificate,
            topic="certificate",
        )
        return IssueResult(
            case.id,
            case.case_no,
            status,
            st.workstation,
            serial=certificate.serial,
            sequence=certificate.sequence,
            decision=decision.to_dict(),
            pdf_path=certificate.pdf_path,
        )


def record_notice(
    ctx: Context,
    *,
    request: Request,
    officer: str,
    missing: tuple[str, ...] = (),
    printed: bool = False,
) -> NoticeResult:
    """Record the written refusal or exchange notice for a non-issue outcome; for an issue
    outcome with ``missing`` materials, the one-time notice listing every missing item."""
    decision = _decide(ctx, request)
    if decision.outcome == "issue" and not missing:
        raise DecisionRefused(
            "结论为“派出所出具”，请用 certdesk issue 出具证明(缺少材料的用 --missing 出具一次性告知书)",
            decision,
        )
    if decision.outcome != "issue" and missing:
        raise InvalidInput("只有派出所出具的证明才出具一次性告知书(--missing)", field="missing")
    items = tuple(m.strip() for m in missing if m.strip())
    if missing and (not items or any(len(m) > 60 for m in items)):
        raise InvalidInput("缺少的材料每项应为1至60个字", field="missing")
    now = ctx.now()
    written: list[Path] = []
    with _remove_on_failure(written), ctx.db.transaction() as session:
        st = common.station(session)
        clerk = common.officer(session, officer, now=now)
        if decision.outcome == "issue":
            notice_type, status = "missing_materials", "decided"
        else:
            notice_type = "exchange" if decision.outcome == "exchange" else "refusal"
            status = "notice_printed"
        case = _new_case(session, ctx, st, clerk, request, decision, status=status)
        _log(session, ctx, clerk, "case.create", "case", case, topic="case")
        content = {
            "requested": decision.requested,
            "kind_name": decision.kind_name,
            "requester": decision.requester_name,
            "purpose": decision.purpose_name,
            "reason": decision.reason,
            "basis": decision.basis,
            "use_instead": decision.use_instead,
            "competent_department": decision.competent_department,
            "report_to_superior": decision.report_to_superior,
            "information_exchanged": decision.information_exchanged,
            "missing": list(items),
        }
        notice = _notice(
            session, ctx, st, clerk, case, notice_type, content, written if printed else None
        )
        if decision.outcome == "exchange":
            assert decision.exchange_kind_id is not None
            exchange = ExchangeRequest(
                id=new_id(),
                case_id=case.id,
                exchange_kind_id=decision.exchange_kind_id,
                requester=request.requester,
                information=decision.information_exchanged or "",
                status="open",
                created_at=now,
            )
            session.add(exchange)
            _log(
                session,
                ctx,
                clerk,
                "exchange.create",
                "exchange_request",
                exchange,
                topic="exchange_request",
            )
        return NoticeResult(
            case.id,
            case.case_no,
            notice.notice_no,
            notice_type,
            decision.outcome,
            decision.report_to_superior,
            decision.to_dict(),
            pdf_path=_relative(ctx, written),
        )


def _pending_case(session: Session, case_ref: str) -> Case:
    case = session.scalar(select(Case).where((Case.id == case_ref) | (Case.case_no == case_ref)))
    if case is None:
        raise InvalidInput(f"案件“{case_ref}”不存在", field="case")
    if case.status != "pending_investigation":
        raise InvalidInput(f"案件 {case.case_no} 的状态为 {case.status}，不在调查中", field="case")
    return case


def finish(
    ctx: Context, *, case_ref: str, officer: str, render: Renderer | None = None
) -> IssueResult:
    """The investigation confirmed the facts: issue the certificate with the recorded values."""
    now = ctx.now()
    written: list[Path] = []
    with _remove_on_failure(written), ctx.db.transaction() as session:
        st = common.station(session)
        clerk = common.officer(session, officer, now=now)
        case = _pending_case(session, case_ref)
        before = audit.snapshot(case)
        case.status, case.updated_at = "issued", now
        _log(session, ctx, clerk, "case.finish", "case", case, topic="case", before=before)
        certificate = _certificate(
            session, ctx, st, clerk, case, case.form_values or {}, render, written
        )
        _log(
            session,
            ctx,
            clerk,
            "certificate.issue",
            "certificate",
            certificate,
            topic="certificate",
        )
        return IssueResult(
            case.id,
            case.case_no,
            "issued",
            st.workstation,
            serial=certificate.serial,
            sequence=certificate.sequence,
            due_date=case.due_date,
            decision=case.decision,
        )


def refuse(
    ctx: Context, *, case_ref: str, officer: str, reason: str, printed: bool = False
) -> NoticeResult:
    """The investigation did not confirm the facts: refuse in writing."""
    reason = reason.strip()
    if not 2 <= len(reason) <= 200:
        raise InvalidInput("不予出具的理由应为2至200个字", field="reason")
    now = ctx.now()
    written: list[Path] = []
    with _remove_on_failure(written), ctx.db.transaction() as session:
        st = common.station(session)
        clerk = common.officer(session, officer, now=now)
        case = _pending_case(session, case_ref)
        before = audit.snapshot(case)
        case.status, case.refusal_reason, case.updated_at = "refused", reason, now
        _log(session, ctx, clerk, "case.refuse", "case", case, topic="case", before=before)
        notice = _notice(
            session,
            ctx,
            st,
            clerk,
            case,
            "refusal",
            {
                "requested": case.kind_text,
                "kind_name": case.decision.get("kind_name"),
                "requester": case.decision.get("requester_name"),
                "purpose": case.decision.get("purpose_name"),
                "reason": f"经调查核实：{reason}",
                "basis": case.decision.get("basis"),
                "use_instead": "—",
                "after_investigation": True,
            },
            written if printed else None,
        )
        return NoticeResult(
            case.id,
            case.case_no,
            notice.notice_no,
            "refusal",
            case.outcome,
            False,
            case.decision,
            pdf_path=_relative(ctx, written),
        )
