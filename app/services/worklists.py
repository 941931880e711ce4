"""What the counter window lists: today's cases, pending investigations, recent certificates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.context import Context
from app.policy.roles import COUNTER, SUPERVISION
from app.policy.workdays import CHINA, WorkCalendar
from app.protocol.status import CaseStatus
from app.records.db.models import Case, Certificate, DecisionRecord, Officer
from app.records.sessions import Actor

WATCHERS = tuple(dict.fromkeys((*COUNTER, *SUPERVISION)))  # who sees the counter's lists

# Rows are plain data with codes (outcome, status); the GUI turns codes into words.


@dataclass(frozen=True, slots=True)
class CaseRow:
    case_no: str
    kind: str
    outcome: str
    status: str
    officer: str
    created_at: str


@dataclass(frozen=True, slots=True)
class PendingRow:
    case_no: str
    kind: str
    due_date: str
    working_days_left: int  # negative when overdue
    officer: str

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0


@dataclass(frozen=True, slots=True)
class CertificateRow:
    serial: str
    kind: str  # the form's id
    subject: str
    status: str
    issued_at: str
    title: str = ""  # the form's title, as the paper is headed (亲属关系证明)


KIND_NAME = DecisionRecord.body["kind_name"].as_string()


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(CHINA).strftime("%H:%M")


def today_cases(ctx: Context, *, actor: Actor, limit: int = 200) -> list[CaseRow]:
    start = dt.datetime.combine(ctx.today(), dt.time(), CHINA)
    with ctx.reading(actor, roles=WATCHERS) as session:
        names = {o.id: o.name for o in session.scalars(select(Officer))}
        rows = session.execute(
            select(Case, KIND_NAME)
            .join(DecisionRecord, DecisionRecord.sha256 == Case.decision_sha)
            .where(Case.created_at >= start)
            .order_by(Case.created_at.desc())
            .limit(limit)
        )
        return [
            CaseRow(
                c.case_no,
                kind_name or c.kind_text,
                c.outcome,
                c.status,
                names.get(c.officer_id, ""),
                _local(c.created_at),
            )
            for c, kind_name in rows
        ]


def pending_investigations(
    ctx: Context, *, actor: Actor, calendar: WorkCalendar | None = None
) -> list[PendingRow]:
    calendar = calendar or ctx.calendar()
    today = ctx.today()
    with ctx.reading(actor, roles=WATCHERS) as session:
        names = {o.id: o.name for o in session.scalars(select(Officer))}
        rows = session.execute(
            select(Case, KIND_NAME)
            .join(DecisionRecord, DecisionRecord.sha256 == Case.decision_sha)
            .where(Case.status == CaseStatus.PENDING_INVESTIGATION)
            .order_by(Case.due_date)
        )
        result = []
        for case, kind_name in rows:
            due = dt.date.fromisoformat(case.due_date) if case.due_date else today
            result.append(
                PendingRow(
                    case.case_no,
                    kind_name or case.kind_text,
                    due.isoformat(),
                    calendar.working_days_between(today, due),
                    names.get(case.officer_id, ""),
                )
            )
        return result


def recent_certificates(ctx: Context, *, actor: Actor, limit: int = 50) -> list[CertificateRow]:
    statement = select(Certificate).order_by(Certificate.issued_at.desc()).limit(limit)
    with ctx.reading(actor, roles=WATCHERS) as session:
        return [_certificate_row(c) for c in session.scalars(statement)]


def found_certificates(ctx: Context, text: str, *, actor: Actor) -> list[CertificateRow]:
    """What the search field finds (a serial, an identity number, a name or pinyin prefix), as
    the list shows certificates: China time, like every other list."""
    from app.services.certificates import search_statement

    statement = search_statement(text)
    with ctx.reading(actor, roles=WATCHERS) as session:
        return [_certificate_row(c) for c in session.scalars(statement)]


def _certificate_row(c: Certificate) -> CertificateRow:
    from forms import specs

    try:
        title = specs.get(c.form_id).title
    except KeyError:  # (a form this build no longer has: its id)
        title = c.form_id
    return CertificateRow(
        c.serial,
        c.form_id,
        c.subject_name,
        c.status,
        c.issued_at.astimezone(CHINA).strftime("%m-%d %H:%M"),
        title,
    )
