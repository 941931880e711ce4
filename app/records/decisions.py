"""Decision snapshots, kept once by content. A case records the decision its clerk was shown —
reason, basis, steps, catalog version — by the SHA-256 of that snapshot; the words the citizen
used and the day are the case's own columns, so the same request decided at the same catalog is
stored once however often a counter hears it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.policy.workdays import CHINA
from app.records.audit import sha256
from app.records.db.models import Case, DecisionRecord

# what the case keeps in its own columns (kind_text, created_at) rather than in the snapshot
PER_CASE = ("requested", "decided_on")


def keep(session: Session, decision: dict[str, Any]) -> str:
    """Store a decision snapshot unless the same one is stored; return its SHA-256."""
    body = {k: v for k, v in decision.items() if k not in PER_CASE}
    digest = sha256(body)
    session.execute(
        insert(DecisionRecord).values(sha256=digest, body=body).on_conflict_do_nothing()
    )
    return digest


def of(session: Session, case: Case) -> dict[str, Any]:
    """The decision a case recorded, as the clerk saw it (``requested`` and ``decided_on``
    included)."""
    body = session.scalar(
        select(DecisionRecord.body).where(DecisionRecord.sha256 == case.decision_sha)
    )
    return {
        **(body or {}),
        "requested": case.kind_text,
        "decided_on": case.created_at.astimezone(CHINA).date().isoformat(),
    }
