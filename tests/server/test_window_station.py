"""A new station set up, staffed, enrolled with the province, backed up and restored entirely from
the window, by keys: what a station's administrator does on the first day, without the command
line. Runs offscreen here and on the xcb platform under Xvfb (tests/ui/test_desktop.py)."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from clerk import Clerk
from pgserver import LiveServer, new_enrol_code
from PySide6.QtWidgets import QApplication, QWizard
from support import recovery_file, sql

from app.context import Context
from app.services import auth
from app.services.officers import list_officers
from app.sync.enrolment import load_enrolment
from ui import dialogs, tasks
from ui.app import build_application
from ui.main_window import MainWindow
from ui.setup_wizard import StationSetupWizard
from ui.sign_in import SignInDialog

ADMIN_PASSWORD = "station-admin-1"


def test_a_station_set_up_staffed_enrolled_backed_up_and_restored_by_keys(
    qtbot: Any,
    tmp_path: Path,
    live_server: LiveServer,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_application([])
    ctx = Context(tmp_path / "station")
    clerk = Clerk(qtbot)

    # first start: the set-up wizard, workstation 01 as pre-filled
    wizard = StationSetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    clerk.wait_active(wizard)
    wizard.station_page.code.setFocus()
    clerk.type("220102009")
    clerk.press("Tab")
    clerk.type("长春市南关区永吉派出所")
    clerk.press("Tab")
    clerk.press("Tab")  # workstation 01 stays
    clerk.type("0431-88880009")
    clerk.press("Return")
    assert wizard.currentPage() is wizard.admin_page
    clerk.type("300009")
    clerk.press("Tab")
    clerk.type("郑管理")
    clerk.press("Tab")
    clerk.type(ADMIN_PASSWORD)
    clerk.press("Tab")
    clerk.type(ADMIN_PASSWORD)
    clerk.press("Return")
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=20_000)
    shown = "-".join(wizard.recovery_page.key.text().split())  # kept beside, as tests read it
    recovery_file(tmp_path / "station").write_text(shown, encoding="ascii")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.recovery_page.kept)
    clerk.press("Space")  # "kept"
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()
    clerk.press("Return")
    qtbot.waitUntil(lambda: not wizard.isVisible())

    # the administrator signs in
    sign_in = SignInDialog(ctx)
    qtbot.addWidget(sign_in)
    sign_in.show()
    sign_in.activateWindow()
    clerk.wait_active(sign_in)
    assert "长春市南关区永吉派出所(220102009) 第 01 号工作站" in sign_in.where.text()
    clerk.type("300009")
    clerk.press("Tab")
    clerk.type(ADMIN_PASSWORD)
    with qtbot.waitSignal(sign_in.accepted, timeout=20_000):
        clerk.press("Return")
    window = MainWindow(ctx, sign_in.actor)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    window.activateWindow()
    clerk.wait_active(window)
    qtbot.waitUntil(lambda: "永吉派出所" in window.windowTitle(), timeout=10_000)

    # staffed: a supervisor (the first one needs no approval yet) and a clerk
    clerk.press("F8")
    qtbot.waitUntil(lambda: window.administration is not None)
    admin = window.administration
    clerk.wait_active(admin)
    officers = admin.officers
    for code, name, downs in (("200009", "钱所长", 1), ("100009", "孙警官", 0)):
        qtbot.waitUntil(lambda: tasks.running() == 0, timeout=10_000)
        clerk.press("Alt+A")
        qtbot.waitUntil(lambda: officers.dialog is not None and officers.dialog.isVisible())
        clerk.wait_active(officers.dialog)
        clerk.type(code)
        clerk.press("Tab")
        clerk.type(name)
        clerk.press("Tab")
        for _ in range(downs):
            clerk.press("Down")
        clerk.press("Tab")
        clerk.type("first-pass-9")
        clerk.press("Tab")
        clerk.type("first-pass-9")
        clerk.press("Return")
        qtbot.waitUntil(lambda n=name: f"已添加 {n}" in officers.message.text(), timeout=20_000)
    roles = {o.code: o.role for o in list_officers(ctx, actor=admin.actor)}
    assert roles == {"100009": "clerk", "200009": "supervisor", "300009": "admin"}

    # enrolled with the province: the one-time code typed, the province key's fingerprint shown
    enrol_code = new_enrol_code(database_url, live_server.url, "220102009", "永吉派出所")
    clerk.press("Alt+2")
    enrolment = admin.enrolment
    assert QApplication.focusWidget() is enrolment.server
    clerk.type(live_server.url)
    clerk.press("Tab")
    clerk.type(enrol_code)
    clerk.press("Return")
    qtbot.waitUntil(lambda: "登记完成" in enrolment.message.text(), timeout=30_000)
    enrolled = load_enrolment(ctx)
    assert enrolled is not None and enrolled.station_code == "220102009"
    assert enrol_code[-9:] in enrolment.status.text()  # the fingerprint, as the code ends it
    with closing(sql(tmp_path / "station" / "certdesk.db")) as conn:
        (after,) = conn.execute(
            "SELECT \"after\" FROM audit_events WHERE action = 'station.enrol'"
        ).fetchone()
    assert json.loads(after)["note"]["province_key"] == enrol_code[-9:].replace("-", "")

    # backed up, then restored
    backup = tmp_path / "usb" / "yongji.certdesk-backup"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: backup)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: backup)
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    clerk.press("Alt+3")
    clerk.press("Alt+B")
    qtbot.waitUntil(lambda: "备份完成" in admin.backups.message.text(), timeout=30_000)
    assert backup.exists()
    clerk.wait_active(admin)
    clerk.press("Alt+R")
    qtbot.waitUntil(lambda: window.locked, timeout=30_000)
    with pytest.raises(Exception):  # noqa: B017 (every session ended by the restore)
        auth.resume(ctx, sign_in.actor.token)
    again = auth.sign_in(ctx, code="300009", password=ADMIN_PASSWORD)
    assert {o.code for o in list_officers(ctx, actor=again)} == {"100009", "200009", "300009"}
    if window.sign_in_dialog is not None:
        window.sign_in_dialog.close()
    ctx.close()
