"""English is the window's second language: every tr() string in ui/ has an English translation,
the committed .qm is what the .ts compiles to, and `--lang en` shows English (Qt's own buttons
included)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWizard

from app.context import Context
from ui.app import build_application
from ui.main_window import MainWindow
from ui.wizard.decision_wizard import DecisionWizard

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "certdesk_en.ts"
QM = TS.with_suffix(".qm")
TOOLS = Path(sys.executable).parent


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))


def test_every_string_is_translated_and_the_qm_is_current(tmp_path: Path) -> None:
    ts = tmp_path / "certdesk_en.ts"
    shutil.copy(TS, ts)
    options = ["-locations", "none", "-no-obsolete", "-source-language", "zh_CN"]
    update = subprocess.run(
        [
            str(TOOLS / "pyside6-lupdate"),
            *sources(),
            *options,
            "-target-language",
            "en",
            "-ts",
            str(ts),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "(0 new and" in update.stdout, f"run `make translations`:\n{update.stdout}"
    assert ts.read_text(encoding="utf-8") == TS.read_text(encoding="utf-8"), (
        "strings changed or vanished: run `make translations`"
    )
    assert 'type="unfinished"' not in TS.read_text(encoding="utf-8")
    qm = tmp_path / "certdesk_en.qm"
    subprocess.run(
        [str(TOOLS / "pyside6-lrelease"), str(ts), "-qm", str(qm)], capture_output=True, check=True
    )
    assert qm.read_bytes() == QM.read_bytes(), "certdesk_en.qm is stale: run `make translations`"


def test_english_window(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from support import CLERK, signed_in

    build_application([], lang="en")
    try:
        ctx = Context(station_dir)
        clerk = signed_in(ctx, CLERK)
        window = MainWindow(ctx, clerk)
        qtbot.addWidget(window)
        assert window.windowTitle() == "certdesk certificate counter"
        assert window.cases_box.title() == "Today's cases"
        assert "Officer: 张警官" in window.officer_label.text()
        assert "Read ID card" in window.shortcuts_text()
        wizard = DecisionWizard(ctx, clerk, "死亡证明", window)
        qtbot.addWidget(wizard)
        wizard.show()
        assert wizard.kind_page.title() == "Certificate asked for"
        assert "Next" in wizard.button(QWizard.WizardButton.NextButton).text()
        wizard.next()
        assert wizard.request_page.purpose.currentText() == "Within the province"
        wizard.next()
        page = wizard.outcome_page
        assert page.summary.toPlainText().startswith("Outcome: ")
        assert page.print_button.text() == "Issue the written notice and archive it (&P)"
        ctx.close()
    finally:
        build_application([], lang="zh")
    assert window.tr("今日案件") == "今日案件"  # back to Chinese for the other tests


def test_the_window_words_domain_errors_in_its_own_language(qapp) -> None:  # type: ignore[no-untyped-def]
    from app.errors import ApprovalRequired, InvalidInput
    from ui.labels import error_text

    assert (
        error_text(ApprovalRequired())
        == "须经所领导审批：请所领导在审批窗口中选择本人姓名并输入密码"
    )
    build_application([], lang="en")
    try:
        assert error_text(ApprovalRequired()).startswith("A supervisor must approve")
        # an error a clerk fixes in a field keeps the service's message, which names it
        assert error_text(InvalidInput("校验码应为 X", field="relative_id")) == "校验码应为 X"
    finally:
        build_application([], lang="zh")
