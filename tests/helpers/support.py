"""Constants the tests share: the set-up station's officers and a filled kinship form."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

CERTDESK = Path(sys.executable).parent / "certdesk"

CLERK, SUPERVISOR, ADMIN, AUDITOR = "100001", "200001", "300001", "400001"
SUPERVISOR2 = "200002"  # a second supervisor: approves what the first does
PASSWORD = "counter-pass-1"
FIRST_PASSWORD = "first-pass-9"  # what the administrator sets; each officer changes it
UNNATURAL = {  # 非正常死亡证明: a kind that needs investigation
    "applicant_name": "王一",
    "applicant_id": "11010519491231002X",
    "deceased_name": "王二",
    "death_date": "2026-10-01",
    "death_place": "南关区",
    "cause": "溺水",
    "usage": "保险理赔",
}
KINSHIP = {
    "applicant_name": "王𪚥",
    "applicant_id": "11010519491231002X",
    "relative_name": "王小明",
    "relative_id": "110105491231002",
    "relation": "父子",
    "usage": "银行开户",
}


def run(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The certdesk command in a subprocess, on the data dir ``data``."""
    env = {**os.environ, "CERTDESK_DATA_DIR": str(data)}
    done = subprocess.run(
        [str(CERTDESK), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )
    keep_recovery_key(data, args, done.stdout)
    return done


RECOVERY_KEY = re.compile(r"[A-Z2-9]{5}(?:-[A-Z2-9]{5}){7}")


def keep_recovery_key(data: Path, args: Any, output: str) -> None:
    """After ``certdesk init``: keep the recovery key it showed once, beside the data dir."""
    found = RECOVERY_KEY.search(output) if args and args[0] == "init" else None
    if found:
        recovery_file(data).write_text(found.group(0), encoding="ascii")


def js(result: subprocess.CompletedProcess[str]) -> Any:
    """The JSON a command printed (failing the test with its stderr when it printed none)."""
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def ime_commit(widget: Any, text: str) -> None:
    """Type Chinese as an input method delivers it (a committed string, not key presses:
    QTest.keyClicks only knows ASCII and aborts on other characters)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def field_args(values: dict[str, str]) -> list[str]:
    """``--field NAME=VALUE`` for every value, as the issue command takes them."""
    return [arg for name, value in values.items() for arg in ("--field", f"{name}={value}")]


STATION = "220102001"
OFFICERS = (
    (CLERK, "张警官", "clerk"),
    (SUPERVISOR, "李所长", "supervisor"),
    (SUPERVISOR2, "周副所长", "supervisor"),
    (AUDITOR, "孙审计", "auditor"),
)


_TEMPLATES: dict[tuple[str, str, str], Path] = {}
_USED: set[tuple[tuple[str, str, str], str]] = set()


def recovery_file(data: Path) -> Path:
    """Where the tests keep a station's recovery key: beside its data dir, never inside."""
    return data.with_name(data.name + ".recovery")


def make_station(
    path: Path,
    code: str = STATION,
    name: str = "长春市南关区民康派出所",
    clock: Any = None,
    workstation: str = "01",
) -> None:
    """A station set up as a station does it: the first administrator (ADMIN) with the station,
    who adds the other officers; each signs in once to change the password the administrator
    set, to PASSWORD. Its recovery key is kept beside the data dir (``recovery_file``).

    Without a clock, the station is set up once per test run and copied (its data key, keys and
    records the same; each Argon2 slot costs a fifth of a second)."""
    import shutil
    import tempfile

    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    key = (code, name, workstation)
    shared = clock is None and (key, test) not in _USED  # (a second in a test: a new PC)
    if shared and not test.startswith("tests/server/"):  # (the province tells keys apart)
        _USED.add((key, test))
        template = _TEMPLATES.get(key)
        if template is None:
            template = Path(tempfile.mkdtemp(prefix="certdesk-template-")) / "station"
            _make_station(template, code, name, None, workstation)
            _TEMPLATES[key] = template
        shutil.copytree(template, path, dirs_exist_ok=True)
        shutil.copyfile(recovery_file(template), recovery_file(path))
        return
    _make_station(path, code, name, clock, workstation)


def _make_station(path: Path, code: str, name: str, clock: Any, workstation: str) -> None:
    from app.context import Context
    from app.services import auth
    from app.services.officers import add_officer
    from app.services.station import FirstAdmin, init_station

    ctx = Context(path, clock=clock) if clock is not None else Context(path)
    info = init_station(
        ctx,
        code=code,
        name=name,
        workstation=workstation,
        admin=FirstAdmin(ADMIN, "赵管理", PASSWORD),
    )
    admin = auth.sign_in(ctx, code=ADMIN, password=PASSWORD)
    for officer, officer_name, role in OFFICERS:
        add_officer(  # a second supervisor: approved by the first
            ctx,
            actor=admin,
            code=officer,
            name=officer_name,
            role=role,
            password=FIRST_PASSWORD,
            approval=approval(SUPERVISOR) if officer == SUPERVISOR2 else None,
        )
        auth.change_password(ctx, code=officer, old=FIRST_PASSWORD, new=PASSWORD)
    auth.sign_out(ctx, admin.token)
    ctx.close()
    recovery_file(path).write_text(info.recovery_key, encoding="ascii")


def station_key(data: Path) -> bytes:
    """The data key of the station in ``data``, opened with its recovery key (as a test reads
    what is stored without signing anyone in)."""
    from app.records import vault

    slots = vault.Vault(data).read()
    return vault.unwrap_recovery(slots, recovery_file(data).read_text(encoding="ascii"))


def sql(path: Path, station: Path | None = None) -> Any:
    """A DB-API connection to a station database or a copy of one (``station``: whose key;
    by default the data dir the file lies in, or above), plain files opened as they are."""
    from app.records.db.migrate import is_plain
    from app.records.db.session import connect

    if is_plain(path) or (path.exists() and path.stat().st_size == 0):
        return connect(path, None)
    if station is None:
        station = next(
            p for p in Path(path).resolve().parents if p.name and recovery_file(p).exists()
        )
    return connect(path, station_key(station))


def dump(path: Path, station: Path | None = None) -> str:
    """The database's content as SQL (what ``sqlite3 FILE .dump`` shows of a plain file)."""
    from contextlib import closing

    with closing(sql(path, station)) as conn:
        lines = []
        for name, schema in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall():
            lines.append(schema)
            if schema.upper().startswith("CREATE TABLE"):
                lines += [repr(row) for row in conn.execute(f'SELECT * FROM "{name}"')]
        return "\n".join(lines)


def signed_in(ctx: Any, code: str) -> Any:
    """``code`` signed in on ``ctx`` (an Actor), as the window signs an officer in."""
    from app.services import auth

    return auth.sign_in(ctx, code=code, password=PASSWORD, kind="window")


def approval(code: str = SUPERVISOR) -> Any:
    from app.records.sessions import Approval

    return Approval(code, PASSWORD)


def login(data: Path, code: str) -> subprocess.CompletedProcess[str]:
    """``certdesk login`` on ``data`` as ``code`` (the session every other command acts under)."""
    done = run(data, "login", "--officer", code, "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    return done


APPROVED = ("--approved-by", SUPERVISOR, "--approver-password-stdin")  # stdin: PASSWORD


_SIGNED_IN: dict[tuple[str, str], Any] = {}


def as_officer(ctx: Any, code: str) -> Any:
    """``code`` signed in on ``ctx``'s data dir, once per test run and data dir (an Argon2 check
    per call would slow the tests; the session lasts longer than a test)."""
    key = (str(ctx.data_dir), code)
    if key not in _SIGNED_IN or ctx.locked:  # (another Context on the dir: unlocked by signing in)
        _SIGNED_IN[key] = signed_in(ctx, code)
    return _SIGNED_IN[key]


def qr_text(pdf: Path) -> str:
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(pdf.with_suffix(".png"))],
        capture_output=True,
        text=True,
        check=True,
    )
    return scanned.stdout.strip()


def qr_body(text: str) -> dict[str, Any]:
    """What a version-2 QR carries (read as any scanner app can: base32, then raw deflate)."""
    import base64
    import json
    import zlib

    packed = text.removeprefix("CD2:").partition(".")[0]
    body: dict[str, Any] = json.loads(
        zlib.decompress(base64.b32decode(packed + "=" * (-len(packed) % 8)), -15)
    )
    return body


def altered_qr(text: str, **facts: str) -> str:
    """A version-2 QR's content with some facts changed and its signature kept: what someone who
    edits the paper and prints a matching QR would produce."""
    import base64
    import json
    import zlib

    body = qr_body(text)
    body["x"].update(facts)
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    again = base64.b32encode(packer.compress(raw) + packer.flush()).decode().rstrip("=")
    return f"CD2:{again}.{text.partition('.')[2]}"


def execute(path: Path, statement: str, station: Path | None = None) -> None:
    """A statement run on the file directly, bypassing certdesk (as someone with the key and
    the sqlite3 shell would: foreign keys off)."""
    from contextlib import closing

    with closing(sql(path, station)) as conn:
        conn.execute(statement)
        conn.commit()


def tamper_backup(backup: Path, statement: str, station: Path) -> None:
    """A backup file with ``statement`` run on the database inside it (its zip rewritten)."""
    import shutil
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(backup) as packed:
            packed.extractall(folder)
            names = packed.namelist()
        execute(Path(folder) / "certdesk.db", statement, station)
        rebuilt = Path(folder) / "rebuilt.zip"
        with zipfile.ZipFile(rebuilt, "w") as out:
            for name in names:
                out.write(Path(folder) / name, name)
        shutil.copyfile(rebuilt, backup)


def as_before_encryption(data: Path) -> None:
    """Turn a station into one from before encryption: a plain database, plain files, no slot
    file (what an upgraded counter PC has on its disk)."""
    from contextlib import closing

    from app.records import vault
    from app.records.db.session import connect

    key = station_key(data)
    plain = data / "plain.db"
    with closing(connect(data / "certdesk.db", key)) as conn:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    for suffix in ("-wal", "-shm"):
        (data / f"certdesk.db{suffix}").unlink(missing_ok=True)
    plain.replace(data / "certdesk.db")
    for path in [*data.glob("archive/*/*"), *data.glob("prints/*"), *data.glob("keys/*")]:
        path.write_bytes(vault.unseal_for(key, data, path, path.read_bytes()))
    import shutil
    import tempfile
    import zipfile

    for packed in [p for p in data.glob("backups/*") if zipfile.is_zipfile(p)]:
        with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(packed) as old:
            old.extractall(folder)
            db = Path(folder) / "certdesk.db"
            with closing(connect(db, key)) as conn:
                conn.execute("ATTACH DATABASE ? AS plain KEY ''", (f"{db}.plain",))
                conn.execute("SELECT sqlcipher_export('plain')")
                conn.execute("DETACH DATABASE plain")
            rebuilt = Path(folder) / "rebuilt.zip"
            with zipfile.ZipFile(rebuilt, "w") as out:
                out.write(f"{db}.plain", "certdesk.db")
                for name in old.namelist():
                    if name not in ("certdesk.db", "certdesk.keys"):
                        blob = old.read(name)
                        if blob.startswith(b"CDSEAL"):
                            blob = vault.unseal_for(key, data, data / name, blob)
                        out.writestr(name, blob)
            shutil.copyfile(rebuilt, packed)
    shutil.copyfile(data / "certdesk.db", data / "backups" / "by-hand.bak")  # an old-style copy
    (data / "certdesk.keys").unlink()


def province_token(data: Path) -> str:
    """The station token enrolment keeps (sealed in ``keys/province.json``), opened with the
    station's key."""
    from app.records import vault

    path = data / "keys" / "province.json"
    token: str = json.loads(vault.open_for(station_key(data), data, path))["token"]
    return token
