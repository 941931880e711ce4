"""The counter's side of the exchange desk: the inquiries partner departments addressed to this
station (fetched by the sync), their due dates in working days, and the answer — structured
fields for the information asked, or a refusal with its reason — signed with this workstation's
key and queued for the province. Clerks and supervisors answer (they read the register); every
answer is an audit event naming the officer."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from app.context import Context
from app.errors import InvalidInput
from app.policy import inquiries as policy
from app.policy.roles import COUNTER
from app.policy.workdays import CHINA
from app.protocol.models import Inquiry as WireInquiry
from app.protocol.models import InquiryAnswerItem, inquiry_signed_bytes
from app.protocol.status import InquiryStatus
from app.records.changes import Change
from app.records.db.models import Inquiry, new_id
from app.records.items import question
from app.records.sessions import Actor

STATUS_NAMES = {"open": "待答复", "answered": "已答复", "declined": "不予答复"}


@dataclass(frozen=True)
class InquiryView:
    id: str
    number: str
    partner: str
    sector: str
    kind_id: str
    information: str
    subject_name: str
    subject_id: str
    legal_basis: str
    partner_case_no: str
    asked_on: str
    due_date: str
    status: str
    status_name: str
    days_left: int  # working days from today to the due date (negative: overdue)
    overdue: bool
    answered_elsewhere: bool
    answer: dict[str, str]
    reason: str
    fields: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _view(ctx: Context, row: Inquiry, today: dt.date) -> InquiryView:
    due = dt.date.fromisoformat(row.due_date)
    calendar = ctx.calendar()
    left = calendar.working_days_between(today, due)
    return InquiryView(
        **question(row),
        asked_on=row.asked_at.astimezone(CHINA).date().isoformat(),
        due_date=row.due_date,
        status=row.status,
        status_name=STATUS_NAMES.get(row.status, row.status)
        + ("(其他工作站)" if row.answered_elsewhere else ""),
        days_left=left,
        overdue=row.status == InquiryStatus.OPEN and due < today,
        answered_elsewhere=row.answered_elsewhere,
        answer=dict(row.answer or {}),
        reason=row.reason or "",
        fields=[
            {
                "name": f.name,
                "label": f.label,
                "type": f.type,
                "choices": list(f.choices),
                "optional": f.optional,
                "when": list(f.when) if f.when else None,
            }
            for f in policy.answer_fields(row.kind_id)
        ],
    )


def list_inquiries(ctx: Context, *, actor: Actor, everything: bool = False) -> list[InquiryView]:
    """Open inquiries, the soonest due first (``everything``: the answered ones after them)."""
    today = ctx.today()
    with ctx.reading(actor, roles=COUNTER) as session:
        statement = select(Inquiry).order_by(Inquiry.due_date, Inquiry.asked_at)
        if not everything:
            statement = statement.where(Inquiry.status == InquiryStatus.OPEN)
        rows = list(session.scalars(statement))
        views = [_view(ctx, row, today) for row in rows]
    return sorted(views, key=lambda v: (v.status != InquiryStatus.OPEN, v.due_date))


def _find(change: Change, ref: str) -> Inquiry:
    ref = ref.strip()
    row = change.session.scalar(
        select(Inquiry).where((Inquiry.id == ref) | (Inquiry.number == ref.upper()))
    )
    if row is None:
        raise InvalidInput(f"核查请求“{ref}”不存在(请先同步)", field="inquiry")
    if row.status != InquiryStatus.OPEN:
        who = "其他工作站" if row.answered_elsewhere else "本站"
        raise InvalidInput(
            f"核查请求 {row.number} 已由{who}{STATUS_NAMES.get(row.status, row.status)}",
            field="inquiry",
        )
    return row


def _wire(row: Inquiry, station: str) -> WireInquiry:
    return WireInquiry(
        **question(row),
        station=station,
        asked_at=row.asked_at,
        due_date=row.due_date,
        status=InquiryStatus.OPEN,
    )


def _close(
    ctx: Context,
    *,
    actor: Actor,
    ref: str,
    status: str,
    fields: dict[str, str] | None = None,
    reason: str = "",
) -> InquiryView:
    from app.protocol import crypto
    from app.protocol.signing import load_key

    key = load_key(ctx.data_dir, ctx.vault.unseal)
    with ctx.change(actor, roles=COUNTER) as change:
        row = _find(change, ref)
        answer = (
            policy.check_answer(row.kind_id, fields or {})
            if status == InquiryStatus.ANSWERED
            else {}
        )
        officer = change.actor
        assert officer is not None
        moment = change.now.replace(microsecond=0)
        station = change.station
        signature = crypto.sign(
            key,
            inquiry_signed_bytes(
                _wire(row, station.code),
                workstation=station.workstation,
                status=status,
                answer=answer,
                reason=reason,
                answered_at=moment,
                officer=officer.code,
                officer_name=officer.name,
            ),
        ).hex()

        def item(done: Inquiry) -> InquiryAnswerItem:
            return InquiryAnswerItem(
                id=new_id(),
                inquiry_id=done.id,
                status=status,
                answer=answer,
                reason=reason,
                answered_at=moment,
                officer=officer.code,
                officer_name=officer.name,
                signature=signature,
            )

        change.update(
            row,
            action="inquiry.answer" if status == InquiryStatus.ANSWERED else "inquiry.decline",
            send=item,
            status=status,
            answer=answer or None,
            reason=reason or None,
            answered_at=moment,
            officer_id=officer.id,
            signature=signature,
        )
        return _view(ctx, row, ctx.today())


def answer(ctx: Context, *, actor: Actor, ref: str, fields: dict[str, str]) -> InquiryView:
    """Answer an open inquiry in its kind's fields (checked: each named field known, choices
    among theirs, dates real); signed and queued for the province."""
    return _close(ctx, actor=actor, ref=ref, status=InquiryStatus.ANSWERED, fields=fields)


def decline(ctx: Context, *, actor: Actor, ref: str, reason: str) -> InquiryView:
    """Decline an open inquiry with the reason the partner will read (e.g. 查无户籍档案可核)."""
    return _close(
        ctx, actor=actor, ref=ref, status=InquiryStatus.DECLINED, reason=policy.check_reason(reason)
    )
