"""Who acts (等保 2.0 level 3): every command that changes data or shows personal data needs a
session and the right role, and refuses with exit 5 leaving the database and the archive as they
were; sessions end when idle, when old, at logout; the commands that touch no personal data stay
open; every service checks the role itself, whoever calls it; approvals are the approver's own
password, never the actor's; the clock may not run backwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from support import (
    ADMIN,
    AUDITOR,
    CLERK,
    KINSHIP,
    PASSWORD,
    SUPERVISOR,
    SUPERVISOR2,
    UNNATURAL,
    field_args,
    js,
    login,
    make_station,
    run,
    signed_in,
    sql,
)
from support import dump as sql_dump

from app.cli.parser import session_path
from app.context import Context
from app.errors import ApprovalRefused, ApprovalRequired, ClockBehind, NotPermitted, NotSignedIn
from app.policy import roles as R
from app.policy.decision import Request
from app.records.printing import certificate_renderer
from app.records.sessions import Approval
from app.services import (
    auth,
    catalogs,
    certificates,
    counter,
    integrity,
    investigations,
    officers,
    station,
    supervision,
    worklists,
)
from app.sync import conflicts, enrolment, online, round

KIN = Request("亲属关系证明", "bank", "in_province")
UNNATURAL_DEATH = Request("非正常死亡证明", "other", "in_province")


# ---------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def signed_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A station with a printed certificate, an investigation under way and a backup, and
    nobody signed in."""
    data = tmp_path_factory.mktemp("who") / "station"
    make_station(data)
    ctx = Context(data)
    clerk = signed_in(ctx, CLERK)
    serial = counter.issue(
        ctx, request=KIN, officer=clerk, values=KINSHIP, render=certificate_renderer(ctx)
    ).serial
    case_no = counter.issue(ctx, request=UNNATURAL_DEATH, officer=clerk, values=UNNATURAL).case_no
    backup = data.parent / "backup.db"
    integrity.backup(ctx, backup, actor=signed_in(ctx, ADMIN))
    for officer in (clerk,):
        auth.sign_out(ctx, officer.token)
    ctx.close()
    return {"data": data, "serial": serial, "case": case_no, "backup": backup}


def protected(s: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Every command that changes data or shows personal data, with arguments it would accept."""
    out = str(s["data"].parent / "out.pdf")
    serial, case = s["serial"], s["case"]
    approve = ["--approved-by", SUPERVISOR, "--approver-password-stdin"]
    request = ["--kind", "死亡证明", "--requester", "bank", "--purpose", "in_province"]
    kin = ["--kind", "亲属关系证明", "--requester", "bank", "--purpose", "in_province"]
    return [
        ("issue", ["issue", *kin, *field_args(KINSHIP)]),
        ("notice", ["notice", *request]),
        ("case finish", ["case", "finish", case]),
        ("case refuse", ["case", "refuse", case, "--reason", "未能核实", *approve]),
        ("case review", ["case", "review", case, "--reason", "有异议"]),
        ("case extend", ["case", "extend", case, "--reason", "情况复杂", *approve]),
        ("void", ["void", serial, "--reason", "填写错误", *approve]),
        ("reprint", ["reprint", serial, "--reason", "原件遗失", "--output", out, *approve]),
        ("hand-over", ["hand-over", serial]),
        ("exchange list", ["exchange", "list"]),
        ("exchange answer", ["exchange", "answer", "HC-2026-000001", "--field", "found=查有此人"]),
        ("exchange decline", ["exchange", "decline", "HC-2026-000001", "--reason", "查无档案"]),
        ("officer add", ["officer", "add", "--code", "100005", "--name", "钱警官", "--role",
                         "clerk", "--password-stdin"]),
        ("officer list", ["officer", "list"]),
        ("officer disable", ["officer", "disable", CLERK]),
        ("officer reset-password", ["officer", "reset-password", CLERK, "--password-stdin"]),
        ("officer unlock", ["officer", "unlock", CLERK]),
        ("officer role", ["officer", "role", CLERK, "--role", "auditor"]),
        ("station set", ["station", "set", "--idle-lock-minutes", "5"]),
        ("station accept-clock", ["station", "accept-clock", *approve]),
        ("backup", ["backup", str(s["data"].parent / "new-backup.db")]),
        ("restore", ["restore", str(s["backup"])]),
        ("catalog use", ["catalog", "use", "--default"]),
        ("sync", ["sync"]),
        ("sync conflicts", ["sync", "conflicts"]),
        ("sync resolve", ["sync", "resolve", "1", "--reason", "已与省级核实"]),
        ("enrol", ["enrol", "--server", "http://127.0.0.1:9", "--code", "AAAA-BBBB"]),
        ("list", ["list"]),
        ("show", ["show", serial]),
        ("search", ["search", "王"]),
        ("stats", ["stats"]),
        ("oversight", ["oversight"]),
        ("reports", ["reports"]),
        ("audit verify", ["audit", "verify"]),
        ("audit export", ["audit", "export", str(s["data"].parent / "audit.csv")]),
        ("whoami", ["whoami"]),
        ("recovery-key", ["recovery-key"]),
    ]  # fmt: skip


def snapshot(data: Path) -> tuple[str, frozenset[str]]:
    """Everything stored: the database's content, and the files in the data dir and beside it."""
    dump = sql_dump(data / "certdesk.db")
    files = frozenset(
        str(p.relative_to(data.parent))
        for p in data.parent.rglob("*")
        if not p.name.endswith(("-wal", "-shm", "-journal"))
    )
    return dump, files


def test_the_protected_list_is_every_command_that_needs_a_session() -> None:
    """What the parser holds, minus the open commands, is the list below: a new command joins
    one side or the other deliberately."""
    from app.cli import build_parser

    parser = build_parser()
    names: set[str] = set()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
            if nested:
                names |= {f"{name} {child}" for child in nested[0].choices}
                if sub.get_default("handler") is not None:  # `sync` runs a round by itself
                    names.add(name)
            else:
                names.add(name)
    fake = {"data": Path("/x/d"), "serial": "s", "case": "c", "backup": Path("/x/b")}
    listed = {name for name, _ in protected(fake)}
    open_ = {"decide", "catalog list", "catalog show", "catalog validate", "catalog table", "render",
             "forms list", "serial check", "verify", "init", "login", "logout",
             "password change", "gui", "recover"}  # fmt: skip
    assert names - open_ == listed


@pytest.mark.parametrize("name", [name for name, _ in protected({
    "data": Path("/x/d"), "serial": "s", "case": "c", "backup": Path("/x/b")})])  # fmt: skip
def test_without_a_session_every_protected_command_exits_5_and_writes_nothing(
    signed_out: dict[str, Any], name: str
) -> None:
    args = dict(protected(signed_out))[name]
    before = snapshot(signed_out["data"])
    result = run(signed_out["data"], *args, stdin=PASSWORD + "\n")
    assert result.returncode == 5, (name, result.stdout, result.stderr)
    assert "请先登录" in result.stderr + result.stdout
    assert snapshot(signed_out["data"]) == before, name  # nothing written: rows, archive, files


def test_open_commands_need_no_session(signed_out: dict[str, Any], tmp_path: Path) -> None:
    data = signed_out["data"]
    for args in (
        ["decide", "--kind", "死亡证明", "--requester", "bank", "--purpose", "in_province"],
        ["catalog", "list"],
        ["catalog", "show", "jl_kinship"],
        ["forms", "list"],
        ["serial", "check", signed_out["serial"]],
        ["render", "kinship", *field_args(KINSHIP), "--output", str(tmp_path / "specimen.pdf")],
        ["verify", "--qr", "not-a-certificate"],
    ):
        result = run(data, *args)
        assert result.returncode in ((0,) if args[0] != "verify" else (1,)), (args, result.stderr)
        assert "请先登录" not in result.stderr + result.stdout


def age_session(data: Path, **minutes: int) -> None:
    """Move the open session's times back (as if the PC had been left that long)."""
    with closing(sql(data / "certdesk.db")) as conn:
        for column, back in minutes.items():
            conn.execute(
                f"UPDATE sessions SET {column} = datetime({column}, ?) WHERE ended_at IS NULL",
                (f"-{back} minutes",),
            )
        conn.commit()


def test_a_session_ends_after_15_idle_minutes_8_hours_or_logout(station_dir: Path) -> None:
    login(station_dir, CLERK)
    assert run(station_dir, "list").returncode == 0
    age_session(station_dir, last_seen_at=14)
    assert run(station_dir, "list").returncode == 0  # used: the idle clock starts again
    age_session(station_dir, last_seen_at=16)
    idle = run(station_dir, "list")
    assert idle.returncode == 5 and "已超过15分钟未操作" in idle.stderr

    login(station_dir, CLERK)
    age_session(station_dir, started_at=8 * 60 + 1)  # busy all day, but eight hours is the limit
    old = run(station_dir, "list")
    assert old.returncode == 5 and "已满8小时" in old.stderr

    login(station_dir, CLERK)
    token = session_path(station_dir).read_text()
    assert run(station_dir, "logout").returncode == 0
    session_path(station_dir).write_text(token)  # a copy kept of the token: worthless now
    ended = run(station_dir, "list")
    assert ended.returncode == 5 and "登录已结束" in ended.stderr
    session_path(station_dir).write_text("made-up-token")
    assert run(station_dir, "list").returncode == 5


def test_a_disabled_officers_session_ends_at_once(station_dir: Path) -> None:
    login(station_dir, CLERK)
    token = session_path(station_dir).read_text()
    ctx = Context(station_dir)
    officers.disable_officer(ctx, actor=signed_in(ctx, ADMIN), code=CLERK)
    ctx.close()
    session_path(station_dir).write_text(token)
    result = run(station_dir, "list")
    assert result.returncode == 5 and ("停用" in result.stderr or "结束" in result.stderr)


# ---------------------------------------------------------------------- roles, in the services


def approver_for(role: str) -> Approval:
    """A supervisor other than the one acting."""
    return Approval(SUPERVISOR2 if role == "supervisor" else SUPERVISOR, PASSWORD)


def _issued(ctx: Context, clerk: Any) -> str:
    result = counter.issue(
        ctx, request=KIN, officer=clerk, values=KINSHIP, render=certificate_renderer(ctx)
    )
    assert result.serial
    return result.serial


def _pending(ctx: Context, clerk: Any) -> str:
    return counter.issue(ctx, request=UNNATURAL_DEATH, officer=clerk, values=UNNATURAL).case_no


RECORD = Request("有无违法犯罪记录证明", "other", "abroad", needs_investigation=True)
RECORD_VALUES = {"applicant_name": "王一", "applicant_id": "11010519491231002X",
                 "as_of_date": "2026-01-05", "usage": "出国留学"}  # fmt: skip


def _refused_record(ctx: Context, clerk: Any) -> str:
    """A criminal-record check refused (a record found): what a review starts from."""
    case_no = counter.issue(ctx, request=RECORD, officer=clerk, values=RECORD_VALUES).case_no
    investigations.refuse(
        ctx, case_ref=case_no, officer=clerk, reason="经查询有犯罪记录",
        approval=Approval(SUPERVISOR, PASSWORD),
    )  # fmt: skip
    return case_no


def _under_review(ctx: Context, clerk: Any) -> str:
    return investigations.review(
        ctx, case_ref=_refused_record(ctx, clerk), officer=clerk, reason="有异议"
    ).case_no


Act = Callable[[Context, Any, Any, str, Path], Any]  # ctx, actor, clerk, role, scratch dir
TODAY = supervision.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
ACTS: dict[str, tuple[tuple[str, ...], Act]] = {
    "issue": (R.COUNTER, lambda c, a, k, r, t: counter.issue(
        c, request=KIN, officer=a, values=KINSHIP)),
    "notice": (R.COUNTER, lambda c, a, k, r, t: counter.record_notice(
        c, request=Request("死亡证明", "bank", "in_province"), officer=a)),
    "special case": (R.COUNTER, lambda c, a, k, r, t: counter.issue(
        c, request=Request("户籍所在地证明", "other", "abroad"), officer=a, approval=approver_for(r),
        values={"applicant_name": "王一", "applicant_id": "11010519491231002X",
                "subject_name": "王二", "subject_id": "11010519491231002X",
                "facts": "户籍在长春", "usage": "国外继承"})),
    "case finish": (R.COUNTER, lambda c, a, k, r, t: investigations.finish(
        c, case_ref=_pending(c, k), officer=a)),
    "case refuse": (R.COUNTER, lambda c, a, k, r, t: investigations.refuse(
        c, case_ref=_pending(c, k), officer=a, reason="未能核实", approval=approver_for(r))),
    "case review": (R.COUNTER, lambda c, a, k, r, t: investigations.review(
        c, case_ref=_refused_record(c, k), officer=a, reason="有异议")),
    "case extend": (R.COUNTER, lambda c, a, k, r, t: investigations.extend(
        c, case_ref=_under_review(c, k), officer=a, reason="情况复杂", approval=approver_for(r))),
    "list": (R.COUNTER, lambda c, a, k, r, t: certificates.list_certificates(c, actor=a)),
    "show": (R.COUNTER, lambda c, a, k, r, t: certificates.show(c, _issued(c, k), actor=a)),
    "search": (R.COUNTER, lambda c, a, k, r, t: certificates.search(c, "王", actor=a)),
    "hand over": (R.COUNTER, lambda c, a, k, r, t: certificates.hand_over(
        c, serial=_issued(c, k), officer=a)),
    "void": (R.COUNTER, lambda c, a, k, r, t: certificates.void(
        c, serial=_issued(c, k), reason="填写错误", officer=a, approval=approver_for(r))),
    "reprint": (R.COUNTER, lambda c, a, k, r, t: certificates.reprint(
        c, serial=_issued(c, k), reason="原件遗失", officer=a, approval=approver_for(r))),
    # (an administrator too: a change to a privileged account is approved in the window)
    "approvers": ((*R.COUNTER, *R.ADMINISTRATION), lambda c, a, k, r, t: officers.approvers(
        c, actor=a)),
    "today's cases": ((*R.COUNTER, *R.SUPERVISION), lambda c, a, k, r, t: worklists.today_cases(
        c, actor=a)),
    "statistics": (R.SUPERVISION, lambda c, a, k, r, t: supervision.statistics(
        c, TODAY, actor=a)),
    "oversight": (R.SUPERVISION, lambda c, a, k, r, t: supervision.oversight(c, TODAY, actor=a)),
    "reports": (R.SUPERVISION, lambda c, a, k, r, t: supervision.reported_demands(
        c, TODAY, actor=a)),
    "due reminder": (R.SUPERVISION, lambda c, a, k, r, t: supervision.due_reminder(c, actor=a)),
    "officer add": (R.ADMINISTRATION, lambda c, a, k, r, t: officers.add_officer(
        c, actor=a, code="100007", name="钱警官", role="clerk", password="first-pass-9")),
    "officer list": (R.ADMINISTRATION, lambda c, a, k, r, t: officers.list_officers(c, actor=a)),
    "officer reset": (R.ADMINISTRATION, lambda c, a, k, r, t: officers.reset_password(
        c, actor=a, code=AUDITOR, password="first-pass-9")),
    "officer unlock": (R.ADMINISTRATION, lambda c, a, k, r, t: officers.unlock_officer(
        c, actor=a, code=CLERK)),
    "officer role": (R.ADMINISTRATION, lambda c, a, k, r, t: officers.change_role(
        c, actor=a, code=CLERK, role="auditor")),
    "officer disable": (R.ADMINISTRATION, lambda c, a, k, r, t: officers.disable_officer(
        c, actor=a, code=SUPERVISOR2, approval=Approval(SUPERVISOR, PASSWORD))),
    "idle lock": (R.ADMINISTRATION, lambda c, a, k, r, t: station.set_idle_lock(
        c, actor=a, minutes=5)),
    "catalog use": (R.ADMINISTRATION, lambda c, a, k, r, t: catalogs.install(
        c, actor=a, path=None)),
    "backup": (R.ADMINISTRATION, lambda c, a, k, r, t: integrity.backup(
        c, t / "b.db", actor=a)),
    "printer": (R.ADMINISTRATION, lambda c, a, k, r, t: station.set_printer(
        c, actor=a, printer="HP LaserJet")),
    "audit verify": (R.AUDIT, lambda c, a, k, r, t: integrity.verify_audit(c, actor=a)),
    "audit events": (R.AUDIT, lambda c, a, k, r, t: integrity.audit_events(c, actor=a)),
    "audit export": (R.AUDIT, lambda c, a, k, r, t: integrity.export_audit(
        c, t / "audit.csv", actor=a)),
}  # fmt: skip
# these go on to the province, or need a record not made here: allowed means "refused for
# another reason than the role"
NETWORK: dict[str, tuple[tuple[str, ...], Act]] = {
    "sync": (R.SYNC, lambda c, a, k, r, t: round.sync(c, actor=a)),
    "conflicts": (R.SYNC, lambda c, a, k, r, t: conflicts.conflicts(c, actor=a)),
    "conflict resolve": (R.ADMINISTRATION, lambda c, a, k, r, t: conflicts.resolve(
        c, 1, reason="已与省级核实", actor=a)),
    "enrol": (R.ADMINISTRATION, lambda c, a, k, r, t: enrolment.enrol(
        c, actor=a, server="http://127.0.0.1:9", code="AAAA-BBBB")),
    "province figures": (R.SUPERVISION, lambda c, a, k, r, t: online.province_figures(
        c, actor=a, start="2026-01-01", end="2026-12-31")),
}  # fmt: skip


def audit_count(ctx: Context) -> int:
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_events").fetchone()[0])


@pytest.mark.parametrize("role", R.ROLES)
def test_each_service_as_each_role(ctx: Context, tmp_path: Path, role: str) -> None:
    """Called directly (no window, no command line in between), each use case lets the roles it
    names act and refuses the others with nothing recorded."""
    code = {"clerk": CLERK, "supervisor": SUPERVISOR, "admin": ADMIN, "auditor": AUDITOR}[role]
    clerk = signed_in(ctx, CLERK)
    for name, (allowed, act) in {**ACTS, **NETWORK}.items():
        actor = signed_in(ctx, code)
        if role in allowed:
            try:
                act(ctx, actor, clerk, role, tmp_path)
            except (NotPermitted, NotSignedIn) as error:
                pytest.fail(f"{name} refused to {role}: {error}")
            except Exception as error:  # the network ones: no province here
                assert name in NETWORK, (name, role, error)
        else:
            with pytest.raises(NotPermitted):  # before anything is written (the set-up may)
                act(ctx, actor, clerk, role, tmp_path)


@pytest.mark.parametrize("role", ("admin", "auditor"))
def test_a_refused_role_writes_nothing_and_tries_no_approvers_password(
    ctx: Context, role: str
) -> None:
    code = {"admin": ADMIN, "auditor": AUDITOR}[role]
    clerk = signed_in(ctx, CLERK)
    serial = _issued(ctx, clerk)
    actor = signed_in(ctx, code)
    before = audit_count(ctx)
    with pytest.raises(NotPermitted):
        certificates.void(
            ctx, serial=serial, reason="填写错误", officer=actor, approval=Approval(SUPERVISOR, "x")
        )
    assert audit_count(ctx) == before  # not even a failed password counted for the supervisor


def test_an_approval_is_the_approvers_own_password_and_never_the_actors(ctx: Context) -> None:
    clerk = signed_in(ctx, CLERK)
    serial = _issued(ctx, clerk)
    before = audit_count(ctx)
    for approval, why in (
        (Approval(SUPERVISOR, "wrong-pass-1"), "密码不正确"),
        (Approval(CLERK, PASSWORD), "本人"),
        (Approval(ADMIN, PASSWORD), "无审批权限"),
        (Approval(AUDITOR, PASSWORD), "无审批权限"),
        (Approval("999999", PASSWORD), "不存在"),
    ):
        with pytest.raises(ApprovalRefused, match=why):
            certificates.void(
                ctx, serial=serial, reason="填写错误", officer=clerk, approval=approval
            )
    assert certificates.show(ctx, serial, actor=clerk).status == "issued"
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        new = conn.execute(
            "SELECT action, officer_code FROM audit_events WHERE seq > ?", (before,)
        ).fetchall()
    assert new == [("officer.approval_failed", SUPERVISOR)]  # the wrong password, counted
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        (asked_by,) = conn.execute(
            "SELECT json_extract(\"after\", '$.note.approval_for') FROM audit_events "
            "WHERE action = 'officer.approval_failed'"
        ).fetchone()
    assert asked_by == CLERK  # and who asked for the approval
    supervisor = signed_in(ctx, SUPERVISOR)
    with pytest.raises(ApprovalRefused, match="本人"):
        certificates.void(
            ctx,
            serial=serial,
            reason="填写错误",
            officer=supervisor,
            approval=Approval(SUPERVISOR, PASSWORD),
        )
    for _ in range(5):  # five wrong approvals lock the supervisor like five wrong sign-ins
        with pytest.raises(ApprovalRefused):
            certificates.void(
                ctx,
                serial=serial,
                reason="填写错误",
                officer=clerk,
                approval=Approval(SUPERVISOR, "wrong-pass-1"),
            )
    with pytest.raises(NotSignedIn, match="锁定"):
        auth.sign_in(ctx, code=SUPERVISOR, password=PASSWORD)


def test_audit_events_name_the_signed_in_actor_and_the_approver(ctx: Context) -> None:
    admin = signed_in(ctx, ADMIN)
    start = audit_count(ctx)
    officers.add_officer(
        ctx, actor=admin, code="100008", name="孙警官", role="clerk", password="first-pass-9"
    )
    officers.disable_officer(ctx, actor=admin, code="100008")
    clerk = signed_in(ctx, CLERK)
    serial = _issued(ctx, clerk)
    certificates.void(
        ctx,
        serial=serial,
        reason="填写错误",
        officer=clerk,
        approval=Approval(SUPERVISOR, PASSWORD),
    )
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        events = conn.execute(
            "SELECT action, officer_code, json_extract(\"after\", '$.approver') FROM audit_events "
            "WHERE action IN ('officer.add', 'officer.disable', 'certificate.issue', "
            "'certificate.void') AND seq > ? ORDER BY seq",
            (start,),
        ).fetchall()
    assert events == [
        ("officer.add", ADMIN, None),
        ("officer.disable", ADMIN, None),
        ("certificate.issue", CLERK, None),
        ("certificate.void", CLERK, SUPERVISOR),
    ]


# ---------------------------------------------------------------------- time


def test_a_clock_set_back_records_nothing(station_dir: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    ctx = Context(station_dir)
    _issued(ctx, signed_in(ctx, CLERK))
    ctx.close()
    behind = Context(station_dir, clock=lambda: now - dt.timedelta(minutes=30))
    clerk = signed_in(behind, CLERK)  # signing in dates nothing a citizen holds
    before = snapshot(station_dir)
    with pytest.raises(ClockBehind, match="时钟可能被调回"):
        counter.issue(behind, request=KIN, officer=clerk, values=KINSHIP)
    with pytest.raises(ClockBehind):
        counter.record_notice(
            behind, request=Request("死亡证明", "bank", "in_province"), officer=clerk
        )
    assert snapshot(station_dir) == before  # nothing written
    assert certificates.list_certificates(behind, actor=clerk)  # reading records nothing: allowed
    behind.close()
    slightly = Context(station_dir, clock=lambda: now - dt.timedelta(minutes=5))  # within slack
    counter.issue(slightly, request=KIN, officer=signed_in(slightly, CLERK), values=KINSHIP)
    slightly.close()
    # ... but the slack does not add up: fifteen minutes back is refused though it is only ten
    # minutes before the certificate just issued
    creeping = Context(station_dir, clock=lambda: now - dt.timedelta(minutes=15))
    with pytest.raises(ClockBehind):
        counter.issue(creeping, request=KIN, officer=signed_in(creeping, CLERK), values=KINSHIP)
    creeping.close()


def test_a_clock_that_ran_fast_is_put_right_by_an_administrator_and_a_supervisor(
    station_dir: Path,
) -> None:
    """A PC a year fast (a wrong date set, a flat battery) dates one notice; with the clock
    right again the station refuses every change until an administrator, with a supervisor's
    approval, has it take the time now. Failing sign-ins meanwhile move nothing."""
    now = dt.datetime.now(dt.UTC)
    fast = Context(station_dir, clock=lambda: now + dt.timedelta(days=365))
    with pytest.raises(NotSignedIn):
        auth.sign_in(fast, code=CLERK, password="wrong-pass-1")  # anyone: moves no mark
    fast_clerk = signed_in(fast, CLERK)
    counter.record_notice(
        fast, request=Request("死亡证明", "bank", "in_province"), officer=fast_clerk
    )
    fast.close()
    ctx = Context(station_dir)
    clerk = signed_in(ctx, CLERK)
    with pytest.raises(ClockBehind):
        _issued(ctx, clerk)
    admin = signed_in(ctx, ADMIN)
    with pytest.raises(ApprovalRefused):
        station.accept_clock(ctx, actor=admin, approval=Approval(SUPERVISOR, "wrong-pass-1"))
    with pytest.raises(NotPermitted):  # a clerk may not, even with a supervisor
        station.accept_clock(ctx, actor=clerk, approval=Approval(SUPERVISOR, PASSWORD))
    previous = station.accept_clock(ctx, actor=admin, approval=Approval(SUPERVISOR, PASSWORD))
    assert previous is not None and previous > now + dt.timedelta(days=364)
    _issued(ctx, clerk)  # the station works again
    with closing(sql(station_dir / "certdesk.db")) as conn:
        [(officer, after)] = conn.execute(
            "SELECT officer_code, \"after\" FROM audit_events WHERE action='station.clock_accepted'"
        ).fetchall()
    assert officer == ADMIN and '"approver":"200001"' in after.replace(" ", "")
    ctx.close()


def test_an_officer_records_by_the_stations_catalog_only(station_dir: Path, tmp_path: Path) -> None:
    """``--catalog FILE`` (a catalog of one's own making) is for deciding and reading: recorded
    with it, an investigation or a special case's approval could be skipped."""
    from app.policy.catalog import builtin_catalog_path

    forged = tmp_path / "forged.yaml"
    forged.write_text(builtin_catalog_path().read_text(encoding="utf-8"), encoding="utf-8")
    login(station_dir, CLERK)
    before = snapshot(station_dir)
    for catalog in (str(forged), "national-2016"):
        issued = run(
            station_dir,
            *("--catalog", catalog, "issue", "--kind", "亲属关系证明", "--requester", "bank"),
            *("--purpose", "in_province", *field_args(KINSHIP), "--json"),
        )
        assert issued.returncode == 2 and js(issued)["field"] == "catalog", issued
    assert snapshot(station_dir)[0] == before[0]
    decided = run(station_dir, "--catalog", str(forged), "decide", "--kind", "亲属关系证明",
                  "--requester", "bank", "--purpose", "in_province")  # fmt: skip
    assert decided.returncode == 0


def test_an_administrator_alone_cannot_make_an_approver(ctx: Context) -> None:
    """Adding, resetting or disabling a supervisor's (or an administrator's) account needs a
    supervisor's own password; a supervisor whose password the administrator set cannot
    approve anything until they have chosen their own."""
    admin = signed_in(ctx, ADMIN)
    before = audit_count(ctx)
    new_supervisor = {"code": "200009", "name": "吴所长", "role": "supervisor"}
    with pytest.raises(ApprovalRequired):
        officers.add_officer(ctx, actor=admin, password="first-pass-9", **new_supervisor)
    with pytest.raises(ApprovalRequired):
        officers.add_officer(
            ctx, actor=admin, code="300009", name="郑管理", role="admin", password="first-pass-9"
        )
    for act in (officers.reset_password, officers.disable_officer):
        extra = {"password": "first-pass-9"} if act is officers.reset_password else {}
        with pytest.raises(ApprovalRequired):
            act(ctx, actor=admin, code=SUPERVISOR, **extra)
        with pytest.raises(ApprovalRefused, match="本人"):  # not by the one it is about
            act(ctx, actor=admin, code=SUPERVISOR, approval=Approval(SUPERVISOR, PASSWORD), **extra)
    assert audit_count(ctx) == before
    officers.add_officer(
        ctx,
        actor=admin,
        password="first-pass-9",
        approval=Approval(SUPERVISOR, PASSWORD),
        **new_supervisor,
    )
    clerk = signed_in(ctx, CLERK)
    serial = _issued(ctx, clerk)
    with pytest.raises(ApprovalRefused, match="须先登录并设置本人密码"):  # the admin knows it
        certificates.void(
            ctx,
            serial=serial,
            reason="填写错误",
            officer=clerk,
            approval=Approval("200009", "first-pass-9"),
        )
    officers.reset_password(  # a clerk's password: no approval (the trail shows who reset it)
        ctx, actor=admin, code=CLERK, password="first-pass-9"
    )


def test_a_restore_is_the_administrators_and_ends_every_session(
    ctx: Context, tmp_path: Path
) -> None:
    admin = signed_in(ctx, ADMIN)
    backup = integrity.backup(ctx, tmp_path / "b.db", actor=admin)
    assert backup.stat().st_mode & 0o777 == 0o600  # citizens' data: this user's only
    assert ctx.data_dir.stat().st_mode & 0o777 == 0o700
    assert (ctx.data_dir / "certdesk.db").stat().st_mode & 0o777 == 0o600
    clerk = signed_in(ctx, CLERK)
    for code in (CLERK, SUPERVISOR, AUDITOR):
        with pytest.raises(NotPermitted):
            integrity.restore(ctx, backup, actor=signed_in(ctx, code))
    _issued(ctx, clerk)  # moves the clock mark past the backup's
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        (mark,) = conn.execute(
            "SELECT value FROM sync_state WHERE name='clock_high_water'"
        ).fetchone()
    kept = integrity.restore(ctx, backup, actor=admin)
    assert kept.stat().st_mode & 0o777 == 0o600
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        (officer,) = conn.execute(
            "SELECT officer_code FROM audit_events WHERE action='station.restore'"
        ).fetchone()
        still_open = conn.execute("SELECT count(*) FROM sessions WHERE ended_at IS NULL").fetchone()
        (restored_mark,) = conn.execute(
            "SELECT value FROM sync_state WHERE name='clock_high_water'"
        ).fetchone()
    assert officer == ADMIN and still_open == (0,) and restored_mark >= mark  # not the backup's
    with pytest.raises(NotSignedIn):
        certificates.list_certificates(ctx, actor=clerk)


def test_every_failed_sign_in_is_in_the_trail(ctx: Context) -> None:
    admin = signed_in(ctx, ADMIN)
    officers.disable_officer(ctx, actor=admin, code=AUDITOR)
    for code, password in (("999999", PASSWORD), (AUDITOR, PASSWORD), (CLERK, "wrong-pass-1")):
        with pytest.raises(NotSignedIn):
            auth.sign_in(ctx, code=code, password=password)
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        events = conn.execute(
            "SELECT action, officer_code, json_extract(\"after\", '$.note.code') FROM audit_events "
            "ORDER BY seq DESC LIMIT 3"
        ).fetchall()
    assert events[::-1] == [
        ("station.login_unknown", None, "999999"),
        ("officer.login_refused", AUDITOR, None),
        ("officer.login_failed", CLERK, None),
    ]


def test_a_session_ends_when_the_officer_changes_their_password_or_logs_in_again(
    station_dir: Path,
) -> None:
    login(station_dir, CLERK)
    token = session_path(station_dir).read_text()
    session_path(station_dir).unlink()  # the file gone: the session must still end
    login(station_dir, SUPERVISOR)
    session_path(station_dir).write_text(token)
    replaced = run(station_dir, "whoami")
    assert replaced.returncode == 5 and "登录已结束" in replaced.stderr
    login(station_dir, CLERK)
    changed = run(
        station_dir,
        *("password", "change", "--officer", CLERK, "--password-stdin"),
        stdin=f"{PASSWORD}\nnew-pass-word-2\n",
    )
    assert changed.returncode == 0, changed.stderr
    assert run(station_dir, "whoami").returncode == 5


def test_the_issuer_of_a_certificate_does_not_approve_its_void(ctx: Context) -> None:
    supervisor = signed_in(ctx, SUPERVISOR)
    serial = _issued(ctx, supervisor)
    clerk = signed_in(ctx, CLERK)
    for act in (certificates.void, certificates.reprint):
        with pytest.raises(ApprovalRefused, match="出具该证明"):
            act(
                ctx,
                serial=serial,
                reason="填写错误",
                officer=clerk,
                approval=Approval(SUPERVISOR, PASSWORD),
            )
    certificates.void(
        ctx,
        serial=serial,
        reason="填写错误",
        officer=clerk,
        approval=Approval(SUPERVISOR2, PASSWORD),
    )


def test_a_role_given_or_taken_with_powers_needs_a_supervisor(ctx: Context) -> None:
    """An administrator alone cannot make a clerk a supervisor (nor an administrator), nor take a
    supervisor's role away, nor change their own; the change ends the subject's sessions."""
    from app.errors import ApprovalRequired, InvalidInput, NotSignedIn
    from app.services import auth

    admin = signed_in(ctx, ADMIN)
    clerk = signed_in(ctx, CLERK)
    before = audit_count(ctx)
    with pytest.raises(ApprovalRequired):
        officers.change_role(ctx, actor=admin, code=CLERK, role="supervisor")
    with pytest.raises(ApprovalRequired):
        officers.change_role(ctx, actor=admin, code=SUPERVISOR2, role="clerk")
    with pytest.raises(InvalidInput, match="自己的角色"):
        officers.change_role(ctx, actor=admin, code=ADMIN, role="supervisor")
    with pytest.raises(InvalidInput, match="角色"):
        officers.change_role(ctx, actor=admin, code=CLERK, role="chief")
    assert audit_count(ctx) == before  # nothing recorded
    done = officers.change_role(
        ctx, actor=admin, code=CLERK, role="supervisor", approval=Approval(SUPERVISOR, PASSWORD)
    )
    assert done.role == "supervisor"
    with pytest.raises(NotSignedIn):  # their session ended: the next one carries the new role
        auth.resume(ctx, clerk.token)
    assert signed_in(ctx, CLERK).role == "supervisor"


def test_once_supervised_an_administrator_never_acts_alone_on_a_privileged_account(
    ctx: Context,
) -> None:
    """The first day's exception (no supervisor yet: the first one is added without approval)
    does not come back when the administrator disables, resets or demotes the supervisors one
    approved step at a time."""
    from app.errors import ApprovalRequired

    admin = signed_in(ctx, ADMIN)
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        assert conn.execute("SELECT supervised_since IS NOT NULL FROM station").fetchone() == (1,)
    officers.disable_officer(
        ctx, actor=admin, code=SUPERVISOR2, approval=Approval(SUPERVISOR, PASSWORD)
    )
    # one supervisor left, the subject: no approver but them, and no waiver either
    with pytest.raises(ApprovalRequired):
        officers.change_role(ctx, actor=admin, code=SUPERVISOR, role="clerk")
    with pytest.raises(ApprovalRequired):
        officers.reset_password(ctx, actor=admin, code=SUPERVISOR, password="admin-knows-1")
    with pytest.raises(ApprovalRequired):
        officers.disable_officer(ctx, actor=admin, code=SUPERVISOR)
    with pytest.raises(ApprovalRequired):
        officers.change_role(ctx, actor=admin, code=CLERK, role="supervisor")
    with pytest.raises(ApprovalRequired):
        officers.add_officer(
            ctx,
            actor=admin,
            code="200008",
            name="冯所长",
            role="supervisor",
            password="first-pass-9",
        )
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        roles = dict(conn.execute("SELECT code, role FROM officers WHERE active = 1").fetchall())
    assert roles[SUPERVISOR] == "supervisor" and roles[CLERK] == "clerk" and "200008" not in roles


def test_a_supervisors_lock_is_lifted_with_another_supervisor_and_refusals_cost_no_password(
    ctx: Context,
) -> None:
    """Five wrong guesses at a supervisor's password lock them; the administrator alone cannot
    lift that lock to guess five more. And what is refused anyway (one's own account, the role
    already held) is refused before an approver's password is tried."""
    from app.errors import ApprovalRequired, InvalidInput, NotSignedIn
    from app.services import auth

    admin = signed_in(ctx, ADMIN)
    for _ in range(5):
        with pytest.raises(NotSignedIn):
            auth.sign_in(ctx, code=SUPERVISOR2, password="guess-pass-1")
    with pytest.raises(ApprovalRequired):
        officers.unlock_officer(ctx, actor=admin, code=SUPERVISOR2)
    done = officers.unlock_officer(
        ctx, actor=admin, code=SUPERVISOR2, approval=Approval(SUPERVISOR, PASSWORD)
    )
    assert done.locked_until is None
    wrong = Approval(SUPERVISOR, "not-the-password-1")
    with pytest.raises(InvalidInput, match="自己"):
        officers.disable_officer(ctx, actor=admin, code=ADMIN, approval=wrong)
    with pytest.raises(InvalidInput, match="已是"):
        officers.change_role(ctx, actor=admin, code=SUPERVISOR2, role="supervisor", approval=wrong)
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        tries = conn.execute(
            "SELECT failed_attempts FROM officers WHERE code = ?", (SUPERVISOR,)
        ).fetchone()
    assert tries == (0,)  # the supervisor's password was never tried for those


def test_a_code_for_another_province_key_needs_a_supervisor_before_it_goes_out(
    ctx: Context,
) -> None:
    """The pinned province key checks every catalog and feed: an administrator alone does not
    swap it by enrolling again with a code for another key (refused before the code is sent)."""
    import datetime as dt

    from app.errors import ApprovalRequired
    from app.protocol import crypto
    from app.protocol.signing import fingerprint
    from app.sync import enrolment
    from app.sync.transport import SyncUnavailable

    admin = signed_in(ctx, ADMIN)  # (unlocks the station: the enrolment file is sealed)
    pinned = crypto.public_bytes(crypto.new_signing_key()).hex()
    enrolment._save(
        ctx,
        enrolment.Enrolment(
            server="https://province.example",
            station_code="220102001",
            token="t" * 32,
            province_public_key=pinned,
            enrolled_at=dt.datetime.now(dt.UTC).isoformat(),
        ),
    )
    other = "ABCDEFGHJKLM" + ("ZZZZZZZZ" if fingerprint(pinned) != "ZZZZZZZZ" else "YYYYYYYY")
    before = audit_count(ctx)
    with pytest.raises(ApprovalRequired, match="省级公钥"):
        enrolment.enrol(ctx, actor=admin, server="http://127.0.0.1:9", code=other)
    assert audit_count(ctx) == before
    with pytest.raises(SyncUnavailable):  # approved: on to the server (none answers here)
        enrolment.enrol(
            ctx,
            actor=admin,
            server="http://127.0.0.1:9",
            code=other,
            approval=Approval(SUPERVISOR, PASSWORD),
        )
    same = "ABCDEFGHJKLM" + fingerprint(pinned)  # the same key: no approval asked
    with pytest.raises(SyncUnavailable):
        enrolment.enrol(ctx, actor=admin, server="http://127.0.0.1:9", code=same)
