"""Anchoring the audit chain at the province: each round sends the audit events since the last
anchored one as (number, hash, previous hash) — no content — and the province checks that they
extend the head it holds. Rewriting or truncating anything already anchored is so caught at the
next sync: the province keeps the break and flags it, and this PC keeps what it was told
(``chain_problem``) for its supervisors and its window."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.context import Context
from app.protocol.models import API, MAX_LINKS, AnchorAnswer, AnchorRequest, ChainLink
from app.records.db.models import AuditEvent
from app.sync import state
from app.sync import transport as net

ANCHORED = "chain_anchored_seq"
CHECKED_DAY = "chain_checked_day"
ROLLING = "chain_rolling_seq"
REPORTED = "chain_reported"
WINDOW = 5_000  # events re-hashed per round, in rotation: a 100,000-event trail every 20 rounds


def self_check(ctx: Context, anchored: int) -> str | None:
    """What this PC's own look at its trail finds. Every round: the events not yet anchored,
    and the next ``WINDOW`` of the anchored ones in rotation — each event's content must hash to
    its stored hash and link to the one before. Once a China day: the whole trail and every
    record against it (``audit verify``). An anchored event edited without its hashes
    recomputed, or a record changed behind the trail's back, leaves the hashes the province
    holds unbroken: this is how the province hears of it."""
    from app.records import audit

    today = ctx.today().isoformat()
    with ctx.db.reading() as session:
        if state.get(ctx, CHECKED_DAY) != today:
            report = audit.verify(session)
            state.put(ctx, **{CHECKED_DAY: today})
            if not report.ok:
                return report.problem
        rolling = int(state.get(ctx, ROLLING) or 0)
        if rolling >= anchored:
            rolling = 0
        ranges = [(rolling, min(rolling + WINDOW, anchored)), (anchored, None)]
        for after, through in ranges:
            query = select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq)
            if through is not None:
                query = query.where(AuditEvent.seq <= through)
            prev = (
                session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == after))
                if after
                else audit.GENESIS
            )
            for stored in session.scalars(query):
                if prev is not None and stored.prev_hash != prev:
                    return f"第 {stored.seq} 条审计记录与前一条的链接断开"
                if audit.stored_hash(stored) != stored.hash:
                    return f"第 {stored.seq} 条审计记录被改动(哈希不符)"
                prev = stored.hash
        state.put(ctx, **{ROLLING: str(ranges[0][1])})
    return None


def anchor(ctx: Context, http: Any, *, attempts: int, sleep: net.Sleep) -> tuple[int, str | None]:
    """Send the new links until the province holds the newest; return (anchored through, the
    province's words when the chain did not extend the anchored one)."""
    anchored = int(state.get(ctx, ANCHORED) or 0)
    problem: str | None = None
    found = self_check(ctx, anchored)
    local = found if found and found != state.get(ctx, REPORTED) else None  # each finding once
    while True:
        with ctx.db.reading() as session:
            links = [
                ChainLink(seq=seq, hash=digest, prev=prev)
                for seq, digest, prev in session.execute(
                    select(AuditEvent.seq, AuditEvent.hash, AuditEvent.prev_hash)
                    .where(AuditEvent.seq > anchored)
                    .order_by(AuditEvent.seq)
                    .limit(MAX_LINKS)
                )
            ]
            newest = session.execute(
                select(AuditEvent.seq, AuditEvent.hash, AuditEvent.prev_hash)
                .order_by(AuditEvent.seq.desc())
                .limit(1)
            ).first()
        head = ChainLink(seq=newest[0], hash=newest[1], prev=newest[2]) if newest else None
        request = AnchorRequest(links=links, head=head, local_problem=local and local[:240])
        answer = net.retrying(
            lambda request=request: net.call(  # type: ignore[misc]
                http, "POST", f"{API}/anchor", AnchorAnswer, json=request.model_dump(mode="json")
            ),
            attempts=attempts,
            sleep=sleep,
        )
        anchored = answer.anchored_seq
        values = {ANCHORED: str(anchored)}
        if local:
            values[REPORTED], local = local, None
        if not answer.extended or answer.problem:
            problem = answer.problem or "审计链与省级已锚定的不衔接"
            values |= {"chain_problem": problem, "chain_problem_at": ctx.now().isoformat()}
        state.put(ctx, **values)
        if len(links) < MAX_LINKS:
            return anchored, problem
