"""Every station command through a real subprocess, checking what is printed and what is stored."""

from __future__ import annotations

import json
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from support import (
    ADMIN,
    APPROVED,
    AUDITOR,
    CERTDESK,
    CLERK,
    FIRST_PASSWORD,
    KINSHIP,
    PASSWORD,
    SUPERVISOR,
    SUPERVISOR2,
    UNNATURAL,
    execute,
    field_args,
    js,
    login,
    run,
    sql,
    tamper_backup,
)

from app.cli.parser import session_path


def counts(data: Path) -> dict[str, int]:
    with closing(sql(data / "certdesk.db")) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in (
                "cases",
                "certificates",
                "notices",
                "audit_events",
                "outbox",
                "counters",
                "exchange_requests",
                "officers",
            )
        }


def kinship_args(**override: str) -> list[str]:
    values = {**KINSHIP, **override}
    args = [
        "issue",
        "--kind",
        "亲属关系证明",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        "--json",
    ]
    for name, value in values.items():
        args += ["--field", f"{name}={value}"]
    return args


INIT = (
    "init",
    "--station-code",
    "220102001",
    "--station-name",
    "民康派出所",
    "--workstation",
    "3",
    "--admin-code",
    ADMIN,
    "--admin-name",
    "赵管理",
    "--password-stdin",
)


def add_clerk(data: Path, code: str, password: str = FIRST_PASSWORD, role: str = "clerk") -> Any:
    return run(
        data,
        "officer",
        "add",
        "--code",
        code,
        "--name",
        "张警官",
        "--role",
        role,
        "--password-stdin",
        stdin=password + "\n",
    )


def test_init_and_officers(tmp_path: Path) -> None:
    data = tmp_path / "d"
    weak = run(data, *INIT, stdin="password\n")
    assert weak.returncode == 2 and "[password]" in weak.stderr and "字母和数字" in weak.stderr
    assert not (data / "certdesk.db").exists() or counts(data)["officers"] == 0
    result = run(data, *INIT, "--json", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert js(result)["workstation"] == "03" and len(js(result)["public_key"]) == 64
    assert counts(data)["officers"] == 1  # the station and its first administrator, together
    again = run(data, *INIT, stdin=PASSWORD + "\n")
    assert again.returncode == 2 and "已初始化" in again.stderr
    # nobody signed in: the administrator's commands are refused and nothing is written
    before = counts(data)
    anonymous = add_clerk(data, CLERK)
    assert anonymous.returncode == 5 and "请先登录" in anonymous.stderr
    assert counts(data) == before
    login(data, ADMIN)
    added = add_clerk(data, CLERK)
    assert added.returncode == 0, added.stderr
    short = add_clerk(data, "100002", password="short")
    assert short.returncode == 2 and "[password]" in short.stderr
    role = add_clerk(data, "100003", role="boss")
    assert role.returncode == 2 and "[role]" in role.stderr
    listed = js(run(data, "officer", "list", "--json"))
    assert [o["code"] for o in listed] == [CLERK, ADMIN] and listed[0]["active"]
    assert listed[0]["must_change_password"] and not listed[1]["must_change_password"]
    assert run(data, "officer", "disable", CLERK).returncode == 0
    assert js(run(data, "officer", "list", "--json"))[0]["active"] is False
    bad = run(
        tmp_path / "e", *[a if a != "220102001" else "22-0" for a in INIT], stdin=PASSWORD + "\n"
    )
    assert bad.returncode == 2 and "[station_code]" in bad.stderr


def test_first_sign_in_changes_the_password(station_dir: Path) -> None:
    login(station_dir, ADMIN)
    assert add_clerk(station_dir, "100009").returncode == 0
    first = run(
        station_dir, "login", "--officer", "100009", "--password-stdin", stdin=FIRST_PASSWORD
    )
    assert first.returncode == 5 and "须先修改密码" in first.stderr
    assert js(run(station_dir, "whoami", "--json"))["officer"] == ADMIN  # no session opened

    def change_to(new: str) -> subprocess.CompletedProcess[str]:
        return run(
            station_dir,
            *("password", "change", "--officer", "100009", "--password-stdin"),
            stdin=f"{FIRST_PASSWORD}\n{new}\n",
        )

    same = change_to(FIRST_PASSWORD)
    assert same.returncode == 2 and "[new_password]" in same.stderr
    weak = change_to("abcdefgh")
    assert weak.returncode == 2 and "字母和数字" in weak.stderr
    changed = change_to("my-own-pass-7")
    assert changed.returncode == 0, changed.stderr
    ok = run(station_dir, "login", "--officer", "100009", "--password-stdin", stdin="my-own-pass-7")
    assert ok.returncode == 0, ok.stderr
    assert js(run(station_dir, "whoami", "--json"))["officer"] == "100009"
    # an administrator's reset makes the officer choose again
    login(station_dir, ADMIN)
    reset = run(
        station_dir,
        "officer",
        "reset-password",
        "100009",
        "--password-stdin",
        stdin=FIRST_PASSWORD + "\n",
    )
    assert reset.returncode == 0, reset.stderr
    again = run(
        station_dir, "login", "--officer", "100009", "--password-stdin", stdin=FIRST_PASSWORD
    )
    assert again.returncode == 5 and "须先修改密码" in again.stderr


def test_login_and_lockout(station_dir: Path) -> None:
    ok = run(station_dir, "login", "--officer", CLERK, "--password-stdin", stdin=PASSWORD)
    assert ok.returncode == 0 and "登录成功" in ok.stdout
    for attempt in range(1, 5):
        wrong = run(station_dir, "login", "--officer", CLERK, "--password-stdin", stdin="nope")
        assert wrong.returncode == 5 and f"再错{5 - attempt}次" in wrong.stderr
    locked = run(station_dir, "login", "--officer", CLERK, "--password-stdin", stdin="nope")
    assert "已锁定" in locked.stderr
    right = run(station_dir, "login", "--officer", CLERK, "--password-stdin", stdin=PASSWORD)
    assert right.returncode == 5 and "锁定" in right.stderr
    # an administrator unlocks (a clerk may not)
    assert run(station_dir, "officer", "unlock", CLERK).returncode == 5
    login(station_dir, ADMIN)
    unlocked = run(station_dir, "officer", "unlock", CLERK)
    assert unlocked.returncode == 0, unlocked.stderr
    login(station_dir, CLERK)
    login(station_dir, AUDITOR)
    assert run(station_dir, "audit", "verify").returncode == 0


def test_a_session_ends_at_logout_and_is_one_per_data_dir(station_dir: Path) -> None:
    assert run(station_dir, "whoami").returncode == 5
    login(station_dir, CLERK)
    who = js(run(station_dir, "whoami", "--json"))
    assert (who["officer"], who["role"]) == (CLERK, "clerk") and who["ends_at"] > who["since"]
    token = session_path(station_dir)
    assert token.stat().st_mode & 0o777 == 0o600
    with closing(sql(station_dir / "certdesk.db")) as conn:
        stored = [r[0] for r in conn.execute("SELECT token_hash FROM sessions")]
    assert token.read_text() not in stored and len(stored[0]) == 64  # only its hash is kept
    login(station_dir, SUPERVISOR)  # the clerk's session ends
    with closing(sql(station_dir / "certdesk.db")) as conn:
        open_ = conn.execute("SELECT count(*) FROM sessions WHERE ended_at IS NULL").fetchone()[0]
    assert open_ == 1
    assert run(station_dir, "logout").returncode == 0
    assert not token.exists()
    assert run(station_dir, "list").returncode == 5


def test_issue_kinship(station_dir: Path) -> None:
    login(station_dir, CLERK)
    result = run(station_dir, *kinship_args())
    assert result.returncode == 0, result.stderr
    out = js(result)
    assert set(out) >= {"serial", "sequence", "workstation", "status", "due_date", "case_id"}
    assert out["serial"] == "220102001-01-2026-000001-H" or out["serial"].startswith(
        "220102001-01-"
    )
    assert (out["sequence"], out["workstation"], out["status"]) == (1, "01", "issued")
    shown = js(run(station_dir, "show", out["serial"], "--json"))
    assert shown["form_values"]["applicant_name"] == "王𪚥"
    assert shown["form_values"]["relative_id"] == "11010519491231002X"  # 15 -> 18
    assert shown["issued_by"] == "张警官(100001)"
    second = js(run(station_dir, *kinship_args()))
    assert second["sequence"] == 2
    c = counts(station_dir)
    assert (c["cases"], c["certificates"]) == (2, 2)
    # outbox: one row per case and per certificate (plus the officers)
    with closing(sql(station_dir / "certdesk.db")) as conn:
        topics = [r[0] for r in conn.execute("SELECT topic FROM outbox ORDER BY seq")]
        ids = {r[0] for r in conn.execute("SELECT id FROM outbox")}
    assert topics.count("certificate") == 2 and topics.count("case") == 2
    assert len(ids) == len(topics)


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"applicant_id": "110105194912310021"}, "applicant_id", "校验码应为 X"),
        ({"applicant_name": ""}, "applicant_name", "必填"),
        ({"usage": "用" * 41}, "usage", "最长40个字"),
        ({"relative_name": "Wang"}, "relative_name", "不能含"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_written(
    station_dir: Path, override: dict[str, str], field: str, message: str
) -> None:
    login(station_dir, CLERK)
    before = counts(station_dir)
    result = run(station_dir, *kinship_args(**override))
    assert result.returncode == 2
    error = js(result)
    assert error["field"] == field and message in error["message"]
    assert counts(station_dir) == before


def test_unknown_field_missing_field_and_bad_officers(station_dir: Path) -> None:
    login(station_dir, CLERK)
    before = counts(station_dir)
    extra = run(station_dir, *kinship_args(), "--field", "colour=red")
    assert extra.returncode == 2 and "colour" in extra.stdout
    args = kinship_args()
    missing = args[: args.index("relation=父子") - 1] + args[args.index("relation=父子") + 1 :]
    result = run(station_dir, *missing)
    assert result.returncode == 2 and js(result)["field"] == "relation"
    other = run(station_dir, *[a if a != CLERK else SUPERVISOR for a in kinship_args()])
    assert other.returncode == 5 and js(other)["field"] == "officer"  # not the one signed in
    assert counts(station_dir) == before
    login(station_dir, ADMIN)
    assert run(station_dir, "officer", "disable", CLERK).returncode == 0
    disabled = run(station_dir, "login", "--officer", CLERK, "--password-stdin", stdin=PASSWORD)
    assert disabled.returncode == 5 and "停用" in disabled.stderr
    assert counts(station_dir)["certificates"] == 0


def test_issue_refuses_non_issue_outcomes(station_dir: Path) -> None:
    login(station_dir, CLERK)
    result = run(
        station_dir,
        "issue",
        "--kind",
        "死亡证明",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        "--json",
    )
    assert result.returncode == 3
    out = js(result)
    assert out["decision"]["outcome"] == "abolished" and out["decision"]["kind_id"] == "jl_death"
    assert counts(station_dir)["cases"] == 0


SPECIAL = [
    "issue",
    "--kind",
    "户籍所在地证明",
    "--requester",
    "bank",
    "--purpose",
    "abroad",
    "--officer",
    CLERK,
    "--field",
    "applicant_name=王一",
    "--field",
    "applicant_id=11010519491231002X",
    "--field",
    "subject_name=王二",
    "--field",
    "subject_id=11010519491231002X",
    "--field",
    "facts=户籍所在地为吉林省长春市南关区",
    "--field",
    "usage=国外继承",
    "--json",
]


def test_special_case_needs_a_supervisor(station_dir: Path) -> None:
    login(station_dir, CLERK)
    missing = run(station_dir, *SPECIAL)
    assert missing.returncode == 2 and js(missing)["field"] == "approved_by"
    before = counts(station_dir)
    for approver, password, why in (
        (CLERK, PASSWORD, "本人"),  # the acting officer
        (ADMIN, PASSWORD, "无审批权限"),  # not a supervisor
        ("999999", PASSWORD, "不存在"),
        (SUPERVISOR, "guessed-1", "密码不正确"),
    ):
        refused = run(
            station_dir,
            *SPECIAL,
            "--approved-by",
            approver,
            "--approver-password-stdin",
            stdin=password + "\n",
        )
        assert refused.returncode == 5 and js(refused)["field"] == "approved_by", approver
        assert why in js(refused)["message"], (approver, js(refused))
    after = counts(station_dir)
    assert (after["cases"], after["certificates"], after["outbox"]) == (0, 0, before["outbox"])
    with closing(sql(station_dir / "certdesk.db")) as conn:
        failures = conn.execute(
            "SELECT failed_attempts FROM officers WHERE code=?", (SUPERVISOR,)
        ).fetchone()[0]
    assert failures == 1  # the wrong approval password counts toward the supervisor's lockout
    ok = run(station_dir, *SPECIAL, *APPROVED, stdin=PASSWORD + "\n")
    assert ok.returncode == 0, ok.stderr
    shown = js(run(station_dir, "show", js(ok)["serial"], "--json"))
    assert shown["special_case"] and shown["approved_by"] == "李所长(200001)"
    assert shown["issued_by"] == "张警官(100001)"
    assert shown["form_id"] == "population_register_facts"
    # a supervisor at the counter is approved by another supervisor, never by themself
    login(station_dir, SUPERVISOR)
    special = [a if a != CLERK else SUPERVISOR for a in SPECIAL]
    own = run(station_dir, *special, *APPROVED, stdin=PASSWORD + "\n")
    assert own.returncode == 5 and "本人" in js(own)["message"]
    second = run(
        station_dir,
        *special,
        "--approved-by",
        SUPERVISOR2,
        "--approver-password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert second.returncode == 0, second.stdout
    assert js(run(station_dir, "show", js(second)["serial"], "--json"))["approved_by"] == (
        "周副所长(200002)"
    )


def test_investigation_receipt_then_finish_or_refuse(station_dir: Path) -> None:
    login(station_dir, CLERK)
    args = [
        "issue",
        "--kind",
        "非正常死亡证明",
        "--requester",
        "other",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        *field_args(UNNATURAL),
        "--json",
    ]
    first = js(run(station_dir, *args))
    assert first["status"] == "pending_investigation" and first["serial"] is None
    assert first["due_date"] and first["notice_no"].endswith("N000001")
    finished = js(
        run(station_dir, "case", "finish", first["case_no"], "--officer", CLERK, "--json")
    )
    assert finished["status"] == "issued" and finished["sequence"] == 1
    again = run(station_dir, "case", "finish", first["case_no"], "--officer", CLERK)
    assert again.returncode == 2 and "不在调查中" in again.stderr
    second = js(run(station_dir, *args))
    unapproved = run(station_dir, "case", "refuse", second["case_id"], "--reason", "调查未能确认")
    assert unapproved.returncode == 2 and "[approved_by]" in unapproved.stderr
    refused = js(
        run(
            station_dir,
            "case",
            "refuse",
            second["case_id"],
            "--reason",
            "调查未能确认死亡原因",
            "--officer",
            CLERK,
            "--json",
            *APPROVED,
            stdin=PASSWORD + "\n",
        )
    )
    assert refused["notice_type"] == "refusal"
    assert counts(station_dir)["certificates"] == 1


def test_notices(station_dir: Path) -> None:
    login(station_dir, CLERK)
    refusal = js(
        run(
            station_dir,
            "notice",
            "--kind",
            "无房证明",
            "--requester",
            "bank",
            "--purpose",
            "in_province",
            "--officer",
            CLERK,
            "--json",
        )
    )
    assert refusal["notice_type"] == "refusal" and refusal["report_to_superior"]
    exchange = js(
        run(
            station_dir,
            "notice",
            "--kind",
            "注销户口证明",
            "--requester",
            "court",
            "--purpose",
            "in_province",
            "--officer",
            CLERK,
            "--json",
        )
    )
    assert exchange["notice_type"] == "exchange"
    missing = js(
        run(
            station_dir,
            "notice",
            "--kind",
            "亲属关系证明",
            "--requester",
            "bank",
            "--purpose",
            "in_province",
            "--officer",
            CLERK,
            "--missing",
            "户口簿",
            "--missing",
            "委托书",
            "--json",
        )
    )
    assert missing["notice_type"] == "missing_materials"
    issue_kind = run(
        station_dir,
        "notice",
        "--kind",
        "亲属关系证明",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        "--json",
    )
    assert issue_kind.returncode == 3
    c = counts(station_dir)
    assert (c["notices"], c["exchange_requests"], c["certificates"]) == (3, 1, 0)
    with closing(sql(station_dir / "certdesk.db")) as conn:
        content = json.loads(
            conn.execute("SELECT content FROM notices WHERE type='missing_materials'").fetchone()[0]
        )
    assert content["missing"] == ["户口簿", "委托书"]


def test_list_show_search_void(station_dir: Path) -> None:
    login(station_dir, CLERK)
    serial = js(run(station_dir, *kinship_args()))["serial"]
    listed = js(run(station_dir, "list", "--json"))
    assert listed[0]["serial"] == serial and listed[0]["kind"] == "jl_kinship"
    assert set(listed[0]) >= {"serial", "sequence", "workstation", "kind", "status", "issued_at"}
    for text in (serial, "11010519491231002X", "110105491231002", "王", "王𪚥", "wang"):
        found = js(run(station_dir, "search", text, "--json"))
        assert [f["serial"] for f in found] == [serial], text
    assert js(run(station_dir, "search", "李", "--json")) == []
    unapproved = run(station_dir, "void", serial, "--reason", "填写错误", "--officer", CLERK)
    assert unapproved.returncode == 2 and "[approved_by]" in unapproved.stderr
    control = run(station_dir, "void", serial, "--reason", "填写\n错误", *APPROVED, stdin=PASSWORD)
    assert control.returncode == 2 and "[reason]" in control.stderr and "控制字符" in control.stderr
    voided = js(
        run(
            station_dir, "void", serial, "--reason", "填写错误", "--json", *APPROVED, stdin=PASSWORD
        )
    )
    assert voided["status"] == "void" and voided["voided_by"] == "张警官(100001)"
    assert voided["void_approved_by"] == "李所长(200001)"
    assert js(run(station_dir, "show", serial, "--json"))["void_reason"] == "填写错误"
    # the voided certificate keeps its serial; the next one takes the next number
    assert js(run(station_dir, *kinship_args()))["sequence"] == 2
    assert run(station_dir, "show", "220102001-01-2026-000099-X", "--json").returncode == 2


def test_audit_detects_an_update_behind_the_applications_back(station_dir: Path) -> None:
    login(station_dir, CLERK)
    serial = js(run(station_dir, *kinship_args()))["serial"]
    login(station_dir, AUDITOR)
    assert js(run(station_dir, "audit", "verify", "--json"))["ok"] is True
    execute(
        station_dir / "certdesk.db",
        f"UPDATE certificates SET subject_name='李四' WHERE serial='{serial}'",
    )
    report = run(station_dir, "audit", "verify", "--json")
    assert report.returncode == 1
    assert serial in js(report)["problem"] and "直接修改" in js(report)["problem"]


def test_audit_names_the_first_broken_link(station_dir: Path) -> None:
    login(station_dir, CLERK)
    run(station_dir, *kinship_args())
    login(station_dir, AUDITOR)
    with closing(sql(station_dir / "certdesk.db")) as conn:
        seq = conn.execute(
            "SELECT min(seq) FROM audit_events WHERE action='certificate.issue'"
        ).fetchone()[0]
        conn.execute("UPDATE audit_events SET action='x' WHERE seq=?", (seq,))
        conn.commit()
    report = js(run(station_dir, "audit", "verify", "--json"))
    assert report["ok"] is False and report["broken_seq"] == seq
    assert report["problem"] == f"第 {seq} 条审计记录被改动(哈希不符)"
    execute(station_dir / "certdesk.db", "DELETE FROM audit_events WHERE seq=2")
    assert js(run(station_dir, "audit", "verify", "--json"))["broken_seq"] == 2


def test_backup_and_restore_round_trip(station_dir: Path, tmp_path: Path) -> None:
    login(station_dir, CLERK)
    first = js(run(station_dir, *kinship_args()))["serial"]
    backup = tmp_path / "backup.db"
    assert run(station_dir, "backup", str(backup)).returncode == 5  # an administrator's task
    login(station_dir, ADMIN)
    assert run(station_dir, "backup", str(backup)).returncode == 0
    login(station_dir, CLERK)
    second = js(run(station_dir, *kinship_args()))["serial"]
    assert run(station_dir, "restore", str(backup)).returncode == 5
    login(station_dir, ADMIN)
    restored = run(station_dir, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert run(station_dir, "whoami").returncode == 5  # the restored station starts signed out
    login(station_dir, CLERK)
    serials = [c["serial"] for c in js(run(station_dir, "list", "--json"))]
    assert serials == [first]
    login(station_dir, AUDITOR)
    assert run(station_dir, "audit", "verify").returncode == 0
    kept = list((station_dir / "backups").glob("*before-restore.db"))
    assert len(kept) == 1  # the database as it was before the restore
    with closing(sql(kept[0])) as conn:
        assert conn.execute("SELECT count(*) FROM certificates").fetchone()[0] == 2
    assert second not in serials


def test_restore_refuses_a_bad_backup(station_dir: Path, tmp_path: Path) -> None:
    login(station_dir, CLERK)
    run(station_dir, *kinship_args())
    login(station_dir, ADMIN)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = run(station_dir, "restore", str(junk))
    assert result.returncode == 2 and "[file]" in result.stderr
    tampered = tmp_path / "tampered.db"
    run(station_dir, "backup", str(tampered))
    tamper_backup(tampered, "UPDATE certificates SET status='void'", station_dir)
    refused = run(station_dir, "restore", str(tampered))
    assert refused.returncode == 2 and "审计" in refused.stderr
    login(station_dir, CLERK)
    assert js(run(station_dir, "list", "--json"))[0]["status"] == "issued"


def test_serial_check() -> None:
    ok = subprocess.run(
        [str(CERTDESK), "serial", "check", "220102001-01-2026-000001-H", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["sequence"] == 1
    bad = subprocess.run(
        [str(CERTDESK), "serial", "check", "220102001-01-2026-000001-G"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "校验码应为 H" in bad.stderr


def test_commands_need_an_initialised_station(tmp_path: Path) -> None:
    result = run(tmp_path / "empty", *kinship_args())
    assert result.returncode == 2 and "certdesk init" in result.stdout


def test_the_auditor_exports_the_trail_with_actor_and_approver(
    station_dir: Path, tmp_path: Path
) -> None:
    login(station_dir, CLERK)
    serial = js(run(station_dir, *kinship_args()))["serial"]
    voided = run(station_dir, "void", serial, "--reason", "填写错误", *APPROVED, stdin=PASSWORD)
    assert voided.returncode == 0, voided.stderr
    target = tmp_path / "trail.csv"
    assert run(station_dir, "audit", "export", str(target)).returncode == 5  # not a clerk's
    login(station_dir, AUDITOR)
    exported = run(station_dir, "audit", "export", str(target))
    assert exported.returncode == 0, exported.stderr
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert "审计链完整" in "\n".join(lines[:4])
    header = next(i for i, line in enumerate(lines) if line.startswith("序号,"))
    assert lines[header].split(",")[:5] == ["序号", "时间", "经办民警", "审批人", "操作"]
    rows = [line.split(",") for line in lines[header + 1 :]]
    assert [r[2:5] for r in rows if r[4] == "certificate.void"] == [
        [CLERK, SUPERVISOR, "certificate.void"]
    ]
    assert [r[2] for r in rows if r[4] == "officer.add"] == [ADMIN] * 5  # the first: by itself
    assert KINSHIP["applicant_id"] not in target.read_text(encoding="utf-8-sig")
