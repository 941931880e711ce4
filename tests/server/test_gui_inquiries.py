"""A partner's inquiry at the counter window: it arrives with the sync, stands in its list with
its due date (overdue in red), and the clerk answers it from the keyboard in the fields the
information has; a wrong date is named and nothing is answered until it is right."""

from __future__ import annotations

from pathlib import Path

import httpx
from browser import SCREENSHOTS
from clerk import Clerk
from pgserver import LiveServer, new_enrol_code, server_cli
from PySide6.QtCore import Qt
from support import ADMIN, CLERK, as_officer, signed_in

from app.context import Context
from app.policy.identity import check_character
from app.sync.enrolment import enrol
from ui.app import build_application
from ui.main_window import MainWindow

PASSWORD = "court-pass-2026"


def test_the_clerk_answers_an_inquiry_from_the_keyboard(  # type: ignore[no-untyped-def]
    qtbot, station_dir: Path, live_server: LiveServer, database_url: str, province_key: Path
) -> None:
    url = live_server.url
    ctx = Context(station_dir)
    code = new_enrol_code(database_url, url, "220102001", "长春市南关区民康派出所")
    enrol(ctx, server=url, code=code, actor=as_officer(ctx, ADMIN))
    added = server_cli(
        database_url,
        province_key,
        "partner",
        "add",
        "--name",
        "长春市南关区人民法院",
        "--sector",
        "court",
        "--login",
        "court-1",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    token = httpx.post(
        f"{url}/api/v2/partner/login", json={"name": "court-1", "password": PASSWORD}
    ).json()["token"]
    changed = httpx.post(  # the court's own password first
        f"{url}/api/v2/partner/password",
        json={"old": PASSWORD, "new": PASSWORD + "-own"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert changed.status_code == 200, changed.text
    first = "220102" + "19800315" + "002"
    asked = httpx.post(
        f"{url}/api/v2/partner/inquiries",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "kind_id": "jl_ex_hukou_cancellation_info",
            "subject_name": "王丽",
            "subject_id": first + check_character(first),
            "legal_basis": "《中华人民共和国民事诉讼法》第六十七条",
            "partner_case_no": "(2026)吉0102民初1234号",
            "station": "220102001",
        },
    )
    assert asked.status_code == 200, asked.text

    build_application([])
    window = MainWindow(ctx, signed_in(ctx, CLERK))
    qtbot.addWidget(window)
    window.show()
    window.sync_state.sync_now()  # the round brings the inquiry; the list reloads
    qtbot.waitUntil(lambda: window.inquiries_model.rowCount() == 1, timeout=20_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "counter_inquiries.png"))
    row = window.inquiries_model.rows[0]
    assert row.subject_name == "王丽" and row.days_left >= 4 and not row.overdue
    model = window.inquiries_model
    assert model.data(model.index(0, 1)) == "长春市南关区人民法院"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None  # not red

    window.activateWindow()
    clerk = Clerk(qtbot)
    clerk.wait_active(window)
    clerk.press("F3")  # the inquiries list
    assert window.inquiries_view.hasFocus()
    clerk.press("Down")
    clerk.press("Return")
    qtbot.waitUntil(lambda: getattr(window, "inquiry_dialog", None) is not None, timeout=5_000)
    dialog = window.inquiry_dialog
    clerk.wait_active(dialog)
    assert dialog.inputs["found"].hasFocus()
    from PySide6.QtWidgets import QLabel

    shown = [w for w in dialog.findChildren(QLabel) if w.text() == "长春市南关区人民法院"]
    assert shown and shown[0].textFormat() == Qt.TextFormat.PlainText  # a partner's words
    clerk.press("Down")  # 查有此人
    clerk.press("Tab")
    clerk.press("Down")  # 已注销
    clerk.press("Tab")
    clerk.type("2026-02-30")
    clerk.press("Tab")
    clerk.press("Down")  # 死亡
    clerk.press("Alt+A")
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=10_000)
    assert "注销日期" in dialog.message.text() and dialog.inputs["date"].hasFocus()
    dialog.grab().save(str(SCREENSHOTS / "counter_inquiry_dialog.png"))
    dialog.inputs["date"].selectAll()
    clerk.type("2026-03-02")
    clerk.press("Alt+A")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: window.inquiries_model.rowCount() == 0, timeout=10_000)
    window.grab().save(str(SCREENSHOTS / "counter_after_answer.png"))

    from app.services import inquiries

    [done] = inquiries.list_inquiries(ctx, actor=as_officer(ctx, CLERK), everything=True)
    assert done.status == "answered" and done.answer["date"] == "2026-03-02"
    assert done.answer == {
        "found": "查有此人",
        "cancelled": "已注销",
        "date": "2026-03-02",
        "reason": "死亡",
    }
    ctx.close()
