"""Counter visits: decide, then record the case with its certificate or notice in one transaction.

Everything a request leaves behind (case, serial, certificate, notice, exchange request, audit
events, outbox rows) is written in the same transaction: a failure anywhere records nothing and
allocates no serial.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Context
from app.errors import InvalidInput
from app.policy.decision import Request
from app.records import audit
from app.records.db.models import (
    Case,
    ExchangeRequest,
    new_id,
)
from app.records.form_values import clean_values
from app.records.printing import Renderer
from app.services import common
from app.services.issuing import (
    NOTICE_NAMES,
    DecisionRefused,
    IssueResult,
    NoticeResult,
    decide_or_refuse,
    log_change,
    new_case,
    new_certificate,
    new_notice,
    relative_path,
    remove_on_failure,
)
from forms import specs

__all__ = [
    "NOTICE_NAMES",
    "DecisionRefused",
    "IssueResult",
    "NoticeResult",
    "finish",
    "issue",
    "record_notice",
    "refuse",
]


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
    decision = decide_or_refuse(ctx, request)
    if decision.outcome != "issue":
        raise DecisionRefused(
            f"结论为“{decision.outcome_name}”，派出所不出具证明；请用 certdesk notice 出具告知书",
            decision,
        )
    assert decision.form is not None and decision.deadline_working_days is not None
    cleaned = clean_values(specs.get(decision.form), values)
    now = ctx.now()
    written: list[Path] = []
    with remove_on_failure(written), ctx.db.transaction() as session:
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
        case = new_case(
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
            log_change(session, ctx, clerk, "case.accept", "case", case, topic="case")
            receipt = new_notice(
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
                pdf_path=relative_path(ctx, written),
            )
        log_change(session, ctx, clerk, "case.create", "case", case, topic="case")
        certificate = new_certificate(session, ctx, st, clerk, case, cleaned, render, written)
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
    decision = decide_or_refuse(ctx, request)
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
    with remove_on_failure(written), ctx.db.transaction() as session:
        st = common.station(session)
        clerk = common.officer(session, officer, now=now)
        if decision.outcome == "issue":
            notice_type, status = "missing_materials", "decided"
        else:
            notice_type = "exchange" if decision.outcome == "exchange" else "refusal"
            status = "notice_printed"
        case = new_case(session, ctx, st, clerk, request, decision, status=status)
        log_change(session, ctx, clerk, "case.create", "case", case, topic="case")
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
        notice = new_notice(
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
            log_change(
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
            pdf_path=relative_path(ctx, written),
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
    with remove_on_failure(written), ctx.db.transaction() as session:
        st = common.station(session)
        clerk = common.officer(session, officer, now=now)
        case = _pending_case(session, case_ref)
        before = audit.snapshot(case)
        case.status, case.updated_at = "issued", now
        log_change(session, ctx, clerk, "case.finish", "case", case, topic="case", before=before)
        certificate = new_certificate(
            session, ctx, st, clerk, case, case.form_values or {}, render, written
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
            pdf_path=certificate.pdf_path,
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
    with remove_on_failure(written), ctx.db.transaction() as session:
        st = common.station(session)
        clerk = common.officer(session, officer, now=now)
        case = _pending_case(session, case_ref)
        before = audit.snapshot(case)
        case.status, case.refusal_reason, case.updated_at = "refused", reason, now
        log_change(session, ctx, clerk, "case.refuse", "case", case, topic="case", before=before)
        notice = new_notice(
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
            pdf_path=relative_path(ctx, written),
        )
