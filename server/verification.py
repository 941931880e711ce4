"""The public check by a certificate's signed QR: whoever holds the paper posts the QR's content
and learns the serial's status and — only when the signature holds with a key the province
enrolled — the kind, date, station and facts the paper must state. A bare serial (the GET route)
answers its status only, so a guesser learns nothing else."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ValidationError

from app.protocol.models import QrVerifyAnswer
from app.protocol.qr import KeyLimit, QrCheck, verify_payload
from app.protocol.status import VerifyStatus
from server.ratelimit import with_bucket

# One round trip: the client's token (the same bucket as the serial check), the serial's status
# as pushed, and every key the province enrolled for the serial's station with its withdrawal.
VERIFY_QR_SQL = with_bucket(
    """c.status, c.kind_id, c.issued_on,
       (SELECT coalesce(json_agg(json_build_array(
                            k.public_key, k.valid_until, k.compromised_from, k.workstation)),
                        '[]'::json)
          FROM station_keys k WHERE k.station_code = %(station)s) AS keys
FROM (SELECT 1) AS one LEFT JOIN certificates c ON c.serial = %(serial)s"""
)


Signature = Literal["invalid", "unknown_key", "retired_key", "check_online"]
SIGNATURE: dict[str, Signature] = {
    "unknown_key": "unknown_key",
    "retired_key": "retired_key",
    "check_online": "check_online",
}


def target(text: str) -> tuple[str | None, str | None]:
    """The serial and station a QR names, read before any key is looked up (None: unreadable)."""
    first = verify_payload(text, {})
    return first.serial, first.station


def answer(
    text: str,
    *,
    station: str | None,
    status: str | None,
    kind_id: str | None,
    issued_on: str | None,
    keys: list[Any],
    today: dt.date,
) -> QrVerifyAnswer:
    """The verdict on a posted QR naming ``station`` (``target``), from the row read in
    ``VERIFY_QR_SQL``. Built from what the
    verifier normalised or the signature vouched for only; an answer that still does not fit
    the protocol is given as unreadable, never as a 500."""
    station_keys: list[str] = []
    limits: dict[str, KeyLimit] = {}
    workstations: dict[str, str] = {}
    for public_key, valid_until, compromised_from, workstation in keys:
        station_keys.append(public_key)
        workstations[public_key] = workstation
        if valid_until or compromised_from:
            limits[public_key] = KeyLimit(valid_until, compromised_from)
    station_map = {station: station_keys} if station else {}
    check = verify_payload(
        text, station_map, limits=limits, key_workstations=workstations, today=today
    )
    state = VerifyStatus(status) if status else VerifyStatus.UNKNOWN
    try:
        return _answer(check, state, status, kind_id, issued_on)
    except ValidationError:
        return QrVerifyAnswer(
            status=VerifyStatus.UNKNOWN, signature="invalid", reason="二维码内容无法解读"
        )


def _answer(
    check: QrCheck,
    state: VerifyStatus,
    status: str | None,
    kind_id: str | None,
    issued_on: str | None,
) -> QrVerifyAnswer:
    if not check.valid:
        return QrVerifyAnswer(
            serial=check.serial if check.station else None,
            status=state if check.station else VerifyStatus.UNKNOWN,  # as a bare serial does
            signature=SIGNATURE.get(check.problem, "invalid"),
            reason=check.reason,
            version=check.version,
        )
    matches = None if status is None else (kind_id, issued_on) == (check.kind_id, check.issued_on)
    reason = check.reason
    if state is VerifyStatus.VOID:
        reason = f"证明 {check.serial} 已作废：不能作为证明使用"
    elif state is VerifyStatus.UNKNOWN:
        reason = "签名有效，但省级服务器尚未收到这份证明的记录(出具派出所尚未同步)：" + reason
    elif matches is False:
        reason = "签名有效，但与出具派出所报送的证明种类或日期不符：请向出具派出所核实"
    return QrVerifyAnswer(
        serial=check.serial,
        status=state,
        signature="valid",
        reason=reason,
        version=check.version,
        kind_id=check.kind_id,
        form_id=check.form_id,
        issued_on=check.issued_on,
        station=check.station,
        station_name=check.station_name,
        station_phone=check.station_phone,
        key=check.key,
        facts=dict(check.facts),
        valid_until=check.valid_until,
        expired=check.expired,
        matches_record=matches,
    )
