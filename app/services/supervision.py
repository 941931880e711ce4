"""Supervision: the figures a station supervisor (and the province) watches, and the oversight
flags computed from the records. Everything is counted in SQL (a year of a busy station is a few
hundred thousand cases), per period of China-time days.

Oversight flags:
- 应开不开 ``issue_not_issued``: an issue-kind request that ended without a certificate (refused
  after investigation, or left with a one-time notice of missing materials);
- 不该开滥开 ``abolished_issued``: a certificate of a kind the catalog does not issue (abolished or
  exchange) without a recorded special case and its supervisor's approval;
- ``reprints``: a certificate printed more often than the threshold;
- ``voids``: every void.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from app.context import Context
from app.errors import InvalidInput
from app.policy.oversight import (
    CLOCK_TOLERANCE_SECONDS,
    FARE_YUAN,
    FLAG_TITLES,
    OUTCOME_SHORT_NAMES,
    REPRINT_THRESHOLD,
    TRIPS_SAVED,
    clock_detail,
    no_certificate_needed,
)
from app.policy.roles import SUPERVISION
from app.policy.workdays import CHINA
from app.protocol.models import (
    DayCount,
    Deadlines,
    InquiryCount,
    KindCount,
    OfficerCount,
    PeriodDays,
    Savings,
    Statistics,
)
from app.protocol.models import OversightFlag as Flag
from app.protocol.status import CaseStatus, CertificateStatus, InquiryStatus, NoticeType
from app.records.sessions import Actor
from app.services.export import Table


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: dt.date) -> Period:
        try:
            first = dt.date.fromisoformat(start) if start else today.replace(day=1)
        except ValueError:
            raise InvalidInput(f"开始日期“{start}”应为 YYYY-MM-DD", field="from") from None
        try:
            last = dt.date.fromisoformat(end) if end else today
        except ValueError:
            raise InvalidInput(f"结束日期“{end}”应为 YYYY-MM-DD", field="to") from None
        if last < first:
            raise InvalidInput(f"结束日期 {last} 早于开始日期 {first}", field="to")
        return cls(first, last)

    def bounds(self) -> dict[str, str]:
        """UTC bounds as stored (naive ``YYYY-MM-DD HH:MM:SS``), end exclusive."""

        def utc(day: dt.date) -> str:
            moment = dt.datetime.combine(day, dt.time(), CHINA).astimezone(dt.UTC)
            return moment.strftime("%Y-%m-%d %H:%M:%S")

        return {"a": utc(self.start), "b": utc(self.end + dt.timedelta(days=1))}


LOCAL_DAY = "date(created_at, '+8 hours')"


def statistics(
    ctx: Context,
    period: Period,
    *,
    actor: Actor,
    trips: int = TRIPS_SAVED,
    fare: int = FARE_YUAN,
) -> Statistics:
    """The period's figures, read from the running totals the database keeps (migration 0006)
    and, for investigations still pending, from the cases themselves (few, indexed)."""
    days = {"d1": period.start.isoformat(), "d2": period.end.isoformat()}
    where = "day >= :d1 AND day <= :d2"
    today = ctx.today().isoformat()
    kinds = ctx.catalog.kinds
    with ctx.reading(actor, roles=SUPERVISION) as session:

        def rows(sql: str, **extra: Any) -> list[Any]:
            return list(session.execute(text(sql), {**days, **extra}))

        station = session.execute(text("SELECT code, name FROM station")).first()
        by_outcome = {
            outcome: int(n)
            for outcome, n in rows(
                f"SELECT outcome, sum(n) FROM case_rollup WHERE {where} "
                "GROUP BY outcome HAVING sum(n) > 0"
            )
        }
        by_kind = [
            KindCount(
                kind_id=kind_id or None,
                kind=kinds[kind_id].name if kind_id in kinds else (kind_id or "目录外"),
                outcome=outcome,
                count=int(n),
            )
            for kind_id, outcome, n in rows(
                f"SELECT kind_id, outcome, sum(n) FROM case_rollup WHERE {where} "
                "GROUP BY kind_id, outcome HAVING sum(n) > 0 ORDER BY sum(n) DESC, kind_id"
            )
        ]
        by_officer = [
            OfficerCount(officer=f"{name}({code})", requests=int(n), certificates=int(issued))
            for code, name, n, issued in rows(
                "SELECT o.code, o.name, sum(r.n), sum(CASE WHEN r.status = :issued THEN r.n "
                f"ELSE 0 END) FROM case_rollup r JOIN officers o ON o.id = r.officer_id "
                f"WHERE r.{where.replace(' AND ', ' AND r.')} GROUP BY o.code, o.name "
                "HAVING sum(r.n) > 0 ORDER BY sum(r.n) DESC, o.code",
                issued=CaseStatus.ISSUED,
            )
        ]
        by_day = [
            DayCount(day=day, abolished=int(a), exchange=int(e), issue=int(i))
            for day, a, e, i in rows(
                "SELECT day, sum(CASE WHEN outcome = 'abolished' THEN n ELSE 0 END), "
                "sum(CASE WHEN outcome = 'exchange' THEN n ELSE 0 END), "
                "sum(CASE WHEN outcome = 'issue' THEN n ELSE 0 END) "
                f"FROM case_rollup WHERE {where} GROUP BY day HAVING sum(n) > 0 ORDER BY day"
            )
        ]
        spot, investigation, met, late = rows(
            "SELECT coalesce(sum(CASE WHEN spot = 1 THEN n END), 0), "
            "coalesce(sum(CASE WHEN spot = 0 THEN n END), 0), "
            "coalesce(sum(CASE WHEN late = 0 THEN n END), 0), "
            "coalesce(sum(CASE WHEN late = 1 THEN n END), 0) "
            f"FROM case_rollup WHERE outcome = 'issue' AND {where}"
        )[0]
        open_, overdue = rows(
            "SELECT coalesce(sum(due_date >= :today), 0), coalesce(sum(due_date < :today), 0) "
            "FROM cases WHERE status = :pending "  # by ix_cases_status_due:
            "AND +created_at >= :a AND +created_at < :b",  # '+' keeps SQLite off ix_cases_created
            today=today,
            pending=CaseStatus.PENDING_INVESTIGATION,
            **period.bounds(),
        )[0]
        (issued,) = rows(f"SELECT coalesce(sum(n), 0) FROM certificate_rollup WHERE {where}")[0]
        asked = inquiry_counts(session, period, today)
    needed_none = no_certificate_needed(by_outcome)
    return Statistics(
        station=f"{station.code} {station.name}" if station else "",
        period=PeriodDays(start=period.start.isoformat(), end=period.end.isoformat()),
        requests=sum(by_outcome.values()),
        by_outcome=by_outcome,
        by_kind=by_kind,
        by_officer=by_officer,
        by_day=by_day,
        on_the_spot=int(spot),
        investigation=int(investigation),
        deadlines=Deadlines(met=int(met), late=int(late), open=int(open_), overdue=int(overdue)),
        certificates_issued=int(issued),
        no_certificate_needed=needed_none,
        savings=Savings.of(
            needed_none,
            trips=trips,
            fare=fare,
            exchanges=sum(1 for r in asked["rows"] if r[2] == InquiryStatus.ANSWERED),
        ),
        inquiries=InquiryCount(**asked["total"]),
        inquiries_by_partner=[InquiryCount(**v) for v in asked["partners"]],
    )


def inquiry_counts(session: Any, period: Period, today: str) -> dict[str, Any]:
    """This station's partners' inquiries asked in the period, per partner (answered here or
    at another workstation of the station)."""
    from app.policy.inquiries import counted

    def day(stored: Any) -> str | None:  # a UTC timestamp as stored: its China-time day
        if stored is None:
            return None
        moment = stored if isinstance(stored, dt.datetime) else dt.datetime.fromisoformat(stored)
        return moment.replace(tzinfo=dt.UTC).astimezone(CHINA).date().isoformat()

    found = [
        (f"{sector}:{partner}", partner, status, due, day(answered))
        for sector, partner, status, due, answered in session.execute(
            text(
                "SELECT sector, partner, status, due_date, answered_at FROM inquiries "
                "WHERE asked_at >= :a AND asked_at < :b"
            ),
            period.bounds(),
        )
    ]
    groups = counted(found, today)
    total = groups.pop("", None) or InquiryCount().model_dump()
    return {"rows": found, "total": total, "partners": [groups[k] for k in sorted(groups)]}


def oversight(
    ctx: Context, period: Period, *, actor: Actor, reprint_threshold: int = REPRINT_THRESHOLD
) -> list[Flag]:
    """Every flag raised by the records of the period, oldest first."""
    bounds = period.bounds()
    kinds = ctx.catalog.kinds
    not_issued_kinds = {k.id for k in ctx.catalog if k.outcome != "issue"}
    flags: list[Flag] = []
    with ctx.reading(actor, roles=SUPERVISION) as session:

        def rows(sql: str, **extra: Any) -> list[Any]:
            return list(session.execute(text(sql), {**bounds, **extra}))

        def kind(kind_id: str | None, fallback: str = "") -> str:
            return kinds[kind_id].name if kind_id in kinds else (fallback or kind_id or "")

        for row in rows(
            "SELECT c.case_no, c.kind_id, c.kind_text, c.status, o.name, o.code, "
            "EXISTS (SELECT 1 FROM notices n WHERE n.case_id = c.id "
            "AND n.type = :missing_materials) AS missing, "
            f"{LOCAL_DAY.replace('created_at', 'c.created_at')} AS day FROM cases c "
            "JOIN officers o ON o.id = c.officer_id "
            "WHERE c.outcome = 'issue' AND c.status IN (:refused, :notice_printed, :decided) "
            "AND c.created_at >= :a AND c.created_at < :b ORDER BY c.created_at",
            missing_materials=NoticeType.MISSING_MATERIALS,
            refused=CaseStatus.REFUSED,
            notice_printed=CaseStatus.NOTICE_PRINTED,
            decided=CaseStatus.DECIDED,
        ):
            if row.missing:
                detail = "出具一次性告知书后未出具证明"
            else:
                detail = {
                    CaseStatus.REFUSED: "调查核实后不予出具",
                    CaseStatus.NOTICE_PRINTED: "出具告知书后未出具证明",
                    CaseStatus.DECIDED: "已判断应出具，未出具证明",
                }[CaseStatus(row.status)]
            flags.append(
                Flag(
                    flag="issue_not_issued",
                    title=FLAG_TITLES["issue_not_issued"],
                    case_no=row.case_no,
                    serial=None,
                    kind=kind(row.kind_id, row.kind_text),
                    officer=f"{row.name}({row.code})",
                    day=row.day,
                    detail=detail,
                )
            )
        for row in rows(
            "SELECT c.case_no, f.serial, f.kind_id, f.print_count, f.status, c.special_case, "
            "c.approved_by_id, o.name, o.code, date(f.issued_at, '+8 hours') AS day, "
            "f.void_reason FROM certificates f JOIN cases c ON c.id = f.case_id "
            "JOIN officers o ON o.id = f.issued_by_id "
            "WHERE f.issued_at >= :a AND f.issued_at < :b AND (f.status = :void "
            "OR f.print_count > :threshold OR (f.kind_id IN (SELECT value FROM json_each(:kinds)) "
            "AND NOT (c.special_case AND c.approved_by_id IS NOT NULL))) ORDER BY f.issued_at",
            threshold=reprint_threshold,
            void=CertificateStatus.VOID,
            kinds=json.dumps(sorted(not_issued_kinds)),
        ):
            who = f"{row.name}({row.code})"
            name = kind(row.kind_id)
            if row.kind_id in not_issued_kinds and not (row.special_case and row.approved_by_id):
                flags.append(
                    Flag(
                        flag="abolished_issued",
                        title=FLAG_TITLES["abolished_issued"],
                        case_no=row.case_no,
                        serial=row.serial,
                        kind=name,
                        officer=who,
                        day=row.day,
                        detail="目录规定不出具的证明，没有记录特殊情况及所领导审批",
                    )
                )
            if row.print_count > reprint_threshold:
                flags.append(
                    Flag(
                        flag="reprints",
                        title=FLAG_TITLES["reprints"],
                        case_no=row.case_no,
                        serial=row.serial,
                        kind=name,
                        officer=who,
                        day=row.day,
                        detail=f"共打印 {row.print_count} 份(超过 {reprint_threshold} 份)",
                    )
                )
            if row.status == CertificateStatus.VOID:
                flags.append(
                    Flag(
                        flag="voids",
                        title=FLAG_TITLES["voids"],
                        case_no=row.case_no,
                        serial=row.serial,
                        kind=name,
                        officer=who,
                        day=row.day,
                        detail=f"作废理由：{row.void_reason or ''}",
                    )
                )
        clock = dict(
            rows(
                "SELECT name, value FROM sync_state "
                "WHERE name IN ('clock_offset_seconds', 'clock_checked_at', 'chain_problem', "
                "'chain_problem_at')"
            )
        )
        station = rows("SELECT workstation FROM station")
    workstation = f"工作站 {station[0].workstation}" if station else ""

    def station_flag(kind: str, day: dt.date, detail: str) -> None:
        """A flag about this PC as a whole (no case, no serial), found at a sync."""
        if period.start <= day <= period.end:
            flags.append(
                Flag(
                    flag=kind,
                    title=FLAG_TITLES[kind],
                    case_no="",
                    serial=None,
                    kind="",
                    officer=workstation,
                    day=day.isoformat(),
                    detail=detail[:240],
                )
            )

    if "clock_offset_seconds" in clock and "clock_checked_at" in clock:
        offset = int(clock["clock_offset_seconds"])
        if abs(offset) > CLOCK_TOLERANCE_SECONDS:  # the PC's clock dates every certificate
            seen = dt.datetime.fromisoformat(clock["clock_checked_at"]).astimezone(CHINA)
            station_flag("clock", seen.date(), clock_detail(offset))
    if "chain_problem" in clock and "chain_problem_at" in clock:  # what it anchored was changed
        found = dt.datetime.fromisoformat(clock["chain_problem_at"]).astimezone(CHINA)
        station_flag("chain", found.date(), clock["chain_problem"])
    return flags


def due_reminder(ctx: Context, *, actor: Actor) -> tuple[int, int]:
    """(due today, overdue) pending investigations: what the supervisor is told at sign-in."""
    today = ctx.today().isoformat()
    with ctx.reading(actor, roles=SUPERVISION) as session:
        due, overdue = session.execute(
            text(
                "SELECT coalesce(sum(due_date = :t), 0), coalesce(sum(due_date < :t), 0) "
                "FROM cases WHERE status = :pending"
            ),
            {"t": today, "pending": CaseStatus.PENDING_INVESTIGATION},
        ).one()
    return int(due), int(overdue)


# ---------------------------------------------------------------------- the views as tables


def statistics_tables(result: Statistics) -> list[Table]:
    """The statistics as titled tables, for export."""
    names = OUTCOME_SHORT_NAMES
    return [
        Table(
            "按结论",
            ["结论", "件数"],
            [[names.get(k, k), v] for k, v in sorted(result.by_outcome.items())],
        ),
        Table(
            "按证明种类",
            ["证明", "结论", "件数"],
            [[r.kind, names.get(r.outcome, r.outcome), r.count] for r in result.by_kind],
        ),
        Table(
            "按民警",
            ["民警", "证明要求", "有效证明"],
            [[r.officer, r.requests, r.certificates] for r in result.by_officer],
        ),
        Table(
            "按日期",
            ["日期", "不予出具", "信息交换", "出具"],
            [[r.day, r.abolished, r.exchange, r.issue] for r in result.by_day],
        ),
        Table(
            "办结期限",
            ["当场出具", "调查核实", "期限内办结", "超期办结", "办理中", "已超期"],
            [
                [
                    result.on_the_spot,
                    result.investigation,
                    result.deadlines.met,
                    result.deadlines.late,
                    result.deadlines.open,
                    result.deadlines.overdue,
                ]
            ],
        ),
        Table(
            "协作部门核查",
            ["请求单位", "请求", "按期答复", "超期答复", "待答复", "已逾期", "不予答复"],
            [
                [r.name or "合计", r.asked, r.in_time, r.late, r.open, r.overdue, r.declined]
                for r in [*result.inquiries_by_partner, result.inquiries]
            ],
        ),
        Table(
            "群众节省",
            ["免开证明(件)", "每件往返次数", "每次花费(元)", "部门间核查(件)", "合计(元)"],
            [
                [
                    result.savings.requests,
                    result.savings.trips_per_request,
                    result.savings.fare_yuan,
                    result.savings.exchanges,
                    result.savings.yuan,
                ]
            ],
        ),
    ]


def flags_table(flags: list[Flag]) -> Table:
    return Table(
        "监督提示",
        ["日期", "提示", "案件编号", "证明编号", "证明", "民警", "说明"],
        [[f.day, f.title, f.case_no, f.serial or "", f.kind, f.officer, f.detail] for f in flags],
    )


def deadlines_table(rows: list[Any]) -> Table:
    return Table(
        "办结期限",
        ["案件编号", "所要证明", "办结期限", "剩余工作日", "首接民警"],
        [[r.case_no, r.kind, r.due_date, r.working_days_left, r.officer] for r in rows],
    )


@dataclass(frozen=True)
class ReportedDemand:
    """One demanding unit whose requests the station refused for no legal basis or as outside
    police duties, and so reports up (五个一律 rule 4): how often, for what, and the cases."""

    unit: str  # the unit's name as recorded, "" when the clerk did not record one
    sector: str
    sector_name: str
    count: int
    requested: list[str]
    first_day: str
    last_day: str
    cases: list[str]
    contacted: list[str]  # what the station recorded of contacting the unit, per case

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "sector": self.sector,
            "sector_name": self.sector_name,
            "count": self.count,
            "requested": self.requested,
            "first_day": self.first_day,
            "last_day": self.last_day,
            "cases": self.cases,
            "contacted": self.contacted,
        }


def reported_demands(ctx: Context, period: Period, *, actor: Actor) -> list[ReportedDemand]:
    """Every refusal of the period that is reported up, per demanding unit (most first)."""
    groups: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
    with ctx.reading(actor, roles=SUPERVISION) as session:
        for row in session.execute(
            text(
                "SELECT c.case_no, c.kind_text, c.requester, "
                "coalesce(c.requester_unit, '') AS unit, "
                f"{LOCAL_DAY.replace('created_at', 'c.created_at')} AS day, "
                "(SELECT json_extract(n.content, '$.contacted') FROM notices n "
                "WHERE n.case_id = c.id) AS contacted FROM cases c WHERE c.report_to_superior "
                "AND c.created_at >= :a AND c.created_at < :b ORDER BY c.created_at"
            ),
            period.bounds(),
        ):
            groups.setdefault((row.unit, row.requester), []).append(
                (row.case_no, row.kind_text, row.day, row.contacted or "")
            )
    sectors = ctx.catalog.sectors
    result = [
        ReportedDemand(
            unit=unit,
            sector=sector,
            sector_name=sectors.get(sector, sector),
            count=len(rows),
            requested=sorted({row[1] for row in rows}),
            first_day=rows[0][2],
            last_day=rows[-1][2],
            cases=[row[0] for row in rows],
            contacted=[row[3] for row in rows if row[3]],
        )
        for (unit, sector), rows in groups.items()
    ]
    return sorted(result, key=lambda r: (-r.count, r.unit, r.sector))
