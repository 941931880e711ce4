"""The key store for offline checks: this station's public key and every other station's,
learned from the province's feed (revoked keys kept and flagged, never deleted), and the serials
voided anywhere in the province."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.context import Context
from app.protocol.models import KeyRevokedEvent, StationKeyEvent, VoidEvent
from app.records.db.models import KnownKey, KnownVoid, Station


def learn(
    session: Session, events: Sequence[StationKeyEvent | KeyRevokedEvent | VoidEvent]
) -> None:
    """Record keys, revocations and voids from the feed, inside the caller's transaction."""
    for event in events:
        if isinstance(event, StationKeyEvent):
            session.execute(
                insert(KnownKey)
                .values(station_code=event.station, public_key=event.public_key, revoked=False)
                .on_conflict_do_nothing()
            )
        elif isinstance(event, KeyRevokedEvent):
            session.execute(
                insert(KnownKey)
                .values(station_code=event.station, public_key=event.public_key, revoked=True)
                .on_conflict_do_update(
                    index_elements=["station_code", "public_key"], set_={"revoked": True}
                )
            )
        else:
            session.execute(
                insert(KnownVoid)
                .values(serial=event.serial, station_code=event.station)
                .on_conflict_do_nothing()
            )


def known_keys(ctx: Context) -> tuple[dict[str, list[str]], set[str]]:
    """Station public keys for offline QR checks (this station's and those pulled), and the
    serials known to be void."""
    keys: dict[str, list[str]] = {}
    with ctx.db.reading() as session:
        for station in session.scalars(select(Station)):
            keys.setdefault(station.code, []).append(station.public_key)
        for row in session.scalars(select(KnownKey).where(KnownKey.revoked.is_(False))):
            if row.public_key not in keys.setdefault(row.station_code, []):
                keys[row.station_code].append(row.public_key)
        voids = set(session.scalars(select(KnownVoid.serial)))
    return keys, voids
