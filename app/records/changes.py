"""One unit of work per use case: the rows it writes, their audit events and their outbox items,
recorded together where the reader of the use case sees it::

    with ctx.change(officer) as change:
        case = change.add(Case(...), action="case.create", send=case_item)
        change.update(case, action="case.finish", status=CaseStatus.ISSUED, send=case_item)

A change is one SQLite write transaction (``BEGIN IMMEDIATE``). ``add`` and ``update`` flush the
row and note its audit event (and, with ``send``, the row's outbox item); when the block ends, the events are
chained after the trail's last one and the items queued, each in one statement, and everything
commits — or, on any error, nothing does (no serial used, no event, no item).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.errors import (
    ApprovalRefused,
    CertdeskError,
    ClockBehind,
    InvalidInput,
    NotInitialised,
    NotPermitted,
)
from app.policy.roles import ROLE_NAMES, ROLES
from app.policy.workdays import CHINA
from app.records import audit, marks, outbox, sessions
from app.records.db.models import (
    AuditEvent,
    Base,
    Counter,
    Officer,
    Station,
    SyncState,
)
from app.records.sessions import Actor

if TYPE_CHECKING:
    from app.protocol.models import PushItem
    from app.records.db.session import Database

Row = TypeVar("Row", bound=Base)
CLOCK_SLACK = dt.timedelta(minutes=10)
CLOCK_MARK = "clock_high_water"  # the latest time a change was recorded at
CLOCK_MARK_STEP = dt.timedelta(minutes=1)


_TAKE_VALUES = insert(Counter).values(
    workstation=bindparam("ws"),
    year=bindparam("year"),
    name=bindparam("name"),
    value=bindparam("count"),
    reserved=0,
)
_TAKE = _TAKE_VALUES.on_conflict_do_update(
    index_elements=["workstation", "year", "name"],
    set_={"value": Counter.value + _TAKE_VALUES.excluded.value},
).returning(Counter.name, Counter.value, Counter.reserved)


class Change:
    def __init__(self, session: Session, *, now: dt.datetime, data_dir: Path) -> None:
        self.session = session
        self.now = now
        self.data_dir = data_dir  # the archive of printed documents lives beside the database
        self.key: bytes | None = None  # the data key the archive is sealed under (None: plain)
        self.actor: Officer | None = None  # who acts; None for the station's own set-up
        self.approver: Officer | None = None  # who approved, with their own password
        self._station: Station | None = None
        self._events: list[dict[str, Any]] = []
        self._items: list[PushItem] = []
        self._sent_by: list[int | None] = []  # the event each item was queued with
        self._marks_before: marks.Marks | None = None  # to put back if the change fails

    # ------------------------------------------------------------------ who and where

    @property
    def station(self) -> Station:
        if self._station is None:
            self._station = self.session.scalar(select(Station))
            if self._station is None:
                raise NotInitialised()
        return self._station

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(CHINA).date()

    def act_as(
        self, actor: Actor, *, roles: tuple[str, ...] = ROLES, touch: bool = True
    ) -> Officer:
        """The signed-in officer this change acts as (named in every audit event): their session
        must still count and their role allow the use case. The session is marked used, unless
        ``touch`` is False (work the officer did not ask for just now: the background sync)."""
        row, officer = sessions.current(self.session, actor.token, self.now)
        if officer.role not in roles:
            raise NotPermitted(
                f"民警 {officer.name}({officer.code})是{ROLE_NAMES.get(officer.role, officer.role)}，"
                f"此操作须由{'或'.join(ROLE_NAMES[r] for r in roles)}办理",
                field="officer",
            )
        if touch:
            sessions.touch(row, self.now)
        self.actor = officer
        return officer

    def approved_by(self, code: str, *, roles: tuple[str, ...]) -> Officer:
        """Name the approver of this change (their password was confirmed by
        ``app.services.auth.confirm``): active, unlocked, holding the role, and not the actor."""
        row = self.officer(code, roles=roles, field="approved_by")
        if self.actor is not None and row.id == self.actor.id:
            raise ApprovalRefused("审批人不能是经办民警本人(须另一位所领导审批)")
        if row.must_change_password:
            raise ApprovalRefused(f"所领导 {row.name}({row.code})须先登录并设置本人密码，才能审批")
        self.approver = row
        return row

    def officer(
        self, code: str, *, roles: tuple[str, ...] = ROLES, field: str = "officer"
    ) -> Officer:
        """An active, unlocked officer holding one of ``roles``, else an error naming ``field``."""
        row = self.session.scalar(select(Officer).where(Officer.code == code.strip()))
        if row is None:
            raise InvalidInput(f"警号“{code}”的民警不存在", field=field)
        if not row.active:
            raise InvalidInput(f"民警 {row.name}({row.code})已停用", field=field)
        if row.locked_until is not None and row.locked_until > self.now:
            until = row.locked_until.astimezone(CHINA)
            raise InvalidInput(
                f"民警 {row.name}({row.code})因多次密码错误已锁定至 {until:%H:%M}", field=field
            )
        if row.role not in roles:
            wanted = "或".join(ROLE_NAMES[r] for r in roles)
            raise NotPermitted(
                f"民警 {row.name}({row.code})是{ROLE_NAMES.get(row.role, row.role)}，"
                f"此操作须由{wanted}办理",
                field=field,
            )
        return row

    def check_clock(self) -> None:
        """Refuse to date anything by a clock that was set back: it may not be more than
        ``CLOCK_SLACK`` behind the latest time an officer's change was recorded at (a high-water
        mark, so that the clock cannot creep back ten minutes at a time). Every change an
        officer makes checks it and moves it on; a sign-in or a read neither checks nor moves
        it (nobody can push it ahead without signing in). A mark set ahead by a clock that ran
        fast is put right by an administrator with a supervisor (``accept_clock``)."""
        latest = stored = self.clock_mark()
        if latest is None:  # a station from before the mark: its newest event stands for it
            latest = self.session.scalar(
                select(AuditEvent.at).order_by(AuditEvent.seq.desc()).limit(1)
            )
            if latest is not None and latest.tzinfo is None:
                latest = latest.replace(tzinfo=dt.UTC)
        if latest is not None and self.now < latest - CLOCK_SLACK:
            behind = int((latest - self.now).total_seconds() // 60)
            raise ClockBehind(
                f"本机时钟比已记录的最近时间早 {behind} 分钟(时钟可能被调回)：请先校正时钟再办理",
                field="clock",
            )
        if stored is None or self.now - stored > CLOCK_MARK_STEP:
            self.set_clock_mark()  # (to the minute: not a write with every certificate)

    def set_clock_mark(self, moment: dt.datetime | None = None) -> None:
        value = (moment or self.now).isoformat()
        self.session.merge(SyncState(name=CLOCK_MARK, value=value))

    def clock_mark(self) -> dt.datetime | None:
        row = (  # on every change: the driver's own statement, no ORM round
            self.session.connection()
            .exec_driver_sql("SELECT value FROM sync_state WHERE name = ?", (CLOCK_MARK,))
            .first()
        )
        return dt.datetime.fromisoformat(row[0]) if row is not None else None

    # ------------------------------------------------------------------ numbers

    def allocate(self, *names: str) -> dict[str, int]:
        """The next value of this workstation's counters for the year (one statement for all),
        never one handed out before (``app.records.marks``)."""
        return self.take(self.today.year, dict.fromkeys(names, 1))

    def take(self, year: int, counts: dict[str, int]) -> dict[str, int]:
        """Advance each named counter of ``year`` by its count; return each one's last value (the
        numbers handed out are the ``count`` values up to it)."""
        st = self.station
        taken = {}
        for name, count in counts.items():  # one cached statement a counter (a multi-row VALUES
            row = self.session.execute(  # is compiled afresh every time: 1.5 ms a certificate)
                _TAKE, {"ws": st.workstation, "year": year, "name": name, "count": count}
            ).one()
            taken[name] = (int(row.value), int(row.reserved or 0))
        return self._above_marks(year, counts, taken)

    def _above_marks(
        self, year: int, counts: dict[str, int], taken: dict[str, tuple[int, int]]
    ) -> dict[str, int]:
        """Keep the numbers above the mark file's ceilings, and the file ahead of the numbers
        (written before the change commits)."""
        st = self.station
        held = marks.read(self.data_dir)
        if held is None or (held.station, held.workstation) != (st.code, st.workstation):
            raise marks.NumbersLost()
        values: dict[str, int] = {}
        moved: dict[str, tuple[int, int]] = {}
        for name, (value, reserved) in taken.items():
            ceiling = held.ceiling(year, name)
            if ceiling == 0 and reserved > 0:  # a file that never saw this database's numbers
                raise marks.NumbersLost()
            if ceiling > reserved and value - counts[name] < ceiling:  # the database went back
                value = ceiling + counts[name]
            if value > ceiling:
                ceiling = value + marks.BLOCK
                held.ceilings[marks.key(year, name)] = ceiling
            if (value, ceiling) != taken[name]:
                moved[name] = (value, ceiling)
            values[name] = value
        if moved:
            if any(c != taken[n][1] for n, (_, c) in moved.items()):
                if self._marks_before is None:
                    self._marks_before = marks.read(self.data_dir)
                marks.write(self.data_dir, held)
            for name, (value, ceiling) in moved.items():
                self.session.execute(
                    update(Counter)
                    .where(
                        Counter.workstation == st.workstation,
                        Counter.year == year,
                        Counter.name == name,
                    )
                    .values(value=value, reserved=ceiling)
                )
        return values

    def lift_to_marks(self) -> None:
        """After a restore: every counter continues above the mark file's ceiling (the numbers
        handed out since the backup are under it). Without the file nothing is lifted, and
        issuing waits for a sync (``NumbersLost``)."""
        st = self.station
        try:
            held = marks.read(self.data_dir)
        except marks.NumbersLost:
            return
        if held is None or (held.station, held.workstation) != (st.code, st.workstation):
            return
        for name, ceiling in held.ceilings.items():
            year, counter = name.split("/", 1)
            statement = insert(Counter).values(
                workstation=st.workstation,
                year=int(year),
                name=counter,
                value=ceiling,
                reserved=ceiling,
            )
            self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["workstation", "year", "name"],
                    set_={"value": ceiling, "reserved": ceiling},
                    where=Counter.value < ceiling,
                )
            )

    def number(self, letter: str, value: int) -> str:
        """A case (C) or notice (N) number: station, workstation, year, letter and sequence."""
        st = self.station
        return f"{st.code}-{st.workstation}-{self.today.year}-{letter}{value:06d}"

    # ------------------------------------------------------------------ recording

    def add(
        self,
        row: Row,
        *,
        action: str,
        send: Callable[[Row], PushItem] | None = None,
        note: dict[str, Any] | None = None,
    ) -> Row:
        """Write a new row and audit it; with ``send``, queue ``send(row)`` for the province."""
        self.session.add(row)
        return self._recorded(row, action=action, before=None, send=send, note=note)

    def update(
        self,
        row: Row,
        *,
        action: str,
        send: Callable[[Row], PushItem] | None = None,
        note: dict[str, Any] | None = None,
        **values: Any,
    ) -> Row:
        """Set ``values`` on ``row`` and audit what changed; with ``send``, queue ``send(row)``
        (the row as it is now) for the province."""
        before = audit.snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        return self._recorded(row, action=action, before=before, send=send, note=note)

    def _recorded(
        self,
        row: Row,
        *,
        action: str,
        before: dict[str, Any] | None,
        send: Callable[[Row], PushItem] | None,
        note: dict[str, Any] | None,
    ) -> Row:
        self.session.flush()  # column defaults and the row's state as the database has it
        self.audit(row, action=action, before=before, note=note)
        if send is not None:
            try:
                item = send(row)
            except ValueError as error:  # a value the protocol refuses: nothing is recorded
                raise CertdeskError(f"该记录不能按省级接口的格式上报：{error}") from error
            self.send(item)
        return row

    def audit(
        self,
        row: Base,
        *,
        action: str,
        before: dict[str, Any] | None,
        note: dict[str, Any] | None = None,
    ) -> None:
        actor = self.actor.code if self.actor is not None else None
        event = audit.event(
            row=row, action=action, officer=actor, at=self.now, before=before, note=note
        )
        if self.approver is not None:
            event["after"]["approver"] = self.approver.code
        self._events.append(event)

    def done_by(self, officer: Officer) -> None:
        """``officer`` acts from here on, and is named on the events noted so far without one
        (the station's set-up is its first administrator's)."""
        self.actor = officer
        for event in self._events:
            event["officer_code"] = event["officer_code"] or officer.code

    def send(self, item: PushItem) -> None:
        """Queue an item for the province (written with the change, sent by the sync). The
        audit event just noted names it (by the digest of the record as sent), so an outbox row
        edited, inserted or deleted later is found by ``audit verify``."""
        self._items.append(item)
        self._sent_by.append(len(self._events) - 1 if self._events else None)

    def _write(self) -> None:
        connection = self.session.connection()
        first = 1
        if self._items:  # the outbox's sequence is a counter too: never reused after a restore
            n = len(self._items)
            first = self.take(marks.OUTBOX[0], {marks.OUTBOX[1]: n})[marks.OUTBOX[1]] - n + 1
        digests = outbox.append(connection, self._items, now=self.now, first=first)
        for digest, index in zip(digests, self._sent_by, strict=True):
            if index is not None:
                self._events[index]["after"].setdefault("sent", []).append(digest)
        audit.append(connection, self._events)


@contextmanager
def change(db: Database, *, now: dt.datetime) -> Iterator[Change]:
    """One use case's write transaction (see the module's docstring)."""
    with db.writing() as session:
        unit = Change(session, now=now, data_dir=db.path.parent)
        unit.key = db.key
        try:
            yield unit
            unit._write()
        except BaseException:
            # nothing commits: the numbers reserved for it are free again (a crash before this
            # line only leaves a gap)
            if unit._marks_before is not None:
                marks.write(unit.data_dir, unit._marks_before)
            raise
