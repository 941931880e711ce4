"""What the provincial server does, apart from HTTP: enrol stations, apply pushed records exactly
once, serve the feed, verify serials, count. The API (server.api) and the command line
(server.cli) both call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.models import (
    CaseSummary,
    CatalogVersion,
    Conflict,
    FeedEvent,
    IssuedCertificate,
    PushedRecord,
    ServerStation,
)

ENROL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
ENROL_DAYS = 7


class ServerError(Exception):
    """A refusal with its HTTP status and a Chinese message naming what is wrong."""

    def __init__(self, status: int, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def without_nul(value: Any) -> Any:
    """``value`` with every NUL character in its keys and strings replaced by U+FFFD: PostgreSQL
    text cannot hold NUL. (The record's digest is taken of what was sent, so an identical resend
    is still recognised.) JSON writes NUL as \\u0000, so most payloads need one C-speed look."""
    if "\\u0000" not in json.dumps(value):
        return value
    return _replace_nul(value)


def _replace_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_replace_nul(k): _replace_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_nul(v) for v in value]
    return value


# ---------------------------------------------------------------------- stations and enrolment


def add_station(session: Session, *, code: str, name: str) -> str:
    """Register a station (or renew its enrolment code); returns the one-time enrolment code."""
    code, name = code.strip().upper(), name.strip()
    if not (2 <= len(code) <= 12 and code.isalnum()):
        raise ServerError(400, "派出所代码应为2至12位数字或大写字母", "station_code")
    if not 2 <= len(name) <= 60:
        raise ServerError(400, "派出所名称应为2至60个字", "station_name")
    enrol = "".join(secrets.choice(ENROL_ALPHABET) for _ in range(12))
    row = session.get(ServerStation, code)
    if row is None:
        row = ServerStation(code=code, name=name, acked_seq=0)
        session.add(row)
    row.name = name
    row.enrol_code_hash = digest(enrol)
    row.enrol_expires_at = now() + dt.timedelta(days=ENROL_DAYS)
    session.flush()
    return "-".join(enrol[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class Enrolment:
    station_code: str
    station_name: str
    token: str
    province_public_key: str


def enrol(
    session: Session, *, enrol_code: str, station_code: str, public_key: str, province_key: str
) -> Enrolment:
    """Exchange a one-time enrolment code for a station token; register the station's key."""
    cleaned = enrol_code.replace("-", "").replace(" ", "").upper()
    row = session.scalars(
        select(ServerStation).where(ServerStation.code == station_code.upper()).with_for_update()
    ).first()
    if (
        row is None
        or row.enrol_code_hash is None
        or not secrets.compare_digest(row.enrol_code_hash, digest(cleaned))
    ):
        raise ServerError(403, "登记码不对，或不是给这个派出所的", "enrol_code")
    if row.enrol_expires_at is not None and row.enrol_expires_at < now():
        raise ServerError(403, "登记码已过期，请省级管理员重新生成", "enrol_code")
    try:
        if len(bytes.fromhex(public_key)) != 32:
            raise ValueError
    except ValueError:
        raise ServerError(400, "本站公钥应为64位十六进制(Ed25519)", "public_key") from None
    token = secrets.token_urlsafe(32)
    old_key = row.public_key
    row.token_hash, row.enrol_code_hash, row.enrol_expires_at = digest(token), None, None
    row.public_key, row.enrolled_at = public_key, now()
    if old_key and old_key != public_key:
        session.add(
            FeedEvent(type="key_revoked", body={"station": row.code, "public_key": old_key})
        )
    session.add(FeedEvent(type="station_key", body={"station": row.code, "public_key": public_key}))
    return Enrolment(row.code, row.name, token, province_key)


def station_for_token(session: Session, token: str | None) -> ServerStation:
    if not token:
        raise ServerError(401, "缺少本站令牌(Authorization: Bearer …)", "token")
    row = session.scalars(
        select(ServerStation).where(ServerStation.token_hash == digest(token))
    ).first()
    if row is None:
        raise ServerError(401, "本站令牌无效或已被吊销，请重新登记", "token")
    return row


# ---------------------------------------------------------------------- push


@dataclass
class PushResult:
    acked_through: int
    applied: int = 0
    duplicates: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "acked_through": self.acked_through,
            "applied": self.applied,
            "duplicates": self.duplicates,
            "conflicts": self.conflicts,
        }


OWNED_KEYS = ("serial", "case_no", "notice_no")


def _check_owner(station: str, record: dict[str, Any]) -> None:
    payload = record["payload"]
    for key in OWNED_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and not value.startswith(f"{station}-"):
            raise ServerError(
                403,
                f"记录 {record['id']} 的 {key} “{value}” 不属于本站 {station}：整批未保存",
                "station",
            )


def push(
    session: Session, token: str | None, station_code: str, records: list[dict[str, Any]]
) -> PushResult:
    """Apply a batch, oldest first, in one transaction. Each UUID is applied once: an identical
    resend is acknowledged again, the same UUID with other content is a conflict (kept here and
    reported back). The station row is locked, so one station's batches apply in order."""
    station = station_for_token(session, token)
    if station.code != station_code.upper():
        raise ServerError(
            403, f"本站令牌属于 {station.code}，不能写入 {station_code} 的记录", "station"
        )
    locked = session.scalars(
        select(ServerStation).where(ServerStation.code == station.code).with_for_update()
    ).one()
    seqs = [r["seq"] for r in records]
    if seqs != sorted(seqs) or len(set(seqs)) != len(seqs):
        raise ServerError(400, "一批记录应按序号从小到大排列且不重复", "records")
    for record in records:
        _check_owner(locked.code, record)
    ids = [r["id"] for r in records]
    known = {
        row.id: row.sha256
        for row in session.execute(
            select(PushedRecord.id, PushedRecord.sha256, PushedRecord.station_code).where(
                PushedRecord.id.in_(ids)
            )
        )
        if row.station_code == locked.code
    }
    foreign = set(ids) - set(known)
    if foreign:  # the same UUID pushed by another station is a conflict too
        foreign = set(session.scalars(select(PushedRecord.id).where(PushedRecord.id.in_(foreign))))
    result = PushResult(acked_through=locked.acked_seq)
    effects = _Effects(locked.code)
    new_rows: list[dict[str, Any]] = []
    for record in records:
        content = {k: record[k] for k in ("id", "seq", "topic", "payload")}
        sha = digest(canonical(content))
        if record["id"] in known:
            if known[record["id"]] == sha:
                result.duplicates += 1
            else:
                _conflict(session, locked.code, record, sha, "同一记录编号内容不同")
                result.conflicts.append({"id": record["id"], "reason": "同一记录编号内容不同"})
        elif record["id"] in foreign:
            _conflict(session, locked.code, record, sha, "同一记录编号内容不同")
            result.conflicts.append({"id": record["id"], "reason": "同一记录编号内容不同"})
        elif record["seq"] <= locked.acked_seq:
            _conflict(session, locked.code, record, sha, "序号早于已确认的记录")
            result.conflicts.append({"id": record["id"], "reason": "序号早于已确认的记录"})
        else:
            stored = without_nul(record["payload"])
            new_rows.append(
                {**content, "payload": stored, "station_code": locked.code, "sha256": sha}
            )
            known[record["id"]] = sha
            effects.add(record["topic"], stored)
            result.applied += 1
            locked.acked_seq = record["seq"]
        result.acked_through = max(result.acked_through, record["seq"])
    if new_rows:  # one multi-row statement each, not one round trip per record
        session.execute(insert(PushedRecord), new_rows)
        effects.write(session)
    locked.last_push_at = now()
    session.flush()
    return result


def _conflict(
    session: Session, station: str, record: dict[str, Any], sha: str, reason: str
) -> None:
    session.add(
        Conflict(
            record_id=record["id"],
            station_code=station,
            sha256=sha,
            payload=without_nul({"reason": reason, **record}),
        )
    )


def _day(value: Any) -> str:
    text = str(value or "")
    if not text:
        return ""
    try:  # station timestamps are UTC; the day that counts is Beijing's
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text[:10]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment + dt.timedelta(hours=8)).date().isoformat()


class _Effects:
    """What a batch's records change in what the province serves, written set-wise."""

    def __init__(self, station: str) -> None:
        self.station = station
        self.certificates: dict[str, dict[str, Any]] = {}
        self.cases: dict[str, dict[str, Any]] = {}
        self.voids: list[str] = []
        self.reprints: dict[str, int] = {}

    def add(self, topic: str, payload: dict[str, Any]) -> None:
        if topic == "certificate" and isinstance(payload.get("serial"), str):
            self.certificates.setdefault(
                payload["serial"],
                {
                    "serial": payload["serial"],
                    "station_code": self.station,
                    "kind_id": _text(payload.get("kind_id")),
                    "form_id": _text(payload.get("form_id")) or "",
                    "issued_on": _day(payload.get("issued_at")),
                    "status": "void" if payload.get("status") == "void" else "valid",
                    "print_count": payload.get("print_count") or 1
                    if isinstance(payload.get("print_count"), int)
                    else 1,
                    "case_id": _text(payload.get("case_id"), 36),
                },
            )
        elif topic == "void" and isinstance(payload.get("serial"), str):
            self.voids.append(payload["serial"])
        elif topic == "reprint" and isinstance(payload.get("serial"), str):
            count = payload.get("print_count")
            if isinstance(count, int) and 0 < count < 10_000:
                self.reprints[payload["serial"]] = max(
                    count, self.reprints.get(payload["serial"], 0)
                )
        elif topic == "case" and isinstance(payload.get("id"), str):
            self.cases[payload["id"]] = {  # the latest state of a case wins
                "id": payload["id"],
                "station_code": self.station,
                "kind_id": _text(payload.get("kind_id")),
                "outcome": _text(payload.get("outcome")) or "",
                "status": _text(payload.get("status")) or "",
                "special_case": bool(payload.get("special_case")),
                "created_on": _day(payload.get("created_at")),
                "due_date": _text(payload.get("due_date")),
                "finished_on": _day(payload.get("updated_at"))
                if payload.get("status") in ("issued", "refused", "voided")
                else None,
                "approved": payload.get("approved_by_id") is not None,
                "case_no": _text(payload.get("case_no"), 40) or "",
            }

    def write(self, session: Session) -> None:
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
        if self.voids:
            session.execute(
                update(IssuedCertificate)
                .where(
                    IssuedCertificate.serial.in_(self.voids),
                    IssuedCertificate.station_code == self.station,
                )
                .values(status="void", voided_at=now())
            )
            session.execute(
                insert(FeedEvent),
                [
                    {"type": "void", "body": {"serial": s, "station": self.station}}
                    for s in self.voids
                ],
            )


def _text(value: Any, limit: int = 64) -> str | None:
    """A short text column's value from a payload (anything else becomes None)."""
    return value[:limit] if isinstance(value, str) else None


# ---------------------------------------------------------------------- pull, verify, catalog


def pull(session: Session, token: str | None, after: int, limit: int) -> dict[str, Any]:
    station_for_token(session, token)
    rows = session.scalars(
        select(FeedEvent).where(FeedEvent.id > after).order_by(FeedEvent.id).limit(limit)
    ).all()
    events = [{"id": r.id, "type": r.type, "body": r.body} for r in rows]
    return {"events": events, "cursor": rows[-1].id if rows else after, "more": len(rows) == limit}


def verify(session: Session, serial: str) -> dict[str, Any]:
    row = session.get(IssuedCertificate, serial)
    if row is None:
        return {"serial": serial, "status": "unknown"}
    return {
        "serial": serial,
        "status": row.status,
        "kind_id": row.kind_id,
        "issued_on": row.issued_on,
        "station": row.station_code,
    }


def publish_catalog(
    session: Session, *, text: str, signature: str, catalog_id: str, version: str
) -> int:
    row = CatalogVersion(
        catalog_id=catalog_id, version=version, sha256=digest(text), signature=signature, text=text
    )
    session.add(row)
    session.flush()
    session.add(
        FeedEvent(
            type="catalog",
            body={
                "catalog_id": catalog_id,
                "version": version,
                "sha256": row.sha256,
                "signature": signature,
                "text": text,
            },
        )
    )
    return row.id
