"""Who reads the province's figures, and how much of them.

A station's token (one per enrolled workstation) reads its own station's figures and flags and
the province's totals with no station named. Province-wide detail — figures per station, every
station's flags — needs a provincial account: ``certdesk-server user add --role province
--password-stdin``; its password is kept as an Argon2id hash, it signs in at ``POST
/api/v2/login`` for a bearer token of its own (eight hours; only the token's SHA-256 is kept),
and five wrong passwords in a row lock it for fifteen minutes. Sign-ins are rate-limited per
client (``CERTDESK_LOGIN_PER_MINUTE``, 5, in the public check's shared buckets: each try costs
an Argon2 check of 64 MiB)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.models import ProvinceSession, ProvinceUser, Workstation
from server.service import ServerError, digest, now

ROLES = ("province",)
HASHER = PasswordHasher()
SESSION_HOURS = 8
LOCK_AFTER, LOCK_MINUTES = 5, 15
NAME = re.compile(r"^[a-z][a-z0-9_.-]{2,39}$")
# a hash to verify against when the name is unknown: the answer takes as long either way
_NO_USER = HASHER.hash(secrets.token_hex(16))


@dataclass(frozen=True, slots=True)
class Reader:
    """Who asks for figures: a station (its own detail, province totals) or the province (all)."""

    station: str | None  # None: a provincial account
    name: str

    @property
    def province(self) -> bool:
        return self.station is None

    def may_read(self, station: str | None) -> bool:
        """Whether this reader may see ``station``'s detail (None: every station's)."""
        return self.province or station == self.station


def check_password(password: str) -> None:
    if len(password) < 12 or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ServerError(400, "密码至少12位，并须同时含字母和数字(password)", "password")


def add_user(session: Session, *, name: str, role: str, password: str) -> dict[str, str]:
    if not NAME.match(name):
        raise ServerError(
            400,
            f"账号名“{name}”应为3至40位小写字母、数字、点、横线或下划线，以字母开头(name)",
            "name",
        )
    if role not in ROLES:
        raise ServerError(400, f"角色应为：{'、'.join(ROLES)}(role)", "role")
    check_password(password)
    if session.get(ProvinceUser, name) is not None:
        raise ServerError(409, f"账号 {name} 已存在(name)", "name")
    session.add(ProvinceUser(name=name, role=role, password_hash=HASHER.hash(password)))
    return {"name": name, "role": role}


def list_users(session: Session) -> list[dict[str, object]]:
    return [
        {
            "name": u.name,
            "role": u.role,
            "active": u.active,
            "locked": bool(u.locked_until and u.locked_until > now()),
            "created_at": u.created_at.isoformat() if u.created_at else None,
        }
        for u in session.scalars(select(ProvinceUser).order_by(ProvinceUser.name))
    ]


def disable_user(session: Session, name: str) -> dict[str, str]:
    user = session.get(ProvinceUser, name)
    if user is None:
        raise ServerError(404, f"没有账号 {name}(name)", "name")
    user.active = False
    session.execute(delete(ProvinceSession).where(ProvinceSession.name == name))
    return {"name": name, "status": "disabled"}


def login(session: Session, *, name: str, password: str) -> tuple[str, dt.datetime] | ServerError:
    """A new bearer token for a provincial account and when it ends, or the refusal to raise
    once the caller has committed (a wrong password is counted, a fifth in a row locks the
    account). Every refusal is the same answer after the same Argon2 check — an unknown name, a
    wrong password, a disabled or a locked account — so that nobody learns which names exist."""
    user = session.get(ProvinceUser, name, with_for_update=True)
    refused = ServerError(401, "账号或密码不对(连续输错 5 次，账号锁定 15 分钟)", "login")
    right = _verify(user.password_hash if user is not None else _NO_USER, password)
    if user is None or not user.active:
        return refused
    moment = now()
    if user.locked_until and user.locked_until > moment:
        return refused
    if not right:
        user.failed += 1
        if user.failed >= LOCK_AFTER:
            user.failed, user.locked_until = 0, moment + dt.timedelta(minutes=LOCK_MINUTES)
        return refused
    user.failed, user.locked_until = 0, None
    token = secrets.token_urlsafe(32)
    expires = moment + dt.timedelta(hours=SESSION_HOURS)
    session.execute(delete(ProvinceSession).where(ProvinceSession.expires_at < moment))
    session.add(ProvinceSession(token_hash=digest(token), name=name, expires_at=expires))
    return token, expires


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def reader(session: Session, token: str | None) -> Reader:
    """Who a bearer token is: an enrolled workstation's station, or a signed-in provincial
    account (401 otherwise)."""
    if not token:
        raise ServerError(401, "缺少令牌(Authorization: Bearer …)", "token")
    hashed = digest(token)
    ws = session.scalars(select(Workstation).where(Workstation.token_hash == hashed)).first()
    if ws is not None:
        return Reader(ws.station_code, f"{ws.station_code}-{ws.number}")
    row = session.execute(
        select(ProvinceSession, ProvinceUser)
        .join(ProvinceUser, ProvinceUser.name == ProvinceSession.name)
        .where(ProvinceSession.token_hash == hashed)
    ).first()
    if row is None or row[0].expires_at <= now() or not row[1].active:
        raise ServerError(401, "令牌无效或已过期，请重新登录", "token")
    return Reader(None, row[1].name)
