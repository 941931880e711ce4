"""The decision wizard's other paths (the two everyday ones, keyboard only, are in
test_counter_paths.py)."""

from __future__ import annotations

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


def _to_form(
    qtbot,
    station_dir: Path,
    kind: str,
    purpose: str = "in_province",  # type: ignore[no-untyped-def]
    reader=None,
):  # type: ignore[no-untyped-def]
    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, OFFICER, reader)
    qtbot.addWidget(window)
    window.show()
    window.open_wizard(kind)
    wizard = window.wizard
    assert wizard is not None and wizard.currentId() == wizard.REQUEST  # the kind was named
    wizard.request_page.sector.setCurrentIndex(wizard.request_page.sector.findData("bank"))
    wizard.request_page.purpose.setCurrentIndex(wizard.request_page.purpose.findData(purpose))
    wizard.next()
    wizard.next()
    assert wizard.currentId() == wizard.FORM
    return wizard, ctx


def test_kinship_on_the_spot_with_a_card_read(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from app.cardreader import DEMO_CARD, SimulatedReader

    wizard, ctx = _to_form(qtbot, station_dir, "qsgx", reader=SimulatedReader([DEMO_CARD]))
    page = wizard.form_page
    qtbot.keyClick(page.read_card, Qt.Key.Key_Space)
    assert page.inputs["applicant_name"].text() == "王建华"
    ime_commit(page.inputs["relative_name"], "王小明")
    qtbot.keyClicks(page.inputs["relative_id"], "110105194912310021")  # wrong check character
    page.inputs["relative_id"].editingFinished.emit()
    assert "校验码应为 X" in page.errors["relative_id"].text()
    page.inputs["relative_id"].clear()
    qtbot.keyClicks(page.inputs["relative_id"], "11010519491231002X")
    ime_commit(page.inputs["relation"], "父子")
    ime_commit(page.inputs["usage"], "银行开户")
    qtbot.keyClick(page.issue_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.result is not None, timeout=20_000)
    assert page.result is not None and page.result.serial and page.result.status == "issued"
    assert (station_dir / (page.result.pdf_path or "")).read_bytes().startswith(b"%PDF")
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SCREENSHOTS / "wizard_form.png"))
    ctx.close()


def test_special_case_abroad_needs_the_supervisor(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from support import SUPERVISOR

    wizard, ctx = _to_form(qtbot, station_dir, "死亡证明", purpose="abroad")
    page = wizard.form_page
    for name, value in (
        ("applicant_name", "王一"),
        ("subject_name", "王二"),
        ("facts", "已死亡，户口已注销"),
        ("usage", "国外继承"),
    ):
        ime_commit(page.inputs[name], value)
    for name in ("applicant_id", "subject_id"):
        qtbot.keyClicks(page.inputs[name], "11010519491231002X")
    page.issue()
    qtbot.waitUntil(lambda: "所领导" in page.status.text(), timeout=20_000)
    assert page.result is None
    qtbot.keyClicks(page.approver, SUPERVISOR)
    page.issue()
    qtbot.waitUntil(lambda: page.result is not None, timeout=20_000)
    assert page.result is not None and page.result.serial
    ctx.close()


def test_missing_materials_give_the_one_time_notice(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    wizard, ctx = _to_form(qtbot, station_dir, "亲属关系证明")
    page = wizard.form_page
    assert page.materials
    page.materials[0].setChecked(False)
    page.one_time_notice()
    qtbot.waitUntil(lambda: page.notice is not None, timeout=20_000)
    assert page.notice is not None and page.notice.notice_type == "missing_materials"
    ctx.close()


def _next_tab_stop(widget):  # type: ignore[no-untyped-def]
    """The widget Tab moves to: the next in the focus chain that takes focus by Tab."""
    candidate = widget.nextInFocusChain()
    while not (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus) or not candidate.isEnabled():
        candidate = candidate.nextInFocusChain()
    return candidate


def test_investigation_gives_the_receipt_and_tab_order(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, OFFICER)
    qtbot.addWidget(window)
    window.show()
    window.open_wizard("亲属关系证明")
    wizard = window.wizard
    assert wizard is not None
    wizard.back()  # Back returns to the kind the search named
    assert wizard.currentId() == wizard.KIND and wizard.kind_page.text.text() == "亲属关系证明"
    wizard.next()
    request = wizard.request_page
    assert _next_tab_stop(request.sector) is request.purpose
    assert _next_tab_stop(request.purpose) is request.investigation
    request.investigation.setChecked(True)
    wizard.next()
    assert wizard.outcome_page.decision is not None
    assert wizard.outcome_page.decision.deadline_working_days == 5
    wizard.next()
    page = wizard.form_page
    order = [_next_tab_stop(page.inputs[n]) for n in ("applicant_name", "applicant_id")]
    assert order == [page.inputs["applicant_id"], page.inputs["relative_name"]]
    for name, value in (
        ("applicant_name", "王一"),
        ("relative_name", "王二"),
        ("relation", "父子"),
        ("usage", "银行开户"),
    ):
        ime_commit(page.inputs[name], value)
    for name in ("applicant_id", "relative_id"):
        qtbot.keyClicks(page.inputs[name], "11010519491231002X")
    page.issue()
    qtbot.waitUntil(lambda: page.result is not None, timeout=20_000)
    assert page.result is not None and page.result.status == "pending_investigation"
    assert page.result.due_date and "受理回执" in page.status.text()
    ctx.close()
