"""Officers, kept by the station's administrator: added with a password they must change at first
sign-in, disabled (their sessions end), their password reset, unlocked.

An administrator alone cannot give themselves a supervisor's powers: adding, resetting or
disabling a supervisor's or an administrator's account needs a supervisor's approval (their own
password) once the station has a supervisor who has chosen their own password."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.context import Context
from app.errors import ApprovalRefused, ApprovalRequired, InvalidInput
from app.policy.identity import clean_name
from app.policy.roles import ADMINISTRATION, APPROVERS, COUNTER, ROLE_NAMES, ROLES, SUPERVISION
from app.records.changes import Change
from app.records.db.models import Officer
from app.records.sessions import Actor, Approval
from app.services.auth import HASHER, check_password_rules, confirm, end_sessions

PRIVILEGED = (*APPROVERS, *ADMINISTRATION)  # accounts whose changes a supervisor approves


@dataclass(frozen=True, slots=True)
class OfficerInfo:
    code: str
    name: str
    role: str
    active: bool
    locked_until: str | None
    must_change_password: bool = False

    @property
    def supervises(self) -> bool:
        """Supervision and statistics are the station leadership's."""
        return self.role in SUPERVISION

    @property
    def counter_work(self) -> bool:
        """Deciding, issuing and printing at the counter."""
        return self.role in COUNTER

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "role": self.role,
            "role_name": ROLE_NAMES[self.role],
            "active": self.active,
            "locked_until": self.locked_until,
            "must_change_password": self.must_change_password,
        }


def info(row: Officer) -> OfficerInfo:
    locked = row.locked_until.isoformat() if row.locked_until else None
    return OfficerInfo(
        row.code, row.name, row.role, row.active, locked, bool(row.must_change_password)
    )


def _check_code(code: str) -> str:
    code = code.strip()
    if not (1 <= len(code) <= 20 and code.isascii() and code.isalnum()):
        raise InvalidInput(f"警号“{code}”应为1至20位字母或数字", field="code")
    return code


def _slot_note(ctx: Context, what: str) -> dict[str, str] | None:
    return {"key_slot": what} if ctx.vault.encrypted else None


def keep_slot(ctx: Context, code: str, password: str) -> None:
    """The officer's key slot for ``password``, on an encrypted station (the caller's change is
    still open: if the slot file cannot be written, the change rolls back)."""
    if ctx.vault.encrypted:
        ctx.vault.set_officer(code, password)


def check_new_officer(*, code: str, name: str, role: str, password: str) -> tuple[str, str]:
    """Validate a new officer's details (before anything is written); cleaned code and name."""
    code = _check_code(code)
    name = clean_name(name, field="name")
    if role not in ROLES:
        valid = "、".join(f"{r}({ROLE_NAMES[r]})" for r in ROLES)
        raise InvalidInput(f"角色“{role}”无效，可选：{valid}", field="role")
    check_password_rules(password)
    return code, name


def new_officer(
    change: Change, *, code: str, name: str, role: str, password: str, must_change: bool
) -> Officer:
    """Add an officer inside ``change`` (the station's set-up adds the first administrator so)."""
    code, name = check_new_officer(code=code, name=name, role=role, password=password)
    if change.session.scalar(select(Officer).where(Officer.code == code)) is not None:
        raise InvalidInput(f"警号“{code}”已存在", field="code")
    row = Officer(
        code=code,
        name=name,
        role=role,
        password_hash=HASHER.hash(password),
        active=True,
        failed_attempts=0,
        created_at=change.now,
        must_change_password=True if must_change else None,
    )
    return change.add(row, action="officer.add")


def _approved(
    change: Change, role: str, approval: Approval | None, target: Officer | None = None
) -> None:
    """A change to a supervisor's or an administrator's account is approved by a supervisor
    (not its subject), once the station has had one who chose their own password
    (``Station.supervised_since``, set once and never cleared: disabling, resetting or demoting
    the supervisors does not bring the station back to its first day)."""
    if approval is not None:
        approver = change.approved_by(approval.code, roles=APPROVERS)
        if target is not None and approver.id == target.id:
            raise ApprovalRefused("审批人不能是被添加、重置或停用的民警本人")
        return
    if role not in PRIVILEGED:
        return
    if change.station.supervised_since is not None:  # once supervised, always approved
        raise ApprovalRequired(
            f"添加、重置、停用{ROLE_NAMES[role]}账号或更改其角色须经所领导审批"
            "(另一位所领导本人输入密码)"
        )
    supervisors = change.session.scalars(
        select(Officer).where(
            Officer.role.in_(APPROVERS),
            Officer.active.is_(True),
            Officer.must_change_password.is_(None),
        )
    )
    if any(target is None or s.id != target.id for s in supervisors):
        raise ApprovalRequired(
            f"添加、重置或停用{ROLE_NAMES[role]}账号须经所领导审批(所领导本人输入密码)"
        )


def add_officer(
    ctx: Context,
    *,
    actor: Actor,
    code: str,
    name: str,
    role: str,
    password: str,
    approval: Approval | None = None,
) -> OfficerInfo:
    """Add an officer (administrators only); they change the password at their first sign-in.
    A supervisor or an administrator is added with a supervisor's approval."""
    check_new_officer(code=code, name=name, role=role, password=password)
    if approval is not None:
        confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        _approved(change, role, approval)
        row = new_officer(
            change, code=code, name=name, role=role, password=password, must_change=True
        )
        keep_slot(ctx, row.code, password)  # last: a failure here rolls the officer back
        return info(row)


def list_officers(ctx: Context, *, actor: Actor) -> list[OfficerInfo]:
    with ctx.reading(actor, roles=ADMINISTRATION) as session:
        return [info(r) for r in session.scalars(select(Officer).order_by(Officer.code))]


def approvers(ctx: Context, *, actor: Actor) -> list[OfficerInfo]:
    """Who may approve at this counter: the active supervisors other than the actor (asked by
    counter officers, and by an administrator whose change to an account needs approval)."""
    with ctx.reading(actor, roles=(*COUNTER, *ADMINISTRATION)) as session:
        rows = session.scalars(
            select(Officer)
            .where(Officer.role.in_(APPROVERS), Officer.active.is_(True))
            .order_by(Officer.code)
        )
        return [info(r) for r in rows if r.code != actor.code]


def _precheck(
    ctx: Context, actor: Actor, code: str, *, self_refused: str, role: str | None = None
) -> None:
    """What can be refused without anyone's password: no such officer, the administrator's own
    account, the role they already hold — checked before a supervisor's password is tried (a
    try that would count toward that supervisor's lockout for nothing)."""
    with ctx.reading(actor, roles=ADMINISTRATION) as session:
        row = session.scalar(select(Officer).where(Officer.code == code.strip()))
        if row is None:
            raise InvalidInput(f"警号“{code}”的民警不存在", field="code")
        if row.code == actor.code:
            raise InvalidInput(self_refused, field="code")
        if role is not None and row.role == role:
            raise InvalidInput(f"{row.name}({row.code})已是{ROLE_NAMES[role]}", field="role")


def _target(change: Change, code: str) -> Officer:
    row = change.session.scalar(select(Officer).where(Officer.code == code.strip()))
    if row is None:
        raise InvalidInput(f"警号“{code}”的民警不存在", field="code")
    return row


def disable_officer(
    ctx: Context, *, actor: Actor, code: str, approval: Approval | None = None
) -> OfficerInfo:
    """Disable an officer: they can no longer sign in, and their open sessions end."""
    if approval is not None:
        _precheck(ctx, actor, code, self_refused="管理员不能停用自己的账号")
        confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        row = _target(change, code)
        if change.actor is not None and row.id == change.actor.id:
            raise InvalidInput("管理员不能停用自己的账号", field="code")
        _approved(change, row.role, approval, row)
        end_sessions(change, row, "disabled")
        done = change.update(
            row, action="officer.disable", note=_slot_note(ctx, "removed"), active=False
        )
        if ctx.vault.encrypted:  # their password and their sessions open nothing from now on
            ctx.vault.remove_officer(row.code)
            ctx.vault.remove_sessions(officer=row.code)
        return info(done)


def reset_password(
    ctx: Context, *, actor: Actor, code: str, password: str, approval: Approval | None = None
) -> OfficerInfo:
    """Set a new password for an officer who forgot theirs: they must change it at sign-in, and
    their open sessions end."""
    check_password_rules(password)
    if approval is not None:
        confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        row = _target(change, code)
        _approved(change, row.role, approval, row)
        end_sessions(change, row, "password_reset")
        row = change.update(
            row,
            action="officer.password_reset",
            note=_slot_note(ctx, "rewrapped"),
            password_hash=HASHER.hash(password),
            must_change_password=True,
            failed_attempts=0,
            locked_until=None,
        )
        keep_slot(ctx, row.code, password)
        ctx.vault.remove_sessions(officer=row.code)  # (their sessions ended above)
        return info(row)


def unlock_officer(
    ctx: Context, *, actor: Actor, code: str, approval: Approval | None = None
) -> OfficerInfo:
    """Lift a lock left by five wrong passwords. A supervisor's or an administrator's lock is
    lifted with a supervisor's approval (not its subject): else an administrator could guess a
    supervisor's password five at a time, lifting the lock in between."""
    if approval is not None:
        confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        row = _target(change, code)
        _approved(change, row.role, approval, row)
        done = change.update(row, action="officer.unlock", failed_attempts=0, locked_until=None)
        if ctx.vault.encrypted:
            ctx.vault.clear_failures(row.code)
        return info(done)


def change_role(
    ctx: Context, *, actor: Actor, code: str, role: str, approval: Approval | None = None
) -> OfficerInfo:
    """Give an officer another role. A role with a supervisor's or an administrator's powers,
    given or taken, is approved by a supervisor (not its subject); their sessions end, so the
    next sign-in carries the new role."""
    if role not in ROLES:
        valid = "、".join(f"{r}({ROLE_NAMES[r]})" for r in ROLES)
        raise InvalidInput(f"角色“{role}”无效，可选：{valid}", field="role")
    if approval is not None:
        _precheck(ctx, actor, code, self_refused="管理员不能更改自己的角色", role=role)
        confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        row = _target(change, code)
        if row.role == role:
            raise InvalidInput(f"{row.name}({row.code})已是{ROLE_NAMES[role]}", field="role")
        if change.actor is not None and row.id == change.actor.id:
            raise InvalidInput("管理员不能更改自己的角色", field="code")
        privileged = row.role if row.role in PRIVILEGED else role
        _approved(change, privileged, approval, row)
        end_sessions(change, row, "role_changed")
        done = change.update(row, action="officer.role", role=role)
        ctx.vault.remove_sessions(officer=row.code)
        return info(done)
