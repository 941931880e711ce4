"""Setting up a counter PC: the station, its workstation number and its key pair."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from app.context import Context
from app.errors import InvalidInput
from app.paths import DB_NAME
from app.policy.roles import ADMINISTRATION, APPROVERS
from app.protocol import signing
from app.protocol.numbering import STATION_CODE
from app.records import marks
from app.records.db.models import Station
from app.records.sessions import IDLE, Actor, Approval
from app.services.officers import check_new_officer, new_officer


@dataclass(frozen=True, slots=True)
class StationInfo:
    code: str
    name: str
    jurisdiction: str
    workstation: str
    public_key: str
    phone: str = ""
    idle_lock_minutes: int | None = None  # the window's idle lock (None: the default)
    printer: str | None = None  # this PC's printer (None: asked once a session)
    # shown once, at set-up: unwraps the data key when no officer can (never stored in clear)
    recovery_key: str = field(default="", repr=False, compare=False)


def _info(row: Station) -> StationInfo:
    return StationInfo(
        row.code,
        row.name,
        row.jurisdiction,
        row.workstation,
        row.public_key,
        row.phone,
        row.idle_lock_minutes,
        row.printer,
    )


@dataclass(frozen=True, slots=True)
class FirstAdmin:
    """The station's first administrator, set up with the station (they chose the password)."""

    code: str
    name: str
    password: str = field(repr=False)


def init_station(
    ctx: Context,
    *,
    code: str,
    name: str,
    workstation: str,
    admin: FirstAdmin,
    jurisdiction: str = "",
    phone: str = "",
) -> StationInfo:
    """Set up this counter PC: the station, its workstation, its key pair and the first
    administrator, in one transaction (everything is checked before anything is written)."""
    check_new_officer(code=admin.code, name=admin.name, role="admin", password=admin.password)
    code = code.strip().upper()
    if not STATION_CODE.match(code):
        raise InvalidInput(f"派出所代码“{code}”应为2至12位数字或大写字母", field="station_code")
    name = name.strip()
    if not 2 <= len(name) <= 60 or any(ord(c) < 32 for c in name):
        raise InvalidInput("派出所名称应为2至60个字", field="station_name")
    workstation = workstation.strip().zfill(2)
    if not re.fullmatch(r"[0-9]{2}", workstation) or workstation == "00":
        raise InvalidInput(f"工作站编号“{workstation}”应为01至99", field="workstation")
    phone = phone.strip()
    if not re.fullmatch(r"[0-9+\-() ]{0,20}", phone):
        raise InvalidInput(f"联系电话“{phone}”只能含数字、空格和 + - ( )，最长20位", field="phone")
    if len(jurisdiction) > 120:
        raise InvalidInput("辖区说明最长120个字", field="jurisdiction")
    already = InvalidInput(
        "本数据目录已初始化过派出所信息；每台窗口电脑使用自己的数据目录", field="station_code"
    )
    if ctx.vault.encrypted:
        raise already
    if ctx.has_database() and station_info(ctx) is not None:
        raise already  # (a plain station from before encryption)
    ctx.close()
    _remove_database(ctx.data_dir)  # an empty one, opened before set-up, is not kept plain
    header = {"code": code, "name": name, "workstation": workstation}
    recovery = ctx.vault.create(header, admin.code.strip(), admin.password)
    try:
        return replace(
            _init(ctx, code, name, workstation, admin, jurisdiction, phone), recovery_key=recovery
        )
    except BaseException:  # nothing of a half set-up station stays: slots, database, key
        ctx.lock()
        ctx.vault.path.unlink(missing_ok=True)
        _remove_database(ctx.data_dir)
        signing.key_path(ctx.data_dir).unlink(missing_ok=True)
        raise


def _remove_database(data_dir: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        (data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)


def _init(
    ctx: Context,
    code: str,
    name: str,
    workstation: str,
    admin: FirstAdmin,
    jurisdiction: str,
    phone: str,
) -> StationInfo:
    with ctx.change() as change:
        if change.session.scalar(select(Station)) is not None:
            raise InvalidInput(
                "本数据目录已初始化过派出所信息；每台窗口电脑使用自己的数据目录",
                field="station_code",
            )
        public_key = signing.create_key(ctx.data_dir, ctx.vault.seal)
        row = Station(
            id=1,
            code=code,
            name=name,
            jurisdiction=jurisdiction.strip(),
            workstation=workstation,
            public_key=public_key,
            phone=phone,
            created_at=change.now,
        )
        change.add(row, action="station.init")
        try:
            held = marks.read(ctx.data_dir)
        except marks.NumbersLost:
            held = None
        if held is None or (held.station, held.workstation) != (code, workstation):
            marks.start(ctx.data_dir, code, workstation)  # (a kept file's numbers stay used)
        first = new_officer(
            change,
            code=admin.code,
            name=admin.name,
            role="admin",
            password=admin.password,
            must_change=False,
        )
        change.done_by(first)
        return _info(row)


def station_info(ctx: Context) -> StationInfo | None:
    """This PC's station. Before anything is unlocked on an encrypted station: what its key
    file states (code, name, workstation), for the sign-in dialog; none before set-up (and no
    database is created by asking)."""
    if ctx.locked:
        header = ctx.vault.station() or {}
        return StationInfo(
            header.get("code", ""), header.get("name", ""), "", header.get("workstation", ""), ""
        )
    if not ctx.has_database() and not ctx.vault.encrypted:
        return None
    with ctx.db.reading() as session:
        row = session.scalar(select(Station))
        return _info(row) if row else None


def set_idle_lock(ctx: Context, *, actor: Actor, minutes: int) -> StationInfo:
    """After how many idle minutes the counter window locks (administrators; 1 to 15: a
    session ends after 15 idle minutes anyway)."""
    limit = int(IDLE.total_seconds() // 60)
    if not 1 <= minutes <= limit:
        raise InvalidInput(f"空闲锁定时间应为1至{limit}分钟", field="idle_lock_minutes")
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        return _info(
            change.update(change.station, action="station.settings", idle_lock_minutes=minutes)
        )


def set_printer(ctx: Context, *, actor: Actor, printer: str | None) -> StationInfo:
    """The printer this counter PC prints on, by its system name (administrators; None: Qt's
    print dialog asks once a session)."""
    name = (printer or "").strip() or None
    if name is not None and (len(name) > 200 or not name.isprintable()):
        raise InvalidInput("打印机名称无效", field="printer")
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        return _info(change.update(change.station, action="station.settings", printer=name))


def accept_clock(ctx: Context, *, actor: Actor, approval: Approval) -> dt.datetime | None:
    """Put the clock's high-water mark at this PC's time now: after a clock that ran fast (or a
    wrong time zone) dated a change ahead, the station would refuse every change until real time
    caught up. An administrator does it with a supervisor's approval (their own password), and
    the trail keeps both and the mark that was set aside. Returns that mark."""
    from app.services.auth import confirm

    confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    with ctx.change(actor, roles=ADMINISTRATION, check_clock=False) as change:
        change.approved_by(approval.code, roles=APPROVERS)
        previous = change.clock_mark()
        change.update(
            change.station,
            action="station.clock_accepted",
            note={"mark": previous.isoformat() if previous else None},
        )
        change.set_clock_mark()
        return previous
