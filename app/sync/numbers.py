"""The province's half of never reusing a number: at the start of every round the station asks
what the province holds of this workstation (``GET /workstation``: the highest serial, case and
notice numbers per year it acknowledged, and the outbox position) and lifts its counters and its
``numbers.mark`` ceilings above them. A PC restored from a backup, or rebuilt after its mark
file was lost, so continues above everything the province has seen."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert

from app.context import Context
from app.protocol.models import API, WorkstationState
from app.records import marks
from app.records.db.models import Counter, Station
from app.sync import transport as net


def fetch(http: Any, *, attempts: int, sleep: net.Sleep) -> WorkstationState:
    return net.retrying(
        lambda: net.call(http, "GET", f"{API}/workstation", WorkstationState),
        attempts=attempts,
        sleep=sleep,
    )


def learn(ctx: Context, held: WorkstationState) -> dict[str, int]:
    """Lift counters and marks above the province's numbers; return what was lifted (key ->
    new value). The mark file is written (durably) before the counters commit."""
    with ctx.db.writing() as session:
        station = session.scalars(select(Station)).one()
        if (held.station, held.workstation) != (station.code, station.workstation):
            raise net.Refused(
                f"省级服务器答复的是 {held.station} 第 {held.workstation} 号工作站，"
                f"不是本机({station.code} 第 {station.workstation} 号)"
            )
        try:
            current = marks.read(ctx.data_dir)
        except marks.NumbersLost:
            current = None
        if current is None or (current.station, current.workstation) != (
            station.code,
            station.workstation,
        ):
            current = marks.Marks(station.code, station.workstation)
        province = {marks.key(n.year, n.name): n.value for n in held.numbers}
        province[marks.key(*marks.OUTBOX)] = held.acked_seq
        ours = {
            marks.key(c.year, c.name): c
            for c in session.scalars(
                select(Counter).where(Counter.workstation == station.workstation)
            )
        }
        lifted: dict[str, int] = {}
        for name in set(province) | set(ours) | set(current.ceilings):
            row = ours.get(name)
            value = row.value if row else 0
            held_ceiling = current.ceilings.get(name, 0)
            top = max(value, province.get(name, 0))
            if row is not None and held_ceiling > (row.reserved or 0):
                top = max(top, held_ceiling)  # the database went back: above the file's ceiling
            ceiling = max(top, held_ceiling)
            current.ceilings[name] = ceiling
            year, counter = name.split("/", 1)
            if top > value:
                lifted[name] = top
            session.execute(
                insert(Counter)
                .values(
                    workstation=station.workstation,
                    year=int(year),
                    name=counter,
                    value=top,
                    reserved=ceiling,
                )
                .on_conflict_do_update(
                    index_elements=["workstation", "year", "name"],
                    set_={"value": top, "reserved": ceiling},
                )
            )
        marks.write(ctx.data_dir, current)
    return lifted
