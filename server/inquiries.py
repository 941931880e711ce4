"""The exchange desk (信息核查): partner departments ask the police about a person instead of
sending the citizen for a certificate, and the person's station answers.

- The province enrols each partner (``certdesk-server partner add``): a sign-in name, the unit's
  name and its sector. A partner may ask only for the information of the exchange kinds whose
  ``partners`` list its sector (the catalog the province published, else the built-in one).
- A partner asks (``/partner`` pages or ``/api/v2/partner/…``): the subject, the information, the
  legal basis and its own case number, addressed to one station. The due date counts working
  days from the day asked: ``CERTDESK_INQUIRY_DAYS`` per kind, five by default.
- The station's workstations fetch their station's inquiries (``GET /api/v2/inquiries``) when they
  sync, and push the answer — or the refusal and its reason — signed with the workstation's key.
- The partner reads the answer with the signature checked against the station's key list as it is
  now (a key revoked since as compromised no longer vouches), and prints it as 核查结果.

Every sign-in, inquiry, refusal, answer and reading is an ``inquiry_events`` row naming who and
why; the subject and the answer are sealed under the province's data key (``server.sealing``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.policy import inquiries as policy
from app.policy.workdays import CHINA, HolidayTable, WorkCalendar
from app.protocol.models import (
    STATION_PATTERN,
    Inquiry,
    InquiryAnswerItem,
    inquiry_signed_bytes,
)
from app.protocol.signing import verify_signature
from app.protocol.status import InquiryStatus
from server import sealing
from server.accounts import (
    _NO_USER,
    HASHER,
    LOCK_AFTER,
    LOCK_MINUTES,
    NAME,
    _verify,
    check_password,
)
from server.models import (
    FeedEvent,
    InquiryEvent,
    InquiryRow,
    Partner,
    PartnerFailure,
    PartnerSession,
    ServerStation,
    StationKey,
)
from server.service import ServerError, digest, now
from server.supervision import current_catalog

SESSION_HOURS = 8
IDLE_MINUTES = 30  # a session left alone this long ends (a court office's shared PC)
CLOCK_SKEW = dt.timedelta(minutes=10)  # a station's clock may be this far off the province's
_CONTROL = policy.CONTROL  # C0, DEL, and the invisible and bidirectional controls
REFUSED_LOGIN = "账号或密码不对(连续输错 5 次，账号锁定 15 分钟)"


# ---------------------------------------------------------------------- partners


def askable(catalog: Any, sector: str) -> list[Any]:
    """The exchange kinds a partner of ``sector`` may ask about."""
    return [k for k in catalog if policy.may_ask(k, sector)]


def _unit(text_: str) -> str:
    unit = text_.strip()
    if not 2 <= len(unit) <= 80 or _CONTROL.search(unit):
        raise ServerError(400, "单位名称(unit)应为2至80字，不能含控制字符", "unit")
    return unit


def add_partner(
    session: Session, *, name: str, unit: str, sector: str, password: str
) -> dict[str, Any]:
    if not NAME.match(name):
        raise ServerError(
            400,
            f"账号名“{name}”应为3至40位小写字母、数字、点、横线或下划线，以字母开头(name)",
            "name",
        )
    unit = _unit(unit)
    catalog = current_catalog(session)
    if sector not in catalog.sectors:
        raise ServerError(
            400, f"部门类别(sector)应为：{'、'.join(sorted(catalog.sectors))}", "sector"
        )
    kinds = askable(catalog, sector)
    if not kinds:
        raise ServerError(
            400,
            f"目录中没有 {catalog.sectors[sector]}({sector}) 可以核查的信息：该部门不能开通核查账号"
            "(sector)",
            "sector",
        )
    check_password(password)
    if session.get(Partner, name) is not None:
        raise ServerError(409, f"账号 {name} 已存在(name)", "name")
    session.add(Partner(name=name, unit=unit, sector=sector, password_hash=HASHER.hash(password)))
    note(session, "province", "partner.add", None, f"{name} {unit} {sector}")
    return {
        "name": name,
        "unit": unit,
        "sector": sector,
        "may_ask": [{"kind_id": k.id, "information": k.information_exchanged} for k in kinds],
    }


def next_login(session: Session, sector: str) -> str:
    """A sign-in name for a new partner of ``sector``: court-001, court-002, …"""
    taken = set(session.scalars(select(Partner.name).where(Partner.sector == sector)))
    base = re.sub(r"[^a-z0-9]", "", sector.lower()) or "partner"
    number = 1
    while f"{base}-{number:03d}" in taken:
        number += 1
    return f"{base}-{number:03d}"


def list_partners(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "unit": p.unit,
            "sector": p.sector,
            "active": p.active,
            "locked": bool(p.locked_until and p.locked_until > now()),
        }
        for p in session.scalars(select(Partner).order_by(Partner.name))
    ]


def disable_partner(session: Session, name: str) -> dict[str, str]:
    partner = session.get(Partner, name)
    if partner is None:
        raise ServerError(404, f"没有核查账号 {name}(name)", "name")
    partner.active = False
    session.execute(delete(PartnerSession).where(PartnerSession.partner == name))
    note(session, "province", "partner.disable", None, name)
    return {"name": name, "status": "disabled"}


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    expires_at: dt.datetime


ACCOUNT_LOCK_AFTER = 20  # wrong passwords from anywhere, in a row: the account itself waits


def login(session: Session, *, name: str, password: str, client: str) -> SignedIn | ServerError:
    """A partner signs in: a token, or the one refusal for every reason after the same Argon2
    check. Wrong passwords are counted per client address — the fifth in a row makes that
    address wait 15 minutes, whatever it sends — and per account, where the twentieth in a row
    (from anywhere) makes the account wait: a guesser cannot lock a court out from elsewhere."""
    valid_name = bool(NAME.match(name))
    partner = session.get(Partner, name, with_for_update=True) if valid_name else None
    refused = ServerError(401, REFUSED_LOGIN, "login")
    right = _verify(partner.password_hash if partner is not None else _NO_USER, password)
    moment = now()
    pair = None
    if partner is not None:
        pair = session.get(PartnerFailure, (name, client[:64]), with_for_update=True)
    if (
        partner is None
        or not partner.active
        or (partner.locked_until and partner.locked_until > moment)
        or (pair is not None and pair.locked_until and pair.locked_until > moment)
    ):
        note(session, name if valid_name else "(无效登录名)", "login.refused", None, "", client)
        return refused
    if not right:
        if pair is None:
            pair = PartnerFailure(partner=name, client=client[:64], failed=0)
            session.add(pair)
        pair.failed += 1
        if pair.failed >= LOCK_AFTER:
            pair.failed, pair.locked_until = 0, moment + dt.timedelta(minutes=LOCK_MINUTES)
        partner.failed += 1
        if partner.failed >= ACCOUNT_LOCK_AFTER:
            partner.failed, partner.locked_until = 0, moment + dt.timedelta(minutes=LOCK_MINUTES)
        note(session, name, "login.refused", None, "密码不对", client)
        return refused
    if pair is not None:
        session.delete(pair)
    partner.failed, partner.locked_until = 0, None
    token = secrets.token_urlsafe(32)
    expires = moment + dt.timedelta(hours=SESSION_HOURS)
    session.execute(delete(PartnerSession).where(PartnerSession.expires_at < moment))
    session.add(PartnerSession(token_hash=digest(token), partner=name, expires_at=expires))
    note(session, name, "login", None, "", client)
    return SignedIn(token, expires)


def logout(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(PartnerSession).where(PartnerSession.token_hash == digest(token)))


def partner_for(
    session: Session, token: str | None, *, initial: bool = False
) -> tuple[Partner, PartnerSession]:
    """The signed-in partner of ``token``: within eight hours of signing in and 30 minutes of
    its last request (each request moves that on), its account active — and, unless
    ``initial`` (changing it, signing out), its own password chosen."""
    if not token:
        raise ServerError(401, "请先登录核查账号", "token")
    row = session.execute(
        select(PartnerSession, Partner)
        .join(Partner, Partner.name == PartnerSession.partner)
        .where(PartnerSession.token_hash == digest(token))
    ).first()
    moment = now()
    if (
        row is None
        or row[0].expires_at <= moment
        or row[0].last_seen + dt.timedelta(minutes=IDLE_MINUTES) <= moment
        or not row[1].active
    ):
        raise ServerError(401, "登录已失效，请重新登录", "token")
    if row[1].must_change and not initial:
        raise ServerError(403, "首次登录须先修改省级设置的初始密码(/partner/password)", "password")
    row[0].last_seen = moment
    return row[1], row[0]


def change_password(
    session: Session, partner: Partner, *, old: str, new: str, client: str = ""
) -> None:
    """The partner's own password, replacing the one the province set (the old one checked;
    the new one at least 12 characters with letters and digits, not the old one)."""
    if not _verify(partner.password_hash, old):
        note(session, partner.name, "password.refused", None, "原密码不对", client)
        raise ServerError(400, "原密码不对(old)", "old")
    check_password(new)
    if new == old:
        raise ServerError(400, "新密码不能与原密码相同(new)", "new")
    partner.password_hash, partner.must_change = HASHER.hash(new), False
    note(session, partner.name, "password.change", None, "", client)


def form_key(token: str) -> str:
    """The key every page form of a signed-in partner carries (against cross-site requests): a
    digest of the session's token, which only the partner's own browser holds."""
    return digest("form:" + token)[:40]


def check_form_key(token: str, given: str) -> None:
    if not given or not secrets.compare_digest(form_key(token), given):
        raise ServerError(403, "表单已过期，请刷新页面后重新提交", "form_key")


def note(
    session: Session,
    actor: str,
    action: str,
    inquiry_id: str | None,
    detail: str = "",
    client: str = "",
) -> None:
    clean = _CONTROL.sub(" ", detail)[:500]  # (what a caller typed: never a NUL into the audit)
    session.add(
        InquiryEvent(
            actor=actor[:60], action=action, inquiry_id=inquiry_id, detail=clean, client=client[:64]
        )
    )


# ---------------------------------------------------------------------- stations


def stations(session: Session, query: str = "", region: str = "") -> list[dict[str, Any]]:
    """Stations matching ``query`` (name or code), those whose code begins with ``region`` (the
    six-digit division code an identity number begins with) first and marked ``proposed``."""
    region = region if re.match(r"^[0-9]{6}$", region) else ""
    statement = select(ServerStation).order_by(ServerStation.code)
    q = _CONTROL.sub("", query).strip()[:40]
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        statement = statement.where(ServerStation.name.like(like) | ServerStation.code.like(like))
    found = [
        {"code": s.code, "name": s.name, "proposed": bool(region) and s.code.startswith(region)}
        for s in session.scalars(statement.limit(200))
    ]
    found.sort(key=lambda s: not s["proposed"])
    return found


# ---------------------------------------------------------------------- asking


def calendar(session: Session) -> WorkCalendar:
    """The province's published holidays (all years it published), else chinese-calendar."""
    tables = [
        HolidayTable.from_mapping(body)
        for body in session.scalars(select(FeedEvent.body).where(FeedEvent.type == "holidays"))
    ]
    if not tables:
        return WorkCalendar(None)
    return WorkCalendar(
        HolidayTable(
            years=frozenset().union(*(t.years for t in tables)),
            holidays=frozenset().union(*(t.holidays for t in tables)),
            workdays=frozenset().union(*(t.workdays for t in tables)),
        )
    )


def _text(value: str, field: str, label: str, low: int, high: int) -> str:
    value = value.strip()
    if not low <= len(value) <= high or _CONTROL.search(value):
        raise ServerError(400, f"{label}({field})应为{low}至{high}字，不能含控制字符", field)
    return value


def ask(
    session: Session,
    partner: Partner,
    *,
    kind_id: str,
    subject_name: str,
    subject_id: str,
    legal_basis: str,
    partner_case_no: str,
    station: str,
    data_key: bytes,
    days: dict[str, int],
    client: str = "",
) -> Inquiry | ServerError:
    """A partner's inquiry, checked field by field; stored, audited and returned — or the refusal
    to raise after the caller commits (a request for information the sector may not have is
    refused and the refusal kept in the audit)."""
    from app.policy.identity import clean_name, parse_id_number

    catalog = current_catalog(session)
    try:
        kind = catalog.kind(kind_id)
    except (KeyError, LookupError):
        kind = None
    if kind is None or kind.outcome != "exchange":
        raise ServerError(400, f"没有可核查的信息类别“{kind_id[:64]}”(kind_id)", "kind_id")
    if not policy.may_ask(kind, partner.sector):
        note(
            session,
            partner.name,
            "ask.refused",
            None,
            f"{partner.sector} 无权核查 {kind.id}({kind.name})；依据：{legal_basis[:200]}；"
            f"案号：{partner_case_no[:60]}",
            client,
        )
        return ServerError(
            403,
            f"{catalog.sectors.get(partner.sector, partner.sector)}不在“{kind.name}”的交换部门之列，"
            "不能核查该信息；本次请求已记录(kind_id)",
            "kind_id",
        )
    try:
        name = clean_name(subject_name, field="被核查人姓名(subject_name)")
        number = parse_id_number(subject_id, field="被核查人公民身份号码(subject_id)").number
    except InvalidInput as error:
        field = "subject_name" if "subject_name" in error.message else "subject_id"
        raise ServerError(400, error.message, field) from None
    basis = _text(legal_basis, "legal_basis", "法律依据", 4, 240)
    case_no = _text(partner_case_no, "partner_case_no", "本单位案号", 1, 60)
    if not re.match(STATION_PATTERN, station) or session.get(ServerStation, station) is None:
        raise ServerError(400, f"没有派出所“{station}”，请从列表中选择(station)", "station")
    moment = now()
    today = moment.astimezone(CHINA).date()
    due = calendar(session).add_working_days(today, policy.answer_days(kind.id, days)).due
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('certdesk.inquiry_number'))"))
    prefix = f"HC-{today.year}-"
    last = session.scalar(
        select(func.max(InquiryRow.number)).where(InquiryRow.number.like(prefix + "%"))
    )
    number_text = f"{prefix}{(int(last[-6:]) if last else 0) + 1:06d}"
    inquiry_id = str(uuid.uuid4())
    session.add(
        InquiryRow(
            id=inquiry_id,
            number=number_text,
            partner=partner.name,
            station_code=station,
            kind_id=kind.id,
            subject=sealing.seal(
                data_key,
                {"name": name, "id_number": number},
                _context(inquiry_id, partner.name, station, kind.id, "subject"),
            ),
            legal_basis=basis,
            partner_case_no=case_no,
            asked_at=moment,
            asked_on=today.isoformat(),
            due_date=due.isoformat(),
            status=InquiryStatus.OPEN,
        )
    )
    note(
        session,
        partner.name,
        "ask",
        inquiry_id,
        f"{number_text} {kind.id} → {station}；依据：{basis}；案号：{case_no}",
        client,
    )
    session.flush()
    return _inquiry(session.get(InquiryRow, inquiry_id), partner, catalog, data_key)  # type: ignore[arg-type]


def _context(inquiry_id: str, partner: str, station: str, kind_id: str, column: str) -> str:
    """What a sealed value is bound to: its row, the asking partner, the station, the kind and
    the column — a value moved, or a row given to another partner or kind, does not open."""
    return f"inquiry:{inquiry_id}:{partner}:{station}:{kind_id}:{column}"


def _row_context(row: InquiryRow, column: str) -> str:
    return _context(row.id, row.partner, row.station_code, row.kind_id, column)


class Damaged(ServerError):
    def __init__(self, row: InquiryRow) -> None:
        super().__init__(
            409, f"核查请求 {row.number} 的记录已被改动，无法读取；请联系省级管理员", "inquiry"
        )


def _open(data_key: bytes, row: InquiryRow, column: str) -> Any:
    from app.protocol.crypto import DecryptionFailed

    text_ = row.subject if column == "subject" else row.answer
    try:
        return sealing.open_sealed(data_key, text_ or "", _row_context(row, column))
    except (DecryptionFailed, ValueError):
        raise Damaged(row) from None


def _inquiry(row: InquiryRow, partner: Partner, catalog: Any, data_key: bytes) -> Inquiry:
    subject = _open(data_key, row, "subject")
    try:
        information = policy.printable_information(
            catalog.kind(row.kind_id).information_exchanged or row.kind_id
        )
    except (KeyError, LookupError):
        information = row.kind_id
    return Inquiry(
        id=row.id,
        number=row.number,
        station=row.station_code,
        partner=partner.unit,
        sector=partner.sector,
        kind_id=row.kind_id,
        information=information[:240],
        subject_name=subject["name"],
        subject_id=subject["id_number"],
        legal_basis=row.legal_basis,
        partner_case_no=row.partner_case_no,
        asked_at=row.asked_at.astimezone(CHINA),
        due_date=row.due_date,
        status=row.status,
        workstation=row.workstation,
    )


# ---------------------------------------------------------------------- the station's side


RECENT_DAYS = 30


def for_station(session: Session, station: str, data_key: bytes) -> list[Inquiry]:
    """The station's open inquiries, and those closed in the last 30 days (so that every
    workstation learns that another one answered)."""
    since = now() - dt.timedelta(days=RECENT_DAYS)
    rows = session.execute(
        select(InquiryRow, Partner)
        .join(Partner, Partner.name == InquiryRow.partner)
        .where(
            InquiryRow.station_code == station,
            (InquiryRow.status == InquiryStatus.OPEN) | (InquiryRow.answered_at >= since),
        )
        .order_by(InquiryRow.asked_at)
    ).all()
    catalog = current_catalog(session)
    found = []
    for row, partner in rows:
        try:
            found.append(_inquiry(row, partner, catalog, data_key))
        except Damaged:  # one altered row does not stop the station's list: it is reported
            note(session, "province", "damaged", row.id, row.number)
    return found


def _key_vouches(key: StationKey, day: str) -> bool:
    """Whether ``key`` vouches for what it signed on ``day`` (China time), as the list is now."""
    if day < key.valid_from:
        return False
    if key.valid_until is not None and day > key.valid_until:
        return False
    return key.compromised_from is None or day < key.compromised_from


def _signed_by(
    session: Session, row: InquiryRow, inquiry: Inquiry, item: InquiryAnswerItem, workstation: str
) -> StationKey | None:
    data = inquiry_signed_bytes(
        inquiry,
        workstation=workstation,
        status=item.status,
        answer=dict(item.answer),
        reason=item.reason,
        answered_at=item.answered_at,
        officer=item.officer,
        officer_name=item.officer_name,
    )
    day = item.answered_at.astimezone(CHINA).date().isoformat()
    for key in session.scalars(
        select(StationKey).where(
            StationKey.station_code == row.station_code, StationKey.workstation == workstation
        )
    ):
        if _key_vouches(key, day) and verify_signature(key.public_key, data, item.signature):
            return key
    return None


def check_answer(
    session: Session, station: str, workstation: str, item: InquiryAnswerItem, data_key: bytes
) -> str | None:
    """Why a pushed answer cannot be applied (kept as a conflict and reported back), or None:
    another station's or an unknown inquiry; one already answered (the first answer is kept, the
    later workstation is told); a signature that does not hold; a time before the question or
    ahead of the province's clock; fields other than the kind's, a reason with an answer, or an
    answer with a refusal."""
    row = session.get(InquiryRow, item.inquiry_id, with_for_update=True)
    if row is None or row.station_code != station:
        return "没有该核查请求或不属于本所"
    if row.status != InquiryStatus.OPEN:
        return f"核查请求 {row.number} 已由第 {row.workstation} 号工作站答复，本答复未采用"
    partner = session.get(Partner, row.partner)
    assert partner is not None
    try:
        inquiry = _inquiry(row, partner, current_catalog(session), data_key)
    except Damaged:
        return "核查请求的记录已被改动"
    if _signed_by(session, row, inquiry, item, workstation) is None:
        return "核查答复签名不符"
    if item.answered_at < row.asked_at - CLOCK_SKEW or item.answered_at > now() + CLOCK_SKEW:
        return "答复时间早于请求时间或晚于省级服务器时间"
    if item.status == InquiryStatus.OPEN:
        return "答复状态应为 answered 或 declined"
    try:
        if item.status == InquiryStatus.ANSWERED:
            if item.reason or policy.check_answer(row.kind_id, dict(item.answer)) != item.answer:
                return "答复字段不规范(应为该类核查的字段，答复时不附理由)"
        elif item.answer or policy.check_reason(item.reason) != item.reason:
            return "不予答复只附理由(1至200字)，不附答复字段"
    except InvalidInput as error:  # (the message may name a field the station made up)
        return _CONTROL.sub("?", f"答复字段不对：{error.message}")[:80]
    return None


def apply_answer(
    session: Session, station: str, workstation: str, item: InquiryAnswerItem, data_key: bytes
) -> None:
    row = session.get(InquiryRow, item.inquiry_id, with_for_update=True)
    if row is None or row.station_code != station or row.status != InquiryStatus.OPEN:
        return  # (check_answer refused it already)
    actor = f"{station}-{workstation}:{item.officer}"
    partner = session.get(Partner, row.partner)
    assert partner is not None
    key = _signed_by(
        session, row, _inquiry(row, partner, current_catalog(session), data_key), item, workstation
    )
    row.status = item.status
    row.answer = sealing.seal(
        data_key,
        {"answer": dict(item.answer), "reason": item.reason},
        _row_context(row, "answer"),
    )
    row.answered_at = item.answered_at
    row.answered_on = item.answered_at.astimezone(CHINA).date().isoformat()
    row.workstation, row.officer, row.officer_name = workstation, item.officer, item.officer_name
    row.signature = item.signature
    row.public_key = key.public_key if key is not None else None
    note(session, actor, f"answer.{item.status}", row.id, row.number)


# ---------------------------------------------------------------------- the partner's side


def mine(
    session: Session, partner: Partner, data_key: bytes, *, client: str = ""
) -> list[dict[str, Any]]:
    """The partner's inquiries, newest first (the listing is audited: it names subjects)."""
    rows = session.scalars(
        select(InquiryRow)
        .where(InquiryRow.partner == partner.name)
        .order_by(InquiryRow.asked_at.desc())
        .limit(500)
    ).all()
    catalog = current_catalog(session)
    names = {
        code: name for code, name in session.execute(select(ServerStation.code, ServerStation.name))
    }
    found = []
    for row in rows:
        try:
            inquiry = _inquiry(row, partner, catalog, data_key)
        except Damaged:
            note(session, "province", "damaged", row.id, row.number)
            continue
        found.append(
            {
                **inquiry.model_dump(mode="json"),
                "station_name": names.get(row.station_code, row.station_code),
                "overdue": row.status == InquiryStatus.OPEN and row.due_date < _today(),
            }
        )
    note(session, partner.name, "list", None, f"{len(found)} 件", client)
    return found


def _today() -> str:
    return now().astimezone(CHINA).date().isoformat()


def read(
    session: Session, partner: Partner, inquiry_id: str, data_key: bytes, *, client: str = ""
) -> dict[str, Any]:
    """One inquiry with its answer and the signature checked now (the partner's own only)."""
    row = session.get(InquiryRow, inquiry_id) if _is_uuid(inquiry_id) else None
    if row is None or row.partner != partner.name:
        raise ServerError(404, "没有该核查请求", "inquiry")
    catalog = current_catalog(session)
    inquiry = _inquiry(row, partner, catalog, data_key)
    station = session.get(ServerStation, row.station_code)
    result: dict[str, Any] = {
        **inquiry.model_dump(mode="json"),
        "station_name": station.name if station else row.station_code,
        "overdue": row.status == InquiryStatus.OPEN and row.due_date < _today(),
        "answer": {},
        "answer_lines": [],
        "reason": "",
        "answered_at": None,
        "officer": None,
        "workstation": None,
        "signature": None,
    }
    if row.status != InquiryStatus.OPEN and row.answer:
        sealed, key = _verified(session, row, inquiry, data_key)
        assert row.answered_at is not None
        result.update(
            answer=sealed["answer"],
            answer_lines=policy.answer_lines(row.kind_id, sealed["answer"]),
            reason=sealed["reason"],
            answered_at=row.answered_at.astimezone(CHINA).isoformat(),
            officer=row.officer,
            officer_name=row.officer_name,
            workstation=row.workstation,
            signature="valid" if key is not None else "invalid",
            key=f"{row.station_code}-{row.workstation}-{key.key_no}" if key else None,
            check_code=check_code(data_key, row.number),
        )
    note(session, partner.name, "read", row.id, row.number, client)
    return result


def _verified(
    session: Session, row: InquiryRow, inquiry: Inquiry, data_key: bytes
) -> tuple[dict[str, Any], StationKey | None]:
    """An answered row's sealed answer, and the key whose signature over it holds now (None:
    it does not — altered, or the key withdrawn as compromised since)."""
    sealed: dict[str, Any] = _open(data_key, row, "answer")
    assert row.answered_at is not None and row.workstation is not None
    item = InquiryAnswerItem(
        id=row.id,
        inquiry_id=row.id,
        status=row.status,
        answer=sealed["answer"],
        reason=sealed["reason"],
        answered_at=row.answered_at,
        officer=row.officer or "",
        officer_name=row.officer_name or "",
        signature=row.signature or "0" * 128,
    )
    return sealed, _signed_by(session, row, inquiry, item, row.workstation)


def check_code(data_key: bytes, number: str) -> str:
    """The code a printed 核查结果's QR carries beside its number: without it the public status
    page answers nothing, so numbers (which run in order) cannot be walked through."""
    import hashlib
    import hmac

    mac = hmac.new(sealing.mac_key(data_key), f"H:{number}".encode(), hashlib.sha256)
    return mac.hexdigest()[:12].upper()


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def public_status(session: Session, reference: str, data_key: bytes) -> dict[str, Any] | None:
    """What a printed 核查结果's QR (``{number}-{check code}``) shows anyone: the number, station,
    dates and whether the station's signature over the answer holds now — never the subject or
    the answer. A number without its code, or with a wrong one, is not found."""
    number, _, code = reference.upper().rpartition("-")
    if not number or not secrets.compare_digest(code, check_code(data_key, number)):
        return None
    row = session.scalar(select(InquiryRow).where(InquiryRow.number == number))
    if row is None:
        return None
    station = session.get(ServerStation, row.station_code)
    partner = session.get(Partner, row.partner)
    valid = False
    if row.status != InquiryStatus.OPEN and row.answer and partner is not None:
        try:
            _, key = _verified(
                session, row, _inquiry(row, partner, current_catalog(session), data_key), data_key
            )
            valid = key is not None
        except Damaged:
            valid = False
    return {
        "number": row.number,
        "station": station.name if station else row.station_code,
        "status": row.status,
        "asked_on": row.asked_on,
        "answered_on": row.answered_on,
        "signature": valid,
    }


def _printed(field: policy.AnswerField, value: str) -> str:
    if field.type == "date":
        day = dt.date.fromisoformat(value)
        return f"{day.year}年{day.month}月{day.day}日"
    return value


def result_pdf(detail: dict[str, Any], public_url: str | None) -> bytes:
    """The one-page 核查结果 of an answered or declined inquiry, in the certificates' look, with a
    QR to its public status (number, station, signature; no personal data)."""
    from forms import specs
    from forms.render import Document, chinese_date, render

    if detail["status"] == InquiryStatus.OPEN:
        raise ServerError(409, "该核查请求尚未答复，不能打印核查结果", "inquiry")
    if detail["signature"] != "valid":
        raise ServerError(409, "答复的签名不符，不能打印核查结果；请联系省级管理员", "inquiry")
    answered = dt.datetime.fromisoformat(detail["answered_at"]).astimezone(CHINA).date()
    if detail["status"] == InquiryStatus.ANSWERED:
        result = (
            "；".join(
                f"{f.label}：{_printed(f, detail['answer'][f.name])}"
                for f in policy.answer_fields(detail["kind_id"])
                if detail["answer"].get(f.name)
            )
            + "。"
        )
    else:
        result = f"本所不予答复。理由：{detail['reason']}"
    values = {
        "partner": detail["partner"],
        "asked_on": dt.datetime.fromisoformat(detail["asked_at"])
        .astimezone(CHINA)
        .date()
        .isoformat(),
        "legal_basis": detail["legal_basis"],
        "partner_case_no": detail["partner_case_no"],
        "subject_name": detail["subject_name"],
        "subject_id": detail["subject_id"],
        "information": detail["information"],
        "result": result,
        "signed": f"本结果由第{detail['workstation']}号工作站于{chinese_date(answered)}答复，"
        f"经该工作站密钥数字签名({detail['key']})。",
    }
    reference = f"{detail['number']}-{detail['check_code']}"
    address = f"{public_url.upper()}/H/{reference}" if public_url else None
    return render(
        Document(
            specs.get("inquiry_result"),
            detail["number"],
            values,
            detail["station_name"],
            "",
            detail["officer_name"] or "",
            detail["officer"] or "",
            answered,
            qr_text=address,
        )
    )
