"""Push: the outbox, oldest first, in batches. The province applies each record once by its UUID
and answers with a cursor (``acked_through``); the station marks those rows acknowledged and
prunes their payload (the row and its digest stay), marks conflicts with the province's reason,
and never drops a row the province has not acknowledged — a cut connection only means a resend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from app.context import Context
from app.errors import CertdeskError
from app.protocol.models import API, PushAnswer, PushBatch, PushRecord, record_digest
from app.records import outbox
from app.records.db.models import OutboxItem
from app.sync import state
from app.sync import transport as net

BATCH = 500


def _batch(ctx: Context, size: int) -> list[PushRecord]:
    """The next records to send, each checked against the digest kept when it was queued: a
    record edited in the database is not sent (``audit verify`` says which)."""
    with ctx.db.reading() as session:
        rows = outbox.waiting(session, size)
    records = []
    for item_id, seq, payload, digest in rows:
        try:
            record = PushRecord.model_validate({"id": item_id, "seq": seq, "item": payload})
        except ValueError:
            record = None
        if record is None or record_digest(record) != digest:
            raise net.Refused(
                f"待上报第 {seq} 条与其摘要不符，可能被改动，已停止上报；请运行 certdesk audit verify"
            )
        records.append(record)
    return records


def push(
    ctx: Context, http: Any, station: str, *, batch: int, attempts: int, sleep: net.Sleep
) -> tuple[int, list[dict[str, str]]]:
    """Push until nothing waits; return (records the province holds now, conflicts)."""
    pushed, conflicts = 0, list[dict[str, str]]()
    while True:
        records = _batch(ctx, batch)
        if not records:
            return pushed, conflicts
        seqs = [r.seq for r in records]

        def send(records: list[PushRecord] = records) -> PushAnswer:
            # stamped as it leaves (each attempt anew): the province keeps our clock's offset
            body = PushBatch(station=station, records=records, sent_at=ctx.now())
            return net.call(
                http, "POST", f"{API}/push", PushAnswer, json=body.model_dump(mode="json")
            )

        try:
            answer = net.retrying(send, attempts=attempts, sleep=sleep)
        except (net.Transient, CertdeskError) as error:
            _note_failure(ctx, seqs, str(error))
            raise
        if answer.acked_through < seqs[0]:  # no progress: going round again would not help
            _note_failure(ctx, seqs, "省级服务器未确认任何记录")
            raise net.Refused(f"省级服务器未确认第 {seqs[0]} 条起的记录")
        _acknowledge(ctx, seqs, answer)
        state.note_clock(ctx, answer.server_time)
        pushed += answer.applied + answer.duplicates
        conflicts += [{"id": c.id, "reason": c.reason} for c in answer.conflicts]


def _acknowledge(ctx: Context, seqs: list[int], answer: PushAnswer) -> None:
    now = dt.datetime.now(dt.UTC)
    with ctx.db.writing() as session:
        outbox.acknowledge(
            session,
            seqs,
            through=answer.acked_through,
            now=now,
            conflicts={c.id: c.reason for c in answer.conflicts},
        )


def _note_failure(ctx: Context, seqs: list[int], error: str) -> None:
    with ctx.db.writing() as session:
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.seq.in_(seqs))
            .values(attempts=OutboxItem.attempts + 1, last_error=error[:500])
        )


def note_waiting(ctx: Context, error: str, *, batch: int = BATCH) -> None:
    """A round that failed before it pushed: the next rows waiting count it as an attempt."""
    with ctx.db.reading() as session:
        seqs = [seq for _, seq, _, _ in outbox.waiting(session, batch)]
    if seqs:
        _note_failure(ctx, seqs, error)
