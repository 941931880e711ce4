"""Supervision figures from a generated month of realistic cases (November 2026: 20 working
days), checked against numbers worked out by hand from how the month was made; each oversight
flag raised by the case made to trigger it, and not by the ones that should not."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from support import (
    CLERK,
    KINSHIP,
    SUPERVISOR,
    UNNATURAL,
    approval,
    js,
    login,
    make_station,
    run,
    signed_in,
    sql,
)

from app.context import Context
from app.policy.decision import Request
from app.records.printing import certificate_renderer
from app.services import certificates, counter
from app.services import investigations as casework
from app.services.supervision import Period, due_reminder, oversight, statistics

ABOLISHED = Request("死亡证明", "other", "in_province")
EXCHANGE = Request("注销户口证明", "court", "in_province")
KIN = Request("亲属关系证明", "bank", "in_province")
INVESTIGATE = Request("非正常死亡证明", "other", "in_province")
ABROAD = Request("户籍所在地证明", "other", "abroad")  # a special case
DEATH_ABROAD = {
    "applicant_name": "王一",
    "applicant_id": "11010519491231002X",
    "subject_name": "王二",
    "subject_id": "11010519491231002X",
    "facts": "户籍所在地为吉林省长春市南关区",
    "usage": "国外继承",
}
WORKING_DAYS = [dt.date(2026, 11, d) for d in range(2, 28) if dt.date(2026, 11, d).weekday() < 5]


class Clock:
    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)

    def on(self, day: dt.date, hour: int = 10) -> None:  # China time
        self.moment = dt.datetime(day.year, day.month, day.day, hour - 8, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Clock]:
    """The month as the station lived it: each working day the clerk signs in and serves the
    counter; supervisors approve with their passwords; investigations end on their own days."""
    data = tmp_path_factory.mktemp("month") / "station"
    clock = Clock()
    make_station(data, clock=clock)
    ctx = Context(data, clock=clock)
    assert len(WORKING_DAYS) == 20
    investigations = {}
    ends = {  # day -> (the investigation begun on which day, finish or refuse)
        dt.date(2026, 11, 4): (2, "finish"),  # due 11-09: met
        dt.date(2026, 11, 9): (6, "refuse"),  # due 11-13: met
        dt.date(2026, 11, 20): (3, "finish"),  # due 11-10: late
    }  # 11-05 stays pending (due 11-12: overdue); 11-23 stays pending (due 11-30: open)
    for day in WORKING_DAYS:
        clock.on(day)
        clerk = signed_in(ctx, CLERK)
        for request in (ABOLISHED, ABOLISHED, EXCHANGE):
            counter.record_notice(ctx, request=request, officer=clerk)
        counter.issue(ctx, request=KIN, officer=clerk, values=KINSHIP)
        if day.day in (2, 3, 5, 6, 23):
            investigations[day.day] = counter.issue(
                ctx, request=INVESTIGATE, officer=clerk, values=UNNATURAL
            ).case_no
        if day.day == 10:
            counter.record_notice(ctx, request=KIN, officer=clerk, missing=("户口簿",))
        if day.day == 11:
            serial = counter.issue(ctx, request=KIN, officer=clerk, values=KINSHIP).serial
            certificates.void(
                ctx, serial=serial or "", reason="填写错误", officer=clerk, approval=approval()
            )
        if day.day in (12, 13):
            counter.issue(
                ctx, request=ABROAD, officer=clerk, values=DEATH_ABROAD, approval=approval()
            )
        if day.day == 16:
            serial = counter.issue(
                ctx, request=KIN, officer=clerk, values=KINSHIP, render=certificate_renderer(ctx)
            ).serial
            for _ in range(2):
                certificates.reprint(
                    ctx, serial=serial or "", reason="原件遗失", officer=clerk, approval=approval()
                )
        if day in ends:
            clock.on(day, hour=15)  # the afternoon: signed in again
            clerk = signed_in(ctx, CLERK)
            begun, how = ends[day]
            if how == "finish":
                casework.finish(ctx, case_ref=investigations[begun], officer=clerk)
            else:
                casework.refuse(
                    ctx,
                    case_ref=investigations[begun],
                    officer=clerk,
                    reason="经查不属实",
                    approval=approval(),
                )
    ctx.close()
    with closing(sql(data / "certdesk.db")) as conn:  # an approval that went missing
        conn.execute(
            "UPDATE cases SET approved_by_id = NULL WHERE id = (SELECT case_id FROM certificates "
            "WHERE kind_id = 'jl_hukou_location' ORDER BY issued_at DESC LIMIT 1)"
        )
        conn.commit()
    clock.on(dt.date(2026, 11, 28))
    return data, clock


def supervising(data: Path, clock: Clock) -> tuple[Context, Any]:
    ctx = Context(data, clock=clock)
    return ctx, signed_in(ctx, SUPERVISOR)


NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_month_figures_match_the_hand_count(month: tuple[Path, Clock]) -> None:
    ctx, supervisor = supervising(*month)
    s = statistics(ctx, NOVEMBER, actor=supervisor)
    # 20 days × (2 abolished + 1 exchange + 1 kinship) + 5 investigations + the missing-materials
    # notice + the voided, the two special cases and the reprinted certificate
    assert s.by_outcome == {"abolished": 40, "exchange": 20, "issue": 20 + 5 + 1 + 1 + 2 + 1}
    assert s.requests == 90
    assert (s.on_the_spot, s.investigation) == (25, 5)
    assert s.deadlines.model_dump() == {"met": 2, "late": 1, "open": 1, "overdue": 1}
    assert (
        s.certificates_issued == 20 + 2 + 1 + 2 + 1
    )  # daily, finished A and B, voided, abroad, reprinted
    assert s.savings.model_dump() == {
        "requests": 60,
        "trips_per_request": 2,
        "fare_yuan": 10,
        "exchanges": 0,  # (no partner asked this station anything)
        "yuan": 1200,
    }
    assert [r.model_dump() for r in s.by_officer] == [
        {"officer": "张警官(100001)", "requests": 90, "certificates": 25}
    ]
    first = s.by_day[0].model_dump()
    assert first == {"day": "2026-11-02", "abolished": 2, "exchange": 1, "issue": 2}
    assert len(s.by_day) == 20
    kinship = [k.model_dump() for k in s.by_kind if k.kind_id == "jl_kinship"]
    assert kinship == [
        {"kind_id": "jl_kinship", "kind": "亲属关系证明", "outcome": "issue", "count": 23}
    ]
    # a period of one day
    one = statistics(ctx, Period(dt.date(2026, 11, 16), dt.date(2026, 11, 16)), actor=supervisor)
    assert one.requests == 5 and one.certificates_issued == 2
    ctx.close()


def test_each_flag_is_raised_by_its_case_only(month: tuple[Path, Clock]) -> None:
    ctx, supervisor = supervising(*month)
    flags = oversight(ctx, NOVEMBER, actor=supervisor)
    by = {f.flag: [x for x in flags if x.flag == f.flag] for f in flags}
    assert sorted((f.day, f.detail) for f in by["issue_not_issued"]) == [
        ("2026-11-06", "调查核实后不予出具"),
        ("2026-11-10", "出具一次性告知书后未出具证明"),
    ]
    [abolished] = by["abolished_issued"]
    # 11-12 was approved
    assert abolished.day == "2026-11-13" and abolished.kind == "户籍所在地证明"
    [reprints] = by["reprints"]
    assert reprints.day == "2026-11-16" and "共打印 3 份" in reprints.detail
    [void] = by["voids"]
    assert (
        void.day == "2026-11-11" and "填写错误" in void.detail and void.officer == "张警官(100001)"
    )
    assert len(flags) == 5
    assert not any(
        f.flag == "reprints"
        for f in oversight(ctx, NOVEMBER, actor=supervisor, reprint_threshold=3)
    )
    assert due_reminder(ctx, actor=supervisor) == (0, 1)  # 11-28: nothing due today, one overdue
    ctx.close()


def test_stats_and_oversight_commands_export_csv_and_xlsx(
    month: tuple[Path, Clock], tmp_path: Path
) -> None:
    data, _ = month
    login(data, SUPERVISOR)
    out = js(
        run(
            data,
            "stats",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--json",
            "--export",
            str(tmp_path / "s.xlsx"),
        )
    )
    assert out["requests"] == 90 and out["savings"]["yuan"] == 1200
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "s.xlsx")
    assert "按结论" in book.sheetnames and "群众节省" in book.sheetnames
    sheet = book["按结论"]
    assert sheet["B1"].value == "220102001 长春市南关区民康派出所"
    assert sheet["B2"].value == "2026-11-01 至 2026-11-30"
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=5)] == [
        ["不予出具", 40],
        ["信息交换", 20],
        ["出具", 30],
    ]
    flags = run(
        data,
        "oversight",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--export",
        str(tmp_path / "f.csv"),
    )
    assert flags.returncode == 0 and "不该开滥开" in flags.stdout
    text = (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("派出所,220102001") and text.count("应开不开") == 2
    bad = run(data, "stats", "--from", "2026-11-31")
    assert bad.returncode == 2 and "开始日期" in bad.stderr
    wrong = run(data, "stats", "--export", str(tmp_path / "s.pdf"))
    assert wrong.returncode == 2 and ".xlsx" in wrong.stderr and not (tmp_path / "s.pdf").exists()
    assert (
        json.loads(
            run(data, "oversight", "--from", "2026-12-01", "--to", "2026-12-31", "--json").stdout
        )
        == []
    )
