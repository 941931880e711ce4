"""Investigations (调查核实): a kind that needs one is accepted at the counter with a due date in
working days (``app.services.counter``); here it ends — the facts confirmed and the certificate
issued with the values recorded at acceptance, or refused in writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.context import Context
from app.errors import ApprovalRequired, InvalidInput
from app.policy.roles import APPROVERS, COUNTER
from app.protocol.status import CaseStatus, NoticeType
from app.records import decisions
from app.records.changes import Change
from app.records.db.models import Case
from app.records.form_values import clean_reason
from app.records.items import case_item
from app.records.printing import Renderer
from app.records.sessions import Actor, Approval
from app.services.auth import confirm
from app.services.issuing import (
    IssueResult,
    NoticeResult,
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
    case = change.session.scalar(
        select(Case).where((Case.id == case_ref) | (Case.case_no == case_ref))
    )
    if case is None:
        raise InvalidInput(f"案件“{case_ref}”不存在", field="case")
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
    issues refused is what supervisors watch (应开不开): a supervisor approves it."""
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
        notice = new_notice(
            change,
            case,
            NoticeType.REFUSAL,
            {
                "requested": case.kind_text,
                "kind_name": decision.get("kind_name"),
                "requester": decision.get("requester_name"),
                "purpose": decision.get("purpose_name"),
                "reason": f"经调查核实：{reason}",
                "basis": decision.get("basis"),
                "use_instead": "—",
                "after_investigation": True,
            },
            number=change.allocate("notice")["notice"],
            written=written if printed else None,
        )
        return NoticeResult(
            case.id,
            case.case_no,
            notice.notice_no,
            NoticeType.REFUSAL,
            case.outcome,
            False,
            decision,
            pdf_path=relative_path(ctx.data_dir, written),
        )
