"""Records the province refused as conflicts (the same record number sent with other content, a
sequence number it had already acknowledged for other records). Such a record is not lost and not
silently dropped: it stays on the waiting list with the province's reason until an administrator
has looked at it and resolves it with a reason of their own (kept, audited)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from app.context import Context
from app.errors import InvalidInput
from app.policy.roles import ADMINISTRATION, SYNC
from app.records import outbox
from app.records.db.models import OutboxItem, OutboxPayload
from app.records.form_values import clean_reason
from app.records.sessions import Actor


@dataclass(frozen=True)
class ConflictRow:
    seq: int
    id: str
    topic: str
    reason: str  # the province's
    number: str | None  # the serial, case or notice number the record is about
    created_at: str
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(payload: dict[str, Any] | None) -> str | None:
    for key in ("serial", "case_no", "notice_no"):
        if payload and payload.get(key):
            return str(payload[key])
    return None


def _row(item: OutboxItem, payload: dict[str, Any] | None) -> ConflictRow:
    return ConflictRow(
        seq=item.seq,
        id=item.id,
        topic=item.topic,
        reason=item.conflict or "",
        number=_number(payload),
        created_at=item.created_at.isoformat(timespec="seconds"),
        resolved_at=item.resolved_at.isoformat(timespec="seconds") if item.resolved_at else None,
        resolved_by=item.resolved_by,
        resolution=item.resolution,
    )


def conflicts(ctx: Context, *, actor: Actor, include_resolved: bool = False) -> list[ConflictRow]:
    """The records the province refused as conflicts, open ones (or all) oldest first."""
    where = outbox.open_conflict() if not include_resolved else OutboxItem.conflict.is_not(None)
    with ctx.reading(actor, roles=SYNC) as session:
        rows = session.execute(
            select(OutboxItem, OutboxPayload.payload)
            .outerjoin(OutboxPayload, OutboxPayload.seq == OutboxItem.seq)
            .where(where)
            .order_by(OutboxItem.seq)
        ).all()
        return [_row(item, payload) for item, payload in rows]


def resolve(ctx: Context, seq: int, *, reason: str, actor: Actor) -> ConflictRow:
    """An administrator closes a conflict after looking into it; the reason is kept and audited."""
    reason = clean_reason(reason, what="处理说明")
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        item = change.session.get(OutboxItem, seq)
        if item is None or item.conflict is None:
            raise InvalidInput(f"第 {seq} 条不是省级服务器报告的冲突记录", field="id")
        if item.resolved_at is not None:
            raise InvalidInput(
                f"第 {seq} 条冲突已于 {item.resolved_at:%Y-%m-%d %H:%M} 由 {item.resolved_by} 处理",
                field="id",
            )
        assert change.actor is not None
        item.resolved_at, item.resolved_by, item.resolution = change.now, change.actor.code, reason
        payload = change.session.get(OutboxPayload, seq)
        change.update(
            change.station,
            action="sync.conflict_resolved",
            note={
                "seq": seq,
                "id": item.id,
                "conflict": item.conflict,
                "number": _number(payload.payload if payload else None),
                "resolution": reason,
            },
        )
        return _row(item, payload.payload if payload else None)
