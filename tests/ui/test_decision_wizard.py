"""Every other path through the decision wizard, keyboard only, as a clerk drives it (the two
everyday paths with their key counts are in test_counter_paths.py): each checks what the clerk
sees and what was recorded."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

from clerk import Clerk, at_the_counter
from PySide6.QtWidgets import QApplication, QWizard
from support import CLERK, PASSWORD, SUPERVISOR, signed_in, sql

from app.context import Context
from app.services.cardreader import DEMO_CARD, SimulatedReader
from ui.app import build_application
from ui.main_window import MainWindow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
ID = "11010519491231002X"


def counter(qtbot, station_dir: Path, reader=None) -> tuple[MainWindow, Context, Clerk]:  # type: ignore[no-untyped-def]
    return at_the_counter(qtbot, station_dir, reader=reader)


def ask(window: MainWindow, clerk: Clerk, text: str) -> Any:
    """Type what the citizen asks for in the search field, Enter: the wizard."""
    clerk.type(text)
    clerk.press("Return")
    wizard = window.wizard
    assert wizard is not None
    clerk.wait_active(wizard)
    return wizard


def choose(clerk: Clerk, combo: Any, code: str) -> None:
    """Arrow keys down (or up) a combo box to the entry with ``code``."""
    assert QApplication.focusWidget() is combo
    steps = combo.findData(code) - combo.currentIndex()
    for _ in range(abs(steps)):
        clerk.press("Down" if steps > 0 else "Up")
    assert combo.currentData() == code


def fill(clerk: Clerk, values: list[str]) -> None:
    """Type each value and Tab on to the next field."""
    for i, value in enumerate(values):
        if i:
            clerk.press("Tab")
        clerk.type(value)


def rows(station_dir: Path, statement: str) -> list[tuple[Any, ...]]:
    with closing(sql(station_dir / "certdesk.db")) as conn:
        return conn.execute(statement).fetchall()


def print_from_preview(qtbot, clerk: Clerk, page: Any) -> Any:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.preview is not None, timeout=30_000)
    preview = page.preview
    clerk.wait_active(preview)
    clerk.press("Return")
    qtbot.waitUntil(lambda: preview.printed, timeout=30_000)
    return preview


def test_unknown_kind_is_refused_in_writing_and_reported_up(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "无房证明")
    assert wizard.currentId() == wizard.KIND  # not in the catalog: no kind to skip to
    assert "目录外" in wizard.kind_page.hint.text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SCREENSHOTS / "wizard_1_kind.png"))
    clerk.press("Return")
    for _ in range(3):  # sector, purpose, investigation: on to the demanding unit's name
        clerk.press("Tab")
    assert QApplication.focusWidget() is wizard.request_page.unit
    clerk.type("某某银行长春分行")
    clerk.press("Return")
    page = wizard.outcome_page
    assert page.decision is not None and page.decision.report_to_superior
    summary = page.summary.toPlainText()
    assert "报告上级公安机关" in summary and "“某某银行长春分行”" in summary
    assert "联系要求单位" in summary and page.contact.isVisible()
    clerk.press("Alt+L")  # outside the list: the clerk records contacting the unit
    assert QApplication.focusWidget() is page.contact
    clerk.type("电话联系信贷部李经理说明")
    wizard.grab().save(str(SCREENSHOTS / "wizard_3_outcome_unlisted.png"))
    clerk.press("Alt+P")
    print_from_preview(qtbot, clerk, page)
    assert page.notice is not None and page.notice.report_to_superior
    assert rows(
        station_dir, "SELECT kind_id, report_to_superior, status, requester_unit FROM cases"
    ) == [(None, 1, "notice_printed", "某某银行长春分行")]
    [(content,)] = rows(station_dir, "SELECT content FROM notices")
    assert json.loads(content)["contacted"] == "电话联系信贷部李经理说明"
    ctx.close()


def test_exchange_kind_gives_the_notice_for_the_unit(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "注销户口证明")
    assert wizard.currentId() == wizard.REQUEST
    choose(clerk, wizard.request_page.sector, "court")
    clerk.press("Return")
    page = wizard.outcome_page
    assert page.decision is not None and page.decision.outcome == "exchange"
    assert "信息" in page.summary.toPlainText()
    wizard.grab().save(str(SCREENSHOTS / "wizard_3_outcome_exchange.png"))
    clerk.press("Alt+P")
    print_from_preview(qtbot, clerk, page)
    assert page.notice is not None and page.notice.notice_type == "exchange"
    assert rows(station_dir, "SELECT requester, outcome, status FROM cases") == [
        ("court", "exchange", "notice_printed")
    ]
    assert len(rows(station_dir, "SELECT * FROM exchange_requests")) == 1
    ctx.close()


def test_ambiguous_kind_is_chosen_from_the_candidates(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "户口证明")
    kind = wizard.kind_page
    assert wizard.currentId() == wizard.KIND and kind.candidates.count() >= 2
    clerk.press("Return")
    clerk.press("Return")
    assert "不明确" in wizard.outcome_page.status.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    clerk.press("Alt+B")  # a mnemonic clicks its button a moment later
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.REQUEST)
    clerk.press("Alt+B")
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.KIND)
    kind.text.setFocus()
    clerk.press("Tab")  # into the candidates
    clerk.press("Down")
    first = kind.candidates.currentItem().text().split()[0]
    clerk.press("Return")  # picks it; the cursor goes back to the text
    assert kind.text.text() == first
    clerk.press("Return")
    clerk.press("Return")
    decision = wizard.outcome_page.decision
    assert decision is not None and decision.kind_name == first
    ctx.close()


def test_searching_a_serial_does_not_open_the_wizard(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    clerk.type("220102001-01-2026-000001-H")
    clerk.press("Return")
    qtbot.waitUntil(lambda: "找到" in window.message.text(), timeout=10_000)
    assert window.wizard is None
    ctx.close()


def test_a_wrong_check_character_is_shown_beside_the_field(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir, SimulatedReader([DEMO_CARD]))
    wizard = ask(window, clerk, "亲属关系证明")
    clerk.press("Return")
    clerk.press("Return")
    page = wizard.form_page
    clerk.press("Alt+R")
    qtbot.waitUntil(lambda: page.inputs["applicant_name"].text() == DEMO_CARD.name)
    fill(clerk, ["王小明", "110105194912310021"])  # the check character should be X
    clerk.press("Tab")
    assert "校验码应为 X" in page.errors["relative_id"].text()
    wizard.grab().save(str(SCREENSHOTS / "wizard_4_form_error.png"))
    clerk.press("Alt+I")
    qtbot.waitUntil(lambda: "标红" in page.status.text())
    assert page.result is None
    clerk.press("Shift+Tab")
    clerk.press("Ctrl+A")
    fill(clerk, [ID, "父子", "银行开户"])
    assert page.materials[0].isChecked()  # (the card read is the applicant's card, seen)
    clerk.press("Alt+I")
    print_from_preview(qtbot, clerk, page)
    assert page.result is not None and page.result.status == "issued"
    assert page.errors["relative_id"].text() == ""
    assert rows(station_dir, "SELECT count(*) FROM certificates") == [(1,)]
    ctx.close()


def test_special_case_abroad_needs_the_supervisor(qtbot, station_dir: Path, printed: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "户籍所在地证明")
    clerk.press("Tab")
    choose(clerk, wizard.request_page.purpose, "abroad")
    clerk.press("Return")
    decision = wizard.outcome_page.decision
    assert decision is not None and decision.special_case
    clerk.press("Return")
    page = wizard.form_page
    fill(clerk, ["王一", ID, "王二", ID, "户籍所在地为吉林省长春市南关区", "国外继承"])
    clerk.press("Alt+I")  # 特事特办: the supervisor approves at the counter (双人复核)
    qtbot.waitUntil(lambda: page.approval_dialog is not None)  # a mnemonic's click lands later
    dialog = page.approval_dialog
    clerk.wait_active(dialog)
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=10_000)
    assert QApplication.focusWidget() is dialog.approver
    assert [dialog.approver.itemData(i) for i in range(dialog.approver.count())] == [
        SUPERVISOR,
        "200002",
    ]  # supervisors only, never the clerk
    choose(clerk, dialog.approver, SUPERVISOR)
    clerk.press("Tab")
    clerk.type("guessed-1")
    clerk.press("Return")
    qtbot.waitUntil(lambda: "密码不正确" in dialog.note.text(), timeout=10_000)
    assert dialog.isVisible() and QApplication.focusWidget() is dialog.password
    assert page.result is None and rows(station_dir, "SELECT count(*) FROM cases") == [(0,)]
    assert rows(station_dir, f"SELECT failed_attempts FROM officers WHERE code='{SUPERVISOR}'") == [
        (1,)
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SCREENSHOTS / "approval_dialog.png"))
    clerk.type(PASSWORD)
    clerk.press("Return")
    print_from_preview(qtbot, clerk, page)
    assert page.result is not None and page.result.serial
    assert rows(
        station_dir,
        "SELECT special_case, o.code FROM cases c JOIN officers o ON o.id = c.approved_by_id",
    ) == [(1, SUPERVISOR)]
    [(officer, after)] = rows(
        station_dir, "SELECT officer_code, \"after\" FROM audit_events WHERE action='case.create'"
    )
    assert (officer, json.loads(after)["approver"]) == (CLERK, SUPERVISOR)
    ctx.close()


def test_missing_materials_give_the_one_time_notice(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "亲属关系证明")
    clerk.press("Return")
    clerk.press("Return")
    page = wizard.form_page
    assert page.materials and not any(box.isChecked() for box in page.materials)
    for box in page.materials[1:]:  # the first one the citizen did not bring
        clerk.click(box)
    clerk.press("Alt+M")
    print_from_preview(qtbot, clerk, page)
    assert page.notice is not None and page.notice.notice_type == "missing_materials"
    assert rows(station_dir, "SELECT type FROM notices") == [("missing_materials",)]
    ctx.close()


def test_investigation_gives_the_receipt_with_its_due_date(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "亲属关系证明")
    request = wizard.request_page
    clerk.press("Tab")
    clerk.press("Tab")
    assert QApplication.focusWidget() is request.investigation
    clerk.press("Space")
    assert request.investigation.isChecked()
    clerk.press("Return")
    decision = wizard.outcome_page.decision
    assert decision is not None and decision.deadline_working_days == 5
    clerk.press("Return")
    page = wizard.form_page
    fill(clerk, ["王一", ID, "王二", ID, "父子", "银行开户"])
    assert not any(box.isChecked() for box in page.materials)  # typed by hand: nothing seen
    clerk.press("Alt+I")  # the papers not ticked: nothing is issued, the clerk is told
    qtbot.waitUntil(lambda: "Alt+K" in page.status.text())
    assert page.result is None and QApplication.focusWidget() is page.materials[0]
    clerk.press("Space")  # ticked as the paper is seen
    clerk.press("Alt+I")
    print_from_preview(qtbot, clerk, page)
    assert page.result is not None and page.result.status == "pending_investigation"
    assert page.result.due_date and "受理回执" in page.status.text()
    assert rows(station_dir, "SELECT status, due_date FROM cases") == [
        ("pending_investigation", page.result.due_date)
    ]
    assert rows(station_dir, "SELECT count(*) FROM certificates") == [(0,)]
    ctx.close()


def test_the_english_window_prints_the_catalogs_material_names(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    """The one-time notice lists what the catalog calls the material (居民户口簿), never the
    check box's label in the window's language (“Provided: 居民户口簿”)."""
    build_application([], lang="en")
    try:
        ctx = Context(station_dir)
        window = MainWindow(ctx, signed_in(ctx, CLERK))
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        clerk = Clerk(qtbot)
        clerk.wait_active(window)
        wizard = ask(window, clerk, "亲属关系证明")
        clerk.press("Return")
        clerk.press("Return")
        page = wizard.form_page
        assert page.materials[0].text().startswith("Provided: ")
        for box in page.materials[1:]:
            clerk.click(box)
        clerk.press("Alt+M")
        print_from_preview(qtbot, clerk, page)
        material = wizard.catalog.kind("jl_kinship").materials[0]
        [(content,)] = rows(station_dir, "SELECT content FROM notices")
        assert json.loads(content)["missing"] == [material]
        ctx.close()
    finally:
        build_application([], lang="zh")


def test_the_catalog_shown_is_the_catalog_recorded(
    qtbot, station_dir: Path, printed: Path, national: Any
) -> None:  # type: ignore[no-untyped-def]
    """A catalog the background sync installs between the outcome shown and the certificate
    issued does not change what is recorded: the case keeps the catalog the clerk saw."""
    window, ctx, clerk = counter(qtbot, station_dir, SimulatedReader([DEMO_CARD]))
    wizard = ask(window, clerk, "亲属关系证明")
    clerk.press("Return")
    shown = wizard.outcome_page.decision
    assert shown is not None and shown.catalog_id == "jilin_2015"
    ctx.catalog_override = national  # what a pulled catalog does to the station's context
    assert ctx.catalog.id != "jilin_2015"
    clerk.press("Return")
    page = wizard.form_page
    clerk.press("Alt+R")
    qtbot.waitUntil(lambda: page.inputs["applicant_name"].text() == DEMO_CARD.name)
    fill(clerk, ["王小明", ID, "父子", "银行开户"])
    clerk.press("Alt+I")
    print_from_preview(qtbot, clerk, page)
    assert rows(station_dir, "SELECT catalog_id FROM cases") == [("jilin_2015",)]
    ctx.close()


def test_all_papers_seen_ticks_what_every_applicant_brings(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    """Alt+K: the clerk has seen the papers; the proxy's papers stay for a proxy to bring."""
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "亲属关系证明")
    clerk.press("Return")
    clerk.press("Return")
    page = wizard.form_page
    fill(clerk, ["王一", ID, "王二", ID, "父子", "银行开户"])
    clerk.press("Alt+K")
    qtbot.waitUntil(lambda: page.materials[0].isChecked())
    assert [box.isChecked() for box in page.materials] == [True, False]
    clerk.press("Alt+M")  # nothing every applicant brings is missing: no notice
    qtbot.waitUntil(lambda: "没有缺少的材料" in page.status.text())
    assert page.notice is None
    clerk.press("Alt+I")
    print_from_preview(qtbot, clerk, page)
    assert page.result is not None and page.result.serial
    ctx.close()


def test_without_a_catalog_limit_the_clerk_types_the_day_told_to_the_applicant(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    """A station on the national catalog (no investigation limit but for criminal records): the
    form asks for the day the clerk tells the applicant, refuses to go on without it, and the
    receipt and the case carry it."""
    from support import ADMIN

    from app.policy.catalog import builtin_catalog_path
    from app.services import catalogs

    setup = Context(station_dir)
    catalogs.install(
        setup, actor=signed_in(setup, ADMIN), path=builtin_catalog_path("national-2016")
    )
    day = setup.calendar().add_working_days(setup.today(), 3).due
    setup.close()
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "亲属关系证明")
    request = wizard.request_page
    clerk.press("Tab")
    clerk.press("Tab")
    assert QApplication.focusWidget() is request.investigation
    clerk.press("Space")
    clerk.press("Return")
    decision = wizard.outcome_page.decision
    assert decision is not None and decision.deadline_working_days is None
    assert "目录未规定办结时限" in wizard.outcome_page.summary.toPlainText()
    clerk.press("Return")
    page = wizard.form_page
    fill(clerk, ["王一", ID, "王二", ID, "父子", "银行开户"])
    clerk.press("Tab")
    assert QApplication.focusWidget() is page.due_input
    clerk.press("Alt+K")  # the papers seen
    clerk.press("Alt+I")  # no day typed: nothing is recorded, the field says why
    qtbot.waitUntil(lambda: "YYYY-MM-DD" in page.errors["due_date"].text())
    assert page.result is None and QApplication.focusWidget() is page.due_input
    wizard.grab().save(str(SCREENSHOTS / "wizard_4_form_due_date.png"))
    clerk.type(day.isoformat())
    clerk.press("Alt+I")
    print_from_preview(qtbot, clerk, page)
    assert page.result is not None and page.result.due_date == day.isoformat()
    assert rows(station_dir, "SELECT status, due_date FROM cases") == [
        ("pending_investigation", day.isoformat())
    ]
    ctx.close()


def test_asked_at_the_wrong_station_the_clerk_prints_where_to_go(
    qtbot, station_dir: Path, printed: Path
) -> None:  # type: ignore[no-untyped-def]
    window, ctx, clerk = counter(qtbot, station_dir)
    wizard = ask(window, clerk, "有无违法犯罪记录证明")
    assert wizard.currentId() == wizard.REQUEST
    clerk.press("Alt+W")  # the applicant's hukou and residence lie elsewhere
    qtbot.waitUntil(wizard.request_page.elsewhere.isChecked)  # a mnemonic's click lands later
    clerk.press("Return")
    page = wizard.outcome_page
    assert page.decision is not None and page.decision.referred
    summary = page.summary.toPlainText()
    assert "办理地点：户籍地或居住地派出所" in summary and "不是不予出具" in summary
    assert page.print_button.isVisible() and not page.contact.isVisible()
    wizard.grab().save(str(SCREENSHOTS / "wizard_3_outcome_referral.png"))
    clerk.press("Alt+P")
    print_from_preview(qtbot, clerk, page)
    assert page.notice is not None and page.notice.notice_type == "referral"
    assert rows(
        station_dir, "SELECT c.status, n.type FROM cases c JOIN notices n ON n.case_id = c.id"
    ) == [("referred", "referral")]
    ctx.close()
