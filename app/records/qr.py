"""The signed QR payload a receiving unit checks offline, in the manner of ICAO visible digital
seals and EU digital certificates: compact ASCII, no name and no identity number in clear.

    CD1:<serial>:<kind id>:<issue date YYYYMMDD>:<station code>:<holder hash>:<signature>

``holder hash`` is the first 10 bytes of SHA-256 over ``certdesk-qr-v1|<serial>|<identity
number>`` in base32 (``-`` when the paper names no identity number): a unit holding the person's
ID card can check it matches, while the QR alone does not give the number away. The signature is
Ed25519 by the issuing station's key over everything before the last colon, base64url without
padding.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.errors import InvalidInput
from app.records.numbering import parse_serial

PREFIX = "CD1"
MAX_LENGTH = 400


def holder_hash(serial: str, id_number: str | None) -> str:
    if not id_number:
        return "-"
    digest = hashlib.sha256(f"certdesk-qr-v1|{serial}|{id_number}".encode()).digest()[:10]
    return base64.b32encode(digest).decode("ascii")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_payload(
    key: Ed25519PrivateKey,
    *,
    serial: str,
    kind_id: str,
    issued_on: dt.date,
    station: str,
    id_number: str | None,
) -> str:
    body = ":".join(
        [
            PREFIX,
            serial,
            kind_id,
            issued_on.strftime("%Y%m%d"),
            station,
            holder_hash(serial, id_number),
        ]
    )
    return f"{body}:{_b64(key.sign(body.encode('ascii')))}"


@dataclass(frozen=True, slots=True)
class QrCheck:
    valid: bool
    serial: str | None = None
    kind_id: str | None = None
    issued_on: str | None = None
    station: str | None = None
    reason: str = ""
    holder_matches: bool | None = None
    check_online: bool = False  # signed by a key reported compromised: ask the province

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "valid": self.valid,
            "serial": self.serial,
            "kind_id": self.kind_id,
            "issued_on": self.issued_on,
            "station": self.station,
            "reason": self.reason,
        }
        if self.holder_matches is not None:
            data["holder_matches"] = self.holder_matches
        if self.check_online:
            data["check_online"] = True
        return data


@dataclass(frozen=True, slots=True)
class KeyLimit:
    """How far a withdrawn key's signatures count (China-time days, ISO): a retired key's up to
    ``valid_until``; a compromised key's from ``compromised_from`` on are to be checked online."""

    valid_until: str | None = None
    compromised_from: str | None = None


def verify_payload(
    text: str,
    keys: Mapping[str, list[str]],
    *,
    id_number: str | None = None,
    limits: Mapping[str, KeyLimit] | None = None,
) -> QrCheck:
    """Check a QR text against the station public keys known here (station code -> hex keys),
    each key within its ``limits`` (hex key -> ``KeyLimit``) if it was withdrawn."""
    text = text.strip()
    if not text.isascii() or len(text) > MAX_LENGTH:
        return QrCheck(False, reason="二维码内容不是 certdesk 证明二维码")
    parts = text.split(":")
    if len(parts) != 7 or parts[0] != PREFIX:
        return QrCheck(False, reason="二维码格式不对(应为 CD1 格式的七段)")
    _, serial, kind_id, day, station, holder, signature = parts
    try:
        issued = dt.datetime.strptime(day, "%Y%m%d").date().isoformat()
    except ValueError:
        return QrCheck(False, reason="二维码中的出具日期无效")

    def refused(reason: str) -> QrCheck:
        return QrCheck(False, serial, kind_id, issued, station, reason)

    try:
        parsed = parse_serial(serial)
    except InvalidInput as error:
        return refused(error.message)
    if parsed.station != station:
        return refused("编号中的派出所代码与二维码不一致")
    known = keys.get(station)
    if not known:
        return refused(f"不认识派出所 {station} 的签名公钥(尚未同步)")
    body = text.rsplit(":", 1)[0].encode("ascii")
    try:
        raw_signature = _unb64(signature)
    except ValueError:
        return refused("签名编码无效")
    for hex_key in known:
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(hex_key)).verify(raw_signature, body)
        except (InvalidSignature, ValueError):
            continue
        limit = (limits or {}).get(hex_key)
        if limit is not None and limit.compromised_from and issued >= limit.compromised_from:
            return QrCheck(
                False,
                serial,
                kind_id,
                issued,
                station,
                f"签发工作站的密钥已报告泄露(自 {limit.compromised_from} 起)，离线核验不能证明"
                "真伪：请向省级服务器在线核验此编号",
                check_online=True,
            )
        if limit is not None and limit.valid_until and issued > limit.valid_until:
            return refused(f"签名密钥已于 {limit.valid_until} 停用，此后日期的签名无效")
        matches = None if id_number is None else holder_hash(serial, id_number) == holder
        reason = "签名有效" if matches is not False else "签名有效，但与所给公民身份号码不符"
        return QrCheck(True, serial, kind_id, issued, station, reason, matches)
    return refused("签名无效：二维码内容被改动或不是本省派出所签发")
