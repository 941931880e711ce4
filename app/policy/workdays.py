"""Chinese working days: statutory holidays and make-up working days.

A province-supplied holiday table (from the data dir, later pulled from the province) overrides
chinese-calendar; a year that no table covers falls back to Monday–Friday, and the result says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from app.errors import InvalidInput

# The station's calendar day, the province's figures and every due date are China Standard Time.
CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class DueDate:
    due: dt.date
    working_days: int
    fallback_years: tuple[int, ...] = ()  # years counted Monday–Friday: no table knew them

    @property
    def approximate(self) -> bool:
        return bool(self.fallback_years)

    def note(self) -> str:
        if not self.fallback_years:
            return ""
        years = "、".join(str(y) for y in self.fallback_years)
        return f"{years}年的法定节假日安排尚未公布，按周一至周五计算，请核对。"


@dataclass(frozen=True)
class HolidayTable:
    """Days off and make-up working days for the years it covers (a province's own table)."""

    years: frozenset[int]
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def from_mapping(cls, data: object) -> HolidayTable:
        """A table ``{"years": [2027], "holidays": ["2027-01-01", …], "workdays": […]}``; anything
        else (a year given as text, a date that is not one) is refused naming what is wrong."""
        if not isinstance(data, Mapping):
            raise InvalidInput(
                "节假日表应为 JSON 对象 {years, holidays, workdays}", field="holidays"
            )

        def listed(name: str, required: bool = False) -> list[object]:
            value = data.get(name, None if required else [])
            if not isinstance(value, list) or (required and not value):
                raise InvalidInput(
                    f"节假日表的 {name} 应为{'非空' if required else ''}列表，现为 {value!r}",
                    field="holidays",
                )
            return value

        years_raw = listed("years", required=True)
        if not all(
            isinstance(y, int) and not isinstance(y, bool) and 2000 <= y <= 2100 for y in years_raw
        ):
            raise InvalidInput(
                f"节假日表的 years 应为2000至2100的整数，现为 {years_raw!r}", field="holidays"
            )
        years = frozenset(int(y) for y in years_raw)  # type: ignore[call-overload]
        days: dict[str, frozenset[dt.date]] = {}
        for name in ("holidays", "workdays"):
            try:
                days[name] = frozenset(
                    dt.date.fromisoformat(str(d))
                    for d in listed(name)
                    if isinstance(d, str) or _bad(d)
                )
            except ValueError as exc:
                raise InvalidInput(
                    f"节假日表的 {name} 中有无效日期：{exc}", field="holidays"
                ) from exc
        holidays, workdays = days["holidays"], days["workdays"]
        for day in holidays | workdays:
            if day.year not in years:
                raise InvalidInput(f"节假日表中的 {day} 不在所列年份内", field="holidays")
        return cls(years, holidays, workdays)

    @classmethod
    def load(cls, path: Path) -> HolidayTable | None:
        """The table in ``path``; a file that cannot be read or is not a table is refused with
        its name (``InvalidInput``), never taken as no holidays."""
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(
                f"节假日表 {path} 无法读取或不是 JSON：{exc}", field="holidays"
            ) from exc
        try:
            return cls.from_mapping(data)
        except InvalidInput as error:
            raise InvalidInput(f"{path}：{error.message}", field="holidays") from error


def _bad(value: object) -> bool:
    raise ValueError(f"{value!r} 不是 YYYY-MM-DD 日期")


class WorkCalendar:
    def __init__(self, table: HolidayTable | None = None) -> None:
        self.table = table

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is a working day, known from a table rather than the Monday–Friday fallback)."""
        if self.table is not None and day.year in self.table.years:
            if day in self.table.workdays:
                return True, True
            if day in self.table.holidays:
                return False, True
            return day.weekday() < 5, True
        try:
            import chinese_calendar

            return bool(chinese_calendar.is_workday(day)), True
        except NotImplementedError:
            return day.weekday() < 5, False

    def add_working_days(self, start: dt.date, days: int) -> DueDate:
        """The date ``days`` working days after ``start`` (0: ``start`` itself)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        fallback: set[int] = set()
        counted = 0
        while counted < days:
            current += dt.timedelta(days=1)
            working, known = self.is_workday(current)
            if not known:
                fallback.add(current.year)
            if working:
                counted += 1
        return DueDate(current, days, tuple(sorted(fallback)))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
        sign = 1 if end >= start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        day = lo
        while day < hi:
            day += dt.timedelta(days=1)
            if self.is_workday(day)[0]:
                count += 1
        return sign * count
