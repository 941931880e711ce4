"""Pull: the province's feed by cursor — station keys, revoked keys and voids into the key store,
catalog versions and holiday tables installed — page by page until the feed says no more."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, Field, TypeAdapter, ValidationError

from app.context import Context
from app.errors import CertdeskError
from app.protocol.models import (
    API,
    CatalogEvent,
    FeedEvent,
    Hex,
    HolidaysEvent,
    KeyRevokedEvent,
    Message,
    StationKeyEvent,
    VoidEvent,
    feed_bytes,
)
from app.protocol.signing import verify_signature
from app.sync import installs, keys, state
from app.sync import transport as net


def pull(
    ctx: Context, http: Any, province_key: str, *, attempts: int, sleep: net.Sleep
) -> tuple[int, list[str]]:
    """Apply the feed from the stored cursor on; return (events pulled, refusals to report). An
    event the province signed that cannot be read or applied is set aside and reported; the
    cursor moves on past it, so that it never holds back the keys, voids and catalogs after it.
    An entry without the pinned key's signature stops the round there: the cursor stays before
    it, so that whoever sent it cannot make this station skip the province's real entries."""
    cursor = int(state.get(ctx, "feed_cursor") or 0)
    pulled, refused = 0, list[str]()
    while True:
        page = net.retrying(
            lambda cursor=cursor: net.call(  # type: ignore[misc]
                http, "GET", f"{API}/pull", RawPullPage, params={"after": cursor}
            ),
            attempts=attempts,
            sleep=sleep,
        )
        events: list[Any] = []
        last, forged = cursor, False
        for entry in page.events:
            if entry.id <= last:  # an entry already taken, or out of order: not applied twice
                refused.append(f"省级下发的第 {entry.id} 条已处理过或次序不对(重放)，已拒绝")
                continue
            last = entry.id
            if not verify_signature(
                province_key, feed_bytes(entry.id, entry.event), entry.signature
            ):
                kind = str(entry.event.get("type", "?"))[:20]
                refused.append(
                    f"省级下发的第 {entry.id} 条({kind})没有有效的省级签名，已拒绝，本轮到此为止"
                )
                last, forged = entry.id - 1, True
                break
            try:
                events.append(READ.validate_python(entry.event))
            except ValidationError as error:
                kind = str(entry.event.get("type", "?"))[:20]
                refused.append(
                    f"省级下发的第 {entry.id} 条({kind})格式不对，已跳过：{error.error_count()} 处错误"
                )
        with ctx.db.writing() as session:
            keys.learn(
                session,
                [e for e in events if isinstance(e, StationKeyEvent | KeyRevokedEvent | VoidEvent)],
            )
        for event in events:
            try:
                if isinstance(event, CatalogEvent):
                    problem = installs.install_catalog(ctx, province_key, event)
                    if problem:
                        refused.append(problem)
                elif isinstance(event, HolidaysEvent):
                    installs.install_holidays(ctx, event)
            except CertdeskError as error:
                refused.append(f"省级下发的{event.type}未能应用，已跳过：{error.message}")
        cursor = last if forged else page.cursor
        state.put(ctx, feed_cursor=str(cursor))
        if refused:
            state.put(ctx, feed_refused="；".join(refused)[-2000:])
        state.note_clock(ctx, page.server_time)
        pulled += len(events)
        if forged or not page.more:
            return pulled, refused


READ: TypeAdapter[Any] = TypeAdapter(FeedEvent)


class RawFeedEntry(Message):
    """A feed entry before its event is read: the station reads each event on its own, so that
    one it cannot read is set aside and reported while the cursor moves on."""

    id: int = Field(ge=1)
    event: dict[str, Any]
    signature: Hex = ""


class RawPullPage(Message):
    """``PullPage`` as the station first reads it (each event then read as a ``FeedEvent``)."""

    events: list[RawFeedEntry]
    cursor: int = Field(ge=0)
    more: bool
    server_time: AwareDatetime | None = None
