"""First start (station set-up) and signing in, driven with keys as a clerk would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from support import CLERK, PASSWORD, ime_commit

from app.context import Context
from app.services.officers import list_officers
from app.services.station import station_info
from ui.app import build_application
from ui.setup_wizard import StationSetupWizard
from ui.sign_in import SignInDialog

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def test_first_start_sets_up_station_and_admin(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_application([])
    ctx = Context(tmp_path / "new")
    wizard = StationSetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.station_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.keyClicks(page.code, "220102001")
    assert not next_button.isEnabled()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SCREENSHOTS / "setup_1_station_missing.png"))
    assert "派出所名称" in page.missing.text() and "工作站编号" not in page.missing.text()
    ime_commit(page.name, "长春市南关区民康派出所")
    qtbot.keyClicks(page.phone, "0431-88886666")
    # the workstation stays at its pre-filled 01, as at every single-counter station
    assert page.workstation.text() == "01"
    assert next_button.isEnabled() and page.missing.text() == ""
    wizard.grab().save(str(SCREENSHOTS / "setup_1_station_filled.png"))
    qtbot.keyClick(page.phone, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.admin_page
    admin = wizard.admin_page
    qtbot.keyClicks(admin.code, "900001")
    ime_commit(admin.name, "赵管理")
    qtbot.keyClicks(admin.password, "short")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "密码至少8位" in admin.error.text()
    assert station_info(ctx) is None  # nothing half set up
    admin.password.clear()
    qtbot.keyClicks(admin.password, PASSWORD)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    info = station_info(ctx)
    assert info is not None and (info.code, info.workstation, info.phone) == (
        "220102001",
        "01",
        "0431-88886666",
    )
    assert [(o.code, o.role) for o in list_officers(ctx)] == [("900001", "admin")]
    ctx.close()


def test_sign_in_refuses_a_wrong_password_then_accepts(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    build_application([])
    ctx = Context(station_dir)
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code, CLERK)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "再错4次" in dialog.error.text(), timeout=10_000)
    assert dialog.officer is None and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.officer is not None and dialog.officer.code == CLERK
    ctx.close()
