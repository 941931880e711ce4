"""Investigations (调查核实): a kind that needs one is accepted at the counter with a due date in
working days (``app.services.counter``); here it ends — the facts confirmed and the certificate
issued with the values recorded at acceptance, or refused in writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.context import Context
from app.errors import ApprovalRequired, InvalidInput
from app.policy.model import Review
from app.policy.roles import APPROVERS, COUNTER
from app.policy.workdays import CHINA
from app.protocol.status import CaseStatus, NoticeType
from app.records import decisions
from app.records.changes import Change
from app.records.db.models import Case, new_id
from app.records.form_values import clean_reason
from app.records.items import case_item
from app.records.printing import Renderer
from app.records.sessions import Actor, Approval
from app.services.auth import confirm
from app.services.issuing import (
    IssueResult,
    NoticeResult,
    accepted,
    new_certificate,
    new_notice,
    relative_path,
    remove_on_failure,
)


def _end(
    change: Change, case_ref: str, *, action: str, status: CaseStatus, **values: Any
) -> tuple[Case, dict[str, Any]]:
    """End a case under investigation (audited, sent to the province); the case and the
    decision it recorded."""
    case = _case(change, case_ref)
    if case.status != CaseStatus.PENDING_INVESTIGATION:
        raise InvalidInput(f"案件 {case.case_no} 的状态为 {case.status}，不在调查中", field="case")
    decision = decisions.of(change.session, case)
    change.update(
        case, action=action, send=case_item, status=status, updated_at=change.now, **values
    )
    return case, decision


def finish(
    ctx: Context, *, case_ref: str, officer: Actor, render: Renderer | None = None
) -> IssueResult:
    """The investigation confirmed the facts: issue the certificate with the recorded values."""
    written: list[Path] = []
    with remove_on_failure(written), ctx.change(officer, roles=COUNTER) as change:
        case, decision = _end(change, case_ref, action="case.finish", status=CaseStatus.ISSUED)
        certificate = new_certificate(
            change,
            case,
            case.form_values or {},
            render,
            written,
            sequence=change.allocate("certificate")["certificate"],
            kind_name=decision.get("kind_name"),
        )
        return IssueResult.issued(case, certificate, decision, due_date=case.due_date)


def refuse(
    ctx: Context,
    *,
    case_ref: str,
    officer: Actor,
    reason: str,
    approval: Approval | None,
    printed: bool = False,
) -> NoticeResult:
    """The investigation did not confirm the facts: refuse in writing. A certificate the station
    issues refused is what supervisors watch (应开不开): a supervisor approves it. A kind with its
    own refusal form (criminal records: 不予出具无犯罪记录证明通知书) is refused with it, telling
    the applicant of the review (复查) and its time limit; a review refused says it is upheld."""
    reason = clean_reason(reason, what="不予出具的理由")
    if approval is None:
        raise ApprovalRequired("调查后不予出具须经所领导审批：请给出审批的所领导警号")
    confirm(ctx, approval, actor=officer, acting=COUNTER)
    written: list[Path] = []
    with remove_on_failure(written), ctx.change(officer, roles=COUNTER) as change:
        change.approved_by(approval.code, roles=APPROVERS)
        case, decision = _end(
            change, case_ref, action="case.refuse", status=CaseStatus.REFUSED, refusal_reason=reason
        )
        kind = ctx.catalog.kinds.get(case.kind_id or "")
        content: dict[str, Any] = {
            "requested": case.kind_text,
            "kind_name": decision.get("kind_name"),
            "requester": decision.get("requester_name"),
            "purpose": decision.get("purpose_name"),
            "reason": f"经调查核实：{reason}",
            "basis": decision.get("basis"),
            "use_instead": "—",
            "after_investigation": True,
        }
        notice_type = NoticeType.REFUSAL
        values = case.form_values or {}
        if kind is not None and kind.unit_route and case.form_id == kind.unit_route.form:
            # a unit's query is answered by its 告知函 whatever the result (research B4, C1-C3)
            notice_type = NoticeType.CRIMINAL_RECORD_UNIT_REPLY
            content.update(
                {
                    name: values.get(name, "")
                    for name in ("unit_name", "subject_name", "subject_id", "legal_basis")
                }
            )
        elif kind is not None and kind.refusal_form is not None:
            notice_type = NoticeType.CRIMINAL_RECORD_REFUSAL
            content["applicant_name"] = values.get("applicant_name", "")
            content["applicant_id"] = values.get("applicant_id", "")
            content["review"] = _review_text(kind.review, reviewed=case.review_of is not None)
        notice = new_notice(
            change,
            case,
            notice_type,
            content,
            number=change.allocate("notice")["notice"],
            written=written if printed else None,
        )
        return NoticeResult(
            case.id,
            case.case_no,
            notice.notice_no,
            notice_type,
            case.outcome,
            False,
            decision,
            pdf_path=relative_path(ctx.data_dir, written),
        )


def _review_text(review: Review | None, *, reviewed: bool) -> str:
    if reviewed:
        return "经复查，维持原查询结果。对复查结论仍有异议的，可依法申请行政复议或者提起行政诉讼。"
    if review is None:
        return "如对查询结果有异议，可向本所提出。"
    return (
        f"如对查询结果有异议，可向本所申请复查并提交相关材料；本所自受理之日起{review.days}个"
        f"工作日内答复，情况复杂的，可延长至{review.extended_days}个工作日。"
    )


def review(
    ctx: Context, *, case_ref: str, officer: Actor, reason: str, printed: bool = False
) -> IssueResult:
    """The applicant asks for a review (复查) of a refusal: a case of its own, under
    investigation, due within the kind's review days, with a receipt. It ends as any
    investigation does: ``finish`` issues the certificate, ``refuse`` upholds the refusal."""
    reason = clean_reason(reason, what="复查申请的理由")
    written: list[Path] = []
    with remove_on_failure(written), ctx.change(officer, roles=COUNTER) as change:
        refused = _case(change, case_ref)
        kind = ctx.catalog.kinds.get(refused.kind_id or "")
        if kind is None or kind.review is None:
            raise InvalidInput(f"案件 {refused.case_no} 的证明种类没有复查程序", field="case")
        if refused.status != CaseStatus.REFUSED:
            raise InvalidInput(
                f"案件 {refused.case_no} 的状态为 {refused.status}，只有不予出具的案件可申请复查",
                field="case",
            )
        if refused.review_of is not None:
            raise InvalidInput(f"案件 {refused.case_no} 已是复查案件，不再复查", field="case")
        again = change.session.scalar(select(Case.case_no).where(Case.review_of == refused.id))
        if again is not None:
            raise InvalidInput(f"案件 {refused.case_no} 已申请复查(案件 {again})", field="case")
        due = ctx.calendar().add_working_days(ctx.today(), kind.review.days)
        numbers = change.allocate("case", "notice")
        case = Case(
            id=new_id(),
            case_no=change.number("C", numbers["case"]),
            kind_text=refused.kind_text,
            kind_id=refused.kind_id,
            requester=refused.requester,
            requester_unit=refused.requester_unit,
            purpose=refused.purpose,
            outcome=refused.outcome,
            special_case=refused.special_case,
            report_to_superior=False,
            decision_sha=refused.decision_sha,
            catalog_id=refused.catalog_id,
            catalog_version=refused.catalog_version,
            officer_id=change.actor.id if change.actor else refused.officer_id,
            status=CaseStatus.PENDING_INVESTIGATION,
            form_id=refused.form_id,
            form_values=refused.form_values,
            due_date=due.due.isoformat(),
            due_date_note=(
                f"复查案件 {refused.case_no}：{kind.review.days}个工作日内答复，"
                f"情况复杂的经所领导批准可延长至{kind.review.extended_days}个工作日。{reason}"
            )[:200],
            review_of=refused.id,
            created_at=change.now,
            updated_at=change.now,
        )
        change.add(case, action="case.review", send=case_item)
        decision = decisions.of(change.session, case)
        return accepted(
            change,
            case,
            working_days=kind.review.days,
            kind_name=f"复查：{decision.get('kind_name') or case.kind_text}",
            requested=case.kind_text,
            number=numbers["notice"],
            written=written,
            printed=printed,
            decision=decision,
        )


def extend(
    ctx: Context, *, case_ref: str, officer: Actor, reason: str, approval: Approval | None
) -> IssueResult:
    """A complex review: its answer is due within the kind's extended working days from the
    day it was accepted, once, approved by a supervisor."""
    reason = clean_reason(reason, what="延长复查期限的理由")
    if approval is None:
        raise ApprovalRequired("延长复查期限须经所领导审批：请给出审批的所领导警号")
    confirm(ctx, approval, actor=officer, acting=COUNTER)
    with ctx.change(officer, roles=COUNTER) as change:
        change.approved_by(approval.code, roles=APPROVERS)
        case = _case(change, case_ref)
        kind = ctx.catalog.kinds.get(case.kind_id or "")
        if case.review_of is None or kind is None or kind.review is None:
            raise InvalidInput(f"案件 {case.case_no} 不是复查案件，不能延长复查期限", field="case")
        if case.status != CaseStatus.PENDING_INVESTIGATION:
            raise InvalidInput(f"复查案件 {case.case_no} 已办结", field="case")
        accepted = case.created_at.astimezone(CHINA).date()
        due = ctx.calendar().add_working_days(accepted, kind.review.extended_days)
        if case.due_date and due.due.isoformat() <= case.due_date:
            raise InvalidInput(f"复查案件 {case.case_no} 的期限已延长过", field="case")
        note = f"经所领导批准延长至{kind.review.extended_days}个工作日：{reason}"[:200]
        change.update(
            case,
            action="case.extend",
            send=case_item,
            due_date=due.due.isoformat(),
            due_date_note=note,
            updated_at=change.now,
        )
        return IssueResult(
            case.id,
            case.case_no,
            CaseStatus.PENDING_INVESTIGATION,
            change.station.workstation,
            due_date=case.due_date,
            due_date_note=case.due_date_note,
            decision=decisions.of(change.session, case),
        )


def _case(change: Change, case_ref: str) -> Case:
    case = change.session.scalar(
        select(Case).where((Case.id == case_ref) | (Case.case_no == case_ref))
    )
    if case is None:
        raise InvalidInput(f"案件“{case_ref}”不存在", field="case")
    return case
