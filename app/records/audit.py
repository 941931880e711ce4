"""The audit trail: every state change appends an event chained by SHA-256 to the one before.

Each event also records the entity's state after the change, so ``verify`` finds both a broken
chain (an event edited or deleted) and a record changed behind the application's back (its
current state no longer matches the last audited state).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from app.records.db.models import (
    AuditEvent,
    Base,
    Case,
    Certificate,
    ExchangeRequest,
    Notice,
    Officer,
    Station,
    new_id,
)

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


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
    body = _canonical(
        [seq, id, when, officer_code, action, entity, entity_id, before, after, prev_hash]
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _stored_hash(event: AuditEvent) -> str:
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
DIGESTED = frozenset({"decision", "form_values", "content"})


def snapshot(row: Base, *, full: bool = False) -> dict[str, Any]:
    """A row's state, JSON-ready, password hash left out. For the audit trail (default) large
    JSON columns are reduced to their SHA-256; ``full`` keeps them (the outbox payload)."""
    data: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if column.name == "password_hash":  # never the hash itself; a fingerprint shows changes
            data["password_fingerprint"] = hashlib.sha256(value.encode()).hexdigest()[:16]
            continue
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif column.name in DIGESTED and value is not None and not full:
            value = {"sha256": hashlib.sha256(_canonical(value).encode("utf-8")).hexdigest()}
        data[column.name] = value
    result: dict[str, Any] = json.loads(_canonical(data))
    return result


ENTITIES: dict[str, type[Base]] = {
    "station": Station,
    "officer": Officer,
    "case": Case,
    "certificate": Certificate,
    "notice": Notice,
    "exchange_request": ExchangeRequest,
}


ENTITY_NAMES = {
    "station": "派出所",
    "officer": "民警",
    "case": "案件",
    "certificate": "证明",
    "notice": "告知书",
    "exchange_request": "信息交换请求",
}


def _label(row: Base) -> str | None:
    for attribute in ("serial", "case_no", "notice_no", "code"):
        value = getattr(row, attribute, None)
        if value:
            return str(value)
    return None


_PENDING = "certdesk.audit.pending"


def record(
    session: Session,
    *,
    officer: str | None,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    now: dt.datetime,
) -> None:
    """Append one event to the caller's transaction. Events are chained and written together
    just before the transaction commits (one read of the chain's end, one multi-row insert)."""
    session.info.setdefault(_PENDING, []).append(
        {
            "id": new_id(),
            "at": now,
            "officer_code": officer,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": before,
            "after": after,
        }
    )


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    connection = session.connection()
    last = connection.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    for values in pending:
        seq += 1
        values["seq"], values["prev_hash"] = seq, prev
        values["hash"] = prev = event_hash(**values)
    connection.execute(insert(AuditEvent), pending)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)


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


def verify(session: Session, progress: Callable[[int], None] | None = None) -> AuditReport:
    """Walk the chain; name the first broken link, then compare audited with current state."""
    prev = GENESIS
    expected_seq = 1
    latest: dict[tuple[str, str], dict[str, Any] | None] = {}
    count = 0
    for stored in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000):
        count += 1
        if stored.seq != expected_seq:
            return AuditReport(False, count, expected_seq, f"第 {expected_seq} 条审计记录缺失")
        if stored.prev_hash != prev:
            return AuditReport(
                False, count, stored.seq, f"第 {stored.seq} 条审计记录与前一条的链接断开"
            )
        if _stored_hash(stored) != stored.hash:
            return AuditReport(
                False, count, stored.seq, f"第 {stored.seq} 条审计记录被改动(哈希不符)"
            )
        latest[(stored.entity, stored.entity_id)] = stored.after
        prev = stored.hash
        expected_seq += 1
        if progress and count % 10_000 == 0:
            progress(count)
    for entity, model in ENTITIES.items():
        for row in session.scalars(select(model)):
            key = (entity, str(row.id))  # type: ignore[attr-defined]
            label = f"{ENTITY_NAMES[entity]} {_label(row) or key[1]}"
            if key not in latest:
                return AuditReport(
                    False, count, None, f"{label} 没有审计记录(可能被直接插入数据库)"
                )
            audited, current = latest.pop(key) or {}, snapshot(row)
            # an event may annotate the state (a reprint's reason); the columns must match
            if {k: audited.get(k) for k in current} != current:
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
    return AuditReport(True, count)
