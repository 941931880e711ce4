"""The feed the stations pull (keys, withdrawals, voids, holidays, catalogs), signed by the
province key when each entry is written — never when it is served — so that a row put into the
``feed`` table by anyone without the key file is not signed, not served, and never reaches a
station.

Every entry is added with ``add``; the session's ``before_commit`` hook signs the entries this
session added (over ``feed_bytes(id, event)``, as the stations check) with the key the session
was made with (``sessions(engine, feed_key=…)``). A session without the key cannot commit a feed
entry at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.protocol import crypto
from app.protocol.models import feed_bytes
from server.models import FeedEvent

KEY = "feed_key"
_NEW = "feed_new"


def add(session: Session, type: str, body: dict[str, Any]) -> FeedEvent:
    """A new feed entry, signed when the session commits."""
    row = FeedEvent(type=type, body=body)
    session.add(row)
    session.info.setdefault(_NEW, []).append(row)
    return row


def signature(key: crypto.SigningKey, row: FeedEvent) -> str:
    return crypto.sign(key, feed_bytes(row.id, {**row.body, "type": row.type})).hex()


@event.listens_for(Session, "before_commit")
def _seal(session: Session) -> None:
    rows: list[FeedEvent] = session.info.pop(_NEW, [])
    if not rows:
        return
    key = session.info.get(KEY)
    if key is None:
        raise RuntimeError(
            "a feed entry needs the province key to be signed (sessions(feed_key=…))"
        )
    session.flush()  # the entries' numbers, which the signature covers
    for row in rows:
        row.signature = signature(key, row)
    session.flush()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_NEW, None)


def sign_legacy(session: Session, key: crypto.SigningKey) -> int:
    """Once, at the upgrade that brought write-time signatures (s0011): sign the entries that
    were in the feed then (they were served signed before); later unsigned rows stay unsigned."""
    from sqlalchemy import inspect, select, text

    if not inspect(session.connection()).has_table("feed_legacy"):
        return 0
    up_to = session.scalar(text("SELECT max(up_to) FROM feed_legacy")) or 0
    rows = session.scalars(
        select(FeedEvent).where(FeedEvent.id <= up_to, FeedEvent.signature.is_(None))
    ).all()
    for row in rows:
        row.signature = signature(key, row)
    session.execute(text("DROP TABLE feed_legacy"))
    return len(rows)
