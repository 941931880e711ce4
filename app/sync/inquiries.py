"""The station's half of the exchange desk's delivery: each round asks the province for the
inquiries partner departments addressed to this station (``GET /api/v2/inquiries``) and keeps them
(in the encrypted station database). An inquiry another workstation of the station answered
first is marked so here and leaves this workstation's list — also when this workstation answered
it too, later (the province kept the first answer and reported this one as a conflict)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.context import Context
from app.policy.roles import SYNC
from app.protocol.models import API, Inquiries
from app.protocol.status import InquiryStatus
from app.records.db.models import Inquiry
from app.records.items import question
from app.records.sessions import Actor
from app.sync import transport as net


def fetch(
    ctx: Context, http: Any, *, actor: Actor, attempts: int, sleep: net.Sleep
) -> tuple[int, int]:
    """Fetch and keep; return (new inquiries, inquiries answered at another workstation)."""
    got = net.retrying(
        lambda: net.call(http, "GET", f"{API}/inquiries", Inquiries),
        attempts=attempts,
        sleep=sleep,
    )
    if not got.inquiries:
        return 0, 0
    new = closed = 0
    with ctx.change() as change:  # the round's officer, not touching their idle session
        change.act_as(actor, roles=SYNC, touch=False)
        held = {
            row.id: row
            for row in change.session.scalars(
                select(Inquiry).where(Inquiry.id.in_([i.id for i in got.inquiries]))
            )
        }
        for item in got.inquiries:
            row = held.get(item.id)
            if row is None:
                if item.status != InquiryStatus.OPEN:
                    continue  # answered elsewhere before this workstation ever saw it
                change.add(
                    Inquiry(
                        **question(item),
                        asked_at=item.asked_at,
                        due_date=item.due_date,
                        status=InquiryStatus.OPEN,
                        answered_elsewhere=False,
                    ),
                    action="inquiry.receive",
                )
                new += 1
            elif (
                item.status != InquiryStatus.OPEN
                and item.workstation != change.station.workstation
                and (row.status == InquiryStatus.OPEN or not row.answered_elsewhere)
            ):
                # answered at another workstation first: this one's own answer, if it gave one,
                # was not kept (the province reported it as a conflict)
                change.update(
                    row,
                    action="inquiry.answered_elsewhere",
                    status=item.status,
                    answered_elsewhere=True,
                )
                closed += 1
    return new, closed
