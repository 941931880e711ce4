"""A request at the counter: decide, then record the case with its certificate or notice.

Everything a request leaves behind (case, serial, certificate, notice, exchange request, audit
events, outbox items) is written in one change: a failure anywhere records nothing and
allocates no serial. The catalog the decision is made with may be passed in — the window passes
the one whose outcome the clerk was shown, so a catalog installed by the background sync in
between cannot change what is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from app.context import Context
from app.errors import ApprovalRequired, InvalidInput
from app.policy.catalog import Catalog
from app.policy.decision import Decision, Request
from app.policy.identity import clean_name, parse_id_number
from app.policy.roles import APPROVERS, COUNTER
from app.policy.workdays import CHINA
from app.protocol.status import CaseStatus, ExchangeStatus, NoticeType
from app.records.db.models import ExchangeRequest, new_id
from app.records.form_values import clean_values
from app.records.items import exchange_item
from app.records.printing import Renderer
from app.records.sessions import Actor, Approval
from app.services.auth import confirm
from app.services.issuing import (
    DecisionRefused,
    IssueResult,
    NoticeResult,
    accepted,
    decide_or_refuse,
    new_case,
    new_certificate,
    new_notice,
    relative_path,
    remove_on_failure,
)
from forms import specs


def issue(
    ctx: Context,
    *,
    request: Request,
    officer: Actor,
    values: Mapping[str, str],
    approval: Approval | None = None,
    render: Renderer | None = None,
    catalog: Catalog | None = None,
    due_date: dt.date | None = None,
) -> IssueResult:
    """Decide; unless the outcome is issue, refuse. Then record case + certificate (or, when the
    kind needs investigation, case + acceptance receipt with its due date: the catalog's limit in
    working days, or — where the catalog sets none — ``due_date``, the day the clerk tells the
    applicant)."""
    decision = decide_or_refuse(catalog or ctx.catalog, request, ctx.today())
    if decision.outcome != "issue":
        raise DecisionRefused(
            f"结论为“{decision.outcome_name}”，派出所不出具证明，应出具书面告知书",
            decision,
            "not_issued",
        )
    if decision.referred:
        raise DecisionRefused(
            f"该证明由{decision.handled_at}办理：应出具办理地点告知书，告知群众到该处申请",
            decision,
            "referred",
        )
    assert decision.form is not None
    cleaned = clean_values(specs.get(decision.form), values)
    investigating = decision.handling == "investigation"
    due = _due(ctx, decision, due_date) if investigating else None
    deadline = due[1] if due else 0
    written: list[Path] = []
    if decision.special_case and approval is None:
        raise ApprovalRequired()
    if approval is not None:
        confirm(ctx, approval, actor=officer, acting=COUNTER)  # the approver's own password, now
    with remove_on_failure(written), ctx.change(officer, roles=COUNTER) as change:
        approver = None
        if approval is not None:
            approver = change.approved_by(approval.code, roles=APPROVERS)
        numbers = change.allocate("case", "notice" if due else "certificate")
        case = new_case(
            change,
            request,
            decision,
            number=numbers["case"],
            status=CaseStatus.PENDING_INVESTIGATION if due else CaseStatus.ISSUED,
            approver=approver,
            form_values=cleaned if due else None,  # else the certificate keeps them
            due_date=due[0].isoformat() if due else None,
            due_date_note=due[2] if due else "",
            action="case.accept" if due else "case.create",
        )
        if due:
            return accepted(
                change,
                case,
                working_days=deadline,
                kind_name=decision.kind_name or "",
                requested=decision.requested,
                number=numbers["notice"],
                written=written,
                printed=render is not None,
                decision=decision.to_dict(),
            )
        certificate = new_certificate(
            change,
            case,
            cleaned,
            render,
            written,
            sequence=numbers["certificate"],
            kind_name=decision.kind_name,
        )
        return IssueResult.issued(case, certificate, decision.to_dict(), due_date=None)


def record_notice(
    ctx: Context,
    *,
    request: Request,
    officer: Actor,
    missing: tuple[str, ...] = (),
    printed: bool = False,
    catalog: Catalog | None = None,
    applicant_name: str = "",
    applicant_id: str = "",
    contacted: str = "",
) -> NoticeResult:
    """Record the written refusal or exchange notice for a non-issue outcome; for an issue
    outcome with ``missing`` materials, the one-time notice listing every missing item."""
    decision = decide_or_refuse(catalog or ctx.catalog, request, ctx.today())
    if decision.outcome == "issue" and not missing and not decision.referred:
        raise DecisionRefused(
            "结论为“派出所出具”，应出具证明(群众缺少材料的，出具一次性告知书并列明缺少的材料)",
            decision,
            "needs_certificate",
        )
    if (decision.outcome != "issue" or decision.referred) and missing:
        raise InvalidInput("只有由本所出具的证明才出具一次性告知书", field="missing")
    applicant = _refusal_applicant(decision, applicant_name, applicant_id)
    contacted = contacted.strip()
    if contacted and (decision.outcome != "abolished" or len(contacted) > 100 or "\n" in contacted):
        raise InvalidInput(
            "已联系要求单位的记录只用于不予出具的要求，且应为不超过100个字的一行文字",
            field="contacted",
        )
    items = tuple(m.strip() for m in missing if m.strip())
    if missing and (not items or any(len(m) > 60 for m in items)):
        raise InvalidInput("缺少的材料每项应为1至60个字", field="missing")
    written: list[Path] = []
    with remove_on_failure(written), ctx.change(officer, roles=COUNTER) as change:
        if decision.referred:
            notice_type, status = NoticeType.REFERRAL, CaseStatus.REFERRED
        elif decision.commitment:
            notice_type, status = NoticeType.COMMITMENT, CaseStatus.NOTICE_PRINTED
        elif decision.outcome == "issue":
            notice_type, status = NoticeType.MISSING_MATERIALS, CaseStatus.DECIDED
        else:
            exchange = decision.outcome == "exchange"
            notice_type = NoticeType.EXCHANGE if exchange else NoticeType.REFUSAL
            status = CaseStatus.NOTICE_PRINTED
        numbers = change.allocate("case", "notice")
        case = new_case(change, request, decision, number=numbers["case"], status=status)
        content = {
            **applicant,
            # outside the list the station contacts the demanding unit (seed): who, how
            "contacted": contacted or None,
            "requested": decision.requested,
            "kind_name": decision.kind_name,
            "requester": decision.requester_name,
            "requester_unit": decision.requester_unit,
            "reason_class": decision.reason_class,
            # the report up is recorded with the refusal, on its day (五个一律 rule 4)
            "reported_on": change.now.astimezone(CHINA).date().isoformat()
            if decision.report_to_superior
            else None,
            "purpose": decision.purpose_name,
            "reason": decision.reason,
            "basis": decision.basis,
            "use_instead": decision.use_instead,
            "competent_department": decision.competent_department,
            "report_to_superior": decision.report_to_superior,
            "information_exchanged": decision.information_exchanged,
            "handled_at": decision.handled_at if decision.referred else None,
            "commitment": decision.commitment or None,
            "missing": list(items),
        }
        notice = new_notice(
            change,
            case,
            notice_type,
            content,
            number=numbers["notice"],
            written=written if printed else None,
        )
        if decision.outcome == "exchange":
            assert decision.exchange_kind_id is not None
            exchange_request = ExchangeRequest(
                id=new_id(),
                case_id=case.id,
                exchange_kind_id=decision.exchange_kind_id,
                requester=request.requester,
                information=decision.information_exchanged or "",
                status=ExchangeStatus.OPEN,
                created_at=change.now,
            )
            change.add(exchange_request, action="exchange.create", send=exchange_item)
        return NoticeResult(
            case.id,
            case.case_no,
            notice.notice_no,
            notice_type,
            decision.outcome,
            decision.report_to_superior,
            decision.to_dict(),
            pdf_path=relative_path(ctx.data_dir, written),
        )


def _refusal_applicant(decision: Decision, name: str, number: str) -> dict[str, str]:
    """The applicant's name and identity number on a refusal notice, when the citizen gives
    them (optional: the notice is addressed to "您" otherwise); checked, never half-kept."""
    name, number = name.strip(), number.strip()
    if not name and not number:
        return {}
    if decision.outcome != "abolished":
        raise InvalidInput("申请人姓名和公民身份号码只写在不予出具证明告知书上", field="applicant")
    if number and not name:
        raise InvalidInput("写了公民身份号码时须同时写申请人姓名", field="applicant_name")
    result = {"applicant_name": clean_name(name, field="申请人姓名")}
    if number:
        result["applicant_id"] = parse_id_number(number, field="申请人公民身份号码").number
    return result


def _due(ctx: Context, decision: Decision, given: dt.date | None) -> tuple[dt.date, int, str]:
    """(due day, working days from today, note) of an investigation: from the catalog's limit,
    or, where the catalog sets none, the day the clerk tells the applicant (五个一律 rule 2)."""
    calendar, today = ctx.calendar(), ctx.today()
    limit = decision.deadline_working_days
    if limit is not None:
        if given is not None:
            raise InvalidInput(
                f"目录规定{limit}个工作日内办结，办结日期按规定计算，不能另填", field="due_date"
            )
        due = calendar.add_working_days(today, limit)
        return due.due, limit, due.note()
    if given is None:
        raise InvalidInput(
            "目录未规定办结时限：请填写告知申请人的办结日期(YYYY-MM-DD)", field="due_date"
        )
    days = calendar.working_days_between(today, given)
    if days < 1 or days > 60 or not calendar.is_workday(given)[0]:
        raise InvalidInput(f"办结日期 {given} 应为今天之后60个工作日内的工作日", field="due_date")
    return given, days, "办结日期由首接民警告知申请人(目录未规定时限)"
