"""What issuing writes, for the counter and the investigation use cases: the case with its decision,
the certificate with its serial and archived PDF, the notice with its number — each through the
use case's ``Change`` — and the archive files a failed change must not leave behind."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import Refused
from app.policy.decision import Decision, Request, decide
from app.protocol.numbering import make_serial
from app.protocol.status import CaseStatus, CertificateStatus, NoticeType
from app.records import archive, decisions
from app.records.changes import Change
from app.records.db.models import Case, Certificate, Notice, Officer, new_id
from app.records.items import case_item, certificate_item, notice_item
from app.records.printing import CertificateDraft, Renderer, notice_pdf
from forms import specs

if TYPE_CHECKING:
    from app.policy.catalog import Catalog


class DecisionRefused(Refused):
    """The decision does not allow what was asked; carries the decision for the caller to show.
    ``reason`` says why: ``not_issued`` (a certificate asked for an outcome that is not issue),
    ``needs_certificate`` (a notice asked for an issue outcome), ``needs_choice`` (the kind is
    ambiguous)."""

    def __init__(self, message: str, decision: Decision, reason: str) -> None:
        super().__init__(message, field="kind")
        self.decision = decision
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IssueResult:
    case_id: str
    case_no: str
    status: CaseStatus
    workstation: str
    serial: str | None = None
    sequence: int | None = None
    due_date: str | None = None
    due_date_note: str = ""
    notice_no: str | None = None
    decision: dict[str, Any] = field(default_factory=dict)
    pdf_path: str | None = None  # the printed document (certificate or receipt), in the archive

    @classmethod
    def issued(
        cls, case: Case, certificate: Certificate, decision: dict[str, Any], *, due_date: str | None
    ) -> IssueResult:
        """The result of a certificate issued (on the spot, or at the end of an investigation)."""
        return cls(
            case.id,
            case.case_no,
            CaseStatus.ISSUED,
            certificate.workstation,
            serial=certificate.serial,
            sequence=certificate.sequence,
            due_date=due_date,
            decision=decision,
            pdf_path=certificate.pdf_path,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "sequence": self.sequence,
            "workstation": self.workstation,
            "status": str(self.status),
            "due_date": self.due_date,
            "due_date_note": self.due_date_note,
            "case_id": self.case_id,
            "case_no": self.case_no,
            "notice_no": self.notice_no,
        }


@dataclass(frozen=True, slots=True)
class NoticeResult:
    case_id: str
    case_no: str
    notice_no: str
    notice_type: NoticeType
    outcome: str | None
    report_to_superior: bool
    decision: dict[str, Any]
    pdf_path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "case_no": self.case_no,
            "notice_no": self.notice_no,
            "notice_type": str(self.notice_type),
            "outcome": self.outcome,
            "report_to_superior": self.report_to_superior,
            "decision": self.decision,
        }


NOTICE_NAMES = {
    NoticeType.REFUSAL: "不予出具证明告知书",
    NoticeType.EXCHANGE: "信息交换告知书",
    NoticeType.MISSING_MATERIALS: "一次性告知书",
    NoticeType.ACCEPTANCE_RECEIPT: "受理回执",
    NoticeType.REFERRAL: "办理地点告知书",
    NoticeType.COMMITMENT: "证明事项告知承诺书",
    NoticeType.CRIMINAL_RECORD_REFUSAL: "不予出具无犯罪记录证明通知书",
    NoticeType.CRIMINAL_RECORD_UNIT_REPLY: "犯罪记录查询结果告知函",
}


def decide_or_refuse(catalog: Catalog, request: Request, today: Any) -> Decision:
    decision = decide(catalog, request, today)
    if not decision.decided:
        names = "、".join(f"{c.name}({c.kind_id})" for c in decision.candidates)
        raise DecisionRefused(f"证明种类不明确，可能是：{names}", decision, "needs_choice")
    return decision


def new_case(
    change: Change,
    request: Request,
    decision: Decision,
    *,
    number: int,
    status: CaseStatus,
    approver: Officer | None = None,
    form_values: dict[str, Any] | None = None,
    due_date: str | None = None,
    due_date_note: str = "",
    action: str = "case.create",
) -> Case:
    assert change.actor is not None
    case = Case(
        id=new_id(),
        case_no=change.number("C", number),
        kind_text=request.kind_text,
        kind_id=decision.kind_id,
        requester=request.requester,
        requester_unit=decision.requester_unit or None,
        purpose=request.purpose,
        outcome=decision.outcome or "",
        special_case=decision.special_case,
        report_to_superior=decision.report_to_superior,
        decision_sha=decisions.keep(change.session, decision.to_dict()),
        catalog_id=decision.catalog_id,
        catalog_version=decision.catalog_version,
        officer_id=change.actor.id,
        approved_by_id=approver.id if approver else None,
        status=status,
        form_id=decision.form,
        form_values=form_values,
        due_date=due_date,
        due_date_note=due_date_note,
        created_at=change.now,
        updated_at=change.now,
    )
    return change.add(case, action=action, send=case_item)


def new_notice(
    change: Change,
    case: Case,
    notice_type: NoticeType,
    content: dict[str, Any],
    *,
    number: int,
    written: list[Path] | None = None,
) -> Notice:
    """Record a notice; with ``written`` also print it (archived, its path added to the list)."""
    assert change.actor is not None
    st, officer = change.station, change.actor
    notice = Notice(
        id=new_id(),
        notice_no=change.number("N", number),
        case_id=case.id,
        type=notice_type,
        content=content,
        officer_id=officer.id,
        print_count=0,
        created_at=change.now,
    )
    if written is not None:
        pdf = notice_pdf(
            notice_type=notice_type,
            number=notice.notice_no,
            values=notice_values(notice_type, content),
            station_name=st.name,
            station_phone=st.phone,
            officer_name=officer.name,
            officer_code=officer.code,
            issued_on=change.today,
        )
        path = archive.store(change.data_dir, notice.notice_no, change.today.year, pdf, change.key)
        written.append(path)
        notice.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        notice.print_count = 1
    return change.add(notice, action="notice.create", send=notice_item)


REASON_CLASS_NAMES = {
    "proven_by_id_card": "法定身份证件可以证明",
    "proven_by_hukou_book": "户口簿已有记载",
    "competent_department": "属于其他部门职责",
    "no_legal_basis": "没有法律依据",
}


def report_up_text(reported_on: str) -> str:
    """The refusal notice's line on the report up (五个一律 rule 4), with its day."""
    from forms.render import chinese_date

    day = chinese_date(dt.date.fromisoformat(reported_on)) if reported_on else ""
    return (
        f"本所已于{day}将该要求报告上级公安机关。"
        if day
        else "本所将按规定将该要求报告上级公安机关。"
    )


def notice_values(notice_type: str, content: Mapping[str, Any]) -> dict[str, str]:
    """What a notice prints, from what the case recorded."""

    def text(key: str) -> str:
        value = content.get(key)
        return "" if value is None else str(value)

    unit = text("requester_unit")
    common = {
        "requested": text("requested"),
        "requester": text("requester") + (f"（{unit}）" if unit else ""),
        "purpose": text("purpose"),
    }
    name, number = text("applicant_name"), text("applicant_id")
    # the applicant as a refusal addresses them: named when the citizen gave the name, else 您
    applicant = (
        f"申请人{name}" + (f"（公民身份号码：{number}）" if number else "") if name else "您"
    )
    if notice_type == NoticeType.REFUSAL:
        return {
            **common,
            "applicant": applicant,
            "reason_class": REASON_CLASS_NAMES.get(text("reason_class"), "没有法律依据"),
            "reason": text("reason"),
            "basis": text("basis"),
            "use_instead": text("use_instead") or "—",
            "report": report_up_text(text("reported_on"))
            if content.get("report_to_superior")
            else "",
        }
    if notice_type == NoticeType.EXCHANGE:
        return {**common, "information": text("information_exchanged"), "basis": text("basis")}
    if notice_type == NoticeType.CRIMINAL_RECORD_UNIT_REPLY:
        return {
            name: text(name) for name in ("unit_name", "subject_name", "subject_id", "legal_basis")
        }
    if notice_type == NoticeType.CRIMINAL_RECORD_REFUSAL:
        return {
            **common,
            "requested": text("kind_name") or text("requested"),
            "applicant": applicant,
            "review": text("review"),
        }
    if notice_type == NoticeType.COMMITMENT:
        return {
            **common,
            "requested": text("kind_name") or text("requested"),
            "list": text("commitment"),
        }
    if notice_type == NoticeType.REFERRAL:
        return {
            **common,
            "requested": text("kind_name") or text("requested"),
            "where": text("handled_at"),
            "basis": text("basis"),
        }
    if notice_type == NoticeType.MISSING_MATERIALS:
        items = content.get("missing") or []
        return {**common, "missing": "；".join(f"{i}. {m}" for i, m in enumerate(items, 1))}
    return {
        "requested": text("kind_name") or text("requested"),
        "case_no": text("case_no"),
        "due_date": text("due_date"),
        "working_days": text("working_days"),
        "due_date_note": text("due_date_note"),
    }


def accepted(
    change: Change,
    case: Case,
    *,
    working_days: int,
    kind_name: str,
    requested: str,
    number: int,
    written: list[Path],
    printed: bool,
    decision: dict[str, Any],
) -> IssueResult:
    """A case accepted for investigation (or review): its acceptance receipt with the due date,
    rendered and archived when ``printed``, and the result the counter shows."""
    receipt = new_notice(
        change,
        case,
        NoticeType.ACCEPTANCE_RECEIPT,
        {
            "case_no": case.case_no,
            "due_date": case.due_date,
            "working_days": working_days,
            "due_date_note": case.due_date_note,
            "kind_name": kind_name,
            "requested": requested,
        },
        number=number,
        written=written if printed else None,
    )
    return IssueResult(
        case.id,
        case.case_no,
        CaseStatus.PENDING_INVESTIGATION,
        change.station.workstation,
        due_date=case.due_date,
        due_date_note=case.due_date_note,
        notice_no=receipt.notice_no,
        decision=decision,
        pdf_path=relative_path(change.data_dir, written),
    )


@contextmanager
def remove_on_failure(written: list[Path]) -> Iterator[None]:
    """Archive files written inside a transaction that then fails are removed again."""
    try:
        yield
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def relative_path(data_dir: Path, written: list[Path]) -> str | None:
    return str(written[-1].relative_to(data_dir)) if written else None


def subject_pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).lower()


def new_certificate(
    change: Change,
    case: Case,
    values: Mapping[str, str],
    render: Renderer | None,
    written: list[Path],
    *,
    sequence: int,
    kind_name: str | None,
) -> Certificate:
    assert case.form_id is not None and change.actor is not None
    st, officer, year = change.station, change.actor, change.today.year
    serial = str(make_serial(st.code, st.workstation, year, sequence))
    form = specs.get(case.form_id)
    subject = values.get(form.subject_name, "") if form.subject_name else ""
    certificate = Certificate(
        id=new_id(),
        serial=serial,
        workstation=st.workstation,
        year=year,
        sequence=sequence,
        case_id=case.id,
        kind_id=case.kind_id,
        form_id=case.form_id,
        form_values=dict(values),
        subject_name=subject,
        subject_id_number=(values.get(form.subject_id) or None) if form.subject_id else None,
        subject_pinyin=subject_pinyin(subject),
        print_count=0,
        status=CertificateStatus.ISSUED,
        issued_by_id=officer.id,
        issued_at=change.now,
    )
    if render is not None:
        draft = CertificateDraft(
            serial=serial,
            form_id=case.form_id,
            kind_id=case.kind_id,
            values=dict(values),
            station_code=st.code,
            station_name=st.name,
            station_phone=st.phone,
            officer_name=officer.name,
            officer_code=officer.code,
            issued_on=change.today,
            kind_name=kind_name,
            special_case=case.special_case,
        )
        pdf = render(draft)  # raises: nothing is recorded, no serial is used
        path = archive.store(change.data_dir, serial, year, pdf, change.key)
        written.append(path)
        certificate.pdf_path = str(path.relative_to(change.data_dir))
        certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        certificate.print_count = 1
    return change.add(certificate, action="certificate.issue", send=certificate_item)
