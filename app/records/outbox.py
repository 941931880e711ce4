"""The outbox: what the province must learn of, written in the same transaction as the change.

Each row is one protocol item (``app.protocol.models``) with the station's UUID for it (the
idempotency key on the server), its sequence number and the SHA-256 of the record as it goes on
the wire; its payload is kept beside it (``outbox_payloads``). The sync (``app.sync.push``)
sends the rows oldest first, marks what the province acknowledged and deletes those payloads
(the row and its digest stay, so what was sent can still be proved); a row never acknowledged
keeps its payload for good.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.records.db.models import OutboxItem, OutboxPayload, new_id

if TYPE_CHECKING:
    from app.protocol.models import PushItem


def append(
    connection: Connection, items: Sequence[PushItem], *, now: dt.datetime, first: int
) -> list[str]:
    """Queue ``items`` as sequence numbers ``first`` on (the outbox counter's, never reused), in
    one statement, inside the change's transaction; return the digest of each record as it will
    go on the wire."""
    if not items:
        return []
    from app.protocol.models import PushRecord, record_digest

    seq = first - 1
    rows: list[dict[str, Any]] = []
    payloads: list[dict[str, Any]] = []
    for item in items:
        seq += 1
        record = PushRecord(id=new_id(), seq=seq, item=item)
        rows.append(
            {
                "seq": seq,
                "id": record.id,
                "topic": item.topic,
                "sha256": record_digest(record),
                "created_at": now,
                "attempts": 0,
            }
        )
        payloads.append({"seq": seq, "payload": item.model_dump(mode="json")})
    connection.execute(insert(OutboxItem), rows)
    connection.execute(insert(OutboxPayload), payloads)
    return [str(row["sha256"]) for row in rows]


def pending_count(session: Session) -> int:
    """Rows waiting for the province, and conflicts waiting for an administrator."""
    return int(
        session.scalar(select(func.count()).where(OutboxItem.acked_at.is_(None) | open_conflict()))
        or 0
    )


def acknowledge(
    session: Session,
    seqs: Sequence[int],
    *,
    through: int,
    now: dt.datetime,
    conflicts: dict[str, str] | None = None,
) -> None:
    """The province holds every row of ``seqs`` up to ``through``: mark them and prune their
    payload (the row and the digest of what was sent stay). A row the province refused as a
    conflict (UUID -> reason) keeps its payload and stays listed until it is resolved."""
    done = [s for s in seqs if s <= through]
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.seq.in_(done), OutboxItem.acked_at.is_(None))
        .values(acked_at=now, last_error=None)
    )
    for item_id, reason in (conflicts or {}).items():
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id)
            .values(conflict=reason, last_error=f"冲突：{reason}")
        )
    kept = select(OutboxItem.seq).where(OutboxItem.conflict.is_not(None))
    session.execute(
        delete(OutboxPayload).where(OutboxPayload.seq.in_(done), OutboxPayload.seq.not_in(kept))
    )


def open_conflict() -> Any:
    """Rows the province refused as conflicts that nobody has resolved yet."""
    return OutboxItem.conflict.is_not(None) & OutboxItem.resolved_at.is_(None)


def waiting(session: Session, limit: int) -> list[tuple[str, int, dict[str, Any], str]]:
    """The oldest rows not yet acknowledged: (UUID, seq, payload, digest)."""
    rows = session.execute(
        select(OutboxItem.id, OutboxItem.seq, OutboxPayload.payload, OutboxItem.sha256)
        .join(OutboxPayload, OutboxPayload.seq == OutboxItem.seq)
        .where(OutboxItem.acked_at.is_(None))
        .order_by(OutboxItem.seq)
        .limit(limit)
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]
