"""The key store for offline checks: this station's public key and every other station's,
learned from the province's feed (revoked keys kept and flagged, never deleted), and the serials
voided anywhere in the province."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.context import Context
from app.protocol.models import KeyRevokedEvent, StationKeyEvent, VoidEvent
from app.protocol.qr import KeyLimit
from app.records.db.models import KnownKey, KnownVoid, Station


def learn(
    session: Session, events: Sequence[StationKeyEvent | KeyRevokedEvent | VoidEvent]
) -> None:
    """Record keys, withdrawals and voids from the feed, inside the caller's transaction."""
    for event in events:
        if isinstance(event, StationKeyEvent):
            session.execute(
                insert(KnownKey)
                .values(
                    station_code=event.station,
                    public_key=event.public_key,
                    revoked=False,
                    workstation=event.workstation,
                    key_no=event.key_no,
                )
                .on_conflict_do_nothing()
            )
        elif isinstance(event, KeyRevokedEvent):
            # an event from before reasons were given: compromised from its first day
            limit = {
                "revoked": True,
                "workstation": event.workstation,
                "key_no": event.key_no,
                "valid_until": event.valid_until if event.reason == "retired" else None,
                "compromised_from": (event.compromised_from or FIRST_DAY)
                if event.reason == "compromised"
                else None,
            }
            session.execute(
                insert(KnownKey)
                .values(station_code=event.station, public_key=event.public_key, **limit)
                .on_conflict_do_update(index_elements=["station_code", "public_key"], set_=limit)
            )
        else:
            session.execute(
                insert(KnownVoid)
                .values(serial=event.serial, station_code=event.station)
                .on_conflict_do_nothing()
            )


FIRST_DAY = "0001-01-01"


@dataclass(frozen=True, slots=True)
class KeyStore:
    """What an offline check knows: station code -> public keys (hex), how far each withdrawn
    one counts, which workstation each key belongs to (it signs that workstation's serials
    only), and the serials known to be void."""

    keys: dict[str, list[str]]
    limits: dict[str, KeyLimit]
    workstations: dict[str, str]
    voids: set[str]


def known_keys(ctx: Context) -> KeyStore:
    """Public keys for offline QR checks (this PC's and those pulled: the station's other
    workstations' and other stations'), with their limits and workstations, and the voids."""
    store = KeyStore({}, {}, {}, set())
    with ctx.db.reading() as session:
        for station in session.scalars(select(Station)):
            store.keys.setdefault(station.code, []).append(station.public_key)
            store.workstations[station.public_key] = station.workstation
        for row in session.scalars(select(KnownKey)):
            if row.revoked:
                store.limits[row.public_key] = KeyLimit(
                    row.valid_until,
                    row.compromised_from or (None if row.valid_until else FIRST_DAY),
                )
            if row.workstation:
                store.workstations[row.public_key] = row.workstation
            if row.public_key not in store.keys.setdefault(row.station_code, []):
                store.keys[row.station_code].append(row.public_key)
        store.voids.update(session.scalars(select(KnownVoid.serial)))
    return store
