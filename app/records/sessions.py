"""Who acts: an officer signed in with their own password holds a session, and every use case
acts as the session's officer. A session is a random token; the station keeps only its SHA-256.
It ends after ``IDLE`` without use or ``LIFETIME`` in all, at sign-out, or when another sign-in
replaces it. An approval is the approver's own password, given at that moment."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotSignedIn
from app.records.db.models import Officer, OfficerSession

IDLE = dt.timedelta(minutes=15)
LIFETIME = dt.timedelta(hours=8)
TOUCH_EVERY = dt.timedelta(seconds=30)  # a session's last use is written at most this often


@dataclass(frozen=True)
class Actor:
    """An authenticated officer: who they are, and the session that proves it."""

    code: str
    name: str
    role: str
    since: dt.datetime  # when they signed in
    token: str = field(repr=False)


@dataclass(frozen=True)
class Approval:
    """A second officer's approval (双人复核): their police number and their password, typed at
    that moment at the counter (the window) or on standard input (the command line)."""

    code: str
    password: str = field(repr=False)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def problem(row: OfficerSession | None, now: dt.datetime) -> str | None:
    """Why a session no longer counts, or None while it does."""
    if row is None:
        return "请先登录(certdesk login，或在窗口中登录)"
    if row.ended_at is not None:
        return "登录已结束，请重新登录"
    if now - row.last_seen_at > IDLE:
        return f"已超过{int(IDLE.total_seconds() // 60)}分钟未操作，登录已失效，请重新登录"
    if now - row.started_at > LIFETIME:
        return f"登录已满{int(LIFETIME.total_seconds() // 3600)}小时，请重新登录"
    return None


def current(session: Session, token: str, now: dt.datetime) -> tuple[OfficerSession, Officer]:
    """The session of ``token`` and its officer, if it still counts; else ``NotSignedIn``."""
    found = session.execute(
        select(OfficerSession, Officer)
        .join(Officer, Officer.id == OfficerSession.officer_id)
        .where(OfficerSession.token_hash == digest(token))
    ).first()
    row, officer = (found[0], found[1]) if found is not None else (None, None)
    why = problem(row, now)
    if why is not None or row is None:
        raise NotSignedIn(why or "请先登录")
    if officer is None or not officer.active:
        raise NotSignedIn("该民警账号已停用，登录已失效")
    return row, officer


def touch(row: OfficerSession, now: dt.datetime) -> None:
    """Mark the session used (to the idle limit's purpose, to the half-minute: a busy counter
    does not rewrite the row with every certificate)."""
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
