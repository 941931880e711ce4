"""First start (station set-up) and signing in, driven with keys as a clerk would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from support import ADMIN, CLERK, FIRST_PASSWORD, PASSWORD, ime_commit, qr_text

from app.context import Context
from app.errors import NotSignedIn
from app.records import vault
from app.services import auth
from app.services.officers import add_officer, list_officers
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
    for wrong in ("00", "1", "1a", "100"):  # 01 to 99, two digits, as serials print it
        page.workstation.setText(wrong)
        assert not next_button.isEnabled() and "01 至 99" in page.missing.text(), wrong
    page.workstation.setText("01")
    assert next_button.isEnabled() and page.missing.text() == ""
    assert [label.text() for label in page.labels] == [
        "派出所代码 *",
        "派出所名称 *",
        "工作站编号 *",
        "联系电话",
    ]  # the mandatory fields are marked
    wizard.grab().save(str(SCREENSHOTS / "setup_1_station_filled.png"))
    qtbot.keyClick(page.phone, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.admin_page
    admin = wizard.admin_page
    assert admin.title() == wizard.station_page.title().replace("1 步", "2 步").split("：")[0] + (
        "：第一位管理员"
    )  # the same header on every page
    assert "密码至少8位" in admin.rules.text()  # the rules, shown before anything is typed
    qtbot.keyClicks(admin.code, "900001")
    assert "姓名、密码、再次输入密码" in admin.missing.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.grab().save(str(SCREENSHOTS / "setup_2_admin_missing.png"))
    ime_commit(admin.name, "赵管理")
    qtbot.keyClicks(admin.password, "short")
    qtbot.keyClicks(admin.repeat, "shrot")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert "不一致" in admin.error.text() and admin.repeat.text() == ""
    qtbot.keyClicks(admin.repeat, "short")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert "密码至少8位" in admin.error.text()
    assert station_info(ctx) is None  # nothing half set up
    for field in (admin.password, admin.repeat):
        field.clear()
        qtbot.keyClicks(field, PASSWORD)
    qtbot.keyClick(admin.repeat, Qt.Key.Key_Return)
    # set up, encrypted: the recovery key, shown once; Finish waits until it is kept
    assert wizard.currentPage() is wizard.recovery_page
    shown = wizard.recovery_page.key.text().replace("\n", "  ").split("  ")
    assert vault.normalise_recovery_key("-".join(shown))
    assert ctx.vault.encrypted and not (tmp_path / "new" / "certdesk.db").read_bytes().startswith(
        b"SQLite"
    )
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    wizard.grab().save(str(SCREENSHOTS / "setup_3_recovery_key.png"))
    from PySide6.QtWidgets import QApplication

    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    # where the page puts the focus; Shift+Tab: the print button
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.recovery_page.kept)
    qtbot.keyClick(wizard.recovery_page.kept, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is wizard.recovery_page.print_button
    qtbot.keyClick(wizard.recovery_page.print_button, Qt.Key.Key_Space)
    preview = wizard.recovery_page.preview
    assert preview is not None  # the sheet, from memory: nothing of it on disk
    qtbot.waitUntil(lambda: "共 1 页" in preview.status.text(), timeout=15_000)
    sheet = tmp_path / "sheet.pdf"  # (written here only to scan it as a phone would)
    sheet.write_bytes(preview.pdf)
    assert qr_text(sheet) == "-".join(shown)
    assert not [p for p in (tmp_path / "new").rglob("*") if p.suffix in (".pdf", ".png")]
    preview.close()
    qtbot.keyClick(wizard.recovery_page.kept, Qt.Key.Key_Space)
    assert finish.isEnabled()
    finish.click()
    info = station_info(ctx)
    assert info is not None and (info.code, info.workstation, info.phone) == (
        "220102001",
        "01",
        "0431-88886666",
    )
    admin_actor = auth.sign_in(ctx, code="900001", password=PASSWORD)  # no change needed: theirs
    assert [(o.code, o.role) for o in list_officers(ctx, actor=admin_actor)] == [
        ("900001", "admin")
    ]
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
    assert dialog.actor is None and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.code == CLERK
    ctx.close()


def test_the_first_sign_in_asks_for_the_officers_own_password(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """An officer the administrator just added signs in with the password they were given: the
    dialog asks for their own (twice, by the rules) and signs them in with it."""
    build_application([])
    ctx = Context(station_dir)
    add_officer(
        ctx,
        actor=auth.sign_in(ctx, code=ADMIN, password=PASSWORD),
        code="100009",
        name="钱警官",
        role="clerk",
        password=FIRST_PASSWORD,
    )
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code, "100009")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, FIRST_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.new_password.isVisible, timeout=10_000)
    assert "须先修改" in dialog.rules.text() and dialog.actor is None
    qtbot.keyClicks(dialog.new_password, "abcdefgh")  # no digit
    qtbot.keyClick(dialog.new_password, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.repeat, "abcdefgh")
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "字母和数字" in dialog.error.text(), timeout=10_000)
    assert dialog.new_password.text() == "" and dialog.password.text() == FIRST_PASSWORD
    qtbot.keyClicks(dialog.new_password, "my-own-pass-7")
    qtbot.keyClick(dialog.new_password, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.repeat, "my-own-pass-7")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.code == "100009"
    with pytest.raises(NotSignedIn):  # the password the administrator set no longer opens it
        auth.sign_in(ctx, code="100009", password=FIRST_PASSWORD)
    ctx.close()


def test_the_first_administrator_sign_in_encrypts_a_plain_station_and_shows_its_key(
    qtbot, station_dir: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox
    from support import ADMIN, as_before_encryption

    as_before_encryption(station_dir)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    build_application([])
    ctx = Context(station_dir)
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code, ADMIN)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        # the long first conversion is announced while it runs; no second sign-in meanwhile
        assert "首次加密" in dialog.error.text() and not dialog.buttons.isEnabled()
    [text] = shown
    key = text.rsplit("\n", 1)[-1]
    assert "只显示这一次" in text and vault.normalise_recovery_key(key)
    assert ctx.vault.encrypted
    assert not (station_dir / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    ctx.close()
    fresh = Context(station_dir)  # the key on the screen opens the station
    fresh.vault.unlock_recovery(key)
    assert station_info(fresh) is not None
    fresh.close()
