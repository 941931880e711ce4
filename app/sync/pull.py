"""Pull: the province's feed by cursor — station keys, revoked keys and voids into the key store,
catalog versions and holiday tables installed — page by page until the feed says no more."""

from __future__ import annotations

from typing import Any

from app.context import Context
from app.protocol.models import (
    API,
    CatalogEvent,
    HolidaysEvent,
    KeyRevokedEvent,
    PullPage,
    StationKeyEvent,
    VoidEvent,
)
from app.sync import installs, keys, state
from app.sync import transport as net


def pull(
    ctx: Context, http: Any, province_key: str, *, attempts: int, sleep: net.Sleep
) -> tuple[int, list[str]]:
    """Apply the feed from the stored cursor on; return (events pulled, refusals to report)."""
    cursor = int(state.get(ctx, "feed_cursor") or 0)
    pulled, refused = 0, []
    while True:
        page = net.retrying(
            lambda cursor=cursor: net.call(  # type: ignore[misc]
                http, "GET", f"{API}/pull", PullPage, params={"after": cursor}
            ),
            attempts=attempts,
            sleep=sleep,
        )
        events = [entry.event for entry in page.events]
        with ctx.db.writing() as session:
            keys.learn(
                session,
                [e for e in events if isinstance(e, StationKeyEvent | KeyRevokedEvent | VoidEvent)],
            )
        for event in events:
            if isinstance(event, CatalogEvent):
                problem = installs.install_catalog(ctx, province_key, event)
                if problem:
                    refused.append(problem)
            elif isinstance(event, HolidaysEvent):
                installs.install_holidays(ctx, event)
        cursor = page.cursor
        state.put(ctx, feed_cursor=str(cursor))
        state.note_clock(ctx, page.server_time)
        pulled += len(events)
        if not page.more:
            return pulled, refused
