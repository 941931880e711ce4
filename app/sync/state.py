"""Small facts of the sync kept in the station's database: the feed cursor, the last round and its
error, what a refused catalog was — and the outbox rows still waiting for the province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.context import Context
from app.records import outbox
from app.records.db.models import OutboxItem, SyncState


def get(ctx: Context, name: str) -> str | None:
    with ctx.db.reading() as session:
        row = session.get(SyncState, name)
        return row.value if row else None


def put(ctx: Context, **values: str) -> None:
    with ctx.db.writing() as session:
        for name, value in values.items():
            session.merge(SyncState(name=name, value=value))


def note_clock(ctx: Context, server_time: dt.datetime | None) -> None:
    """Keep how far this PC's clock is from the province's, as an answer just showed it (the
    answer's transit is the error: seconds, against a tolerance of minutes)."""
    if server_time is None:
        return
    offset = round((ctx.now() - server_time).total_seconds())
    put(ctx, clock_offset_seconds=str(offset), clock_checked_at=server_time.isoformat())


@dataclass(frozen=True)
class ClockCheck:
    offset_seconds: int  # this PC's clock minus the province's
    checked_at: dt.datetime


def clock(ctx: Context) -> ClockCheck | None:
    """The offset to the province's clock found at the last sync, if any."""
    offset, at = get(ctx, "clock_offset_seconds"), get(ctx, "clock_checked_at")
    if offset is None or at is None:
        return None
    return ClockCheck(int(offset), dt.datetime.fromisoformat(at))


def chain_problem(ctx: Context, *, days: int) -> str | None:
    """What the province said when this PC's audit chain last did not extend the anchored one,
    if that was within ``days``."""
    problem, at = get(ctx, "chain_problem"), get(ctx, "chain_problem_at")
    if problem is None or at is None:
        return None
    if ctx.now() - dt.datetime.fromisoformat(at) > dt.timedelta(days=days):
        return None
    return problem


def open_conflicts(ctx: Context) -> int:
    from sqlalchemy import func

    with ctx.db.reading() as session:
        return int(session.scalar(select(func.count()).where(outbox.open_conflict())) or 0)


def pending_count(ctx: Context) -> int:
    with ctx.db.reading() as session:
        return outbox.pending_count(session)


@dataclass(frozen=True)
class PendingItem:
    seq: int
    topic: str
    created_at: str
    attempts: int
    last_error: str | None


def pending_items(ctx: Context, *, limit: int = 200) -> list[PendingItem]:
    """The oldest items waiting for the province, with their last error (for the window's list)."""
    with ctx.db.reading() as session:
        rows = session.scalars(
            select(OutboxItem)
            .where(OutboxItem.acked_at.is_(None) | outbox.open_conflict())
            .order_by(OutboxItem.seq)
            .limit(limit)
        ).all()
        return [
            PendingItem(
                r.seq, r.topic, r.created_at.isoformat(timespec="seconds"), r.attempts, r.last_error
            )
            for r in rows
        ]
