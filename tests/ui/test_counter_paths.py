"""The two everyday paths, keyboard only, as a signed-in clerk does them, and the special case a
supervisor approves at the counter: every key goes to the focused window. Each test counts keys
and clicks (goals: abolished notice printed in ≤ 4, kinship certificate with a card read in ≤ 10,
special case approved and printed in ≤ 15), checks what the clerk saw and what was stored, and
writes a screenshot of every page it passes (1366×768 is the counter screen: nothing may be cut
off)."""

from __future__ import annotations

import json
import os
import subprocess
from contextlib import closing
from pathlib import Path

from clerk import Clerk, at_the_counter
from PySide6.QtWidgets import QApplication, QWizard
from support import CLERK, PASSWORD, SUPERVISOR, sql, station_key

from app.records.vault import open_for
from app.services.cardreader import DEMO_CARD, SimulatedReader

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
SCREEN = (1366, 768)


def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.width() <= SCREEN[0] and widget.height() <= SCREEN[1], (name, widget.size())
    widget.grab().save(str(SCREENSHOTS / f"{name}.png"))


def record_count(path: str, clerk: Clerk) -> None:
    """Where bench/bench_gui.py asks for them, the counts go to a JSON file."""
    target = os.environ.get("CERTDESK_KEYCOUNT_FILE")
    if target:
        counts = json.loads(Path(target).read_text()) if Path(target).exists() else {}
        counts[path] = {"actions": clerk.actions, "typed": clerk.typed, "log": clerk.log}
        Path(target).write_text(json.dumps(counts, ensure_ascii=False))


def counter(qtbot, station_dir: Path, reader=None):  # type: ignore[no-untyped-def]
    return at_the_counter(qtbot, station_dir, reader=reader, size=SCREEN)  # signed in at 8:00


def pdftext(pdf: Path) -> str:
    """The text of an archived document (sealed in the data dir: opened with the key first)."""
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF"):
        station = next(p for p in pdf.parents if (p / "certdesk.keys").exists())
        data = open_for(station_key(station), station, pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


def test_abolished_kind_notice_printed_in_four_keys(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    clerk.type("死亡证明")
    clerk.press("Return")  # the search names one kind: the wizard opens at "who asks"
    wizard = window.wizard
    assert wizard is not None
    clerk.wait_active(wizard)
    assert wizard.currentId() == wizard.REQUEST
    shot(wizard, "wizard_2_request")
    clerk.press("Return")
    page = wizard.outcome_page
    assert wizard.currentId() == wizard.OUTCOME and page.decision is not None
    summary = page.summary.toPlainText()
    assert "不予出具" in summary and "卫生计生部门" in summary and "Alt+P" in page.status.text()
    shot(wizard, "wizard_3_outcome_abolished")
    clerk.press("Alt+P")  # the written notice: recorded, archived, preview opens
    qtbot.waitUntil(lambda: page.preview is not None, timeout=20_000)
    preview = page.preview
    clerk.wait_active(preview)
    # two pages: the applicant's copy and the stub the station keeps
    qtbot.waitUntil(lambda: "共 2 页" in preview.status.text(), timeout=20_000)
    qtbot.wait(50)  # the page images are laid out on the next turn of the event loop
    shot(preview, "preview_notice")
    clerk.press("Return")  # print
    qtbot.waitUntil(lambda: preview.printed, timeout=30_000)
    assert clerk.actions <= 4, clerk.log
    record_count("abolished_notice_printed", clerk)
    assert printed.stat().st_size > 10_000  # the page, painted onto the printer
    assert page.notice is not None and "已出具" in page.status.text()
    text = pdftext(station_dir / (page.notice.pdf_path or ""))
    assert "不予出具" in text or "告知书" in text
    clerk.press("Return")  # close the preview
    qtbot.waitUntil(lambda: not preview.isVisible(), timeout=10_000)
    clerk.wait_active(wizard)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    clerk.press("Return")  # finish
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    with closing(sql(station_dir / "certdesk.db")) as conn:
        rows = conn.execute(
            "SELECT c.kind_id, c.status, n.type, n.print_count FROM cases c "
            "JOIN notices n ON n.case_id = c.id"
        ).fetchall()
    assert rows == [("jl_death", "notice_printed", "refusal", 1)]
    ctx.close()


def test_kinship_certificate_with_a_card_read_in_ten_keys(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir, SimulatedReader([DEMO_CARD]))
    shot(window, "main_window_1366x768")
    clerk.type("qsgx")
    clerk.press("Return")
    wizard = window.wizard
    assert wizard is not None
    clerk.wait_active(wizard)
    assert wizard.kind_page.text.text() == "qsgx" and wizard.currentId() == wizard.REQUEST
    # what "qsgx" was taken for, before anything is decided
    assert wizard.request_page.recognised.text() == "所要证明：亲属关系证明(由“qsgx”识别)"
    clerk.press("Return")
    assert wizard.currentId() == wizard.OUTCOME
    summary = wizard.outcome_page.summary.toPlainText()
    assert summary.startswith("结论：派出所出具") and "当场办结" in summary
    shot(wizard, "wizard_3_outcome_issue")
    clerk.press("Return")
    page = wizard.form_page
    assert wizard.currentId() == wizard.FORM
    clerk.press("Alt+R")  # read the ID card: the applicant is filled, the cursor moves on
    # a mnemonic "animates" its button: the click lands a moment later
    qtbot.waitUntil(lambda: page.inputs["applicant_name"].text() == DEMO_CARD.name)
    assert QApplication.focusWidget() is page.inputs["relative_name"]
    clerk.type("王小明")
    clerk.press("Tab")
    clerk.type("11010519491231002X")
    clerk.press("Tab")
    clerk.type("父子")
    clerk.press("Tab")
    clerk.type("银行开户")
    shot(wizard, "wizard_4_form")
    # the card read is the applicant's card seen; the proxy's papers are for proxies only
    assert [box.isChecked() for box in page.materials] == [True, False]
    clerk.press("Alt+I")  # issue: recorded, rendered, archived; the preview opens
    qtbot.waitUntil(lambda: page.preview is not None, timeout=30_000)
    assert page.result is not None and page.result.serial
    preview = page.preview
    clerk.wait_active(preview)
    clerk.press("Return")  # print
    qtbot.waitUntil(lambda: preview.printed, timeout=30_000)
    clerk.press("Return")  # handed over, close
    qtbot.waitUntil(lambda: preview.handed_over, timeout=20_000)
    assert clerk.actions <= 10, clerk.log
    record_count("kinship_certificate_card_read", clerk)
    scanned = subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(printed), str(printed.parent / "p")],
        check=True,
    )
    assert scanned.returncode == 0
    codes = subprocess.run(
        ["zbarimg", "-q", str(printed.parent / "p.png")], capture_output=True, text=True
    ).stdout
    assert f"CODE-128:{page.result.serial}" in codes
    with closing(sql(station_dir / "certdesk.db")) as conn:
        row = conn.execute(
            "SELECT subject_name, handed_over_at IS NOT NULL, print_count FROM certificates"
        ).fetchone()
    assert row == (DEMO_CARD.name, 1, 1)
    ctx.close()


def test_special_case_approved_at_the_counter_in_fifteen_keys(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    """特事特办 (a hukou-location certificate for use abroad): the supervisor steps to the counter, picks
    their name (the first in the list needs no key), types their own password, Enter."""
    window, ctx, clerk = counter(qtbot, station_dir)
    clerk.type("户籍所在地证明")
    clerk.press("Return")
    wizard = window.wizard
    assert wizard is not None
    clerk.wait_active(wizard)
    clerk.press("Tab")  # to the purpose
    purpose = wizard.request_page.purpose
    for _ in range(purpose.findData("abroad") - purpose.currentIndex()):
        clerk.press("Down")
    clerk.press("Return")
    decision = wizard.outcome_page.decision
    assert decision is not None and decision.special_case
    clerk.press("Return")
    page = wizard.form_page
    for i, value in enumerate(["王一", "11010519491231002X", "王二", "11010519491231002X"]):
        if i:
            clerk.press("Tab")
        clerk.type(value)
    for value in ("户籍所在地为吉林省长春市南关区", "国外继承"):
        clerk.press("Tab")
        clerk.type(value)
    clerk.press("Alt+I")  # the approval dialog: nothing is recorded before the supervisor approves
    qtbot.waitUntil(lambda: page.approval_dialog is not None)  # a mnemonic's click lands later
    dialog = page.approval_dialog
    clerk.wait_active(dialog)
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=10_000)
    assert dialog.approver.currentData() == SUPERVISOR
    shot(dialog, "approval_dialog_at_the_counter")
    clerk.press("Tab")
    clerk.type(PASSWORD)
    clerk.press("Return")
    qtbot.waitUntil(lambda: page.preview is not None, timeout=30_000)
    preview = page.preview
    clerk.wait_active(preview)
    clerk.press("Return")  # print
    qtbot.waitUntil(lambda: preview.printed, timeout=30_000)
    assert clerk.actions <= 15, clerk.log
    record_count("special_case_approved", clerk)
    assert page.result is not None and page.result.serial
    with closing(sql(station_dir / "certdesk.db")) as conn:
        row = conn.execute(
            "SELECT c.special_case, a.code, i.code FROM cases c "
            "JOIN officers a ON a.id = c.approved_by_id "
            "JOIN certificates f ON f.case_id = c.id JOIN officers i ON i.id = f.issued_by_id"
        ).fetchone()
    assert row == (1, SUPERVISOR, CLERK)
    ctx.close()
