"""One sync round: push everything waiting, then pull the feed."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from app.context import Context
from app.policy.roles import SYNC
from app.records.sessions import Actor
from app.sync import inquiries, numbers, state
from app.sync import transport as net
from app.sync.anchor import anchor
from app.sync.enrolment import require_enrolment
from app.sync.pull import pull
from app.sync.push import BATCH, note_waiting, push


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    pending: int = 0
    conflicts: list[dict[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # feed items refused (bad signature …)
    lifted: dict[str, int] = field(default_factory=dict)  # counters raised to the province's
    conflicts_open: int = 0  # conflicts (new or earlier) no administrator has resolved yet
    anchored: int = 0  # the audit events the province holds the chain of
    chain_problem: str | None = None  # the province's words when the chain did not extend
    inquiries: int = 0  # partners' inquiries newly received for this station

    def to_dict(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "pending": self.pending,
            "conflicts": self.conflicts,
            "refused": self.refused,
            "lifted": self.lifted,
            "conflicts_open": self.conflicts_open,
            "anchored": self.anchored,
            "chain_problem": self.chain_problem,
            "inquiries": self.inquiries,
        }


def sync(
    ctx: Context,
    *,
    actor: Actor,
    server: str | None = None,
    batch: int = BATCH,
    attempts: int = 5,
    transport: Any = None,
    sleep: net.Sleep = time.sleep,
) -> SyncResult:
    """One round. Raises ``SyncUnavailable`` (with the pending count) when the province cannot
    be reached; what was pushed before stays acknowledged."""
    with ctx.change() as change:  # a signed-in officer's round (the window's, in the background:
        change.act_as(actor, roles=SYNC, touch=False)  # it does not keep an idle session open)
    enrolment = require_enrolment(ctx)
    result = SyncResult()
    with net.client(server or enrolment.server, transport, enrolment.token) as http:
        try:
            # first what the province holds of us: numbers continue above it (a restored PC)
            try:
                held = numbers.fetch(http, attempts=attempts, sleep=sleep)
            except net.Transient as error:  # the rows waiting were not sent this round either
                note_waiting(ctx, str(error), batch=batch)
                raise
            result.lifted = numbers.learn(ctx, held)
            result.pushed, result.conflicts = push(
                ctx, http, enrolment.station_code, batch=batch, attempts=attempts, sleep=sleep
            )
            result.anchored, result.chain_problem = anchor(
                ctx, http, attempts=attempts, sleep=sleep
            )
            result.pulled, result.refused = pull(
                ctx, http, enrolment.province_public_key, attempts=attempts, sleep=sleep
            )
            result.inquiries, _ = inquiries.fetch(
                ctx, http, actor=actor, attempts=attempts, sleep=sleep
            )
        except net.Transient as error:
            pending = state.pending_count(ctx)
            state.put(ctx, last_error=str(error))
            raise net.SyncUnavailable(
                f"省级服务器暂时无法连接：{error}；待上报 {pending} 条", pending
            ) from None
    result.pending = state.pending_count(ctx)
    result.conflicts_open = state.open_conflicts(ctx)
    state.put(ctx, last_error="", last_round=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return result
