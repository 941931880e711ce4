"""Where the catalog sets no investigation limit (the national catalog but for criminal records),
the clerk tells the applicant the day (五个一律 rule 2): it is required, checked and recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import CLERK, KINSHIP, make_station, signed_in

from app.context import Context
from app.errors import InvalidInput
from app.policy.catalog import builtin_catalog_path, load_catalog
from app.policy.decision import Request
from app.services import counter

NATIONAL = load_catalog(builtin_catalog_path("national-2016"))
SLOW = Request("亲属关系证明", "bank", "in_province", needs_investigation=True)
MONDAY = dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC)  # 10:00 in China, a Monday


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    make_station(tmp_path / "station", clock=lambda: MONDAY)
    return Context(tmp_path / "station", clock=lambda: MONDAY)


def issue(ctx: Context, catalog=NATIONAL, request=SLOW, **extra):  # type: ignore[no-untyped-def]
    return counter.issue(
        ctx, request=request, officer=signed_in(ctx, CLERK), values=KINSHIP, catalog=catalog,
        **extra,
    )  # fmt: skip


def test_the_clerk_gives_the_day_and_it_is_recorded(ctx: Context) -> None:
    result = issue(ctx, due_date=dt.date(2026, 12, 4))  # Friday: four working days on
    assert result.status == "pending_investigation" and result.due_date == "2026-12-04"
    assert "首接民警告知" in result.due_date_note
    ctx.close()


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (None, "请填写告知申请人的办结日期"),
        (dt.date(2026, 11, 30), "今天之后"),  # today
        (dt.date(2026, 12, 5), "工作日"),  # a Saturday
        (dt.date(2027, 6, 1), "60个工作日"),
    ],
)
def test_a_missing_or_wrong_day_is_refused_and_nothing_recorded(
    ctx: Context, day: dt.date | None, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        issue(ctx, due_date=day)
    assert caught.value.field == "due_date" and words in caught.value.message
    from sqlalchemy import text

    with ctx.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 0
    ctx.close()


def test_a_catalog_limit_is_not_overridden(ctx: Context) -> None:
    with pytest.raises(InvalidInput) as caught:
        issue(ctx, catalog=ctx.catalog, due_date=dt.date(2026, 12, 4))
    assert caught.value.field == "due_date" and "5个工作日" in caught.value.message
    jilin = issue(ctx, catalog=ctx.catalog)  # Jilin: 5 working days, counted
    assert jilin.due_date == "2026-12-07"
    ctx.close()
