"""Signing in and out, sessions, passwords and approvals.

An officer signs in with their police number and password (Argon2id); five wrong passwords in a
row lock them for 15 minutes. A sign-in opens a session (``app.records.sessions``) that every use
case then acts under. A password set or reset by an administrator must be changed at the first
sign-in. An approval is a second officer's own password, checked at the moment it is given; a
wrong one counts toward that officer's lockout like any other.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update

from app.context import Context
from app.errors import (
    ApprovalRefused,
    InvalidInput,
    NotSignedIn,
    PasswordChangeRequired,
)
from app.policy.roles import APPROVERS
from app.records import sessions
from app.records.changes import Change
from app.records.db.models import Officer, OfficerSession
from app.records.sessions import Actor, Approval

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 8
HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters


def check_password_rules(password: str, *, field: str = "password") -> None:
    """At least 8 characters, with letters and digits."""
    if len(password) < MIN_PASSWORD or not (
        re.search(r"[A-Za-z]", password) and re.search(r"[0-9]", password)
    ):
        raise InvalidInput(f"密码至少{MIN_PASSWORD}位，且须同时含有字母和数字", field=field)


def _verify(
    change: Change,
    row: Officer,
    password: str,
    *,
    for_whom: str | None = None,
    proven: bool = False,
) -> str | None:
    """Check ``row``'s password inside ``change``; count a failure (the fifth in a row locks).
    Returns why it failed, or None. The change is committed either way: a failure is recorded
    (for an approval, with the officer who asked for it: ``for_whom``). ``proven``: the password
    has just opened the officer's key slot, which every password change writes in the same
    change as the hash (one Argon2 check is enough at unlock)."""
    note = {"approval_for": for_whom} if for_whom else None
    now = change.now
    if row.locked_until is not None and row.locked_until > now:
        minutes = int((row.locked_until - now).total_seconds() // 60) + 1
        return f"密码错误次数过多，民警 {row.code} 已锁定，请{minutes}分钟后再试"
    try:
        if not proven:
            HASHER.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        failures = row.failed_attempts + 1
        if failures >= MAX_FAILURES:
            change.update(
                row,
                action="officer.locked",
                note=note,
                failed_attempts=0,
                locked_until=now + LOCKOUT,
            )
            return f"密码连续错误{MAX_FAILURES}次，民警 {row.code} 已锁定15分钟"
        action = "officer.approval_failed" if for_whom else "officer.login_failed"
        change.update(row, action=action, note=note, failed_attempts=failures)
        return f"密码不正确(再错{MAX_FAILURES - failures}次将锁定)"
    values: dict[str, Any] = {}
    if row.failed_attempts or row.locked_until is not None:
        values = {"failed_attempts": 0, "locked_until": None}
    if HASHER.check_needs_rehash(row.password_hash):
        values["password_hash"] = HASHER.hash(password)
    if values:
        change.update(row, action="officer.password_ok", **values)
    return None


def _officer(change: Change, code: str) -> Officer:
    row = change.session.scalar(select(Officer).where(Officer.code == code.strip()))
    if row is None:
        raise NotSignedIn("警号或密码不正确")
    if not row.active:
        raise NotSignedIn(f"民警 {row.name}({row.code})已停用")
    return row


def sign_in(ctx: Context, *, code: str, password: str, kind: str = "cli") -> Actor:
    """Check the password and open a session. Raises ``NotSignedIn`` (wrong password, counted;
    locked; disabled; unknown — each recorded) or ``PasswordChangeRequired``.

    On an encrypted station not yet unlocked in this process, the password first opens the
    officer's key slot (a wrong one is counted in the slot file and reaches the audit trail at
    the next unlock); a sign-in that then fails locks the station again."""
    unlocking = ctx.locked
    if unlocking:
        ctx.vault.unlock_officer(code, password, ctx.now())
    try:
        actor = _sign_in(ctx, code=code, password=password, kind=kind, proven=unlocking)
    except BaseException:
        if unlocking:
            ctx.lock()
        raise
    if ctx.vault.encrypted:
        _keep_slots(ctx, actor, password)
    return actor


def _keep_slots(ctx: Context, actor: Actor, password: str) -> None:
    """After a sign-in on an encrypted station: the officer's slot made if they have none yet
    (officers of a station encrypted since they last signed in), the slots of officers no longer
    active removed, and the wrong passwords typed while locked recorded."""
    from app.records.vault import StationLocked

    vault = ctx.vault
    with ctx.change() as change:
        active = set(change.session.scalars(select(Officer.code).where(Officer.active.is_(True))))
        gone = vault.keep_only(active)
        if gone:
            change.update(change.station, action="station.key_slots_removed", note={"for": gone})
        if not vault.has_officer(actor.code):
            try:
                vault.set_officer(actor.code, password)
            except StationLocked:  # pragma: no cover - signed in means unlocked
                return
            row = change.session.scalar(select(Officer).where(Officer.code == actor.code))
            if row is not None:
                change.actor = row
                change.update(row, action="officer.key_slot_added")
        for failed in vault.pending:
            row = change.session.scalar(select(Officer).where(Officer.code == failed.code))
            note = {"count": failed.count, "while": "locked", "locked": failed.locked}
            if row is None:
                change.actor = None
                change.update(
                    change.station,
                    action="station.login_unknown",
                    note={**note, "code": failed.code[:20]},
                )
            else:
                change.actor = row
                change.update(row, action="officer.login_failed", note=note)
    vault.failures_recorded()


def _sign_in(ctx: Context, *, code: str, password: str, kind: str, proven: bool) -> Actor:
    failure: str | None = None
    with ctx.change() as change:
        row = change.session.scalar(select(Officer).where(Officer.code == code.strip()))
        if row is None:  # recorded too (等保: every failed sign-in in the trail), as typed
            typed = "".join(c for c in code.strip() if c.isalnum())[:20]
            change.update(change.station, action="station.login_unknown", note={"code": typed})
            refused = "警号或密码不正确"
        elif not row.active:
            change.actor = row
            change.update(row, action="officer.login_refused")
            refused = f"民警 {row.name}({row.code})已停用"
        else:
            refused = ""
            change.actor = row  # the events name the officer who tried
            failure = _verify(change, row, password, proven=proven)
            if failure is None and not row.must_change_password:
                if kind == "cli":  # one command-line session per data dir: the one before ends
                    change.session.execute(
                        update(OfficerSession)
                        .where(OfficerSession.kind == "cli", OfficerSession.ended_at.is_(None))
                        .values(ended_at=change.now, ended_reason=f"replaced:{row.code}"[:20])
                    )
                token = sessions.new_token()
                change.session.add(
                    OfficerSession(
                        officer_id=row.id,
                        token_hash=sessions.digest(token),
                        kind=kind,
                        started_at=change.now,
                        last_seen_at=change.now,
                    )
                )
                change.update(row, action="officer.login")
                actor = Actor(row.code, row.name, row.role, change.now, token)
    if refused:
        raise NotSignedIn(refused)
    assert row is not None
    if failure is not None:
        _mirror_lock(ctx, row)
        raise NotSignedIn(f"警号或密码不正确：{failure}", field="password")
    if row.must_change_password:
        raise PasswordChangeRequired(
            f"民警 {row.code} 的密码由管理员设置，须先修改密码再登录", field="password"
        )
    return actor


def resume(ctx: Context, token: str) -> Actor:
    """The officer of a session (from the command line's token file), if it still counts."""
    with ctx.change() as change:
        row, officer = sessions.current(change.session, token, change.now)
        sessions.touch(row, change.now)
        return Actor(officer.code, officer.name, officer.role, row.started_at, token)


def keep_alive(ctx: Context, actor: Actor) -> None:
    """Mark the session used (the window, while its officer types without calling a service)."""
    with ctx.change() as change:
        change.act_as(actor)


def sign_out(ctx: Context, token: str, *, reason: str = "logout") -> None:
    """End the session of ``token`` (one already ended, or unknown, changes nothing)."""
    with ctx.change() as change:
        row = change.session.scalar(
            select(OfficerSession).where(OfficerSession.token_hash == sessions.digest(token))
        )
        if row is not None and row.ended_at is None:
            row.ended_at, row.ended_reason = change.now, reason[:20]
            officer = change.session.get(Officer, row.officer_id)
            if officer is not None:
                change.actor = officer
                change.update(officer, action="officer.logout", note={"reason": reason})


def end_sessions(change: Change, officer: Officer, reason: str) -> None:
    """End every open session of ``officer`` (disabled, password reset)."""
    change.session.execute(
        update(OfficerSession)
        .where(OfficerSession.officer_id == officer.id, OfficerSession.ended_at.is_(None))
        .values(ended_at=change.now, ended_reason=reason)
    )


def change_password(ctx: Context, *, code: str, old: str, new: str) -> None:
    """An officer sets their own password (the old one checked, a failure counted)."""
    check_password_rules(new, field="new_password")
    if new == old:
        raise InvalidInput("新密码不能与原密码相同", field="new_password")
    failure: str | None = None
    unlocking = ctx.locked
    if unlocking:  # on an encrypted station the old password opens the slot first
        ctx.vault.unlock_officer(code, old, ctx.now())
    try:
        with ctx.change() as change:
            row = _officer(change, code)
            change.actor = row
            failure = _verify(change, row, old, proven=unlocking)
            if failure is None:
                end_sessions(change, row, "password_changed")  # a session of the old one ends
                change.update(
                    row,
                    action="officer.password_changed",
                    note={"key_slot": "rewrapped"} if ctx.vault.encrypted else None,
                    password_hash=HASHER.hash(new),
                    must_change_password=None,
                )
                if row.role in APPROVERS:
                    mark_supervised(change)
                if ctx.vault.encrypted:  # last: a failure to write it rolls the change back
                    ctx.vault.set_officer(row.code, new)
                    ctx.vault.remove_sessions(officer=row.code)
    finally:
        if unlocking:
            ctx.lock()
    if failure is not None:
        _mirror_lock(ctx, row)
        raise NotSignedIn(f"原密码不正确：{failure}", field="password")


def confirm(
    ctx: Context,
    approval: Approval,
    *,
    actor: Actor,
    acting: tuple[str, ...],
    roles: tuple[str, ...] = APPROVERS,
) -> None:
    """The approver's own password, checked now (a wrong one counts toward their lockout) —
    once the acting officer's session and role (``acting``) are known good: nobody without a
    session can try a supervisor's password. The use case then names the approver with
    ``Change.approved_by``, which checks role and person again."""
    failure: str | None = None
    with ctx.change() as change:
        change.act_as(actor, roles=acting, touch=False)
        change.actor = None  # the events below are the approver's
        row = change.session.scalar(select(Officer).where(Officer.code == approval.code.strip()))
        if row is None or not row.active:
            raise ApprovalRefused(f"审批人“{approval.code}”不存在或已停用")
        if row.code == actor.code:
            raise ApprovalRefused("审批人不能是经办民警本人(须另一位所领导审批)")
        if row.role not in roles:
            raise ApprovalRefused(f"民警 {row.name}({row.code})无审批权限(须由所领导审批)")
        if row.must_change_password:  # the administrator who set it knows it
            raise ApprovalRefused(f"所领导 {row.name}({row.code})须先登录并设置本人密码，才能审批")
        change.actor = row
        failure = _verify(change, row, approval.password, for_whom=actor.code)
        if failure is None:
            mark_supervised(change)
    if failure is not None:
        _mirror_lock(ctx, row)
        raise ApprovalRefused(f"审批人 {row.name}({row.code}) 的{failure}")


def mark_supervised(change: Change) -> None:
    """The station has a supervisor who chose their own password (they just did, or approved):
    recorded once, never cleared. From now on no change to a supervisor's or an administrator's
    account is made without a supervisor's approval (``officers._approved``), however many
    supervisors the station has left."""
    station = change.station
    if station.supervised_since is None:
        change.update(station, action="station.supervised", supervised_since=change.now)


def _mirror_lock(ctx: Context, row: Officer) -> None:
    """A lock the database just set (five wrong passwords) holds for the officer's key slot
    too: one lockout, whichever way the station is reached, and a locked officer's right
    password is answered as a wrong one is."""
    if ctx.vault.encrypted and row.locked_until is not None:
        ctx.vault.lock_officer(row.code, row.locked_until)


def whoami(ctx: Context, actor: Actor) -> dict[str, Any]:
    """The signed-in officer and their session, as ``certdesk whoami`` shows them."""
    with ctx.change() as change:
        row = change.session.scalar(
            select(OfficerSession).where(OfficerSession.token_hash == sessions.digest(actor.token))
        )
        assert row is not None
        idle_ends = row.last_seen_at + sessions.IDLE
        ends = min(idle_ends, row.started_at + sessions.LIFETIME)
    return {
        "officer": actor.code,
        "name": actor.name,
        "role": actor.role,
        "since": actor.since.isoformat(timespec="seconds"),
        "ends_at": ends.isoformat(timespec="seconds"),
    }
