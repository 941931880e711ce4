"""The station's records, SQLAlchemy 2 typed ORM. Timestamps are aware UTC; syncing rows carry
UUIDs made here."""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC in, aware UTC out (SQLite keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None else None


def new_id() -> str:
    """A UUID (version 7 layout): 48 bits of Unix milliseconds, then random bits. Made here, so
    records sync without coordination; ordered by time, so the indexes on these ids grow at
    their end and stay full (random version-4 ids leave index pages a third empty)."""
    millis = time.time_ns() // 1_000_000
    value = (millis & (2**48 - 1)) << 80 | int.from_bytes(os.urandom(10)) & (2**80 - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # JSON columns store SQL NULL for None (not the text 'null')
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON(none_as_null=True),
        dt.datetime: UTCDateTime,
    }


class Station(Base):
    __tablename__ = "station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(60))
    jurisdiction: Mapped[str] = mapped_column(String(120), default="")
    workstation: Mapped[str] = mapped_column(String(2))
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, hex
    phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The window locks after this many idle minutes (NULL: the default, 10). Columns added
    # after the first release are NULL unless set, so every state audited before still verifies.
    idle_lock_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    # the printer this PC prints on (NULL: Qt's print dialog asks once a session)
    printer: Mapped[str | None] = mapped_column(String(200), default=None)
    # set once, never cleared: the first time a supervisor chose their own password or approved.
    # From then on every change to a privileged account needs a supervisor's approval.
    supervised_since: Mapped[dt.datetime | None] = mapped_column(default=None)


class Officer(Base):
    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # police number
    name: Mapped[str] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(12))  # app.policy.roles.ROLES
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # set when an administrator set or reset the password: the first sign-in must change it
    must_change_password: Mapped[bool | None] = mapped_column(Boolean, default=None)


class OfficerSession(Base):
    """A signed-in officer: the command line's (its token in a file in the data dir, readable by
    the owner only) or a window's. Only the token's SHA-256 is kept. It ends after 15 idle
    minutes or 8 hours in all, at sign-out, or when another sign-in replaces it."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # cli | window
    started_at: Mapped[dt.datetime] = mapped_column()
    last_seen_at: Mapped[dt.datetime] = mapped_column()
    ended_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    ended_reason: Mapped[str | None] = mapped_column(String(20))


class Counter(Base):
    """Per-workstation, per-year sequences (certificates, cases, notices; the outbox's is of
    year 0)."""

    __tablename__ = "counters"
    workstation: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
    # the ceiling of the numbers.mark file when this counter last saw it (app.records.marks)
    reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DecisionRecord(Base):
    """A decision snapshot, stored once by its SHA-256: the same request at the same catalog
    gets the same decision, and a busy counter decides the same few things all day."""

    __tablename__ = "decisions"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column()

    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012


class Case(Base):
    """One counter visit: the request, the decision snapshot, the first-contact officer."""

    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_no: Mapped[str] = mapped_column(String(40), unique=True)
    kind_text: Mapped[str] = mapped_column(String(200))
    kind_id: Mapped[str | None] = mapped_column(String(64))
    requester: Mapped[str] = mapped_column(String(40))
    # the demanding unit's name when the clerk recorded one (reports up name the unit)
    requester_unit: Mapped[str | None] = mapped_column(String(100), default=None)
    # a review (复查) is a case of its own: the id of the refused case it reviews
    review_of: Mapped[str | None] = mapped_column(String(36), default=None)
    purpose: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(12))
    special_case: Mapped[bool] = mapped_column(Boolean, default=False)
    report_to_superior: Mapped[bool] = mapped_column(Boolean, default=False)
    # the decision as shown to the clerk, kept once per distinct content (``decisions``); every
    # case has one, but SQLite cannot add NOT NULL to a column of a table that has children and
    # triggers without rebuilding it (migration 0007), so the schema says nullable
    decision_sha: Mapped[str] = mapped_column(ForeignKey("decisions.sha256"), nullable=True)
    catalog_id: Mapped[str] = mapped_column(String(40))
    catalog_version: Mapped[str] = mapped_column(String(32))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    status: Mapped[str] = mapped_column(String(24))  # a CaseStatus
    form_id: Mapped[str | None] = mapped_column(String(40))
    form_values: Mapped[dict[str, Any] | None] = mapped_column()
    due_date: Mapped[str | None] = mapped_column(String(10))
    due_date_note: Mapped[str] = mapped_column(String(200), default="")
    refusal_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_cases_status_due", "status", "due_date"),
        Index("ix_cases_created", "created_at"),
        Index("ix_cases_outcome_status", "outcome", "status", "created_at"),
    )


class Certificate(Base):
    __tablename__ = "certificates"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    workstation: Mapped[str] = mapped_column(String(2))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    kind_id: Mapped[str | None] = mapped_column(String(64))
    form_id: Mapped[str] = mapped_column(String(40))
    form_values: Mapped[dict[str, Any]] = mapped_column()
    subject_name: Mapped[str] = mapped_column(String(40))
    subject_id_number: Mapped[str | None] = mapped_column(String(18))
    subject_pinyin: Mapped[str] = mapped_column(String(200), default="")
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_path: Mapped[str | None] = mapped_column(String(300))
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(8))  # a CertificateStatus
    void_reason: Mapped[str | None] = mapped_column(String(200))
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    void_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    voided_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    handed_over_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))

    __table_args__ = (
        Index("ix_certificates_ws_year_seq", "workstation", "year", "sequence", unique=True),
        Index("ix_certificates_subject_id", "subject_id_number"),
        Index("ix_certificates_subject_name", "subject_name"),
        Index("ix_certificates_subject_pinyin", "subject_pinyin"),
        Index("ix_certificates_case", "case_id"),
        Index("ix_certificates_issued_at", "issued_at"),
    )


class Notice(Base):
    """Written refusal, exchange notice, one-time list of missing materials, acceptance receipt."""

    __tablename__ = "notices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    notice_no: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    type: Mapped[str] = mapped_column(String(24))  # a NoticeType
    content: Mapped[dict[str, Any]] = mapped_column()
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_notices_case", "case_id"),)


class ExchangeRequest(Base):
    """A fact a partner department obtains by exchange, kept for its batch verification."""

    __tablename__ = "exchange_requests"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    exchange_kind_id: Mapped[str] = mapped_column(String(64))
    requester: Mapped[str] = mapped_column(String(40))
    information: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12))  # an ExchangeStatus
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_exchange_requests_status", "status", "requester"),)


class Inquiry(Base):
    """A partner department's inquiry addressed to this station, fetched from the province, and
    the answer given here (signed with this workstation's key and pushed)."""

    __tablename__ = "inquiries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the province's
    number: Mapped[str] = mapped_column(String(20), unique=True)
    partner: Mapped[str] = mapped_column(String(80))
    sector: Mapped[str] = mapped_column(String(40))
    kind_id: Mapped[str] = mapped_column(String(64))
    information: Mapped[str] = mapped_column(String(240))
    subject_name: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[str] = mapped_column(String(18))
    legal_basis: Mapped[str] = mapped_column(String(240))
    partner_case_no: Mapped[str] = mapped_column(String(60))
    asked_at: Mapped[dt.datetime] = mapped_column()
    due_date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))  # open | answered | declined
    answer: Mapped[dict[str, Any] | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(240))
    answered_at: Mapped[dt.datetime | None] = mapped_column()
    answered_elsewhere: Mapped[bool] = mapped_column(Boolean, default=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    signature: Mapped[str | None] = mapped_column(String(128))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # random, per row: salts the audit trail's digests of the subject and the answer
    salt: Mapped[str] = mapped_column(String(32), default=lambda: os.urandom(16).hex())

    __table_args__ = (Index("ix_inquiries_status_due", "status", "due_date"),)


class AuditEvent(Base):
    """Append-only, each event chained to the one before by SHA-256."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    at: Mapped[dt.datetime] = mapped_column()
    officer_code: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column()
    after: Mapped[dict[str, Any] | None] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id", "seq"),)


class OutboxItem(Base):
    """What the province must learn of, written in the same transaction as the change: the row
    (with the SHA-256 of the record as sent) stays for good; its payload (``OutboxPayload``) goes
    once the province has acknowledged it."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    topic: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    acked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # the province refused the record as a conflict (its reason); it stays listed until an
    # administrator resolves it: when, who (officer code) and why
    conflict: Mapped[str | None] = mapped_column(Text, default=None)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(20), default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (Index("ix_outbox_pending", "seq", sqlite_where=text("acked_at IS NULL")),)


class OutboxPayload(Base):
    """The protocol item of an outbox row the province has not acknowledged yet. Kept apart so
    that pruning it frees whole pages for new rows."""

    __tablename__ = "outbox_payloads"
    seq: Mapped[int] = mapped_column(ForeignKey("outbox.seq"), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column()


class SyncState(Base):
    """Small facts of the sync with the province: the feed cursor, the last round, its error."""

    __tablename__ = "sync_state"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class KnownKey(Base):
    """A workstation's public key (another station's, or another PC's of this one), learned from
    the province; withdrawn keys are kept with how far their signatures count."""

    __tablename__ = "known_keys"
    station_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # the key's id and, once withdrawn, how far its signatures count (app.protocol.qr.KeyLimit)
    workstation: Mapped[str | None] = mapped_column(String(2), default=None)
    key_no: Mapped[int | None] = mapped_column(Integer, default=None)
    valid_until: Mapped[str | None] = mapped_column(String(10), default=None)
    compromised_from: Mapped[str | None] = mapped_column(String(10), default=None)


class KnownVoid(Base):
    """A serial voided anywhere in the province, learned from the province's feed."""

    __tablename__ = "known_voids"
    serial: Mapped[str] = mapped_column(String(40), primary_key=True)
    station_code: Mapped[str] = mapped_column(String(12))


class CaseRollup(Base):
    """Running totals kept by triggers (migration 0006): cases per China-time day, kind, outcome,
    officer and status; ``spot`` 1 for on-the-spot, ``late`` 0/1 for a finished investigation
    (finished within / after its due date), -1 otherwise. Read by supervision, never written."""

    __tablename__ = "case_rollup"
    day: Mapped[str] = mapped_column(Text, primary_key=True)
    kind_id: Mapped[str] = mapped_column(Text, primary_key=True)
    outcome: Mapped[str] = mapped_column(Text, primary_key=True)
    officer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(Text, primary_key=True)
    spot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    late: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


class CertificateRollup(Base):
    """Certificates issued per China-time day, kept by triggers (migration 0006)."""

    __tablename__ = "certificate_rollup"
    day: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
