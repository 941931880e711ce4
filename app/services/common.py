"""Helpers the services share: officers by code, counters, the station row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.errors import CertdeskError, InvalidInput
from app.records.db.models import Counter, Officer, Station

ROLES = ("clerk", "supervisor", "admin")
ROLE_NAMES = {"clerk": "窗口民警", "supervisor": "所领导", "admin": "管理员"}


class NotInitialised(CertdeskError):
    code = "not_initialised"

    def __init__(self) -> None:
        super().__init__("本工作站尚未初始化，请先运行 certdesk init", field="station")


class Refused(CertdeskError):
    """The request is valid but may not be done (not an issue outcome, not allowed …)."""

    code = "refused"
    exit_code = 3


def station(session: Session) -> Station:
    cache = session.info.get("cache")
    if cache is not None and "station" in cache:
        cached: Station = cache["station"]
        return cached
    row: Station | None = session.scalar(select(Station))
    if row is None:
        raise NotInitialised()
    if cache is not None:
        session.expunge(row)  # a detached copy: read-only use (code, workstation, name, phone)
        cache["station"] = row
    return row


def officer(
    session: Session,
    code: str,
    *,
    now: dt.datetime,
    field: str = "officer",
    roles: tuple[str, ...] = ROLES,
) -> Officer:
    """An active, unlocked officer with one of ``roles``, or ``InvalidInput`` naming ``field``."""
    row = session.scalar(select(Officer).where(Officer.code == code.strip()))
    if row is None:
        raise InvalidInput(f"警号“{code}”的民警不存在", field=field)
    if not row.active:
        raise InvalidInput(f"民警 {row.name}({row.code})已停用", field=field)
    if row.locked_until is not None and row.locked_until > now:
        until = row.locked_until.astimezone(dt.timezone(dt.timedelta(hours=8)))
        raise InvalidInput(
            f"民警 {row.name}({row.code})因多次密码错误已锁定至 {until:%H:%M}", field=field
        )
    if row.role not in roles:
        wanted = "或".join(ROLE_NAMES[r] for r in roles)
        raise InvalidInput(
            f"民警 {row.name}({row.code})是{ROLE_NAMES.get(row.role, row.role)}，此操作须由{wanted}办理",
            field=field,
        )
    return row


_RESERVED = "certdesk.counters.reserved"


def reserve(session: Session, *, workstation: str, year: int, names: tuple[str, ...]) -> None:
    """Increment several counters in one statement; ``next_value`` then hands out the values.
    (A multi-row upsert: on an old PC every statement saved is a fraction of a millisecond.)"""
    statement = (
        insert(Counter)
        .values([{"workstation": workstation, "year": year, "name": n, "value": 1} for n in names])
        .on_conflict_do_update(
            index_elements=["workstation", "year", "name"], set_={"value": Counter.value + 1}
        )
        .returning(Counter.name, Counter.value)
    )
    reserved = session.info.setdefault(_RESERVED, {})
    for name, value in session.connection().execute(statement):
        reserved[(workstation, year, name)] = int(value)


def next_value(session: Session, *, workstation: str, year: int, name: str) -> int:
    """Increment a per-workstation, per-year counter inside the current transaction."""
    reserved = session.info.get(_RESERVED, {})
    value = reserved.pop((workstation, year, name), None)
    if value is not None:
        return int(value)
    statement = (
        insert(Counter)
        .values(workstation=workstation, year=year, name=name, value=1)
        .on_conflict_do_update(
            index_elements=["workstation", "year", "name"], set_={"value": Counter.value + 1}
        )
        .returning(Counter.value)
    )
    return int(session.connection().execute(statement).scalar_one())
