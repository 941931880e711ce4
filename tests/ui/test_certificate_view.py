"""A certificate's view: reprint with a reason (counted), void refused for a clerk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from support import CLERK, KINSHIP, SUPERVISOR

from app.context import Context
from app.decision import Request
from app.printing import certificate_renderer
from app.services.cases import issue
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
    qtbot.keyClicks(window.search, serial)  # what a barcode scanner types, then Enter
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.certificate_view is not None, timeout=10_000)
    view = window.certificate_view
    assert view is not None
    qtbot.waitUntil(lambda: view.info is not None, timeout=10_000)
    assert serial in view.details.toPlainText()

    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "原件遗失")
    view.reprint()
    qtbot.waitUntil(lambda: "已补打第 2 份" in view.status.text(), timeout=10_000)
    assert (station_dir / "prints" / f"{serial}-2.pdf").read_bytes().startswith(b"%PDF")

    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "填写错误")
    view.void()
    if may_void:
        qtbot.waitUntil(lambda: view.status.text() == "已作废", timeout=10_000)
        assert view.info is not None and view.info.status == "void"
    else:
        qtbot.waitUntil(lambda: "所领导" in view.status.text(), timeout=10_000)
        assert view.info is not None and view.info.status == "issued"
    ctx.close()
