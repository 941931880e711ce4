"""The outbox: what the province must learn of, written in the same transaction as the change.

Services only add rows; the sync worker (a later part) drains them, marks acknowledged rows and
never drops an unacknowledged one. Each row's UUID is the idempotency key on the server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from app.records.db.models import OutboxItem, new_id

_PENDING = "certdesk.outbox.pending"


def add(session: Session, *, topic: str, payload: dict[str, Any], now: dt.datetime) -> str:
    """Queue one record for the province in the caller's transaction; returns its UUID. The rows
    are written together just before the transaction commits, so they share its fate."""
    item_id = new_id()
    session.info.setdefault(_PENDING, []).append(
        {"id": item_id, "topic": topic, "payload": payload, "created_at": now, "attempts": 0}
    )
    return item_id


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.connection().execute(insert(OutboxItem), pending)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(OutboxItem.acked_at.is_(None))) or 0)
