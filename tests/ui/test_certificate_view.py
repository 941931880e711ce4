"""A certificate's view: reprint with a reason (counted), void refused for a clerk."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from clerk import Clerk
from support import CLERK, KINSHIP, SUPERVISOR

from app.context import Context
from app.policy.decision import Request
from app.records.printing import certificate_renderer
from app.services.counter import issue
from app.services.officers import OfficerInfo
from ui import dialogs
from ui.app import build_application
from ui.main_window import MainWindow


def _issued(station_dir: Path) -> str:
    ctx = Context(station_dir)
    serial = issue(
        ctx,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=CLERK,
        values=KINSHIP,
        render=certificate_renderer(ctx),
    ).serial
    ctx.close()
    assert serial
    return serial


@pytest.mark.parametrize(
    ("officer", "may_void"),
    [
        (OfficerInfo(CLERK, "张警官", "clerk", True, None), False),
        (OfficerInfo(SUPERVISOR, "李所长", "supervisor", True, None), True),
    ],
)
def test_scan_reprint_and_void(
    qtbot,
    station_dir: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
    officer: OfficerInfo,
    may_void: bool,
) -> None:
    serial = _issued(station_dir)
    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, officer)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    clerk = Clerk(qtbot)
    clerk.wait_active(window)
    clerk.type(serial)  # what a barcode scanner types, then Enter
    clerk.press("Return")
    qtbot.waitUntil(lambda: window.certificate_view is not None, timeout=10_000)
    view = window.certificate_view
    assert view is not None
    clerk.wait_active(view)
    qtbot.waitUntil(lambda: view.info is not None, timeout=10_000)
    assert serial in view.details.toPlainText()

    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "原件遗失")
    clerk.press("Alt+R")
    qtbot.waitUntil(lambda: "已补打第 2 份" in view.status.text(), timeout=10_000)
    assert (station_dir / "prints" / f"{serial}-2.pdf").read_bytes().startswith(b"%PDF")

    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "填写错误")
    clerk.press("Alt+V")
    if may_void:
        qtbot.waitUntil(lambda: view.status.text() == "已作废", timeout=10_000)
        assert view.info is not None and view.info.status == "void"
    else:
        qtbot.waitUntil(lambda: "所领导" in view.status.text(), timeout=10_000)
        assert view.info is not None and view.info.status == "issued"
    with closing(sqlite3.connect(station_dir / "certdesk.db")) as conn:
        actions = [a for (a,) in conn.execute("SELECT action FROM audit_events ORDER BY seq")]
        (count,) = conn.execute("SELECT print_count FROM certificates").fetchone()
    assert count == 2 and actions.count("certificate.reprint") == 1
    assert actions.count("certificate.void") == (1 if may_void else 0)
    ctx.close()
