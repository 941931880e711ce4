"""A stolen counter PC gives away nothing: every file in the data dir is encrypted under the data
key, which only an active officer's password, a command-line session or the recovery key opens."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import (
    ADMIN,
    CLERK,
    KINSHIP,
    PASSWORD,
    approval,
    as_before_encryption,
    field_args,
    js,
    login,
    recovery_file,
    run,
    signed_in,
)

from app.context import Context
from app.errors import CertdeskError, InvalidInput, NotSignedIn
from app.policy.decision import Request
from app.records import vault
from app.records.printing import certificate_renderer
from app.services import certificates, counter, integrity, officers
from app.sync import enrolment

KIN = Request("亲属关系证明", "bank", "in_province")
# distinctive people: a character outside the BMP (王𪚥), rare surnames, identity numbers
PEOPLE = [
    ("王𪚥", "11010519491231002X"),
    ("欧阳燚", "220102198807150030"),
    ("亓官翀", "130503196702280354"),
]


def _needles() -> dict[str, list[bytes]]:
    needles: dict[str, list[bytes]] = {}
    for name, number in PEOPLE:
        forms = [name.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]
        forms += [number.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]
        digits = int(number[:17])  # the number as an integer, as a careless schema keeps it
        forms += [digits.to_bytes(8, "little"), digits.to_bytes(8, "big")]
        needles[name] = forms
    return needles


def _make_busy(station_dir: Path) -> Context:
    """The station issues, prints, reprints, backs up and enrols (a token kept); its database is
    left open (the WAL holds the latest pages)."""
    ctx = Context(station_dir)
    clerk = signed_in(ctx, CLERK)
    serials = []
    for name, number in PEOPLE:
        values = {**KINSHIP, "applicant_name": name, "applicant_id": number}
        serials.append(
            counter.issue(
                ctx, request=KIN, officer=clerk, values=values, render=certificate_renderer(ctx)
            ).serial
        )
    certificates.reprint(
        ctx, serial=serials[0], reason="原件遗失", officer=clerk, approval=approval()
    )
    integrity.backup(ctx, station_dir / "backups" / "weekly.zip", actor=signed_in(ctx, ADMIN))
    enrolment._save(  # what enrolment keeps: the station token
        ctx,
        enrolment.Enrolment(
            "https://sheng.example", "220102001", "TOKEN-" + "s" * 40, "ab" * 32, ""
        ),
    )
    return ctx


@pytest.fixture()
def busy(station_dir: Path) -> Iterator[Path]:
    """A station that has issued, printed, reprinted, backed up and enrolled, still open."""
    ctx = _make_busy(station_dir)
    yield station_dir
    ctx.close()


@pytest.fixture()
def worked(station_dir: Path) -> Path:
    """The same station, closed (as at the end of a day)."""
    _make_busy(station_dir).close()
    return station_dir


def test_no_file_in_the_data_dir_holds_a_name_or_an_identity_number(busy: Path) -> None:
    files = [p for p in busy.rglob("*") if p.is_file()]
    names = {p.relative_to(busy).as_posix() for p in files}
    assert {"certdesk.db", "certdesk.keys", "keys/station-ed25519.pem"} <= names
    assert any(n.startswith("archive/") for n in names) and any(
        n.startswith("prints/") for n in names
    )
    assert "certdesk.db-wal" in names and "backups/weekly.zip" in names
    secrets = [b"TOKEN-" + b"s" * 40, b"PRIVATE KEY", b"%PDF"]
    for path in files:
        data = path.read_bytes()
        for name, needles in _needles().items():
            for needle in needles:
                assert needle not in data, (path.name, name, needle)
        for secret in secrets:
            assert secret not in data, (path.name, secret)


def test_the_sqlite3_shell_cannot_read_the_database(busy: Path) -> None:
    shell = subprocess.run(
        ["sqlite3", str(busy / "certdesk.db"), "SELECT count(*) FROM certificates"],
        capture_output=True,
        text=True,
    )
    assert shell.returncode != 0 and "not a database" in shell.stderr


def test_what_is_sealed_opens_in_memory_only_with_the_key(busy: Path) -> None:
    ctx = Context(busy)
    assert ctx.locked
    with pytest.raises(NotSignedIn):
        certificates.open_printed(
            ctx, next(busy.glob("archive/*/*.pdf")).relative_to(busy).as_posix()
        )
    clerk = signed_in(ctx, CLERK)
    assert clerk and not ctx.locked
    pdf = certificates.open_printed(
        ctx, next(busy.glob("archive/*/*.pdf")).relative_to(busy).as_posix()
    )
    assert pdf.startswith(b"%PDF")
    assert certificates.open_printed(
        ctx, next(busy.glob("prints/*.pdf")).relative_to(busy).as_posix()
    ).startswith(b"%PDF")
    assert enrolment.load_enrolment(ctx).token == "TOKEN-" + "s" * 40  # type: ignore[union-attr]
    moved = busy / "archive" / "elsewhere.pdf"  # a sealed file is bound to its place
    moved.write_bytes(next(busy.glob("archive/*/*.pdf")).read_bytes())
    with pytest.raises(CertdeskError, match="无法解密"):
        certificates.open_printed(ctx, "archive/elsewhere.pdf")
    with pytest.raises(InvalidInput):
        certificates.open_printed(ctx, "../certdesk.keys")
    ctx.close()


def test_a_disabled_officers_password_opens_nothing(station_dir: Path) -> None:
    ctx = Context(station_dir)
    admin = signed_in(ctx, ADMIN)
    officers.disable_officer(ctx, actor=admin, code=CLERK)
    ctx.close()
    slots = vault.Vault(station_dir).read()
    assert f"officer:{CLERK}" not in slots.slots
    with pytest.raises(NotSignedIn):
        vault.unwrap_officer(slots, CLERK, PASSWORD)
    fresh = Context(station_dir)
    with pytest.raises(NotSignedIn, match="警号或密码不正确"):
        signed_in(fresh, CLERK)
    assert fresh.locked  # nothing was opened
    fresh.close()


def test_wrong_passwords_while_locked_lock_the_slot_and_reach_the_audit_trail(
    station_dir: Path,
) -> None:
    before = (station_dir / "certdesk.db").read_bytes()
    ctx = Context(station_dir)
    for left in (4, 3, 2, 1):
        with pytest.raises(NotSignedIn, match=f"再错{left}次"):
            ctx.vault.unlock_officer(CLERK, "wrong-pass-1", ctx.now())
    with pytest.raises(NotSignedIn, match="已锁定15分钟"):
        ctx.vault.unlock_officer(CLERK, "wrong-pass-1", ctx.now())
    with pytest.raises(NotSignedIn, match="已锁定"):  # the right one waits too
        ctx.vault.unlock_officer(CLERK, PASSWORD, ctx.now())
    assert (station_dir / "certdesk.db").read_bytes() == before  # nothing written, nothing read
    admin = signed_in(ctx, ADMIN)  # the next unlock records them
    from sqlalchemy import select

    from app.records.db.models import AuditEvent

    with ctx.db.reading() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "officer.login_failed")
        ).all()
    assert [(e.officer_code, (e.after or {}).get("note")) for e in events] == [
        (CLERK, {"count": 5, "while": "locked", "locked": True})
    ]
    officers.unlock_officer(ctx, actor=admin, code=CLERK)  # the administrator lifts the lock
    ctx.lock()
    assert signed_in(ctx, CLERK).code == CLERK
    ctx.close()


def test_a_database_without_its_slots_or_with_damaged_ones_says_so_and_changes_nothing(
    station_dir: Path,
) -> None:
    keys = station_dir / "certdesk.keys"
    db = station_dir / "certdesk.db"
    before = db.read_bytes()
    kept = keys.read_bytes()
    keys.unlink()
    ctx = Context(station_dir)
    with pytest.raises(vault.KeysUnusable, match="缺少密钥槽文件"):
        signed_in(ctx, CLERK)
    keys.write_bytes(b'{"format": "certdesk-keys", "slots": [')
    ctx = Context(station_dir)
    with pytest.raises(vault.KeysUnusable, match="已损坏"):
        signed_in(ctx, CLERK)
    assert db.read_bytes() == before and keys.read_bytes().endswith(b"[")
    keys.write_bytes(kept)
    assert signed_in(Context(station_dir), CLERK).code == CLERK


def test_the_recovery_key_sets_an_administrators_password(station_dir: Path) -> None:
    key = recovery_file(station_dir).read_text()
    typo = key[:-1] + ("A" if key[-1] != "A" else "B")
    mistyped = run(station_dir, "recover", "--officer", ADMIN, "--recovery-key-stdin",
                   stdin=f"{typo}\nnew-admin-pass-2\n")  # fmt: skip
    assert mistyped.returncode == 2 and "校验不符" in mistyped.stderr
    clerk = run(station_dir, "recover", "--officer", CLERK, "--recovery-key-stdin",
                stdin=f"{key}\nnew-admin-pass-2\n")  # fmt: skip
    assert clerk.returncode == 2 and "不是本站在用的管理员" in clerk.stderr
    done = run(station_dir, "recover", "--officer", ADMIN, "--recovery-key-stdin",
               stdin=f"{key.lower().replace('-', ' ')}\nnew-admin-pass-2\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    old = run(station_dir, "login", "--officer", ADMIN, "--password-stdin", stdin=PASSWORD)
    assert old.returncode == 5
    new = run(
        station_dir, "login", "--officer", ADMIN, "--password-stdin", stdin="new-admin-pass-2"
    )
    assert new.returncode == 0, new.stderr
    ctx = Context(station_dir)
    signed_in(ctx, CLERK)
    from sqlalchemy import select

    from app.records.db.models import AuditEvent

    with ctx.db.reading() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert "officer.recovered" in actions
    ctx.close()


def test_a_backup_restores_on_a_new_pc_with_the_recovery_key(
    station_dir: Path, tmp_path: Path
) -> None:
    login(station_dir, CLERK)
    serial = js(run(station_dir, "issue", "--kind", "亲属关系证明", "--requester", "bank",
                    "--purpose", "in_province", "--json", *field_args(KINSHIP)))["serial"]  # fmt: skip
    login(station_dir, ADMIN)
    backup = tmp_path / "usb" / "station.backup"
    assert run(station_dir, "backup", str(backup)).returncode == 0
    new = tmp_path / "new-pc"
    wrong = run(new, "restore", str(backup), "--recovery-key-stdin",
                stdin="AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA\n")  # fmt: skip
    assert wrong.returncode == 2 and not (new / "certdesk.db").exists()
    key = recovery_file(station_dir).read_text()
    done = run(new, "restore", str(backup), "--recovery-key-stdin", stdin=key + "\n")
    assert done.returncode == 0, done.stderr
    assert not list(new.glob("restore-staging*"))
    login(new, CLERK)  # the officers' own passwords open it there
    assert js(run(new, "show", serial, "--json"))["serial"] == serial
    login(new, "400001")
    assert js(run(new, "audit", "verify", "--json"))["ok"] is True
    assert (new / "keys" / "station-ed25519.pem").exists()


def test_a_plain_station_is_encrypted_in_place_at_the_first_administrator_sign_in(
    worked: Path,
) -> None:
    busy = worked
    as_before_encryption(busy)
    assert (busy / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    assert (busy / "backups" / "by-hand.bak").read_bytes().startswith(b"SQLite format 3")
    login(busy, CLERK)  # a clerk works on as before; the station waits for an administrator
    assert not (busy / "certdesk.keys").exists()
    assert run(busy, "list").returncode == 0
    done = run(busy, "login", "--officer", ADMIN, "--password-stdin", "--json", stdin=PASSWORD)
    assert done.returncode == 0, done.stderr
    recovery = js(done)["recovery_key"]
    assert vault.normalise_recovery_key(recovery)
    assert not (busy / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    assert not list(busy.rglob("*.encrypting")) and not (busy / "encrypting.pending").exists()
    for path in [p for p in busy.rglob("*") if p.is_file()]:
        data = path.read_bytes()
        for needles in _needles().values():
            assert not any(n in data for n in needles), path
    assert len(js(run(busy, "list", "--json"))) == len(PEOPLE)  # every record still there
    login(busy, CLERK)  # (the administrator's session unlocks; the clerk's slot is made)
    assert f"officer:{CLERK}" in vault.Vault(busy).read().slots
    login(busy, "400001")
    assert js(run(busy, "audit", "verify", "--json"))["ok"] is True


def test_a_conversion_that_fails_leaves_the_plain_station_working(
    worked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = worked
    from app.records import encrypting
    from app.services import auth, recovery

    as_before_encryption(busy)
    before = {p: p.read_bytes() for p in busy.rglob("*") if p.is_file()}

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(encrypting, "reencrypt", full_disk)
    ctx = Context(busy)
    admin = auth.sign_in(ctx, code=ADMIN, password=PASSWORD)
    window = Context(busy)  # another window has the station open: nothing is touched
    signed_in(window, CLERK)
    with pytest.raises(encrypting.EncryptionFailed, match="另有 certdesk 窗口或命令正在使用"):
        recovery.encrypt_station(ctx, actor=admin, password=PASSWORD)
    window.close()
    with pytest.raises(encrypting.EncryptionFailed, match="仍按未加密方式正常使用"):
        recovery.encrypt_station(ctx, actor=admin, password=PASSWORD)
    assert not (busy / "certdesk.keys").exists() and not list(busy.rglob("*.encrypting"))
    for path, data in before.items():
        if path.suffix == ".pdf" or path.parent.name == "keys":
            assert path.read_bytes() == data, path
    assert (busy / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    clerk = signed_in(ctx, CLERK)
    assert len(certificates.search(ctx, "王", actor=clerk)) >= 1
    ctx.close()


def test_an_export_is_plain_says_so_and_is_recorded(station_dir: Path, tmp_path: Path) -> None:
    from support import SUPERVISOR

    login(station_dir, SUPERVISOR)
    target = tmp_path / "usb" / "stats.csv"
    done = run(station_dir, "stats", "--export", str(target))
    assert done.returncode == 0, done.stderr
    assert "未加密" in done.stderr and "个人信息" in done.stderr
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # plain CSV, as asked
    ctx = Context(station_dir)
    signed_in(ctx, CLERK)
    from sqlalchemy import select

    from app.records.db.models import AuditEvent

    with ctx.db.reading() as session:
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "station.export")
        ).all()
    assert event.officer_code == SUPERVISOR
    assert (event.after or {}).get("note", {}).get("file") == "stats.csv"
    ctx.close()


def test_the_recovery_sheet_carries_the_key_as_text_and_as_a_qr(tmp_path: Path) -> None:
    from support import qr_text

    data = tmp_path / "new"
    sheet = tmp_path / "print" / "recovery.pdf"
    made = run(data, "init", "--station-code", "220102009", "--station-name", "民康派出所",
               "--workstation", "01", "--admin-code", ADMIN, "--admin-name", "赵管理",
               "--password-stdin", "--recovery-sheet", str(sheet), "--json",
               stdin=PASSWORD + "\n")  # fmt: skip
    assert made.returncode == 0, made.stderr
    key = js(made)["recovery_key"]
    assert "打印后请删除" in made.stderr
    assert qr_text(sheet) == key
    text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout
    assert "数据恢复密钥" in text and "保险柜" in text and "220102009" in text
    fonts = subprocess.run(["pdffonts", str(sheet)], capture_output=True, text=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())
    assert not list(data.rglob("*.pdf"))  # the sheet went where it was asked, nowhere else
    login(data, ADMIN)
    again = run(data, "recovery-key", "--json", "--sheet", str(tmp_path / "new-key.pdf"))
    assert again.returncode == 0, again.stderr
    renewed = js(again)["recovery_key"]
    assert renewed != key and qr_text(tmp_path / "new-key.pdf") == renewed
    old = vault.Vault(data).read()
    with pytest.raises(NotSignedIn):
        vault.unwrap_recovery(old, key)  # the old key opens nothing any more
    assert vault.unwrap_recovery(old, renewed)


def test_a_command_line_session_keeps_its_token_in_memory_and_ends_with_its_officer(
    station_dir: Path,
) -> None:
    import os

    from app.cli.parser import session_path

    login(station_dir, CLERK)
    token = session_path(station_dir)
    assert token.exists() and not token.is_relative_to(station_dir)
    assert token.is_relative_to(os.environ["CERTDESK_RUNTIME_DIR"])  # tmpfs on a real PC

    def sessions() -> list[str]:
        slots = vault.Vault(station_dir).read().slots
        return [v.get("officer") for n, v in slots.items() if n.startswith("session:")]

    assert sessions() == [CLERK]
    ctx = Context(station_dir)  # the administrator resets the clerk's password in the window
    admin = signed_in(ctx, ADMIN)
    officers.reset_password(ctx, actor=admin, code=CLERK, password="reset-pass-1")
    ctx.close()
    assert sessions() == []  # the token left behind opens nothing
    ended = run(station_dir, "list")
    assert ended.returncode == 5 and "登录已结束" in ended.stderr


def test_wrong_passwords_typed_at_once_all_count_and_one_lockout_holds(station_dir: Path) -> None:
    import os
    import subprocess as sp

    from support import CERTDESK, SUPERVISOR

    env = {**os.environ, "CERTDESK_DATA_DIR": str(station_dir)}
    tries = [
        sp.Popen(
            [str(CERTDESK), "login", "--officer", SUPERVISOR, "--password-stdin"],
            stdin=sp.PIPE,
            stdout=sp.PIPE,
            stderr=sp.PIPE,
            env=env,
            text=True,
        )
        for _ in range(8)
    ]
    for attempt in tries:
        attempt.communicate("wrong-pass-9\n", timeout=120)
    record = vault.Vault(station_dir).read().failures[SUPERVISOR]
    assert record.get("locked_until") and int(record["total"]) >= 5  # none overwrote another
    right = run(station_dir, "login", "--officer", SUPERVISOR, "--password-stdin", stdin=PASSWORD)
    wrong = run(station_dir, "login", "--officer", SUPERVISOR, "--password-stdin", stdin="x1")
    assert right.returncode == wrong.returncode == 5
    assert right.stderr == wrong.stderr and "已锁定" in right.stderr  # no oracle


def test_a_lock_set_while_unlocked_holds_for_the_slot_and_codes_typed_are_not_kept(
    station_dir: Path,
) -> None:
    from support import SUPERVISOR

    login(station_dir, ADMIN)  # the station unlocked by the administrator's session
    for _ in range(5):
        run(station_dir, "login", "--officer", SUPERVISOR, "--password-stdin", stdin="wrong-1")
    run(station_dir, "logout")
    right = run(station_dir, "login", "--officer", SUPERVISOR, "--password-stdin", stdin=PASSWORD)
    assert right.returncode == 5 and "已锁定" in right.stderr
    typed = run(station_dir, "login", "--officer", "Secret9pass", "--password-stdin", stdin="x")
    assert typed.returncode == 5
    assert b"Secret9pass" not in (station_dir / "certdesk.keys").read_bytes()
