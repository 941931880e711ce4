"""The supervisor's window: charts whose bars carry the same numbers as the figures, the
deadlines with overdue in red, the flags, export; refused to a clerk; the reminder at sign-in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clerk import Clerk
from support import CLERK, KINSHIP, SUPERVISOR, UNNATURAL, approval, make_station, signed_in

from app.context import Context
from app.policy.decision import Request
from app.services import certificates, counter
from ui import dialogs
from ui.app import build_application
from ui.main_window import MainWindow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def records(path: Path) -> None:
    """A station set up on 11-02 with an investigation left overdue, then three days of work:
    notices, certificates, one void. The clerk signs in each day."""
    moment = [dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)]
    make_station(path, clock=lambda: moment[0])
    ctx = Context(path, clock=lambda: moment[0])
    counter.issue(
        ctx,
        request=Request("非正常死亡证明", "other", "in_province"),
        officer=signed_in(ctx, CLERK),
        values=UNNATURAL,
    )
    for day in (23, 24, 25):
        moment[0] = dt.datetime(2026, 11, day, 2, tzinfo=dt.UTC)
        clerk = signed_in(ctx, CLERK)
        for i in range(day - 21):  # 2, 3, 4 abolished, the first of each day with its unit named
            request = Request(
                "死亡证明", "other", "in_province", requester_unit="" if i else "某某保险公司"
            )
            counter.record_notice(ctx, request=request, officer=clerk)
        counter.record_notice(
            ctx, request=Request("注销户口证明", "court", "in_province"), officer=clerk
        )
        serial = counter.issue(
            ctx,
            request=Request("亲属关系证明", "bank", "in_province"),
            officer=clerk,
            values=KINSHIP,
        ).serial
    certificates.void(
        ctx, serial=serial or "", reason="填写错误", officer=clerk, approval=approval()
    )
    ctx.close()


def test_supervisor_sees_charts_deadlines_flags_and_exports(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    station_dir = tmp_path / "station"
    records(station_dir)
    build_application([])
    now = dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC)
    ctx = Context(station_dir, clock=lambda: now)
    window = MainWindow(ctx, signed_in(ctx, SUPERVISOR))
    qtbot.addWidget(window)
    window.show()
    window.remind_deadlines()
    qtbot.waitUntil(lambda: "已超期 1 件" in window.message.text(), timeout=10_000)
    window.activateWindow()
    clerk = Clerk(qtbot)
    clerk.wait_active(window)
    clerk.press("F7")
    view = window.supervision
    assert view is not None
    qtbot.waitUntil(lambda: view.stats is not None, timeout=20_000)
    s = view.stats
    assert s.by_outcome == {"abolished": 9, "exchange": 3, "issue": 4}
    [series] = view.outcome_chart.series()
    bars = {bar.label(): bar.at(0) for bar in series.barSets()}
    assert bars == {"不予出具": 9.0, "信息交换": 3.0, "出具": 4.0}
    [daily] = view.day_chart.series()
    days = view.day_chart.axes()[0].categories()
    assert days == ["11-02", "11-23", "11-24", "11-25"]
    assert [bar.at(3) for bar in daily.barSets()] == [4.0, 1.0, 1.0]  # 11-25
    assert "约节省 240 元" in view.figures.text()  # (9 + 3) × 2 × ¥10
    assert "信息交换：3" in view.figures.text()
    assert view.deadline_model.rowCount() == 1 and view.deadline_model.rows[0].overdue
    assert [f.flag for f in view.flags] == [
        "voids"
    ]  # the 11-02 investigation is not in November's… first week
    view.resize(1366, 700)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(100)
    view.grab().save(str(SCREENSHOTS / "supervision_statistics.png"))
    view.tabs.setCurrentIndex(1)
    view.grab().save(str(SCREENSHOTS / "supervision_deadlines.png"))
    view.tabs.setCurrentIndex(2)
    view.grab().save(str(SCREENSHOTS / "supervision_flags.png"))
    # the refusals to report up, per demanding unit: the named insurer, then the unnamed
    assert [(r.unit, r.count) for r in view.report_model.rows] == [("", 6), ("某某保险公司", 3)]
    assert "2 个单位 9 件" in view.report_summary.text()
    assert view.report_model.data(view.report_model.index(1, 0)) == "某某保险公司"
    view.tabs.setCurrentIndex(3)
    view.grab().save(str(SCREENSHOTS / "supervision_reports.png"))
    view.tabs.setCurrentIndex(2)
    view.flag_view.activated.emit(view.flag_model.index(0, 0))  # the flag opens its certificate
    qtbot.waitUntil(lambda: window.certificate_view is not None, timeout=10_000)
    assert window.certificate_view.serial == view.flags[0].serial
    target = tmp_path / "flags.xlsx"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: target)
    view.xlsx_button.click()
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    from openpyxl import load_workbook

    sheet = load_workbook(target)["监督提示"]
    assert sheet["B1"].value.startswith("220102001") and sheet["A5"].value == "2026-11-25"
    ctx.close()


def test_a_clerk_cannot_open_supervision(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, signed_in(ctx, CLERK))
    qtbot.addWidget(window)
    assert not window.supervision_action.isEnabled()
    window.open_supervision()
    assert window.supervision is None and "所领导" in window.message.text()
    ctx.close()
