"""The counter window on a real (offscreen) Qt event loop, driven with keys."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from clerk import Clerk, at_the_counter
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics
from support import (
    CLERK,
    KINSHIP,
    PASSWORD,
    SUPERVISOR,
    UNNATURAL,
    as_officer,
    make_station,
    signed_in,
    sql,
)

from app.context import Context
from app.policy.decision import Request
from app.services import counter
from ui.app import build_application, register_fonts
from ui.main_window import MainWindow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def _records(path: Path) -> str:
    """A station set up in October: an investigation accepted then (overdue now) and a kinship
    certificate issued today. Returns the certificate's serial."""
    long_ago = dt.datetime(2026, 10, 9, 2, 0, tzinfo=dt.UTC)
    make_station(path, clock=lambda: long_ago)
    old = Context(path, clock=lambda: long_ago)
    counter.issue(
        old,
        request=Request("非正常死亡证明", "other", "in_province"),
        officer=signed_in(old, CLERK),
        values=UNNATURAL,
    )
    old.close()
    ctx = Context(path)
    serial = counter.issue(
        ctx,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=as_officer(ctx, CLERK),
        values=KINSHIP,
    ).serial
    ctx.close()
    assert serial is not None
    return serial


def test_bundled_font_draws_chinese(qapp) -> None:  # type: ignore[no-untyped-def]
    families = register_fonts()
    assert families and any("UMing" in f for f in families)
    build_application([])
    metrics = QFontMetrics(qapp.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "证明工作台今日案件")
    assert families[0] in QFontDatabase.families()
    # the screen in a Hei (sans-serif) face, the Ming face behind it for what Hei lacks
    assert qapp.font().families()[:2] == ["WenQuanYi Micro Hei", "AR PL UMing CN"]
    assert QFontMetrics(QFont("WenQuanYi Micro Hei")).inFontUcs4(ord("证"))


def test_lists_search_and_overdue_in_red(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station_dir = tmp_path / "station"
    serial = _records(station_dir)
    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, signed_in(ctx, CLERK))
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    qtbot.waitUntil(lambda: window.certificates_model.rowCount() == 1, timeout=10_000)
    assert window.pending_model.rowCount() == 1
    index = window.pending_model.index(0, 3)
    assert "逾期" in window.pending_model.data(index)
    assert window.pending_model.data(index, Qt.ItemDataRole.ForegroundRole) == QColor("#c0392b")
    # which station and which counter PC, in the title and the status bar
    assert window.windowTitle() == "certdesk 证明工作台 — 长春市南关区民康派出所 第 01 号工作站"
    assert window.station_label.text() == "长春市南关区民康派出所(220102001) 第 01 号工作站"
    assert "jilin_2015" in window.catalog_label.text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window.resize(1366, 768)  # the counter PCs' common screen
    window.grab().save(str(SCREENSHOTS / "main_window.png"))

    listed_at = window.certificates_model.data(window.certificates_model.index(0, 4))
    qtbot.keyClicks(window.search, serial)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "找到 1 份证明" in window.message.text(), timeout=10_000)
    assert window.certificates_model.data(window.certificates_model.index(0, 0)) == serial
    # found or listed, a certificate shows the same China time
    assert window.certificates_model.data(window.certificates_model.index(0, 4)) == listed_at
    # the paper's title, as it is headed, not the form's id
    assert window.certificates_model.data(window.certificates_model.index(0, 1)) == "亲属关系证明"
    qtbot.keyClicks(window.search, "x")  # not a serial: the error is shown, nothing breaks
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "格式不对" in window.message.text(), timeout=10_000)
    ctx.close()


def test_selftest_opens_the_window_and_exits(station_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CERTDESK_DATA_DIR": str(station_dir)}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "certdesk"), "gui", "--selftest"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


START_TO_SIGN_IN = """
import os, sys
from pathlib import Path
from app.context import Context
from ui.app import build_application
from ui.main_window import MainWindow
from ui.sign_in import SignInDialog
app = build_application([])
ctx = Context(Path(os.environ["CERTDESK_DATA_DIR"]))
window = MainWindow(ctx)
window.show()
window.refresh()  # the station's lists, as at start
dialog = SignInDialog(ctx, window)
dialog.show()
app.processEvents()
print(sorted({m.split(".")[0] for m in sys.modules} & {"cryptography", "sqlalchemy"}), flush=True)
os._exit(0)
"""


def test_the_window_and_sign_in_dialog_start_without_the_cipher_library(station_dir: Path) -> None:
    """Encryption costs the start nothing measurable: OpenSSL's bindings (``cryptography``) are
    first imported when a key is used, after the sign-in dialog is on screen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CERTDESK_DATA_DIR": str(station_dir)}
    result = subprocess.run(
        [sys.executable, "-c", START_TO_SIGN_IN],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['sqlalchemy']", result.stdout  # loaded, and nothing else


def test_selftest_reports_its_start_up_as_json(station_dir: Path) -> None:
    """``gui --selftest --json``: the window shown and its lists loaded, measured inside the
    process (no stopwatch around the whole process needed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CERTDESK_DATA_DIR": str(station_dir)}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "certdesk"), "gui", "--selftest", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    timings = json.loads(result.stdout)
    assert set(timings) == {"shown_ms", "lists_loaded_ms", "maximized"}
    assert timings["maximized"] is True  # a counter PC runs certdesk alone: the whole screen
    assert 0 < timings["shown_ms"] <= timings["lists_loaded_ms"]
    # the lists as a signed-in clerk sees them (the password on standard input), or exit 5
    selftest = [str(Path(sys.executable).parent / "certdesk"), "gui", "--selftest", "--json"]
    for password, code in ((PASSWORD, 0), ("wrong-pass-1", 5)):
        signed = subprocess.run(
            [*selftest, "--officer", CLERK],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert signed.returncode == code, signed.stderr
    assert "密码不正确" in signed.stderr


def test_an_unknown_option_is_an_error_at_once(tmp_path: Path) -> None:
    """``certdesk --data-dir D --selftest`` (without ``gui``) is refused with exit 2; it used to
    open the set-up wizard, which waits for ever offscreen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    data = tmp_path / "new"
    for args in (["--data-dir", str(data), "--selftest"], ["gui", "--selftset"], ["sync", "-x"]):
        result = subprocess.run(
            [str(Path(sys.executable).parent / "certdesk"), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert "无法识别的参数" in result.stderr and args[-1] in result.stderr
    assert not data.exists()  # nothing was opened or set up


def test_certdesk_alone_opens_the_window_and_commands_go_to_the_cli(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app import cli
    from ui import launcher

    opened: list[object] = []
    monkeypatch.setattr(launcher, "run_gui", lambda args, _started: opened.append(args) or 0)
    assert launcher.main([]) == 0 and launcher.main(["--data-dir", "/nowhere"]) == 0
    assert launcher.main(["gui", "--lang", "en"]) == 0
    assert len(opened) == 3 and getattr(opened[2], "lang", None) == "en"
    ran: list[list[str]] = []
    monkeypatch.setattr(cli, "main", lambda argv: ran.append(list(argv)) or 0)
    assert launcher.main(["catalog", "list"]) == 0
    assert ran == [["catalog", "list"]] and len(opened) == 3


def test_shortcuts_open_the_wizard_and_are_listed_in_help(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, signed_in(ctx, CLERK))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    # offscreen windows never become active, so Qt does not route shortcuts to them: check the
    # key is bound, then trigger the action as the shortcut would
    assert window.new_action.shortcut().toString() == "F2"
    window.new_action.trigger()
    assert window.wizard is not None
    window.wizard.close()
    text = window.shortcuts_text()
    for key in ("F2", "Ctrl+L", "Alt+P", "Alt+I"):
        assert key in text
    assert window.help_menu.title() == "帮助(&H)"
    ctx.close()


def sessions(station_dir: Path) -> list[tuple[str, str | None]]:
    """Each session's officer and why it ended (None: still open), oldest first."""
    from contextlib import closing

    with closing(sql(station_dir / "certdesk.db")) as conn:
        return conn.execute(
            "SELECT o.code, s.ended_reason FROM sessions s JOIN officers o ON o.id = s.officer_id "
            "WHERE s.kind = 'window' ORDER BY s.started_at, s.rowid"
        ).fetchall()


def sign_in_dialog(qtbot, clerk: Clerk, window: MainWindow, before: object = None):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.sign_in_dialog not in (None, before), timeout=10_000)
    dialog = window.sign_in_dialog
    clerk.wait_active(dialog)
    return dialog


def test_idle_lock_hides_the_work_until_the_officer_signs_in_again(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    station_dir = tmp_path / "station"
    _records(station_dir)
    earlier = len(sessions(station_dir))  # (the ones that recorded the cases)
    window, ctx, clerk = at_the_counter(qtbot, station_dir, size=(1366, 768))
    window.refresh()
    qtbot.waitUntil(lambda: window.certificates_model.rowCount() == 1, timeout=10_000)
    assert window.officer_label.text().startswith("民警：张警官(100001)，") and "登录" in (
        window.officer_label.text()
    )
    window.idle.setInterval(400)  # the station's minutes, shortened for the test
    window.idle.start()
    for _ in range(6):  # while the clerk types, the window stays open
        clerk.type("1")
        qtbot.wait(150)
    assert not window.locked
    window.new_action.trigger()  # a request in progress ...
    assert window.wizard is not None and window.wizard.isVisible()
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)  # ... until nobody touches a key
    assert not window.wizard.isVisible() and not window.work.isVisible()
    assert "已锁定：张警官(100001)" in window.lock_label.text()
    assert not window.menuBar().isEnabled()
    dialog = sign_in_dialog(qtbot, clerk, window)
    assert dialog.code.text() == CLERK and dialog.code.isReadOnly()
    qtbot.waitUntil(lambda: sessions(station_dir)[-1] == (CLERK, "locked"), timeout=10_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "main_window_locked.png"))
    clerk.type("wrong-pass-1")
    clerk.press("Return")
    qtbot.waitUntil(lambda: "密码不正确" in dialog.error.text(), timeout=10_000)
    assert window.locked
    clerk.type(PASSWORD)
    clerk.press("Return")
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.work.isVisible() and window.actor is not None and window.actor.code == CLERK
    assert [code for code, ended in sessions(station_dir)[earlier:] if ended is None] == [CLERK]

    # locked again: another officer signs in instead, and the first is signed out
    window.lock()
    first = sign_in_dialog(qtbot, clerk, window, before=dialog)
    clerk.press("Esc")
    clerk.wait_active(window)
    assert window.locked
    clerk.press("Alt+S")  # 换人登录
    other = sign_in_dialog(qtbot, clerk, window, before=first)
    assert other.code.text() == "" and not other.code.isReadOnly()
    clerk.type(SUPERVISOR)
    clerk.press("Tab")
    clerk.type(PASSWORD)
    clerk.press("Return")
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.actor is not None and window.actor.code == SUPERVISOR
    assert "李所长(200001)" in window.officer_label.text()
    assert window.supervision_action.isEnabled()  # supervision is the supervisor's
    assert [code for code, ended in sessions(station_dir)[earlier:] if ended is None] == [
        SUPERVISOR
    ]

    # sign-out (Ctrl+Q in the menu): the session ends, the window waits for the next officer
    assert window.sign_out_action.shortcut().toString() == "Ctrl+Q"
    window.sign_out_action.trigger()
    assert window.locked and window.actor is None and window.lock_label.text() == "请民警登录"
    qtbot.waitUntil(lambda: sessions(station_dir)[-1] == (SUPERVISOR, "logout"), timeout=10_000)
    assert window.certificates_model.rowCount() == 0  # emptied, not merely hidden
    ctx.close()


def test_an_expired_session_locks_the_window_at_the_next_key(  # type: ignore[no-untyped-def]
    qtbot, station_dir: Path
) -> None:
    """A session that ended behind the window's back (the PC slept past its idle limit) is
    found at the next key press: the window locks rather than fail at the next request."""
    from contextlib import closing

    from ui import main_window

    window, ctx, clerk = at_the_counter(qtbot, station_dir)
    with closing(sql(station_dir / "certdesk.db")) as conn:
        conn.execute("UPDATE sessions SET last_seen_at = datetime(last_seen_at, '-20 minutes')")
        conn.commit()
    window._kept_alive -= main_window.KEEP_ALIVE_SECONDS + 1
    clerk.type("1")
    qtbot.waitUntil(lambda: window.locked, timeout=10_000)
    ctx.close()
