"""Officers: added with a password hashed by Argon2id, disabled, signed in with a lockout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from app.context import Context
from app.errors import InvalidInput
from app.policy.roles import ROLE_NAMES, ROLES, SUPERVISION
from app.records.db.models import Officer
from app.records.identity import clean_name

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 8
_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters


@dataclass(frozen=True, slots=True)
class OfficerInfo:
    code: str
    name: str
    role: str
    active: bool
    locked_until: str | None

    @property
    def supervises(self) -> bool:
        """Supervision and statistics are the station leadership's (and the administrator's)."""
        return self.role in SUPERVISION

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "role": self.role,
            "role_name": ROLE_NAMES[self.role],
            "active": self.active,
            "locked_until": self.locked_until,
        }


def _info(row: Officer) -> OfficerInfo:
    locked = row.locked_until.isoformat() if row.locked_until else None
    return OfficerInfo(row.code, row.name, row.role, row.active, locked)


def _check_code(code: str) -> str:
    code = code.strip()
    if not (1 <= len(code) <= 20 and code.isascii() and code.isalnum()):
        raise InvalidInput(f"警号“{code}”应为1至20位字母或数字", field="code")
    return code


def check_new_officer(*, code: str, name: str, role: str, password: str) -> tuple[str, str]:
    """Validate a new officer's details (before anything is written); cleaned code and name."""
    code = _check_code(code)
    name = clean_name(name, field="name")
    if role not in ROLES:
        raise InvalidInput(
            f"角色“{role}”无效，可选：clerk(窗口民警)、supervisor(所领导)、admin(管理员)",
            field="role",
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"密码至少{MIN_PASSWORD}位", field="password")
    return code, name


def add_officer(ctx: Context, *, code: str, name: str, role: str, password: str) -> OfficerInfo:
    code, name = check_new_officer(code=code, name=name, role=role, password=password)
    password_hash = _HASHER.hash(password)
    with ctx.change() as change:
        if change.session.scalar(select(Officer).where(Officer.code == code)) is not None:
            raise InvalidInput(f"警号“{code}”已存在", field="code")
        row = Officer(
            code=code,
            name=name,
            role=role,
            password_hash=password_hash,
            active=True,
            failed_attempts=0,
            created_at=change.now,
        )
        return _info(change.add(row, action="officer.add"))


def list_officers(ctx: Context) -> list[OfficerInfo]:
    with ctx.db.reading() as session:
        return [_info(r) for r in session.scalars(select(Officer).order_by(Officer.code))]


def disable_officer(ctx: Context, *, code: str) -> OfficerInfo:
    with ctx.change() as change:
        row = change.session.scalar(select(Officer).where(Officer.code == code.strip()))
        if row is None:
            raise InvalidInput(f"警号“{code}”的民警不存在", field="code")
        return _info(change.update(row, action="officer.disable", active=False))


def authenticate(ctx: Context, *, code: str, password: str) -> OfficerInfo:
    """Sign in. Wrong passwords count; the fifth in a row locks the officer for 15 minutes."""
    failure: str | None = None
    with ctx.change() as change:
        now = change.now
        row = change.session.scalar(select(Officer).where(Officer.code == code.strip()))
        if row is None:
            raise InvalidInput("警号或密码不正确", field="password")
        if not row.active:
            raise InvalidInput(f"民警 {row.name}({row.code})已停用", field="code")
        if row.locked_until is not None and row.locked_until > now:
            minutes = int((row.locked_until - now).total_seconds() // 60) + 1
            raise InvalidInput(f"密码错误次数过多，账号已锁定，请{minutes}分钟后再试", field="code")
        change.actor = row  # the event names the officer who tried
        try:
            _HASHER.verify(row.password_hash, password)
            values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
            action = "officer.login"
            if _HASHER.check_needs_rehash(row.password_hash):
                values["password_hash"] = _HASHER.hash(password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            # The failure is counted and audited: this change commits, then sign-in fails.
            failures = row.failed_attempts + 1
            values = {"failed_attempts": failures}
            action = "officer.login_failed"
            failure = f"警号或密码不正确(再错{MAX_FAILURES - failures}次将锁定)"
            if failures >= MAX_FAILURES:
                values = {"failed_attempts": 0, "locked_until": now + LOCKOUT}
                action = "officer.locked"
                failure = f"密码连续错误{MAX_FAILURES}次，账号已锁定15分钟"
        info = _info(change.update(row, action=action, **values))
    if failure is not None:
        raise InvalidInput(failure, field="password")
    return info
