"""What the provincial server does, apart from HTTP: enrol stations, apply pushed records exactly
once, serve the feed, verify serials, count. The API (server.api) and the command line
(server.cli) both call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.policy.workdays import CHINA
from app.protocol.models import (
    VERSION,
    AnchorAnswer,
    AnchorRequest,
    CaseItem,
    CertificateItem,
    Conflict,
    InquiryAnswerItem,
    NoticeItem,
    NumberMark,
    PushAnswer,
    PushBatch,
    PushItem,
    PushRecord,
    ReprintItem,
    VoidItem,
    WorkstationState,
    canonical,
    feed_bytes,
    record_digest,
    record_json,
)
from app.protocol.signing import fingerprint, verify_signature
from app.protocol.status import CaseStatus, CertificateStatus, VerifyStatus
from server import feed
from server.models import (
    CaseSummary,
    CatalogVersion,
    ChainAnchor,
    ChainBreak,
    EnrolCode,
    FeedEvent,
    IssuedCertificate,
    PushedRecord,
    ServerStation,
    StationClockDay,
    StationKey,
    Workstation,
    WorkstationNumber,
)
from server.models import Conflict as ConflictRow

ENROL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
ENROL_DAYS = 7


class ServerError(Exception):
    """A refusal with its HTTP status and a Chinese message naming what is wrong."""

    def __init__(self, status: int, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---------------------------------------------------------------------- stations and enrolment


def add_station(
    session: Session,
    *,
    code: str,
    name: str,
    province_key: str,
    workstation: str | None = None,
) -> str:
    """Register a station, or give an existing one another one-time enrolment code; no enrolled
    workstation is touched. Without ``workstation`` the code enrols a workstation that is not
    enrolled now (a new counter PC); with it, only that workstation, whose PC it may replace.
    The code ends with the fingerprint of the province's public key (hex ``province_key``), which
    the enrolling station checks against the key the server then shows it."""
    code, name = code.strip().upper(), name.strip()
    if workstation is not None and not (
        len(workstation) == 2 and workstation.isdigit() and workstation != "00"
    ):
        raise ServerError(400, f"工作站编号“{workstation}”应为01至99(workstation)", "workstation")
    if not (2 <= len(code) <= 12 and code.isascii() and code.isalnum()):
        raise ServerError(400, "派出所代码应为2至12位数字或大写字母", "station_code")
    if not 2 <= len(name) <= 60 or any(ord(c) < 32 for c in name):
        raise ServerError(400, "派出所名称应为2至60个字", "station_name")
    enrol = "".join(secrets.choice(ENROL_ALPHABET) for _ in range(12))
    row = session.get(ServerStation, code)
    if row is None:
        row = ServerStation(code=code, name=name)
        session.add(row)
    row.name = name
    session.flush()
    session.add(
        EnrolCode(
            code_hash=digest(enrol),
            station_code=code,
            expires_at=now() + dt.timedelta(days=ENROL_DAYS),
            for_workstation=workstation,
        )
    )
    session.flush()
    shown = enrol + (fingerprint(province_key) if province_key else "")
    return "-".join(shown[i : i + 4] for i in range(0, len(shown), 4))


@dataclass(frozen=True)
class Enrolment:
    station_code: str
    station_name: str
    workstation: str
    key_no: int
    token: str
    province_public_key: str


def china_day(moment: dt.datetime | None = None) -> str:
    return (moment or now()).astimezone(CHINA).date().isoformat()


def enrol(
    session: Session,
    *,
    enrol_code: str,
    station_code: str,
    workstation: str,
    public_key: str,
    province_key: str,
) -> Enrolment:
    """Exchange a one-time enrolment code for a workstation token and register the PC's key. A
    workstation enrolled again (its PC replaced) retires its old key: what it signed stays valid."""
    cleaned = enrol_code.replace("-", "").replace(" ", "").upper()
    cleaned, printed = cleaned[:12], cleaned[12:]
    if printed and province_key and printed != fingerprint(province_key):
        raise ServerError(
            403, "登记码中的省级密钥指纹与本服务器不符：不是本服务器发的登记码", "enrol_code"
        )
    code_row = session.scalars(
        select(EnrolCode).where(EnrolCode.code_hash == digest(cleaned)).with_for_update()
    ).first()
    if code_row is None or code_row.station_code != station_code.upper():
        raise ServerError(403, "登记码不对，或不是给这个派出所的", "enrol_code")
    if code_row.used_at is not None:
        raise ServerError(403, "登记码已用过(每个登记码只能登记一台工作站)", "enrol_code")
    if code_row.expires_at < now():
        raise ServerError(403, "登记码已过期，请省级管理员重新生成", "enrol_code")
    try:
        if len(bytes.fromhex(public_key)) != 32:
            raise ValueError
    except ValueError:
        raise ServerError(400, "本站公钥应为64位十六进制(Ed25519)", "public_key") from None
    if session.scalar(select(StationKey.id).where(StationKey.public_key == public_key)):
        raise ServerError(409, "这个公钥已登记过：每台工作站用自己的新密钥登记", "public_key")
    station = session.get(ServerStation, code_row.station_code)
    assert station is not None
    row = session.scalars(
        select(Workstation)
        .where(Workstation.station_code == station.code, Workstation.number == workstation)
        .with_for_update()
    ).first()
    if code_row.for_workstation and code_row.for_workstation != workstation:
        raise ServerError(
            403,
            f"这个登记码是给第 {code_row.for_workstation} 号工作站的，本机是第 {workstation} 号",
            "workstation",
        )
    if row is not None and row.token_hash is not None and not code_row.for_workstation:
        raise ServerError(
            409,
            f"第 {workstation} 号工作站已登记：更换这台电脑须由省级管理员按工作站发登记码"
            f"(certdesk-server station add --workstation {workstation})；新增柜台请用另一个工作站编号",
            "workstation",
        )
    if row is None:
        row = Workstation(station_code=station.code, number=workstation, acked_seq=0)
        session.add(row)
    today = china_day()
    for old in _active_keys(session, station.code, workstation):
        _revoke(session, old, reason="retired", day=today)
    key_no = 1 + (
        session.scalar(
            select(func.max(StationKey.key_no)).where(
                StationKey.station_code == station.code, StationKey.workstation == workstation
            )
        )
        or 0
    )
    token = secrets.token_urlsafe(32)
    row.token_hash, row.enrolled_at = digest(token), now()
    code_row.used_at, code_row.workstation = now(), workstation
    session.add(
        StationKey(
            station_code=station.code,
            workstation=workstation,
            key_no=key_no,
            public_key=public_key,
            valid_from=today,
        )
    )
    feed.add(
        session,
        "station_key",
        {
            "station": station.code,
            "workstation": workstation,
            "key_no": key_no,
            "public_key": public_key,
            "valid_from": today,
        },
    )
    session.flush()
    return Enrolment(station.code, station.name, workstation, key_no, token, province_key)


def _active_keys(session: Session, station: str, workstation: str) -> list[StationKey]:
    return list(
        session.scalars(
            select(StationKey).where(
                StationKey.station_code == station,
                StationKey.workstation == workstation,
                StationKey.reason.is_(None),
            )
        )
    )


def _revoke(session: Session, key: StationKey, *, reason: str, day: str) -> None:
    key.reason, key.revoked_at = reason, now()
    body: dict[str, Any] = {
        "station": key.station_code,
        "workstation": key.workstation,
        "key_no": key.key_no,
        "public_key": key.public_key,
        "reason": reason,
    }
    if reason == "retired":
        key.valid_until = body["valid_until"] = day
    else:
        key.compromised_from = body["compromised_from"] = day
    feed.add(session, "key_revoked", body)


REVOKE_REASONS = ("retired", "compromised")


def revoke_key(
    session: Session, *, station: str, workstation: str, reason: str, from_day: str | None
) -> dict[str, Any]:
    """Withdraw a workstation's key and its token (it enrols again with a new code). Retired:
    what it signed up to ``from_day`` (today by default) stays valid. Compromised: what it signed
    from ``from_day`` (its first day by default) on is to be checked online."""
    if reason not in REVOKE_REASONS:
        raise ServerError(400, "吊销原因应为 retired(停用) 或 compromised(泄露)", "reason")
    if from_day is not None:
        try:
            dt.date.fromisoformat(from_day)
        except ValueError:
            raise ServerError(400, f"日期“{from_day}”应为 YYYY-MM-DD", "from") from None
    keys = _active_keys(session, station.upper(), workstation)
    if not keys:
        raise ServerError(
            404, f"派出所 {station.upper()} 第 {workstation} 号工作站没有在用的密钥", "workstation"
        )
    for key in keys:
        day = from_day or (key.valid_from if reason == "compromised" else china_day())
        _revoke(session, key, reason=reason, day=day)
    session.execute(
        update(Workstation)
        .where(Workstation.station_code == station.upper(), Workstation.number == workstation)
        .values(token_hash=None)
    )
    session.flush()
    return {
        "station": station.upper(),
        "workstation": workstation,
        "keys": [k.key_no for k in keys],
        "reason": reason,
        "from": keys[0].valid_until or keys[0].compromised_from,
    }


def list_workstations(session: Session, station: str) -> list[dict[str, Any]]:
    """A station's workstations: enrolled or not, sync position, clock, and every key."""
    code = station.strip().upper()
    if session.get(ServerStation, code) is None:
        raise ServerError(404, f"没有登记派出所 {code}", "station")
    keys: dict[str, list[dict[str, Any]]] = {}
    for key in session.scalars(
        select(StationKey).where(StationKey.station_code == code).order_by(StationKey.key_no)
    ):
        keys.setdefault(key.workstation, []).append(
            {
                "key_no": key.key_no,
                "public_key": key.public_key,
                "valid_from": key.valid_from,
                "valid_until": key.valid_until,
                "compromised_from": key.compromised_from,
                "reason": key.reason,
            }
        )
    waiting = session.scalar(
        select(func.count()).where(
            EnrolCode.station_code == code,
            EnrolCode.used_at.is_(None),
            EnrolCode.expires_at > now(),
        )
    )
    rows = session.scalars(
        select(Workstation).where(Workstation.station_code == code).order_by(Workstation.number)
    )
    return [
        {
            "station": code,
            "workstation": w.number,
            "enrolled": w.token_hash is not None,
            "enrolled_at": w.enrolled_at.isoformat() if w.enrolled_at else None,
            "acked_seq": w.acked_seq,
            "last_push_at": w.last_push_at.isoformat() if w.last_push_at else None,
            "clock_offset_seconds": w.clock_offset_seconds,
            "keys": keys.get(w.number, []),
            "unused_enrol_codes": int(waiting or 0),
        }
        for w in rows
    ]


def workstation_for_token(session: Session, token: str | None) -> Workstation:
    if not token:
        raise ServerError(401, "缺少本站令牌(Authorization: Bearer …)", "token")
    row = session.scalars(
        select(Workstation).where(Workstation.token_hash == digest(token))
    ).first()
    if row is None:
        raise ServerError(401, "本站令牌无效或已被吊销，请重新登记", "token")
    return row


def station_for_token(session: Session, token: str | None) -> Workstation:
    """The workstation a token belongs to (every token is one workstation's)."""
    return workstation_for_token(session, token)


def state(session: Session, token: str | None) -> WorkstationState:
    """What the province holds of the asking workstation (a restored PC continues above it)."""
    ws = workstation_for_token(session, token)
    numbers = session.scalars(
        select(WorkstationNumber).where(
            WorkstationNumber.station_code == ws.station_code,
            WorkstationNumber.workstation == ws.number,
        )
    )
    return WorkstationState(
        station=ws.station_code,
        workstation=ws.number,
        acked_seq=ws.acked_seq,
        numbers=[
            NumberMark.model_validate({"year": n.year, "name": n.name, "value": n.value})
            for n in numbers
        ],
        server_time=now(),
    )


# ---------------------------------------------------------------------- push


OWNED = ("serial", "case_no", "notice_no")


def _check_owner(station: str, workstation: str, record: PushRecord) -> None:
    for key in OWNED:
        value = getattr(record.item, key, None)
        if isinstance(value, str) and not value.startswith(f"{station}-{workstation}-"):
            raise ServerError(
                403,
                f"记录 {record.id} 的 {key} “{value}” 不属于本站 {station} 第 {workstation} 号"
                "工作站：整批未保存",
                "station",
            )


SAME_ID_OTHER_CONTENT = "同一记录编号内容不同"
SEQ_ALREADY_ACKED = "序号早于已确认的记录"


def push(
    session: Session, token: str | None, batch: PushBatch, data_key: bytes | None = None
) -> PushAnswer:
    """Apply a batch, oldest first, in one transaction. Each UUID is applied once: an identical
    resend is acknowledged again, the same UUID with other content is a conflict (kept here and
    reported back). The station row is locked, so one station's batches apply in order. An
    answer to a partner's inquiry is checked against the workstation's keys first (``data_key``
    opens the inquiry's subject, which the signature covers); its fields are kept sealed, never
    in the records table."""
    ws = workstation_for_token(session, token)
    if ws.station_code != batch.station or batch.workstation not in (None, ws.number):
        raise ServerError(
            403,
            f"本站令牌属于 {ws.station_code} 第 {ws.number} 号工作站，不能写入 "
            f"{batch.station} {batch.workstation or ''} 的记录",
            "station",
        )
    locked = session.scalars(
        select(Workstation)
        .where(Workstation.station_code == ws.station_code, Workstation.number == ws.number)
        .with_for_update()
    ).one()
    code = locked.station_code
    records = batch.records
    seqs = [r.seq for r in records]
    if seqs != sorted(seqs) or len(set(seqs)) != len(seqs):
        raise ServerError(400, "一批记录应按序号从小到大排列且不重复", "records")
    for record in records:
        _check_owner(code, locked.number, record)
    ids = [r.id for r in records]
    known: dict[str, str | None] = {  # digest; None for a record held in protocol version 1
        row.id: row.sha256 if row.version == VERSION else None
        for row in session.execute(
            select(
                PushedRecord.id,
                PushedRecord.sha256,
                PushedRecord.station_code,
                PushedRecord.workstation,
                PushedRecord.version,
            ).where(PushedRecord.id.in_(ids))
        )
        if (row.station_code, row.workstation) == (code, locked.number)
    }
    foreign = set(ids) - set(known)
    if foreign:  # the same UUID pushed by another station is a conflict too
        foreign = set(session.scalars(select(PushedRecord.id).where(PushedRecord.id.in_(foreign))))
    acked, applied, duplicates = locked.acked_seq, 0, 0
    conflicts: list[Conflict] = []
    effects = _Effects(code, locked.number)
    new_rows: list[dict[str, Any]] = []
    for record in records:
        sha = _digest(record, data_key)
        reason = None
        if record.id in known:
            # the same digest, or a record first received in version 1 and resent by a station
            # that has since upgraded (the two spellings cannot be compared): the same record
            if known[record.id] in (sha, None):
                duplicates += 1
            else:
                reason = SAME_ID_OTHER_CONTENT
        elif record.id in foreign:
            reason = SAME_ID_OTHER_CONTENT
        elif record.seq <= locked.acked_seq:
            reason = SEQ_ALREADY_ACKED
        elif isinstance(record.item, InquiryAnswerItem) and (
            reason := _inquiry_problem(session, locked, record.item, data_key)
        ):
            pass
        else:
            new_rows.append(
                {
                    "id": record.id,
                    "seq": record.seq,
                    "topic": record.item.topic,
                    "payload": _kept(record.item),
                    "station_code": code,
                    "workstation": locked.number,
                    "sha256": sha,
                    "version": VERSION,
                }
            )
            known[record.id] = sha
            effects.add(record.item)
            if isinstance(record.item, InquiryAnswerItem):
                from server import inquiries

                assert data_key is not None
                inquiries.apply_answer(session, code, locked.number, record.item, data_key)
            applied += 1
            locked.acked_seq = record.seq
        if reason is not None:
            session.add(
                ConflictRow(
                    record_id=record.id,
                    station_code=code,
                    workstation=locked.number,
                    sha256=sha,
                    payload={
                        "reason": reason,
                        "id": record.id,
                        "seq": record.seq,
                        "item": _kept(record.item),
                    },
                )
            )
            conflicts.append(Conflict(id=record.id, reason=reason))
        acked = max(acked, record.seq)
    if new_rows:  # one multi-row statement each, not one round trip per record
        session.execute(insert(PushedRecord), new_rows)
        effects.write(session)
    locked.last_push_at = received = now()
    if batch.sent_at is not None:  # how far the station's clock is from ours (seconds of transit)
        offset = round((batch.sent_at - received).total_seconds())
        locked.clock_offset_seconds, locked.clock_seen_at = offset, received
        day = StationClockDay
        statement = insert(day).values(station_code=code, day=_day(received), offset_seconds=offset)
        session.execute(  # the day keeps the farthest offset seen
            statement.on_conflict_do_update(
                index_elements=[day.station_code, day.day],
                set_={"offset_seconds": statement.excluded.offset_seconds},
                where=func.abs(statement.excluded.offset_seconds) > func.abs(day.offset_seconds),
            )
        )
    session.flush()
    return PushAnswer(
        acked_through=acked,
        applied=applied,
        duplicates=duplicates,
        conflicts=conflicts,
        server_time=now(),
    )


def _inquiry_problem(
    session: Session, ws: Workstation, item: InquiryAnswerItem, data_key: bytes | None
) -> str | None:
    from server import inquiries

    if data_key is None:
        return "省级服务器未配置数据密钥"
    return inquiries.check_answer(session, ws.station_code, ws.number, item, data_key)


def _digest(record: PushRecord, data_key: bytes | None) -> str:
    """What the records table keeps to tell a resend from a conflict: the record's SHA-256, or
    for an inquiry answer a digest keyed with the province's data key (a plain digest of a
    short answer — 有/无, a date — could be found by trying them all)."""
    if isinstance(record.item, InquiryAnswerItem) and data_key is not None:
        from server.sealing import keyed_digest

        return keyed_digest(data_key, canonical(record_json(record)).encode("utf-8"))
    return record_digest(record)


def _kept(item: PushItem) -> dict[str, Any]:
    """A record's payload as the records table keeps it: an inquiry answer without its fields
    (they are sealed in ``inquiries``; the digest still tells a resend from a conflict)."""
    payload: dict[str, Any] = item.model_dump(mode="json")
    if isinstance(item, InquiryAnswerItem):
        payload.update(answer={}, reason="", sealed=True)
    return payload


def _day(moment: dt.datetime | None) -> str | None:
    """The China-time day of a station's timestamp: the day that counts in the figures."""
    return moment.astimezone(CHINA).date().isoformat() if moment is not None else None


class _Effects:
    """What a batch's records change in what the province serves, written set-wise."""

    def __init__(self, station: str, workstation: str) -> None:
        self.station, self.workstation = station, workstation
        self.numbers: dict[tuple[int, str], int] = {}
        self.certificates: dict[str, dict[str, Any]] = {}
        self.cases: dict[str, dict[str, Any]] = {}
        self.voids: list[str] = []
        self.voided_cases: dict[str, str | None] = {}
        self.reprints: dict[str, int] = {}

    def number(self, name: str, text: str) -> None:
        """The highest number of each kind and year this batch carries."""
        parts = text.split("-")
        value = int(parts[3].lstrip("CN"))
        key = (int(parts[2]), name)
        self.numbers[key] = max(value, self.numbers.get(key, 0))

    def add(self, item: PushItem) -> None:
        if isinstance(item, CertificateItem | CaseItem | NoticeItem):
            name, text = (
                ("certificate", item.serial)
                if isinstance(item, CertificateItem)
                else ("case", item.case_no)
                if isinstance(item, CaseItem)
                else ("notice", item.notice_no)
            )
            self.number(name, text)
        if isinstance(item, CertificateItem):
            self.certificates.setdefault(
                item.serial,
                {
                    "serial": item.serial,
                    "station_code": self.station,
                    "kind_id": item.kind_id,
                    "form_id": item.form_id,
                    "issued_on": _day(item.issued_at),
                    "status": VerifyStatus.VOID
                    if item.status == CertificateStatus.VOID
                    else VerifyStatus.VALID,
                    "print_count": max(item.print_count, 1),
                    "case_id": item.case_id,
                },
            )
        elif isinstance(item, VoidItem):
            self.voids.append(item.serial)
            # the case is voided with its certificate (stations before version 2 did not say so)
            self.voided_cases[item.case_id] = _day(item.voided_at)
        elif isinstance(item, ReprintItem):
            self.reprints[item.serial] = max(item.print_count, self.reprints.get(item.serial, 0))
        elif isinstance(item, CaseItem):
            self.cases[item.id] = {  # the latest state of a case wins
                "id": item.id,
                "station_code": self.station,
                "kind_id": item.kind_id,
                "outcome": item.outcome,
                "status": item.status,
                "special_case": item.special_case,
                "created_on": _day(item.created_at),
                "due_date": item.due_date.isoformat() if item.due_date else None,
                "finished_on": _day(item.ended_at),
                "approved": item.approved,
                "case_no": item.case_no,
                "requester": item.requester,
                "report_to_superior": item.report_to_superior,
                "requester_unit": item.requester_unit,
            }

    def write(self, session: Session) -> None:
        if self.numbers:
            marks = insert(WorkstationNumber)
            session.execute(
                marks.on_conflict_do_update(
                    index_elements=["station_code", "workstation", "year", "name"],
                    set_={"value": func.greatest(WorkstationNumber.value, marks.excluded.value)},
                ),
                [
                    {
                        "station_code": self.station,
                        "workstation": self.workstation,
                        "year": year,
                        "name": name,
                        "value": value,
                    }
                    for (year, name), value in self.numbers.items()
                ],
            )
        if self.certificates:
            session.execute(
                insert(IssuedCertificate).on_conflict_do_nothing(),
                list(self.certificates.values()),
            )
        if self.cases:
            statement = insert(CaseSummary)
            columns = (
                "kind_id",
                "outcome",
                "status",
                "special_case",
                "created_on",
                "due_date",
                "finished_on",
                "approved",
                "case_no",
                "requester",
                "report_to_superior",
                "requester_unit",
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["id"], set_={c: statement.excluded[c] for c in columns}
                ),
                list(self.cases.values()),
            )
        for serial, count in self.reprints.items():
            session.execute(
                update(IssuedCertificate)
                .where(
                    IssuedCertificate.serial == serial,
                    IssuedCertificate.station_code == self.station,
                    IssuedCertificate.print_count < count,
                )
                .values(print_count=count)
            )
        for case_id, day in self.voided_cases.items():
            session.execute(
                update(CaseSummary)
                .where(CaseSummary.id == case_id, CaseSummary.station_code == self.station)
                .values(status=CaseStatus.VOIDED, finished_on=day)
            )
        if self.voids:
            session.execute(
                update(IssuedCertificate)
                .where(
                    IssuedCertificate.serial.in_(self.voids),
                    IssuedCertificate.station_code == self.station,
                )
                .values(status=VerifyStatus.VOID, voided_at=now())
            )
            for serial in self.voids:
                feed.add(session, "void", {"serial": serial, "station": self.station})


# ---------------------------------------------------------------------- pull, verify, catalog


def pull(
    session: Session, token: str | None, after: int, limit: int, province_key: str
) -> dict[str, Any]:
    """A page of the feed in ``PullPage``'s shape, each event as stored with the signature it
    was given when written: one the stations cannot read (from an older release) reaches them
    as it is, and they set it aside and move on, rather than the whole page failing here for
    every station. A row that this province's key (hex ``province_key``) did not sign — put in
    by hand, unsigned or signed with another key — is not served: it can neither reach a station
    nor hold back the entries after it."""
    workstation_for_token(session, token)
    rows = session.scalars(
        select(FeedEvent)
        .where(FeedEvent.id > after, FeedEvent.signature.is_not(None))
        .order_by(FeedEvent.id)
        .limit(limit)
    ).all()
    events = []
    for r in rows:
        event = {**r.body, "type": r.type}
        if verify_signature(province_key, feed_bytes(r.id, event), r.signature or ""):
            events.append({"id": r.id, "event": event, "signature": r.signature})
    return {
        "events": events,
        "cursor": rows[-1].id if rows else after,
        "more": len(rows) == limit,
        "server_time": now().isoformat(),
    }


def publish_catalog(
    session: Session, *, text: str, signature: str, catalog_id: str, version: str
) -> int:
    row = CatalogVersion(
        catalog_id=catalog_id, version=version, sha256=digest(text), signature=signature, text=text
    )
    session.add(row)
    session.flush()
    feed.add(
        session,
        "catalog",
        {
            "catalog_id": catalog_id,
            "version": version,
            "sha256": row.sha256,
            "signature": signature,
            "text": text,
        },
    )
    return row.id


def list_conflicts(session: Session, station: str | None = None) -> list[dict[str, Any]]:
    """The records refused as conflicts, per station and workstation, oldest first: what was
    sent (its digest and the number it is about) and why; the station lists the same ones until
    its administrator resolves them."""
    query = select(ConflictRow).order_by(ConflictRow.station_code, ConflictRow.id)
    if station:
        query = query.where(ConflictRow.station_code == station.strip().upper())
    rows = []
    for row in session.scalars(query):
        item = row.payload.get("item") or {}
        number = next((item[k] for k in OWNED if isinstance(item.get(k), str)), None)
        rows.append(
            {
                "station": row.station_code,
                "workstation": row.workstation,
                "record_id": row.record_id,
                "seq": row.payload.get("seq"),
                "topic": item.get("topic"),
                "number": number,
                "reason": row.payload.get("reason"),
                "sha256": row.sha256,
                "received_at": row.received_at.isoformat(timespec="seconds"),
            }
        )
    return rows


# ---------------------------------------------------------------------- the audit chain's anchor

GENESIS = "0" * 64


def anchor(session: Session, token: str | None, request: AnchorRequest) -> AnchorAnswer:
    """Check that the workstation's audit chain extends the head held here, then hold its new
    head. A chain that does not (events rewritten, truncated, or a restore from before the last
    anchor) is kept as a break, flagged in oversight and answered ``extended: false``; the new
    head is held from then on, so that the next rounds are checked against it."""
    ws = workstation_for_token(session, token)
    links = request.links
    for before, after in itertools.pairwise(links):
        if after.seq != before.seq + 1 or after.prev != before.hash:
            raise ServerError(409, f"审计链第 {after.seq} 条与前一条不相接", "links")
    if links and request.head is not None and request.head.seq < links[-1].seq:
        raise ServerError(409, "head 应为最新一条审计记录", "head")
    held = session.scalars(
        select(ChainAnchor)
        .where(ChainAnchor.station_code == ws.station_code, ChainAnchor.workstation == ws.number)
        .with_for_update()
    ).first()
    if held is None:
        held = ChainAnchor(station_code=ws.station_code, workstation=ws.number, seq=0, hash=GENESIS)
        session.add(held)
    problem = None
    if links:
        first, newest = links[0], (links[-1].seq, links[-1].hash)
        if (first.seq, first.prev) != (held.seq + 1, held.hash):
            problem = (
                f"第 {first.seq} 条起的审计记录不接续省级已锚定的第 {held.seq} 条："
                "审计记录被改写或截断，或恢复了更早的备份"
            )
    else:
        newest = (request.head.seq, request.head.hash) if request.head else (0, GENESIS)
        if newest != (held.seq, held.hash):
            problem = (
                f"本机最新审计记录为第 {newest[0]} 条，与省级已锚定的第 {held.seq} 条不符："
                "审计记录被截断或改写，或恢复了更早的备份"
            )
    extended = problem is None
    if request.local_problem:  # the workstation's own check of its trail: kept and flagged too
        problem = (problem + "；" if problem else "") + f"工作站自查：{request.local_problem}"
    if problem is not None:
        session.add(
            ChainBreak(
                station_code=ws.station_code,
                workstation=ws.number,
                held_seq=held.seq,
                held_hash=held.hash,
                got_seq=newest[0],
                got_hash=newest[1],
                reason=problem,
                day=china_day(),
            )
        )
    held.seq, held.hash, held.updated_at = newest[0], newest[1], now()
    session.flush()
    return AnchorAnswer(
        anchored_seq=held.seq,
        anchored_hash=held.hash,
        extended=extended,
        problem=problem[:240] if problem else None,
        server_time=now(),
    )
