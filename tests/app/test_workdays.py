"""Working-day due dates: holidays, make-up working days, a province table, the fallback."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.policy.workdays import HolidayTable, WorkCalendar

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 11, 27), 5, D(2026, 12, 4)),  # an ordinary week
        (D(2026, 11, 28), 0, D(2026, 11, 28)),  # on the spot
        # Mid-Autumn 2026: 25-27 September off, Sunday 20 September worked;
        # National Day 2026: 1-7 October off, Saturday 10 October worked
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 24), 1, D(2026, 9, 28)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 9, 30), 5, D(2026, 10, 13)),
        # Spring Festival 2026: 15-23 February off, Saturdays 14 and 28 February worked
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 2, 26), 2, D(2026, 2, 28)),
    ],
)
def test_due_dates_around_holidays(start: dt.date, days: int, due: dt.date) -> None:
    result = WorkCalendar().add_working_days(start, days)
    assert result.due == due and not result.approximate and result.note() == ""


def test_late_december_crosses_into_an_unknown_year_and_says_so() -> None:
    result = WorkCalendar().add_working_days(D(2026, 12, 28), 5)
    # 29, 30, 31 December 2026 are known; 2027 is not (chinese-calendar stops at 2026)
    assert result.due == D(2027, 1, 4)
    assert result.approximate and result.fallback_years == (2027,)
    assert "2027年" in result.note() and "周一至周五" in result.note()


def test_province_table_overrides_and_covers_a_new_year(tmp_path: Path) -> None:
    table_file = tmp_path / "holidays.json"
    table_file.write_text(
        json.dumps(
            {
                "years": [2027],
                "holidays": ["2027-01-01", "2027-01-04"],
                "workdays": ["2027-01-09"],
            }
        ),
        encoding="utf-8",
    )
    table = HolidayTable.load(table_file)
    calendar = WorkCalendar(table)
    result = calendar.add_working_days(D(2026, 12, 30), 4)
    # 31 Dec (1), 1 Jan off, 4 Jan off (province), 5 (2), 6 (3), 7 (4)
    assert result.due == D(2027, 1, 7) and not result.approximate
    assert calendar.is_workday(D(2027, 1, 9)) == (True, True)


def test_bad_table_names_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        HolidayTable.from_mapping({"years": [2027], "holidays": ["2028-01-01"]})
    assert caught.value.field == "holidays"
    with pytest.raises(InvalidInput):
        HolidayTable.from_mapping({"holidays": []})


def test_working_days_between() -> None:
    calendar = WorkCalendar()
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert calendar.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == -5


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ({"years": "2026", "holidays": []}, "years"),  # text, not the years 2, 0, 2, 6
        ({"years": [2026], "holidays": "2026-10-01"}, "holidays"),
        ({"years": [2026], "holidays": ["2026-13-01"]}, "holidays"),
        ({"years": [2026], "holidays": [20261001]}, "holidays"),
        ({"years": [True]}, "years"),
        ({"years": []}, "years"),
        (["2026"], "JSON 对象"),
    ],
)
def test_a_malformed_holiday_table_is_refused_naming_what_is_wrong(
    table: object, named: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        HolidayTable.from_mapping(table)
    assert named in caught.value.message and caught.value.field == "holidays"


def test_a_broken_holidays_file_is_refused_with_its_name(tmp_path: Path) -> None:
    broken = tmp_path / "holidays.json"
    broken.write_text('{"years": [2026], "holidays": ["2026-10-01"', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        HolidayTable.load(broken)
    assert "holidays.json" in caught.value.message
    broken.write_text('{"years": "2026"}', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        HolidayTable.load(broken)
    assert "holidays.json" in caught.value.message and "years" in caught.value.message
