"""What the province is told of each record: the station's rows as protocol items.

Only what the province counts, supervises and verifies — never a form's values, a name or an
identity number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.protocol.models import CaseItem, CertificateItem, ExchangeItem, NoticeItem
from app.protocol.status import ENDED, CaseStatus, CertificateStatus, ExchangeStatus, NoticeType
from app.records.db.models import Case, Certificate, ExchangeRequest, Notice


def case_item(case: Case) -> CaseItem:
    ended = CaseStatus(case.status) in ENDED
    return CaseItem(
        id=case.id,
        case_no=case.case_no,
        kind_id=case.kind_id,
        requester=case.requester,
        purpose=case.purpose,
        outcome=case.outcome,
        status=CaseStatus(case.status),
        special_case=case.special_case,
        approved=case.approved_by_id is not None,
        report_to_superior=case.report_to_superior,
        catalog_id=case.catalog_id,
        catalog_version=case.catalog_version,
        created_at=case.created_at,
        ended_at=case.updated_at if ended else None,
        due_date=dt.date.fromisoformat(case.due_date) if case.due_date else None,
        requester_unit=case.requester_unit if case.report_to_superior else None,
    )


def certificate_item(certificate: Certificate) -> CertificateItem:
    return CertificateItem(
        serial=certificate.serial,
        case_id=certificate.case_id,
        kind_id=certificate.kind_id,
        form_id=certificate.form_id,
        issued_at=certificate.issued_at,
        print_count=certificate.print_count,
        status=CertificateStatus(certificate.status),
    )


def notice_item(notice: Notice) -> NoticeItem:
    return NoticeItem(
        notice_no=notice.notice_no,
        case_id=notice.case_id,
        type=NoticeType(notice.type),
        created_at=notice.created_at,
        printed=notice.print_count > 0,
    )


def exchange_item(exchange: ExchangeRequest) -> ExchangeItem:
    return ExchangeItem(
        id=exchange.id,
        case_id=exchange.case_id,
        exchange_kind_id=exchange.exchange_kind_id,
        requester=exchange.requester,
        status=ExchangeStatus(exchange.status),
        created_at=exchange.created_at,
    )


# the question as the partner put it: kept here as the province sent it, signed over as it is
QUESTION = (
    "id",
    "number",
    "partner",
    "sector",
    "kind_id",
    "information",
    "subject_name",
    "subject_id",
    "legal_basis",
    "partner_case_no",
)


def question(source: Any) -> dict[str, Any]:
    """The question's fields of a kept inquiry or of one the province sent."""
    return {name: getattr(source, name) for name in QUESTION}
