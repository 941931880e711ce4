"""A smaller station database: decision snapshots kept once by content, outbox items in the typed
protocol with the digest of what is sent, payloads pruned once the province acknowledged them.

- ``decisions`` (sha256 → body): every case's decision moves there, keyed by the same SHA-256
  the audit trail has always recorded for it, so earlier audit events still verify;
  ``cases.decision`` becomes ``cases.decision_sha``.
- A case voided before this version reaches the province as voided: it is queued again.
- ``outbox.sha256``: the digest of the record as it goes on the wire; the payload moves to
  ``outbox_payloads`` (deleted once acknowledged, which frees whole pages). Rows still waiting
  are rewritten as protocol items (``app.protocol.models``, version 1); acknowledged rows keep
  their digest and lose their payload; officer rows (the province keeps no officers) leave the
  queue as acknowledged. ``ix_outbox_pending`` covers waiting rows only.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _sha(value: Any) -> str:
    return hashlib.sha256(_canonical(value).encode("utf-8")).hexdigest()


def _moment(text: Any) -> str | None:
    """A stored timestamp (ISO, maybe naive UTC) as an aware ISO string."""
    if not text:
        return None
    moment = dt.datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def _item(topic: str, payload: dict[str, Any], created_at: str) -> dict[str, Any] | None:
    """An old outbox payload (a row's snapshot, or a small dict) as a protocol item."""
    p = payload
    if topic == "case":
        ended = p.get("status") in ("issued", "refused", "voided")
        return {
            "topic": "case",
            "id": p["id"],
            "case_no": p["case_no"],
            "kind_id": p.get("kind_id"),
            "requester": p["requester"],
            "purpose": p["purpose"],
            "outcome": p["outcome"],
            "status": p["status"],
            "special_case": bool(p.get("special_case")),
            "approved": p.get("approved_by_id") is not None,
            "report_to_superior": bool(p.get("report_to_superior")),
            "catalog_id": p["catalog_id"],
            "catalog_version": p["catalog_version"],
            "created_at": _moment(p.get("created_at")),
            "ended_at": _moment(p.get("updated_at")) if ended else None,
            "due_date": p.get("due_date"),
        }
    if topic == "certificate":
        keys = ("serial", "case_id", "kind_id", "form_id", "print_count", "status")
        return {
            "topic": "certificate",
            **{k: p.get(k) for k in keys},
            "issued_at": _moment(p["issued_at"]),
        }
    if topic == "notice":
        return {
            "topic": "notice",
            "notice_no": p["notice_no"],
            "case_id": p["case_id"],
            "type": p["type"],
            "created_at": _moment(p["created_at"]),
            "printed": bool(p.get("print_count")),
        }
    if topic == "exchange_request":
        columns = ("id", "case_id", "exchange_kind_id", "requester", "status")
        return {
            "topic": "exchange_request",
            **{k: p.get(k) for k in columns},
            "created_at": _moment(p["created_at"]),
        }
    if topic == "void":
        return {
            "topic": "void",
            "serial": p["serial"],
            "case_id": p["case_id"],
            "voided_at": _moment(p.get("voided_at") or created_at),
        }
    if topic == "reprint":
        return {
            "topic": "reprint",
            "serial": p["serial"],
            "print_count": p["print_count"],
            "printed_at": _moment(created_at),
        }
    if topic == "hand_over":
        return {
            "topic": "hand_over",
            "serial": p["serial"],
            "handed_over_at": _moment(p["handed_over_at"]),
        }
    return None  # officer rows: the province keeps no officers


def upgrade() -> None:
    from app.protocol.models import PushRecord, record_digest

    connection = op.get_bind()
    op.execute(
        "CREATE TABLE decisions (sha256 VARCHAR(64) NOT NULL, body JSON NOT NULL,"
        " CONSTRAINT pk_decisions PRIMARY KEY (sha256)) WITHOUT ROWID"
    )
    op.execute(
        "ALTER TABLE cases ADD COLUMN decision_sha VARCHAR(64)"
        " CONSTRAINT fk_cases_decision_sha_decisions REFERENCES decisions (sha256)"
    )
    bodies: dict[str, str] = {}
    digests: list[dict[str, str]] = []
    for case_id, decision in connection.execute(sa.text("SELECT id, decision FROM cases")):
        body = json.loads(decision)
        digest = _sha(body)  # the digest the audit trail recorded
        bodies.setdefault(digest, _canonical(body))
        digests.append({"d": digest, "i": case_id})
    if bodies:
        connection.execute(
            sa.text("INSERT INTO decisions (sha256, body) VALUES (:s, :b)"),
            [{"s": k, "b": v} for k, v in bodies.items()],
        )
        connection.execute(sa.text("UPDATE cases SET decision_sha = :d WHERE id = :i"), digests)
    # the rollup triggers on cases do not name this column, so SQLite drops it in place
    op.execute("ALTER TABLE cases DROP COLUMN decision")

    op.add_column("outbox", sa.Column("sha256", sa.String(64), nullable=False, server_default=""))
    op.create_table(
        "outbox_payloads",
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.ForeignKeyConstraint(["seq"], ["outbox.seq"], name="fk_outbox_payloads_seq_outbox"),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox_payloads"),
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    rows = connection.execute(
        sa.text("SELECT seq, id, topic, payload, created_at, acked_at FROM outbox")
    ).all()
    for seq, item_id, topic, payload, created_at, acked_at in rows:
        old = json.loads(payload)
        values: dict[str, str | None] = {"acked_at": acked_at, "last_error": None}
        if acked_at is not None:  # the digest of what was sent then; the payload goes
            values["sha256"] = _sha({"id": item_id, "seq": seq, "topic": topic, "payload": old})
        elif (item := _item(topic, old, _moment(created_at) or "")) is None:
            values.update(sha256="", acked_at=now)  # an officer row: not sent any more
        else:
            try:
                record = PushRecord.model_validate({"id": item_id, "seq": seq, "item": item})
            except ValueError as error:  # it waits, unsendable, and says why (F6 lists it)
                values.update(sha256="", last_error=f"无法转换为接口版本2：{error}"[:500])
            else:
                values["sha256"] = record_digest(record)
                dumped = json.dumps(record.item.model_dump(mode="json"), ensure_ascii=False)
                connection.execute(
                    sa.text("INSERT INTO outbox_payloads (seq, payload) VALUES (:seq, :p)"),
                    {"seq": seq, "p": dumped},
                )
        connection.execute(
            sa.text(
                "UPDATE outbox SET sha256 = :sha256, acked_at = :acked_at,"
                " last_error = coalesce(:last_error, last_error) WHERE seq = :seq"
            ),
            {**values, "seq": seq},
        )
    op.drop_index("ix_outbox_pending", "outbox")
    op.execute("ALTER TABLE outbox DROP COLUMN payload")
    op.create_index(
        "ix_outbox_pending", "outbox", ["seq"], sqlite_where=sa.text("acked_at IS NULL")
    )
    _queue_voided_cases(connection, rows[-1][0] if rows else 0)


def _queue_voided_cases(connection: sa.Connection, last_seq: int) -> None:
    """Before version 2 a void told the province of the certificate only: queue each voided
    case, so that the province's figures count it as voided."""
    from app.protocol.models import PushRecord, record_digest

    voided = connection.execute(
        sa.text(
            "SELECT id, case_no, kind_id, requester, purpose, outcome, status, special_case,"
            " approved_by_id, report_to_superior, catalog_id, catalog_version, created_at,"
            " updated_at, due_date FROM cases WHERE status = 'voided' ORDER BY updated_at"
        )
    ).mappings()
    seq = last_seq
    for case in voided:
        seq += 1
        item = _item("case", dict(case), _moment(case["updated_at"]) or "")
        record = PushRecord.model_validate({"id": str(uuid.uuid4()), "seq": seq, "item": item})
        connection.execute(
            sa.text(
                "INSERT INTO outbox (seq, id, topic, sha256, created_at, attempts)"
                " VALUES (:seq, :id, 'case', :sha256, :at, 0)"
            ),
            {
                "seq": seq,
                "id": record.id,
                "sha256": record_digest(record),
                "at": case["updated_at"],
            },
        )
        connection.execute(
            sa.text("INSERT INTO outbox_payloads (seq, payload) VALUES (:seq, :p)"),
            {"seq": seq, "p": json.dumps(record.item.model_dump(mode="json"), ensure_ascii=False)},
        )


def downgrade() -> None:
    raise NotImplementedError("0007 keeps decisions once by content; there is no way back")
