"""The audit trail: every state change appends an event chained by SHA-256 to the one before.

An event says who did what to which record, and proves the record's state after it: ``after``
holds the SHA-256 of the record's full state (``state``) and the values of the columns the change
set (``set``), ``before`` their values before. So the trail stays small — an issued certificate
costs two events of about a hundred bytes of JSON — and still shows what changed, while
``verify`` finds both a broken chain (an event edited, inserted or deleted) and a record changed
behind certdesk's back (its current state no longer hashes to the last audited one).

Events written before this format (``after`` a full snapshot) are verified by comparing the
columns, as they always were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from app.records.db.models import (
    AuditEvent,
    Base,
    Case,
    Certificate,
    DecisionRecord,
    ExchangeRequest,
    Inquiry,
    Notice,
    Officer,
    OutboxItem,
    OutboxPayload,
    Station,
    new_id,
)

GENESIS = "0" * 64
FORMAT = 2  # ``after`` = {"v": 2, "state": sha256, "set": {...}, "note": {...}}


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def sha256(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def event_hash(
    *,
    seq: int,
    id: str,
    at: dt.datetime,
    officer_code: str | None,
    action: str,
    entity: str,
    entity_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    when = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    body = canonical(
        [seq, id, when, officer_code, action, entity, entity_id, before, after, prev_hash]
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def stored_hash(event: AuditEvent) -> str:
    """What an event's content hashes to (its stored ``hash`` must be this)."""
    return event_hash(
        seq=event.seq,
        id=event.id,
        at=event.at,
        officer_code=event.officer_code,
        action=event.action,
        entity=event.entity,
        entity_id=event.entity_id,
        before=event.before,
        after=event.after,
        prev_hash=event.prev_hash,
    )


# Large JSON columns are audited by their SHA-256: a change is still caught, the trail stays small.
DIGESTED = frozenset({"form_values", "content"})
# A partner's inquiry: the subject and the answer are personal data the trail (which auditors
# export) must not reveal, and short enough (有/无, a date, an identity number) that a plain
# digest could be reversed by trying them all. They are audited by a digest salted with the
# row's own random ``salt`` — kept in the (encrypted) row, never in the trail.
SALTED_BY_TABLE = {"inquiries": frozenset({"subject_name", "subject_id", "answer"})}


def snapshot(row: Base) -> dict[str, Any]:
    """A row's state, JSON-ready: large JSON columns by their SHA-256, the password hash by a
    fingerprint, and no column that is NULL (a column added later as NULL leaves every earlier
    state as it was)."""
    data: dict[str, Any] = {}
    salted = SALTED_BY_TABLE.get(row.__tablename__, frozenset())
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if value is None or (salted and column.name == "salt"):
            continue
        if column.name == "password_hash":  # never the hash itself; a fingerprint shows changes
            data["password_fingerprint"] = hashlib.sha256(value.encode()).hexdigest()[:16]
        elif column.name == "decision_sha":  # the decision has always been audited by its digest
            data["decision"] = {"sha256": value}
        elif isinstance(value, dt.datetime):
            data[column.name] = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif column.name in salted:
            data[column.name] = {"salted_sha256": sha256([row.salt, value])}  # type: ignore[attr-defined]
        elif column.name in DIGESTED:
            data[column.name] = {"sha256": sha256(value)}
        else:
            data[column.name] = value
    result: dict[str, Any] = json.loads(canonical(data))
    return result


ENTITIES: dict[str, type[Base]] = {
    "station": Station,
    "officer": Officer,
    "case": Case,
    "certificate": Certificate,
    "notice": Notice,
    "exchange_request": ExchangeRequest,
    "inquiry": Inquiry,
}
ENTITY_OF: dict[type[Base], str] = {model: name for name, model in ENTITIES.items()}

ENTITY_NAMES = {
    "station": "派出所",
    "officer": "民警",
    "case": "案件",
    "certificate": "证明",
    "notice": "告知书",
    "exchange_request": "信息交换请求",
    "inquiry": "核查请求",
}


def event(
    *,
    row: Base,
    action: str,
    officer: str | None,
    at: dt.datetime,
    before: dict[str, Any] | None,
    note: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One event about ``row`` (its state now), given its snapshot ``before`` the change (None
    for a new row). Not yet chained: ``append`` numbers and chains the events of a change."""
    state = snapshot(row)
    after: dict[str, Any] = {"v": FORMAT, "state": sha256(state)}
    changed: dict[str, Any] | None = None
    if before is not None:
        keys = sorted(k for k in {*before, *state} if before.get(k) != state.get(k))
        changed = {k: before.get(k) for k in keys}
        if keys:
            after["set"] = {k: state.get(k) for k in keys}
    if note:
        after["note"] = note
    return {
        "id": new_id(),
        "at": at,
        "officer_code": officer,
        "action": action,
        "entity": ENTITY_OF[type(row)],
        "entity_id": str(row.id),  # type: ignore[attr-defined]
        "before": changed,
        "after": after,
    }


def append(connection: Connection, events: Sequence[dict[str, Any]]) -> None:
    """Chain ``events`` after the last one and write them in one statement. Runs inside the
    change's write transaction (BEGIN IMMEDIATE), so no other writer can take the same place."""
    if not events:
        return
    last = connection.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    rows = []
    for values in events:
        seq += 1
        row = {**values, "seq": seq, "prev_hash": prev}
        row["hash"] = prev = event_hash(**row)
        rows.append(row)
    connection.execute(insert(AuditEvent), rows)


@dataclass(frozen=True, slots=True)
class AuditReport:
    ok: bool
    events: int
    broken_seq: int | None = None
    problem: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "broken_seq": self.broken_seq,
            "problem": self.problem,
        }


def _label(row: Base) -> str | None:
    for attribute in ("serial", "case_no", "notice_no", "code"):
        value = getattr(row, attribute, None)
        if value:
            return str(value)
    return None


def _keys(model: type[Base]) -> list[str]:
    """The names a model's columns have in a snapshot."""
    renamed = {"password_hash": "password_fingerprint", "decision_sha": "decision"}
    return [renamed.get(c.name, c.name) for c in model.__table__.columns]


def _matches(audited: dict[str, Any] | None, current: dict[str, Any], keys: list[str]) -> bool:
    """Whether a record's current state is the one its last event recorded."""
    audited = audited or {}
    if audited.get("v") == FORMAT:
        return audited.get("state") == sha256(current)
    # The first format kept the whole state (NULL columns included); an event may annotate it
    # with keys that are not columns (a reprint's reason).
    return all(audited.get(k) == current.get(k) for k in keys)


def verify(session: Session, progress: Callable[[int], None] | None = None) -> AuditReport:
    """Walk the chain; name the first broken link, then compare audited with current state."""
    prev = GENESIS
    expected_seq = 1
    latest: dict[tuple[str, str], dict[str, Any] | None] = {}
    sent: set[str] = set()  # the outbox records the trail names
    count = 0
    for stored in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000):
        count += 1
        if stored.seq != expected_seq:
            return AuditReport(False, count, expected_seq, f"第 {expected_seq} 条审计记录缺失")
        if stored.prev_hash != prev:
            return AuditReport(
                False, count, stored.seq, f"第 {stored.seq} 条审计记录与前一条的链接断开"
            )
        if stored_hash(stored) != stored.hash:
            return AuditReport(
                False, count, stored.seq, f"第 {stored.seq} 条审计记录被改动(哈希不符)"
            )
        latest[(stored.entity, stored.entity_id)] = stored.after
        sent.update((stored.after or {}).get("sent", ()))
        prev = stored.hash
        expected_seq += 1
        if progress and count % 10_000 == 0:
            progress(count)
    for entity, model in ENTITIES.items():
        keys = _keys(model)
        for row in session.scalars(select(model)):
            key = (entity, str(row.id))  # type: ignore[attr-defined]
            label = f"{ENTITY_NAMES[entity]} {_label(row) or key[1]}"
            if key not in latest:
                return AuditReport(
                    False, count, None, f"{label} 没有审计记录(可能被直接插入数据库)"
                )
            if not _matches(latest.pop(key), snapshot(row), keys):
                return AuditReport(
                    False,
                    count,
                    None,
                    f"{label} 的当前内容与最后一条审计记录不符(可能被绕过 certdesk 直接修改)",
                )
    missing = [k for k, after in latest.items() if after is not None and k[0] in ENTITIES]
    if missing:
        entity, entity_id = missing[0]
        return AuditReport(
            False, count, None, f"{entity} {entity_id} 已被删除，但审计中没有删除记录"
        )
    problem = _decisions(session) or _outbox(session, sent)
    return AuditReport(not problem, count, None, problem or "")


def _decisions(session: Session) -> str | None:
    """Every stored decision hashes to its key, and every case's decision is stored."""
    for decision in session.scalars(select(DecisionRecord)):
        if sha256(decision.body) != decision.sha256:
            return f"判断记录 {decision.sha256[:12]} 的内容被改动(哈希不符)"
    missing = session.execute(
        select(Case.case_no)
        .outerjoin(DecisionRecord, DecisionRecord.sha256 == Case.decision_sha)
        .where(DecisionRecord.sha256.is_(None))
        .limit(1)
    ).first()
    if missing is not None:
        return f"案件 {missing[0]} 记录的判断已不在数据库中(可能被删除或替换)"
    return None


def _outbox(session: Session, sent: set[str]) -> str | None:
    """The outbox against the trail: no record dropped, none slipped in, none edited. Every
    record the trail names is still queued; from the first record the trail names on (those
    before it were queued before the trail named them, migration 0007) every record is named;
    the queue has no gaps; and a record still waiting holds what its digest says."""
    from app.protocol.models import PushRecord, record_digest

    rows = session.execute(
        select(OutboxItem.seq, OutboxItem.id, OutboxItem.sha256, OutboxPayload.payload)
        .outerjoin(OutboxPayload, OutboxPayload.seq == OutboxItem.seq)
        .order_by(OutboxItem.seq)
    ).all()
    queued = {digest for _, _, digest, _ in rows}
    dropped = sent - queued
    if dropped:
        return f"审计记录中的上报记录 {min(dropped)[:12]}… 已不在待上报队列中(可能被删除)"
    named, expected = False, 1
    for seq, item_id, digest, payload in rows:
        # before the trail names records, the queue has no gaps; after, the sequence may jump
        # (numbers are never reused after a restore) and a deleted record is one the trail names
        if seq != expected and not (named and seq > expected):
            return f"待上报队列缺少第 {expected} 条(可能被删除)"
        expected = seq + 1
        named = named or digest in sent
        if named and digest not in sent:
            return f"待上报第 {seq} 条不在审计记录中(可能被插入或改动了摘要)"
        if payload is not None:
            try:
                record = PushRecord.model_validate({"id": item_id, "seq": seq, "item": payload})
            except ValueError:
                return f"待上报第 {seq} 条的内容已不是省级接口的格式(被改动)"
            if record_digest(record) != digest:
                return f"待上报第 {seq} 条的内容与其摘要不符(被改动)"
    return None
