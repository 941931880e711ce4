"""The provincial database (PostgreSQL): enrolled stations, every record they pushed (exactly
once, by UUID), the certificates for verification, and the feed the stations pull."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONB, dt.datetime: DateTime(timezone=True)}  # noqa: RUF012


class ServerStation(Base):
    __tablename__ = "stations"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Workstation(Base):
    """One counter PC of a station: its own token (only the hash kept) and sync position."""

    __tablename__ = "workstations"
    station_code: Mapped[str] = mapped_column(ForeignKey("stations.code"), primary_key=True)
    number: Mapped[str] = mapped_column(String(2), primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    acked_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    enrolled_at: Mapped[dt.datetime | None]
    last_push_at: Mapped[dt.datetime | None]
    clock_offset_seconds: Mapped[int | None]  # the PC's clock minus the province's
    clock_seen_at: Mapped[dt.datetime | None]


class EnrolCode(Base):
    """A one-time enrolment code (its SHA-256): for one station, and either for the workstation
    number it was issued for (replacing that PC) or for a workstation not enrolled now; bound to
    the workstation that uses it."""

    __tablename__ = "enrol_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    workstation: Mapped[str | None] = mapped_column(String(2))
    for_workstation: Mapped[str | None] = mapped_column(String(2), default=None)


class StationKey(Base):
    """A workstation's signing key: its id is (station, workstation, key number); it signs from
    ``valid_from``; a retired key's signatures count up to ``valid_until``; a compromised key's
    from ``compromised_from`` on are to be checked online (China-time days)."""

    __tablename__ = "station_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    workstation: Mapped[str] = mapped_column(String(2))
    key_no: Mapped[int]
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    valid_from: Mapped[str] = mapped_column(String(10))
    valid_until: Mapped[str | None] = mapped_column(String(10))
    compromised_from: Mapped[str | None] = mapped_column(String(10))
    revoked_at: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(String(12))  # retired | compromised

    __table_args__ = (UniqueConstraint("station_code", "workstation", "key_no"),)


class WorkstationNumber(Base):
    """The highest number of each kind a workstation's acknowledged records carry, per year."""

    __tablename__ = "workstation_numbers"
    station_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    workstation: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class StationClockDay(Base):
    """A station's clock offset on a China-time day: the farthest from ours in its pushes."""

    __tablename__ = "station_clock_days"
    station_code: Mapped[str] = mapped_column(ForeignKey("stations.code"), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    offset_seconds: Mapped[int]


class PushedRecord(Base):
    """One outbox row of one station, applied once. ``sha256`` is of its canonical content."""

    __tablename__ = "records"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    workstation: Mapped[str] = mapped_column(String(2), default="01", server_default="01")
    seq: Mapped[int] = mapped_column(BigInteger)
    topic: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    version: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="1")  # protocol

    __table_args__ = (
        Index("ix_records_workstation_seq", "station_code", "workstation", "seq", unique=True),
    )


class Conflict(Base):
    """The same UUID sent again with other content: kept, reported to the station and here."""

    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(36))
    station_code: Mapped[str] = mapped_column(String(12))
    workstation: Mapped[str | None] = mapped_column(String(2))
    sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class IssuedCertificate(Base):
    """What a receiving unit may learn: status, kind, issue date, station. No names, no numbers."""

    __tablename__ = "certificates"
    serial: Mapped[str] = mapped_column(String(40), primary_key=True)
    station_code: Mapped[str] = mapped_column(String(12))
    kind_id: Mapped[str | None] = mapped_column(String(64))
    form_id: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(8))  # valid | void
    voided_at: Mapped[dt.datetime | None]
    print_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    case_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (Index("ix_server_certificates_issued", "issued_on"),)


class CaseSummary(Base):
    """A case as the province counts it (stats, oversight): outcome, kind, officer, dates."""

    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_code: Mapped[str] = mapped_column(String(12))
    kind_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(24))
    special_case: Mapped[bool]
    created_on: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[str | None] = mapped_column(String(10))
    finished_on: Mapped[str | None] = mapped_column(String(10))
    approved: Mapped[bool] = mapped_column(default=False, server_default="false")
    case_no: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # 五个一律 rule 4: refusals reported up, with the demanding unit's sector and name
    requester: Mapped[str] = mapped_column(String(40), default="", server_default="")
    report_to_superior: Mapped[bool] = mapped_column(default=False, server_default="false")
    requester_unit: Mapped[str | None] = mapped_column(String(240), default=None)

    __table_args__ = (
        Index("ix_cases_station_created", "station_code", "created_on"),
        Index("ix_server_cases_created", "created_on"),
    )


class FeedEvent(Base):
    """What stations pull, in order: catalog versions, station keys, revoked keys, voids,
    holidays; each signed by the province key when written (server.feed), unsigned rows are
    never served."""

    __tablename__ = "feed"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(20))
    body: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    signature: Mapped[str | None] = mapped_column(String(128), default=None)


class CatalogVersion(Base):
    __tablename__ = "catalog_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    catalog_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class ChainAnchor(Base):
    """The newest audit event of a workstation the province holds: its number and hash."""

    __tablename__ = "chain_anchors"
    station_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    workstation: Mapped[str] = mapped_column(String(2), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class ChainBreak(Base):
    """A workstation's chain that did not extend the anchored one (rewritten, truncated, or
    restored from an older backup): what was held, what came, why; flagged in oversight."""

    __tablename__ = "chain_breaks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_code: Mapped[str] = mapped_column(String(12))
    workstation: Mapped[str] = mapped_column(String(2))
    held_seq: Mapped[int] = mapped_column(BigInteger)
    held_hash: Mapped[str] = mapped_column(String(64))
    got_seq: Mapped[int] = mapped_column(BigInteger)
    got_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    day: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class ProvinceUser(Base):
    """A provincial account (role ``province``): reads every station's figures and flags. The
    password is kept as an Argon2id hash only; five wrong passwords in a row lock it for 15
    minutes."""

    __tablename__ = "province_users"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(12))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default="true")
    failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class ProvinceSession(Base):
    """A signed-in provincial account: the SHA-256 of its bearer token, for eight hours."""

    __tablename__ = "province_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(ForeignKey("province_users.name", ondelete="CASCADE"))
    expires_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Partner(Base):
    """A partner department's account (法院、检察院、教育、民政…): the unit's name and sector, an
    Argon2id password hash, locked for 15 minutes after five wrong passwords in a row. What it
    may ask follows from its sector and the catalog's exchange kinds."""

    __tablename__ = "partners"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # the sign-in name
    unit: Mapped[str] = mapped_column(String(80))
    sector: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default="true")
    failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    # the password the province set: the partner chooses its own before anything else
    must_change: Mapped[bool] = mapped_column(default=True, server_default="true")
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class PartnerFailure(Base):
    """Wrong passwords for a partner's account from one client address: that address waits 15
    minutes after five (so that nobody can lock a court out from elsewhere by guessing its
    predictable sign-in name); the account itself waits after twenty from anywhere."""

    __tablename__ = "partner_failures"
    partner: Mapped[str] = mapped_column(
        ForeignKey("partners.name", ondelete="CASCADE"), primary_key=True
    )
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)


class PartnerSession(Base):
    """A signed-in partner (page or API): the SHA-256 of its token, for eight hours."""

    __tablename__ = "partner_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    partner: Mapped[str] = mapped_column(ForeignKey("partners.name", ondelete="CASCADE"))
    expires_at: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class InquiryRow(Base):
    """A partner's inquiry and the station's answer. The subject and the answer are sealed under
    the province's data key (``server.sealing``); numbers, dates and states are plain, for the
    figures."""

    __tablename__ = "inquiries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    partner: Mapped[str] = mapped_column(ForeignKey("partners.name"))
    station_code: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    kind_id: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)  # sealed {name, id_number}
    legal_basis: Mapped[str] = mapped_column(String(240))
    partner_case_no: Mapped[str] = mapped_column(String(60))
    asked_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    asked_on: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open|answered|declined
    answer: Mapped[str | None] = mapped_column(Text)  # sealed {answer, reason}
    answered_at: Mapped[dt.datetime | None]
    answered_on: Mapped[str | None] = mapped_column(String(10))
    workstation: Mapped[str | None] = mapped_column(String(2))
    officer: Mapped[str | None] = mapped_column(String(20))
    officer_name: Mapped[str | None] = mapped_column(String(40))
    signature: Mapped[str | None] = mapped_column(String(128))
    public_key: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_inquiries_station_status", "station_code", "status"),
        Index("ix_inquiries_partner_asked", "partner", "asked_at"),
    )


class DataKeyCheck(Base):
    """The keyed digest of the province's data key this database's sealed values are under."""

    __tablename__ = "data_key_check"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mac: Mapped[str] = mapped_column(String(64))


class InquiryEvent(Base):
    """The partners' audit: every sign-in, inquiry, refusal and reading, with who and why (the
    legal basis and the partner's case number); no subject's name or number."""

    __tablename__ = "inquiry_events"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    actor: Mapped[str] = mapped_column(String(60))  # partner name, or station-workstation
    action: Mapped[str] = mapped_column(String(24))
    inquiry_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str] = mapped_column(Text, default="")
    client: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (Index("ix_inquiry_events_actor_at", "actor", "at"),)
