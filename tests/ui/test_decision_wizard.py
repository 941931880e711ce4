"""The decision wizard as a clerk drives it: type, Enter, Enter, print the notice."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from support import CLERK, ime_commit

from app.context import Context
from app.services.officers import OfficerInfo
from ui.app import build_application
from ui.main_window import MainWindow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
OFFICER = OfficerInfo(CLERK, "张警官", "clerk", True, None)


def _window(qtbot, station_dir: Path) -> tuple[MainWindow, Context]:  # type: ignore[no-untyped-def]
    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, OFFICER)
    qtbot.addWidget(window)
    window.show()
    return window, ctx


def test_abolished_kind_notice_printed_with_keys(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx = _window(qtbot, station_dir)
    assert "张警官" in window.officer_label.text()
    ime_commit(window.search, "死亡证明")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    wizard = window.wizard
    assert wizard is not None and wizard.kind_page.text.text() == "死亡证明"
    assert wizard.kind_page.candidates.item(0).text().startswith("死亡证明")
    wizard.next()  # requester and purpose: the defaults (other unit, in the province)
    wizard.request_page.sector.setCurrentIndex(wizard.request_page.sector.findData("bank"))
    wizard.next()
    page = wizard.outcome_page
    assert page.decision is not None and page.decision.outcome == "abolished"
    assert "卫生计生部门" in page.summary.toPlainText()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    qtbot.keyClick(page.print_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.notice is not None, timeout=15_000)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SCREENSHOTS / "wizard_outcome.png"))
    pdf = station_dir / (page.notice.pdf_path or "")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    with closing(sqlite3.connect(station_dir / "certdesk.db")) as conn:
        ((kind, officer),) = conn.execute(
            "SELECT c.kind_id, o.code FROM cases c JOIN officers o ON o.id = c.officer_id"
        )
    assert (kind, officer) == ("jl_death", CLERK)
    ctx.close()


def test_unknown_kind_is_refused_and_reported_up(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx = _window(qtbot, station_dir)
    window.open_wizard("无房证明")
    wizard = window.wizard
    assert wizard is not None
    wizard.next()
    wizard.next()
    page = wizard.outcome_page
    assert page.decision is not None and page.decision.report_to_superior
    assert "报告上级公安机关" in page.summary.toPlainText()
    page.print_button.click()
    qtbot.waitUntil(lambda: page.notice is not None, timeout=15_000)
    assert page.notice is not None and page.notice.report_to_superior
    ctx.close()


def test_ambiguous_kind_asks_for_a_choice(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx = _window(qtbot, station_dir)
    window.open_wizard("户口证明")
    wizard = window.wizard
    assert wizard is not None and wizard.kind_page.candidates.count() >= 2
    wizard.next()
    wizard.next()
    page = wizard.outcome_page
    assert "不明确" in page.status.text() and not page.isComplete()
    ctx.close()


def test_searching_a_serial_does_not_open_the_wizard(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx = _window(qtbot, station_dir)
    qtbot.keyClicks(window.search, "220102001-01-2026-000001-H")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "找到" in window.message.text(), timeout=10_000)
    assert window.wizard is None
    ctx.close()
