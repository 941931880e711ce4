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


def anchor(ctx: Context, http: Any, *, attempts: int, sleep: net.Sleep) -> tuple[int, str | None]:
    """Send the new links until the province holds the newest; return (anchored through, the
    province's words when the chain did not extend the anchored one)."""
    anchored = int(state.get(ctx, ANCHORED) or 0)
    problem: str | None = None
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
        request = AnchorRequest(links=links, head=head)
        answer = net.retrying(
            lambda request=request: net.call(  # type: ignore[misc]
                http, "POST", f"{API}/anchor", AnchorAnswer, json=request.model_dump(mode="json")
            ),
            attempts=attempts,
            sleep=sleep,
        )
        anchored = answer.anchored_seq
        values = {ANCHORED: str(anchored)}
        if not answer.extended:
            problem = answer.problem or "审计链与省级已锚定的不衔接"
            values |= {"chain_problem": problem, "chain_problem_at": ctx.now().isoformat()}
        state.put(ctx, **values)
        if len(links) < MAX_LINKS:
            return anchored, problem
