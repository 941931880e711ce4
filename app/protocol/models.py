"""The station ↔ province protocol, version 1: every message either side sends, as pydantic models.

``app.sync`` builds and reads these; ``server`` validates requests and writes answers with the
same classes, and its OpenAPI schema is generated from them. A field renamed here is renamed on
both sides at once; a station column renamed is not a protocol change at all.

What crosses the wire is what the province needs to count, supervise and verify — never a
citizen's name or identity number (个人信息保护法: minimal collection) — with one exception: an
inquiry a partner department addressed to a station names its subject, and goes to that station's
workstations only (``GET /api/v2/inquiries``); the answer's fields travel back once, signed. Records carry the
station's own UUID (the idempotency key) and its outbox sequence number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel, StringConstraints

from app.policy.model import Outcome, Purpose
from app.protocol.status import (
    CaseStatus,
    CertificateStatus,
    ExchangeStatus,
    InquiryStatus,
    NoticeType,
    VerifyStatus,
)

# Version 2: typed items (version 1 carried each row's columns as an untyped payload). The
# province answers version 1's write paths with 410 Gone and a message to upgrade.
VERSION = 2
API = f"/api/v{VERSION}"

STATION_PATTERN = r"^[0-9A-Z]{2,12}$"
WORKSTATION_PATTERN = r"^(0[1-9]|[1-9][0-9])$"
SERIAL_PATTERN = r"^[0-9A-Z]{2,12}-[0-9]{2}-[0-9]{4}-[0-9]{6}-[0-9A-Z*]$"
CASE_NO_PATTERN = r"^[0-9A-Z]{2,12}-[0-9]{2}-[0-9]{4}-C[0-9]{6}$"
NOTICE_NO_PATTERN = r"^[0-9A-Z]{2,12}-[0-9]{2}-[0-9]{4}-N[0-9]{6}$"
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
IDENT_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
# no control characters at all (PostgreSQL text cannot hold NUL; a line break is one, too)
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"

StationCode = Annotated[str, StringConstraints(pattern=STATION_PATTERN)]
WorkstationNo = Annotated[str, StringConstraints(pattern=WORKSTATION_PATTERN)]
Serial = Annotated[str, StringConstraints(pattern=SERIAL_PATTERN, max_length=40)]
CaseNo = Annotated[str, StringConstraints(pattern=CASE_NO_PATTERN, max_length=40)]
NoticeNo = Annotated[str, StringConstraints(pattern=NOTICE_NO_PATTERN, max_length=40)]
Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
Ident = Annotated[str, StringConstraints(pattern=IDENT_PATTERN)]
PublicKey = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Version = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=TEXT_PATTERN)]
Day = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{0,128}$")]
# scheme and host (and port) only: the QR puts it in upper case, which only those tolerate
PublicUrl = Annotated[
    str, StringConstraints(max_length=80, pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
]


# a line of text of at most N characters, with no control characters
Text20 = Annotated[str, StringConstraints(max_length=20, pattern=TEXT_PATTERN)]
Text40 = Annotated[str, StringConstraints(max_length=40, pattern=TEXT_PATTERN)]
Text60 = Annotated[str, StringConstraints(max_length=60, pattern=TEXT_PATTERN)]
Text64 = Annotated[str, StringConstraints(max_length=64, pattern=TEXT_PATTERN)]
Text80 = Annotated[str, StringConstraints(max_length=80, pattern=TEXT_PATTERN)]
Text240 = Annotated[str, StringConstraints(max_length=240, pattern=TEXT_PATTERN)]
Text2000 = Annotated[str, StringConstraints(max_length=2000, pattern=TEXT_PATTERN)]


Count = Annotated[int, Field(ge=0, le=2**31)]
Seq = Annotated[int, Field(ge=1, le=2**53)]


def _tags_required(schema: dict[str, Any], _model: type[BaseModel]) -> None:
    """An item's ``topic`` (an event's ``type``) has a default, so Python code need not repeat it,
    but the wire must carry it: the union picks the item's class by it."""
    for tag in ("topic", "type"):
        if tag in schema.get("properties", {}) and tag not in schema.get("required", []):
            schema.setdefault("required", []).append(tag)


class Message(BaseModel):
    """Every message: unknown fields refused, values immutable once built."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_tags_required)


# ---------------------------------------------------------------------- what a station pushes


class CaseItem(Message):
    """A counter visit, sent when it is recorded and again whenever its status changes (the
    latest wins at the province)."""

    topic: Literal["case"] = "case"
    id: Uuid
    case_no: CaseNo
    kind_id: Ident | None
    requester: Ident
    purpose: Purpose
    outcome: Outcome
    status: CaseStatus
    special_case: bool
    approved: bool  # a supervisor's approval is recorded (special cases need one)
    report_to_superior: bool
    catalog_id: Ident
    catalog_version: Version
    created_at: AwareDatetime
    ended_at: AwareDatetime | None = None  # issued, refused or voided
    due_date: dt.date | None = None  # investigations only
    # the demanding unit's name, sent only with a refusal reported up (五个一律 rule 4)
    requester_unit: Text240 | None = None


class CertificateItem(Message):
    topic: Literal["certificate"] = "certificate"
    serial: Serial
    case_id: Uuid
    kind_id: Ident | None
    form_id: Ident
    issued_at: AwareDatetime
    print_count: Count
    status: CertificateStatus


class NoticeItem(Message):
    topic: Literal["notice"] = "notice"
    notice_no: NoticeNo
    case_id: Uuid
    type: NoticeType
    created_at: AwareDatetime
    printed: bool


class ExchangeItem(Message):
    """A fact a partner department obtains by exchange instead of a certificate."""

    topic: Literal["exchange_request"] = "exchange_request"
    id: Uuid
    case_id: Uuid
    exchange_kind_id: Ident
    requester: Ident
    status: ExchangeStatus
    created_at: AwareDatetime


class InquiryAnswerItem(Message):
    """A station's answer to a partner's inquiry, or its refusal with the reason, signed with the
    workstation's key over ``inquiry_signed_bytes`` (the subject's name and number are in what is
    signed, not in the item: the province holds them). The province keeps the fields sealed."""

    topic: Literal["inquiry_answer"] = "inquiry_answer"
    id: Uuid
    inquiry_id: Uuid
    status: InquiryStatus  # answered or declined (the province refuses open)
    # the field names are checked against the kind's at the province (a conflict if unknown)
    answer: Annotated[dict[str, Text240], Field(max_length=20)] = {}
    reason: Text240 = ""
    answered_at: AwareDatetime
    officer: Text20  # the answering officer's police number: the real actor
    officer_name: Text40  # as the printed result names the officer who answered
    signature: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{128}$")]


class VoidItem(Message):
    """A certificate voided (the case follows as its own item). The officer's reason stays at the
    station: it is free text, and the province's figures do not need it."""

    topic: Literal["void"] = "void"
    serial: Serial
    case_id: Uuid
    voided_at: AwareDatetime


class ReprintItem(Message):
    """Another copy printed (the reason stays at the station, as a void's does)."""

    topic: Literal["reprint"] = "reprint"
    serial: Serial
    print_count: Count
    printed_at: AwareDatetime


class HandOverItem(Message):
    topic: Literal["hand_over"] = "hand_over"
    serial: Serial
    handed_over_at: AwareDatetime


PushItem = Annotated[
    CaseItem
    | CertificateItem
    | NoticeItem
    | ExchangeItem
    | VoidItem
    | ReprintItem
    | HandOverItem
    | InquiryAnswerItem,
    Field(discriminator="topic"),
]
TOPICS: tuple[str, ...] = (
    "case",
    "certificate",
    "notice",
    "exchange_request",
    "void",
    "reprint",
    "hand_over",
    "inquiry_answer",
)


class PushRecord(Message):
    """One outbox row: the station's UUID for it (the idempotency key), its sequence number in
    the station's outbox, and the item."""

    id: Uuid
    seq: Seq
    item: PushItem


MAX_BATCH = 1000  # records per push; a station sends 500 (app.sync.push.BATCH)


class PushBatch(Message):
    station: StationCode
    workstation: WorkstationNo | None = None  # the token's; when given it must be the same
    records: list[PushRecord] = Field(min_length=1, max_length=MAX_BATCH)
    # the station's clock as it sent the batch: the province keeps how far it is from its own
    sent_at: AwareDatetime | None = None


class Conflict(Message):
    id: Uuid
    reason: Text80


class PushAnswer(Message):
    acked_through: int = Field(ge=0)
    applied: Count = 0
    duplicates: Count = 0
    conflicts: list[Conflict] = []
    server_time: AwareDatetime | None = None  # the province's clock as it answered


def canonical(value: Any) -> str:
    """The one JSON spelling both sides hash: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_json(record: PushRecord) -> dict[str, Any]:
    """A record as it goes on the wire (and as the station keeps it until acknowledged)."""
    data: dict[str, Any] = record.model_dump(mode="json")
    return data


def record_digest(record: PushRecord) -> str:
    """SHA-256 of a record's canonical JSON: the station keeps it after the province has
    acknowledged the record (the payload itself is then pruned); the province keeps the same
    digest to tell an identical resend from a conflicting one."""
    return hashlib.sha256(canonical(record_json(record)).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------- the audit chain's anchor

Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MAX_LINKS = 5000


class ChainLink(Message):
    """One audit event as the province sees it: its number and hashes, never its content."""

    seq: Seq
    hash: Hash
    prev: Hash


class AnchorRequest(Message):
    """The audit events since the last anchored one, oldest first (``links``), and the newest
    event (``head``): the province checks that the chain extends the head it holds."""

    links: list[ChainLink] = Field(default=[], max_length=MAX_LINKS)
    head: ChainLink | None = None  # None: no event yet
    # what the workstation's own check of its trail found (an event whose content no longer
    # hashes to its stored hash, a record changed behind the trail's back), sent once
    local_problem: Text240 | None = None


class AnchorAnswer(Message):
    """The head the province now holds, and whether the chain sent extended the one before
    (``problem`` says how it did not; the break is kept and flagged at the province)."""

    anchored_seq: int = Field(ge=0, le=2**53)
    anchored_hash: Hash
    extended: bool
    problem: Text240 | None = None
    server_time: AwareDatetime | None = None


# ---------------------------------------------------------------------- what a station pulls


class StationKeyEvent(Message):
    """A workstation's signing key: its id is (station, workstation, key number), it signs from
    ``valid_from`` on (events from before keys had ids carry the key alone)."""

    type: Literal["station_key"] = "station_key"
    station: StationCode
    public_key: PublicKey
    workstation: WorkstationNo | None = None
    key_no: int | None = Field(default=None, ge=1, le=999)
    valid_from: Day | None = None


class KeyRevokedEvent(Message):
    """A key withdrawn. *retired* (a PC replaced or taken out of service): what it signed up to
    ``valid_until`` stays valid. *compromised*: what it signed from ``compromised_from`` on (from
    its first day when not given) is to be checked online. Events from before reasons were given
    are compromised from the first day."""

    type: Literal["key_revoked"] = "key_revoked"
    station: StationCode
    public_key: PublicKey
    workstation: WorkstationNo | None = None
    key_no: int | None = Field(default=None, ge=1, le=999)
    reason: Literal["retired", "compromised"] = "compromised"
    valid_until: Day | None = None
    compromised_from: Day | None = None


class VoidEvent(Message):
    type: Literal["void"] = "void"
    station: StationCode
    serial: Serial


class CatalogEvent(Message):
    """A catalog version the province published, signed with the province key (Ed25519 over
    the file's exact UTF-8 bytes)."""

    type: Literal["catalog"] = "catalog"
    catalog_id: Ident
    version: Version
    sha256: Hex
    signature: Hex
    text: Annotated[str, StringConstraints(max_length=2_000_000)]


class HolidaysEvent(Message):
    """The province's table of statutory holidays and make-up working days."""

    type: Literal["holidays"] = "holidays"
    years: list[int] = Field(min_length=1)
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []

    def table(self) -> dict[str, Any]:
        """The table in the station's ``holidays.json`` shape."""
        return self.model_dump(mode="json", exclude={"type"})


FeedEvent = Annotated[
    StationKeyEvent | KeyRevokedEvent | VoidEvent | CatalogEvent | HolidaysEvent,
    Field(discriminator="type"),
]


class FeedEntry(Message):
    """A feed event with its number, signed by the province key (Ed25519 over ``feed_bytes``):
    a station applies only what the key it pinned at enrolment signed."""

    id: int = Field(ge=1)
    event: FeedEvent
    signature: Hex


def feed_bytes(entry_id: int, event: dict[str, Any]) -> bytes:
    """What the province signs of a feed entry: its number and its event, canonical JSON."""
    return canonical({"id": entry_id, "event": event}).encode("utf-8")


class PullPage(Message):
    events: list[FeedEntry]
    cursor: int = Field(ge=0)
    more: bool
    server_time: AwareDatetime | None = None  # the province's clock as it answered


# ---------------------------------------------------------------------- enrolment and verification


class EnrolRequest(Message):
    enrol_code: str = Field(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9 -]+$")
    station_code: str = Field(min_length=2, max_length=12, pattern=r"^[0-9A-Za-z]+$")
    workstation: WorkstationNo  # the enrolling PC's number binds the one-time code
    public_key: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-fA-F]{64}$")


class EnrolAnswer(Message):
    station_code: StationCode
    station_name: Text60
    workstation: WorkstationNo
    key_no: int = Field(ge=1, le=999)
    token: Annotated[str, StringConstraints(min_length=32, max_length=128, pattern=r"^[\w-]+$")]
    province_public_key: PublicKey
    # the province's public verification site, where a phone opens a certificate's QR
    public_url: PublicUrl | None = None


class NumberMark(Message):
    """The highest number of a kind the province acknowledged for a workstation in a year."""

    year: int = Field(ge=2000, le=9999)
    name: Literal["certificate", "case", "notice"]
    value: int = Field(ge=0, le=999_999)


class WorkstationState(Message):
    """What the province holds of the asking workstation: the sync position and the highest
    numbers, which a restored or rebuilt PC continues above (``GET /workstation``)."""

    station: StationCode
    workstation: WorkstationNo
    acked_seq: int = Field(ge=0, le=2**53)
    numbers: list[NumberMark] = []
    server_time: AwareDatetime | None = None


class VerifyAnswer(Message):
    """What anyone learns of a bare serial: valid, void or unknown, nothing else (the kind, date,
    station and facts are for whoever holds the paper's signed QR: ``QrVerifyAnswer``)."""

    serial: Serial
    status: VerifyStatus


class LoginRequest(Message):
    """A provincial account signing in (``POST /api/v2/login``)."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]{2,39}$")]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class LoginAnswer(Message):
    token: Annotated[str, StringConstraints(min_length=20, max_length=100)]
    expires_at: AwareDatetime


QR_TEXT_PATTERN = r"^[\x21-\x7e]{1,2000}$"  # a QR's content: printable ASCII (app.protocol.qr)
QrSignature = Literal["valid", "invalid", "unknown_key", "retired_key", "check_online"]


class QrVerifyRequest(Message):
    """Whoever holds the paper posts its QR's content (``CD2:…`` or ``CD1:…``)."""

    qr: Annotated[str, StringConstraints(pattern=QR_TEXT_PATTERN)]


class QrVerifyAnswer(Message):
    """What the holder of the paper learns: the serial's status and, only under a signature that
    holds, the kind, date, station and the facts the paper must state (QR version 2)."""

    serial: Serial | None = None
    status: VerifyStatus
    signature: QrSignature
    reason: Text2000
    version: int | None = Field(default=None, ge=1, le=2)
    kind_id: Ident | None = None
    form_id: Ident | None = None
    issued_on: Day | None = None
    station: StationCode | None = None
    station_name: Text80 | None = None  # as printed, signed
    station_phone: Text40 | None = None
    key: Text20 | None = None
    facts: dict[Ident, Text240] = Field(default_factory=dict)
    valid_until: Day | None = None
    expired: bool = False
    # kind and date as the station pushed them (None: the province holds no record yet)
    matches_record: bool | None = None


class Problem(Message):
    """Every refusal: a code and a message in Chinese naming what is wrong."""

    error: Text40
    message: Text2000


# ---------------------------------------------------------------------- supervision figures


class PeriodDays(Message):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, json_schema_extra=_tags_required
    )
    start: Day = Field(alias="from")
    end: Day = Field(alias="to")


class KindCount(Message):
    kind_id: Ident | None
    kind: Text64
    outcome: Outcome
    count: Count


class OfficerCount(Message):
    officer: Text60
    requests: Count
    certificates: Count


class StationCount(Message):
    station_code: StationCode
    count: Count


class DayCount(Message):
    day: Day
    abolished: Count = 0
    exchange: Count = 0
    issue: Count = 0


class Deadlines(Message):
    met: Count = 0  # investigations finished within their due date
    late: Count = 0  # … finished after it
    open: Count = 0  # still pending, not yet due
    overdue: Count = 0  # still pending, past due


class Savings(Message):
    requests: Count = 0
    trips_per_request: Count = 0
    fare_yuan: Count = 0
    # partners' inquiries answered: each a trip a citizen did not make to fetch a certificate
    exchanges: Count = 0
    yuan: Count = 0

    @classmethod
    def of(cls, requests: int, *, trips: int, fare: int, exchanges: int = 0) -> Savings:
        """What ``requests`` that needed no certificate saved the citizens (the seed's method),
        and ``exchanges`` answered between departments, one trip each."""
        return cls(
            requests=requests,
            trips_per_request=trips,
            fare_yuan=fare,
            exchanges=exchanges,
            yuan=requests * trips * fare + exchanges * fare,
        )


class InquiryCount(Message):
    """Partners' inquiries asked in a period: answered (or declined) in time, late, still open
    before or past their due date, and how many were declined. ``key`` is a station's code or a
    partner's sign-in name ("" for the total)."""

    key: Text80 = ""
    name: Text80 = ""
    asked: Count = 0
    in_time: Count = 0
    late: Count = 0
    open: Count = 0
    overdue: Count = 0
    declined: Count = 0


class Statistics(Message):
    """A period's figures, the station's (``by_officer``) or the province's (``by_station``)."""

    station: Text80
    period: PeriodDays
    requests: Count = 0
    by_outcome: dict[str, Count] = {}
    by_kind: list[KindCount] = []
    by_officer: list[OfficerCount] = []
    by_station: list[StationCount] = []
    by_day: list[DayCount] = []
    on_the_spot: Count = 0
    investigation: Count = 0
    deadlines: Deadlines = Deadlines()
    certificates_issued: Count = 0
    no_certificate_needed: Count = 0
    savings: Savings = Savings()
    inquiries: InquiryCount = InquiryCount()
    inquiries_by_station: list[InquiryCount] = []
    inquiries_by_partner: list[InquiryCount] = []

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True)
        return data


class OversightFlag(Message):
    """One oversight flag: 应开不开, 不该开滥开, reprints above the threshold, a void, a station
    clock off the province's by more than ten minutes. At the province ``officer`` is the station
    (it holds no officers' names)."""

    flag: Literal["issue_not_issued", "abolished_issued", "reprints", "voids", "clock", "chain"]
    title: Text20
    case_no: Text40
    serial: Serial | None
    kind: Text64
    officer: Text60
    day: Day
    detail: Text240


class ReportedDemand(Message):
    """Refusals for no legal basis or outside police duties, reported up per demanding unit
    (五个一律 rule 4): the province takes the unit's behaviour up with it. ``unit`` is the name
    the station recorded ("" when none was)."""

    unit: Annotated[str, StringConstraints(max_length=240, pattern=TEXT_PATTERN)]
    sector: Ident
    count: Count
    stations: list[StationCode]
    kinds: list[Text80]
    first_day: Day
    last_day: Day


class ReportedDemands(RootModel[list[ReportedDemand]]):
    """The period's reported demands, most first."""


class OversightFlags(RootModel[list[OversightFlag]]):
    """The oversight flags of a period, oldest first."""


# ---------------------------------------------------------------------- partners' inquiries

INQUIRY_NO_PATTERN = r"^HC-[0-9]{4}-[0-9]{6}$"


class Inquiry(Message):
    """A partner department's inquiry as its station receives it (and the partner reads it)."""

    id: Uuid
    number: Annotated[str, StringConstraints(pattern=INQUIRY_NO_PATTERN)]
    station: StationCode
    partner: Text80  # the unit's name
    sector: Ident
    kind_id: Ident
    information: Text240
    subject_name: Text60
    subject_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{17}[0-9X]$")]
    legal_basis: Text240
    partner_case_no: Text60
    asked_at: AwareDatetime
    due_date: Day
    status: InquiryStatus
    # the workstation whose answer the province kept (None while open): a workstation that
    # answered too learns that its answer was not the one kept
    workstation: WorkstationNo | None = None


class Inquiries(Message):
    inquiries: list[Inquiry]


def inquiry_signed_bytes(
    inquiry: Inquiry,
    *,
    workstation: str,
    status: str,
    answer: dict[str, str],
    reason: str,
    answered_at: dt.datetime,
    officer: str,
    officer_name: str,
) -> bytes:
    """What a station's signature over an answer covers: the whole question as the station saw
    it (number, station, the asking unit and its sector, kind, subject, legal basis, the
    partner's case, when asked) and the whole answer (fields or reason, when, by which officer
    at which workstation) — so that none of what 核查结果 prints can be altered, and the answer
    cannot be moved to another person, another unit or another question."""
    body = {
        "v": 1,
        "inquiry": inquiry.id,
        "number": inquiry.number,
        "station": inquiry.station,
        "partner": inquiry.partner,
        "sector": inquiry.sector,
        "kind_id": inquiry.kind_id,
        "subject_name": inquiry.subject_name,
        "subject_id": inquiry.subject_id,
        "legal_basis": inquiry.legal_basis,
        "partner_case_no": inquiry.partner_case_no,
        "asked_at": inquiry.asked_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "workstation": workstation,
        "status": status,
        "answer": answer,
        "reason": reason,
        "answered_at": answered_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "officer": officer,
        "officer_name": officer_name,
    }
    return ("CDH1:" + canonical(body)).encode("utf-8")
