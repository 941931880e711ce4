"""The words a station and the province share for where a record stands. Plain ``StrEnum``s (no
pydantic): the station's database stores their values, the window names them, the wire carries
them."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """A counter visit (案件) from the decision to its end."""

    DECIDED = "decided"  # an issue kind, left with the one-time notice of missing materials
    NOTICE_PRINTED = "notice_printed"  # the written refusal or exchange notice was given
    PENDING_INVESTIGATION = "pending_investigation"  # accepted; due within working days
    ISSUED = "issued"
    REFUSED = "refused"  # refused in writing after the investigation
    VOIDED = "voided"  # its certificate was voided
    REFERRED = "referred"  # asked at the wrong station: told in writing where to go

    @property
    def ended(self) -> bool:
        """An investigation (or an issue) that reached its end: counted for deadlines."""
        return self in ENDED


ENDED = frozenset({CaseStatus.ISSUED, CaseStatus.REFUSED, CaseStatus.VOIDED})


class CertificateStatus(StrEnum):
    """A certificate is valid from its issue until it is void (it keeps its serial)."""

    ISSUED = "issued"
    VOID = "void"


class NoticeType(StrEnum):
    REFUSAL = "refusal"  # 不予出具证明告知书
    EXCHANGE = "exchange"  # 信息交换告知书
    MISSING_MATERIALS = "missing_materials"  # 一次性告知书
    ACCEPTANCE_RECEIPT = "acceptance_receipt"  # 受理回执
    REFERRAL = "referral"  # 办理地点告知书: where the certificate is handled
    COMMITMENT = "commitment"  # 证明事项告知承诺书, for the citizen to sign at the unit
    CRIMINAL_RECORD_REFUSAL = "criminal_record_refusal"  # 不予出具无犯罪记录证明通知书
    CRIMINAL_RECORD_UNIT_REPLY = "criminal_record_unit_reply"  # 告知函 to a unit: a record found


class ExchangeStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class InquiryStatus(StrEnum):
    """A partner department's inquiry (the exchange desk)."""

    OPEN = "open"
    ANSWERED = "answered"
    DECLINED = "declined"


class VerifyStatus(StrEnum):
    """What the province answers a receiving unit about a serial."""

    VALID = "valid"
    VOID = "void"
    UNKNOWN = "unknown"
