"""The outbox: what the province must learn of, written in the same transaction as the change.

Services only add rows; the sync worker (a later part) drains them, marks acknowledged rows and
never drops an unacknowledged one. Each row's UUID is the idempotency key on the server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import OutboxItem, new_id


def add(session: Session, *, topic: str, payload: dict[str, Any], now: dt.datetime) -> OutboxItem:
    item = OutboxItem(id=new_id(), topic=topic, payload=payload, created_at=now, attempts=0)
    session.add(item)
    return item


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(OutboxItem.acked_at.is_(None))) or 0)
