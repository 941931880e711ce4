"""Supervision across the province: the station's figures (``app.services.supervision``) in the
same shape, from what the stations pushed, plus the oversight flags of every station."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.policy.oversight import (
    CLOCK_TOLERANCE_SECONDS,
    FARE_YUAN,
    FLAG_TITLES,
    REPRINT_THRESHOLD,
    TRIPS_SAVED,
    clock_detail,
    no_certificate_needed,
)
from app.policy.workdays import CHINA
from app.protocol.models import (
    DayCount,
    Deadlines,
    InquiryCount,
    KindCount,
    OversightFlag,
    PeriodDays,
    ReportedDemand,
    Savings,
    StationCount,
    Statistics,
)
from app.protocol.status import ENDED, CaseStatus, InquiryStatus, VerifyStatus
from server.models import (
    CaseSummary,
    CatalogVersion,
    ChainBreak,
    InquiryRow,
    IssuedCertificate,
    Partner,
    ServerStation,
    StationClockDay,
)


def current_catalog(session: Session) -> Any:
    """The newest catalog the province published, else the built-in default."""
    from app.policy.catalog import builtin_catalog_path, load_catalog, parse_catalog

    text = session.scalar(select(CatalogVersion.text).order_by(CatalogVersion.id.desc()).limit(1))
    if text:
        return parse_catalog(text.encode("utf-8"), file="province")
    return load_catalog(builtin_catalog_path())


def statistics(
    session: Session,
    *,
    start: str,
    end: str,
    trips: int = TRIPS_SAVED,
    fare: int = FARE_YUAN,
    station: str | None = None,
    per_station: bool = True,
) -> Statistics:
    """The period's figures: the province's (``station`` None) or one station's; ``per_station``
    False leaves out the counts per station (a station reading the province's totals)."""
    where = [CaseSummary.created_on >= start, CaseSummary.created_on <= end]
    if station:
        where.append(CaseSummary.station_code == station)
    c = CaseSummary
    kinds = current_catalog(session).kinds

    def count(*condition: Any) -> int:
        return int(session.scalar(select(func.count()).where(*where, *condition)) or 0)

    by_outcome = {
        outcome: int(n)
        for outcome, n in session.execute(
            select(c.outcome, func.count()).where(*where).group_by(c.outcome)
        )
    }
    today = dt.datetime.now(CHINA).date().isoformat()
    issue = c.outcome == "issue"
    finished = c.status.in_(ENDED)
    cert_where = [IssuedCertificate.issued_on >= start, IssuedCertificate.issued_on <= end]
    if station:
        cert_where.append(IssuedCertificate.station_code == station)
    needed_none = no_certificate_needed(by_outcome)
    asked = _inquiries(session, start, end, station, today)
    day_rows = session.execute(
        select(
            c.created_on,
            func.count().filter(c.outcome == "abolished"),
            func.count().filter(c.outcome == "exchange"),
            func.count().filter(issue),
        )
        .where(*where)
        .group_by(c.created_on)
        .order_by(c.created_on)
    )
    return Statistics(
        station=station or "全省",
        period=PeriodDays(start=start, end=end),
        requests=sum(by_outcome.values()),
        by_outcome=by_outcome,
        by_kind=[
            KindCount(
                kind_id=kind_id,
                kind=kinds[kind_id].name if kind_id in kinds else (kind_id or "目录外"),
                outcome=outcome,
                count=int(n),
            )
            for kind_id, outcome, n in session.execute(
                select(c.kind_id, c.outcome, func.count())
                .where(*where)
                .group_by(c.kind_id, c.outcome)
                .order_by(func.count().desc(), c.kind_id)
            )
        ],
        by_station=[
            StationCount(station_code=code, count=int(n))
            for code, n in session.execute(
                select(c.station_code, func.count())
                .where(*where)
                .group_by(c.station_code)
                .order_by(c.station_code)
            )
        ]
        if per_station
        else [],
        by_day=[
            DayCount(day=day, abolished=int(a), exchange=int(e), issue=int(i))
            for day, a, e, i in day_rows
        ],
        on_the_spot=count(issue, c.due_date.is_(None)),
        investigation=count(issue, c.due_date.is_not(None)),
        deadlines=Deadlines(
            met=count(c.due_date.is_not(None), finished, c.finished_on <= c.due_date),
            late=count(c.due_date.is_not(None), finished, c.finished_on > c.due_date),
            open=count(c.status == CaseStatus.PENDING_INVESTIGATION, c.due_date >= today),
            overdue=count(c.status == CaseStatus.PENDING_INVESTIGATION, c.due_date < today),
        ),
        certificates_issued=int(
            session.scalar(select(func.count()).select_from(IssuedCertificate).where(*cert_where))
            or 0
        ),
        no_certificate_needed=needed_none,
        savings=Savings.of(needed_none, trips=trips, fare=fare, exchanges=asked.closed),
        inquiries=asked.total,
        inquiries_by_station=asked.by_station if per_station else [],
        inquiries_by_partner=asked.by_partner if per_station else [],
    )


@dataclass(frozen=True)
class _Asked:
    total: InquiryCount
    by_station: list[InquiryCount]
    by_partner: list[InquiryCount]
    closed: int  # answered (not declined): a citizen's trip saved each


def _inquiries(session: Session, start: str, end: str, station: str | None, today: str) -> _Asked:
    """Partners' inquiries asked in the period, per station and per partner."""
    from app.policy.inquiries import counted

    i = InquiryRow
    statement = (
        select(
            i.station_code,
            ServerStation.name,
            i.partner,
            Partner.unit,
            i.status,
            i.due_date,
            i.answered_on,
        )
        .join(ServerStation, ServerStation.code == i.station_code)
        .join(Partner, Partner.name == i.partner)
        .where(i.asked_on >= start, i.asked_on <= end)
    )
    if station:
        statement = statement.where(i.station_code == station)
    found = list(session.execute(statement))
    stations = counted([(r[0], r[1], r[4], r[5], r[6]) for r in found], today)
    partners = counted([(r[2], r[3], r[4], r[5], r[6]) for r in found], today)
    total = stations.pop("", None)
    partners.pop("", None)
    return _Asked(
        total=InquiryCount(**total) if total else InquiryCount(),
        by_station=[InquiryCount(**v) for _, v in sorted(stations.items())],
        by_partner=[InquiryCount(**v) for _, v in sorted(partners.items())],
        closed=sum(1 for r in found if r[4] == InquiryStatus.ANSWERED),
    )


def oversight(
    session: Session,
    *,
    start: str,
    end: str,
    reprint_threshold: int = REPRINT_THRESHOLD,
    station: str | None = None,
) -> list[OversightFlag]:
    """The flags of every station in the period, or of ``station`` only (the officer is the
    station here: the province does not hold officers' names)."""
    catalog = current_catalog(session)
    not_issued = {k.id for k in catalog if k.outcome != "issue"}
    kinds = catalog.kinds
    flags: list[OversightFlag] = []

    def flag(
        kind: str,
        case_no: str,
        serial: str | None,
        kind_id: str | None,
        station: str,
        day: str,
        detail: str,
    ) -> None:
        flags.append(
            OversightFlag(
                flag=kind,
                title=FLAG_TITLES[kind],
                case_no=case_no,
                serial=serial,
                kind=kinds[kind_id].name
                if kind_id in kinds
                else (kind_id or ("" if kind in ("clock", "chain") else "目录外")),
                officer=station,
                day=day,
                detail=detail,
            )
        )

    c = CaseSummary
    for row in session.execute(
        select(c.case_no, c.kind_id, c.status, c.station_code, c.created_on)
        .where(
            c.outcome == "issue",
            c.status.in_((CaseStatus.REFUSED, CaseStatus.NOTICE_PRINTED, CaseStatus.DECIDED)),
            c.created_on >= start,
            c.created_on <= end,
            *([c.station_code == station] if station else []),
        )
        .order_by(c.created_on, c.station_code)
    ):
        detail = (
            "调查核实后不予出具" if row.status == CaseStatus.REFUSED else "已判断应出具，未出具证明"
        )
        flag(
            "issue_not_issued",
            row.case_no,
            None,
            row.kind_id,
            row.station_code,
            row.created_on,
            detail,
        )
    f = IssuedCertificate
    for cert in session.execute(
        select(
            f.serial,
            f.kind_id,
            f.status,
            f.print_count,
            f.station_code,
            f.issued_on,
            c.case_no,
            c.special_case,
            c.approved,
        )
        .join(c, c.id == f.case_id, isouter=True)
        .where(f.issued_on >= start, f.issued_on <= end)
        .where(*([f.station_code == station] if station else []))
        .where(
            (f.status == VerifyStatus.VOID)
            | (f.print_count > reprint_threshold)
            | f.kind_id.in_(not_issued)
        )
        .order_by(f.issued_on, f.serial)
    ):
        case_no = cert.case_no or ""
        if cert.kind_id in not_issued and not (cert.special_case and cert.approved):
            flag(
                "abolished_issued",
                case_no,
                cert.serial,
                cert.kind_id,
                cert.station_code,
                cert.issued_on,
                "目录规定不出具的证明，没有记录特殊情况及所领导审批",
            )
        if cert.print_count > reprint_threshold:
            flag(
                "reprints",
                case_no,
                cert.serial,
                cert.kind_id,
                cert.station_code,
                cert.issued_on,
                f"共打印 {cert.print_count} 份(超过 {reprint_threshold} 份)",
            )
        if cert.status == VerifyStatus.VOID:
            flag(
                "voids",
                case_no,
                cert.serial,
                cert.kind_id,
                cert.station_code,
                cert.issued_on,
                "已作废",
            )
    for broken in session.scalars(
        select(ChainBreak)
        .where(ChainBreak.day >= start, ChainBreak.day <= end)
        .where(*([ChainBreak.station_code == station] if station else []))
        .order_by(ChainBreak.day, ChainBreak.id)
    ):
        flag(
            "chain",
            "",
            None,
            None,
            f"{broken.station_code}-{broken.workstation}",
            broken.day,
            broken.reason[:240],
        )
    days = StationClockDay
    for code, day, offset in session.execute(
        select(days.station_code, days.day, days.offset_seconds)
        .where(
            func.abs(days.offset_seconds) > CLOCK_TOLERANCE_SECONDS,
            days.day >= start,
            days.day <= end,
            *([days.station_code == station] if station else []),
        )
        .order_by(days.day, days.station_code)
    ):
        flag("clock", "", None, None, code, day, clock_detail(offset))
    return flags


def reported_demands(
    session: Session, *, start: str, end: str, station: str | None = None
) -> list[ReportedDemand]:
    """Every refusal reported up in the period (五个一律 rule 4), per demanding unit across the
    province (or one ``station``'s), most first: the unit's name as the stations recorded it,
    its sector, how many, from which stations, for which kinds."""
    kinds = current_catalog(session).kinds
    c = CaseSummary
    unit = func.coalesce(c.requester_unit, "")
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for row in session.execute(
        select(unit.label("unit"), c.requester, c.station_code, c.kind_id, c.created_on)
        .where(
            c.report_to_superior.is_(True),
            c.created_on >= start,
            c.created_on <= end,
            *([c.station_code == station] if station else []),
        )
        .order_by(c.created_on)
    ):
        group = groups.setdefault(
            (row.unit, row.requester),
            {"count": 0, "stations": set(), "kinds": set(), "days": []},
        )
        group["count"] += 1
        group["stations"].add(row.station_code)
        group["kinds"].add(kinds[row.kind_id].name if row.kind_id in kinds else "目录外")
        group["days"].append(row.created_on)
    result = [
        ReportedDemand(
            unit=name,
            sector=sector or "other",
            count=g["count"],
            stations=sorted(g["stations"]),
            kinds=sorted(g["kinds"]),
            first_day=g["days"][0],
            last_day=g["days"][-1],
        )
        for (name, sector), g in groups.items()
    ]
    return sorted(result, key=lambda r: (-r.count, r.unit, r.sector))
