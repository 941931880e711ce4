"""Setting up a counter PC: the station, its workstation number and its key pair."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from app.context import Context
from app.errors import InvalidInput
from app.protocol import signing
from app.records.db.models import Station
from app.records.numbering import STATION_CODE


@dataclass(frozen=True, slots=True)
class StationInfo:
    code: str
    name: str
    jurisdiction: str
    workstation: str
    public_key: str
    phone: str = ""


def _info(row: Station) -> StationInfo:
    return StationInfo(
        row.code, row.name, row.jurisdiction, row.workstation, row.public_key, row.phone
    )


def init_station(
    ctx: Context,
    *,
    code: str,
    name: str,
    workstation: str,
    jurisdiction: str = "",
    phone: str = "",
) -> StationInfo:
    code = code.strip().upper()
    if not STATION_CODE.match(code):
        raise InvalidInput(f"派出所代码“{code}”应为2至12位数字或大写字母", field="station_code")
    name = name.strip()
    if not 2 <= len(name) <= 60 or any(ord(c) < 32 for c in name):
        raise InvalidInput("派出所名称应为2至60个字", field="station_name")
    workstation = workstation.strip().zfill(2)
    if not re.fullmatch(r"\d{2}", workstation) or workstation == "00":
        raise InvalidInput(f"工作站编号“{workstation}”应为01至99", field="workstation")
    phone = phone.strip()
    if not re.fullmatch(r"[0-9+\-() ]{0,20}", phone):
        raise InvalidInput(f"联系电话“{phone}”只能含数字、空格和 + - ( )，最长20位", field="phone")
    if len(jurisdiction) > 120:
        raise InvalidInput("辖区说明最长120个字", field="jurisdiction")
    with ctx.change() as change:
        if change.session.scalar(select(Station)) is not None:
            raise InvalidInput(
                "本数据目录已初始化过派出所信息；每台窗口电脑使用自己的数据目录",
                field="station_code",
            )
        public_key = signing.create_key(ctx.data_dir)
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
        return _info(change.add(row, action="station.init"))


def station_info(ctx: Context) -> StationInfo | None:
    with ctx.db.reading() as session:
        row = session.scalar(select(Station))
        return _info(row) if row else None
