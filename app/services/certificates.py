"""Certificates: list, show, search, hand over, void, reprint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.context import Context
from app.errors import ApprovalRefused, ApprovalRequired, InvalidInput
from app.policy.identity import parse_id_number
from app.policy.roles import APPROVERS, COUNTER
from app.protocol.models import HandOverItem, ReprintItem, VoidItem
from app.protocol.numbering import parse_serial
from app.protocol.status import CaseStatus, CertificateStatus
from app.records import archive, vault
from app.records.db.models import Case, Certificate, Officer
from app.records.form_values import clean_reason
from app.records.items import case_item
from app.records.sessions import Actor, Approval
from app.services.auth import confirm

SEARCH_LIMIT = 50


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    serial: str
    sequence: int
    workstation: str
    kind_id: str | None
    form_id: str
    status: str
    issued_at: str
    subject_name: str
    subject_id_number: str | None
    case_id: str
    print_count: int
    void_reason: str | None = None
    voided_by: str | None = None
    void_approved_by: str | None = None
    issued_by: str | None = None
    form_values: dict[str, str] | None = None
    case_no: str | None = None
    special_case: bool = False
    approved_by: str | None = None
    handed_over_at: str | None = None
    handed_over_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def summary(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "sequence": self.sequence,
            "workstation": self.workstation,
            "kind": self.kind_id,
            "status": self.status,
            "issued_at": self.issued_at,
            "subject_name": self.subject_name,
        }


def _info(
    row: Certificate, *, full: bool = False, session: Session | None = None
) -> CertificateInfo:
    extra: dict[str, Any] = {}
    if full and session is not None:
        case = session.get(Case, row.case_id)
        names = {o.id: f"{o.name}({o.code})" for o in session.scalars(select(Officer))}
        extra = {
            "form_values": dict(row.form_values),
            "case_no": case.case_no if case else None,
            "special_case": bool(case and case.special_case),
            "approved_by": names.get(case.approved_by_id) if case and case.approved_by_id else None,
            "voided_by": names.get(row.voided_by_id) if row.voided_by_id else None,
            "void_approved_by": names.get(row.void_approved_by_id)
            if row.void_approved_by_id
            else None,
            "issued_by": names.get(row.issued_by_id),
            "handed_over_by": names.get(row.handed_over_by_id) if row.handed_over_by_id else None,
        }
    return CertificateInfo(
        serial=row.serial,
        sequence=row.sequence,
        workstation=row.workstation,
        kind_id=row.kind_id,
        form_id=row.form_id,
        status=row.status,
        issued_at=row.issued_at.isoformat(timespec="seconds"),
        subject_name=row.subject_name,
        subject_id_number=row.subject_id_number,
        case_id=row.case_id,
        print_count=row.print_count,
        void_reason=row.void_reason,
        handed_over_at=row.handed_over_at.isoformat(timespec="seconds")
        if row.handed_over_at
        else None,
        **extra,
    )


def list_certificates(ctx: Context, *, actor: Actor, limit: int = 200) -> list[CertificateInfo]:
    with ctx.reading(actor, roles=COUNTER) as session:
        rows = session.scalars(
            select(Certificate)
            .order_by(Certificate.issued_at.desc(), Certificate.sequence.desc())
            .limit(limit)
        )
        return [_info(r) for r in rows]


def _by_serial(session: Session, serial: str) -> Certificate:
    parsed = parse_serial(serial)
    row = session.scalar(select(Certificate).where(Certificate.serial == str(parsed)))
    if row is None:
        raise InvalidInput(f"本工作站没有编号为 {parsed} 的证明", field="serial")
    return row


def show(ctx: Context, serial: str, *, actor: Actor) -> CertificateInfo:
    with ctx.reading(actor, roles=COUNTER) as session:
        return _info(_by_serial(session, serial), full=True, session=session)


_ID_LIKE = re.compile(r"^([0-9]{15}|[0-9]{17}[0-9Xx])$")


def search(
    ctx: Context, text: str, *, actor: Actor, limit: int = SEARCH_LIMIT
) -> list[CertificateInfo]:
    """By serial, identity number, name prefix or full-pinyin prefix."""
    statement = search_statement(text, limit=limit)
    with ctx.reading(actor, roles=COUNTER) as session:
        return [_info(r) for r in session.scalars(statement)]


def search_statement(text: str, *, limit: int = SEARCH_LIMIT) -> Select[Certificate]:
    """The query for ``text``: a serial, an identity number, a name or full-pinyin prefix."""
    query = text.strip()
    if not query:
        raise InvalidInput("请输入编号、公民身份号码、姓名或拼音", field="text")
    if len(query) > 40:
        raise InvalidInput("查询内容最长40个字", field="text")
    statement = select(Certificate)
    if "-" in query:
        statement = statement.where(Certificate.serial == str(parse_serial(query)))
    elif _ID_LIKE.match(query):
        number = parse_id_number(query, field="公民身份号码").number
        statement = statement.where(Certificate.subject_id_number == number)
    elif query.isascii() and query.isalpha():
        statement = statement.where(Certificate.subject_pinyin.op("GLOB")(_glob(query.lower())))
    else:
        statement = statement.where(Certificate.subject_name.op("GLOB")(_glob(query)))
    return statement.order_by(Certificate.issued_at.desc()).limit(limit)


def _glob(prefix: str) -> str:
    """A GLOB prefix pattern (uses the index), with GLOB's own special characters escaped."""
    return re.sub(r"([*?\[\]])", r"[\1]", prefix) + "*"


def hand_over(ctx: Context, *, serial: str, officer: Actor) -> CertificateInfo:
    """Record that the printed certificate was handed to the citizen (once; audited, pushed)."""
    with ctx.change(officer, roles=COUNTER) as change:
        row = _by_serial(change.session, serial)
        if row.status == CertificateStatus.VOID:
            raise InvalidInput(f"证明 {row.serial} 已作废，不能交付", field="serial")
        if not row.print_count:
            raise InvalidInput(f"证明 {row.serial} 尚未打印，打印后再交付", field="serial")
        if row.handed_over_at is None:  # a second click changes nothing
            assert change.actor is not None
            change.update(
                row,
                action="certificate.hand_over",
                send=lambda r: HandOverItem(serial=r.serial, handed_over_at=change.now),
                handed_over_at=change.now,
                handed_over_by_id=change.actor.id,
            )
        return _info(row, full=True, session=change.session)


def _not_the_issuer(approver: Officer, row: Certificate) -> None:
    """Whoever issued a certificate does not approve its void or its reprint."""
    if approver.id == row.issued_by_id:
        raise ApprovalRefused(
            f"审批人 {approver.name}({approver.code}) 是出具该证明的民警，须另一位所领导审批"
        )


def void(
    ctx: Context, *, serial: str, reason: str, officer: Actor, approval: Approval | None
) -> CertificateInfo:
    """Void a certificate, approved by a supervisor other than the officer. It keeps its serial;
    its case is voided too, and the province learns of both."""
    reason = clean_reason(reason, what="作废理由")
    if approval is None:
        raise ApprovalRequired("作废证明须经所领导审批：请给出审批的所领导警号")
    confirm(ctx, approval, actor=officer, acting=COUNTER)
    with ctx.change(officer, roles=COUNTER) as change:
        approver = change.approved_by(approval.code, roles=APPROVERS)
        assert change.actor is not None
        row = _by_serial(change.session, serial)
        _not_the_issuer(approver, row)
        if row.status == CertificateStatus.VOID:
            raise InvalidInput(f"证明 {row.serial} 已于此前作废", field="serial")
        change.update(
            row,
            action="certificate.void",
            send=lambda r: VoidItem(serial=r.serial, case_id=r.case_id, voided_at=change.now),
            status=CertificateStatus.VOID,
            void_reason=reason,
            voided_by_id=change.actor.id,
            void_approved_by_id=approver.id,
            voided_at=change.now,
        )
        case = change.session.get(Case, row.case_id)
        if case is not None:
            change.update(
                case,
                action="case.void",
                send=case_item,
                status=CaseStatus.VOIDED,
                updated_at=change.now,
            )
        return _info(row, full=True, session=change.session)


@dataclass(frozen=True, slots=True)
class Reprint:
    serial: str
    print_count: int
    pdf: bytes


def reprint(
    ctx: Context, *, serial: str, reason: str, officer: Actor, approval: Approval | None
) -> Reprint:
    """Print the archived document again (the same bytes), count the copy and audit it. Every
    copy after the first is approved by a supervisor other than the officer."""
    reason = clean_reason(reason, what="补打理由")
    if approval is None:
        raise ApprovalRequired("补打证明须经所领导审批：请给出审批的所领导警号")
    confirm(ctx, approval, actor=officer, acting=COUNTER)
    with ctx.change(officer, roles=COUNTER) as change:
        approver = change.approved_by(approval.code, roles=APPROVERS)
        row = _by_serial(change.session, serial)
        _not_the_issuer(approver, row)
        if row.status == CertificateStatus.VOID:
            raise InvalidInput(f"证明 {row.serial} 已作废，不能补打", field="serial")
        if not row.pdf_path or not row.pdf_sha256:
            raise InvalidInput(
                f"证明 {row.serial} 出具时未打印，没有存档文件可补打", field="serial"
            )
        pdf = archive.read_archived(ctx.data_dir, row.pdf_path, row.pdf_sha256, ctx.db.key)
        change.update(
            row,
            action="certificate.reprint",
            note={"reprint_reason": reason},
            send=lambda r: ReprintItem(
                serial=r.serial, print_count=r.print_count, printed_at=change.now
            ),
            print_count=row.print_count + 1,
        )
        prints = ctx.data_dir / "prints" / f"{row.serial}-{row.print_count}.pdf"
        # the station's copy of what went to the printer, sealed like the archive
        vault.write_atomic(prints, vault.seal_for(change.key, ctx.data_dir, prints, pdf))
        return Reprint(row.serial, row.print_count, pdf)


def open_printed(ctx: Context, relative: str) -> bytes:
    """A printed document kept in the data dir (``archive/…`` or ``prints/…``), decrypted in
    memory for the preview and the printer; nothing decrypted is written to disk."""
    path = Path(relative)
    if (
        path.is_absolute()
        or ".." in path.parts
        or path.parts[:1] not in (("archive",), ("prints",))
    ):
        raise InvalidInput(f"“{relative}”不是本站存档的文件", field="file")
    return vault.open_for(ctx.db.key, ctx.data_dir, ctx.data_dir / path)
