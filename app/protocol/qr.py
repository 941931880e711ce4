"""The signed QR a receiving unit checks, in the manner of ICAO visible digital seals and EU
digital certificates: the facts the paper certifies, signed by the issuing workstation's key.

Version 2 (printed since certdesk 0.13)::

    CD2:<base32(raw deflate(body))>.<base32(Ed25519 signature over body)>

``body`` is canonical JSON (sorted keys, no spaces, UTF-8): ``v`` 2, ``s`` serial (which names the
station and workstation), ``k`` kind, ``f`` form, ``d`` issue date YYYYMMDD, ``key`` the signing
key's id (the 8-character fingerprint of its public key, as enrolment codes show it), ``x`` the
printed facts (form field -> value, as on the paper) and, where the form has a validity period,
``u`` its last day. Base32 without padding keeps every character in the QR's alphanumeric mode
(5.5 bits a character where bytes take 8; and every scanner reads it the same, where UTF-8 in a
QR is guessed at): with deflate, three to five QR versions smaller than base64 text.

Version 1 (printed before; still verified, never printed again)::

    CD1:<serial>:<kind id>:<issue date YYYYMMDD>:<station code>:<holder hash>:<signature>

It signed metadata and an unkeyed 80-bit hash of the identity number, which gave the number back
to anyone with a few minutes of computing; it certified none of the paper's other facts.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.errors import InvalidInput
from app.protocol import crypto
from app.protocol.numbering import parse_serial
from app.protocol.signing import FINGERPRINT_ALPHABET, fingerprint, public_hex

PREFIX_V1 = "CD1"
PREFIX_V2 = "CD2"
MAX_LENGTH = 2000  # characters of QR text read at all (make_payload stays below)
MAX_BODY = 4096  # bytes a version-2 body may inflate to (no deflate bomb)
IDENT = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
KEY_ID = re.compile(f"^[{FINGERPRINT_ALPHABET}]{{8}}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def key_id(public_key_hex: str) -> str:
    """A key's id in the QR: its fingerprint (the province maps it to station, workstation and
    key number; a verifier uses it to pick the key, then checks the signature)."""
    return fingerprint(public_key_hex)


def body_bytes(
    *,
    serial: str,
    kind_id: str,
    form_id: str,
    issued_on: dt.date,
    key: str,
    facts: Mapping[str, str],
    station_name: str,
    station_phone: str = "",
    valid_until: str | None = None,
) -> bytes:
    body: dict[str, object] = {
        "v": 2,
        "s": serial,
        "k": kind_id,
        "f": form_id,
        "d": issued_on.strftime("%Y%m%d"),
        "key": key,
        "n": station_name,
        "x": {name: value for name, value in facts.items() if value},
    }
    if station_phone:
        body["t"] = station_phone
    if valid_until:
        body["u"] = valid_until
    return _canonical(body)


def _canonical(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def make_payload(
    key: crypto.SigningKey,
    *,
    serial: str,
    kind_id: str,
    form_id: str,
    issued_on: dt.date,
    facts: Mapping[str, str],
    station_name: str,
    station_phone: str = "",
    valid_until: str | None = None,
) -> str:
    """The version-2 QR text for a certificate: the printed facts and the issuing station's
    name and telephone as printed (a forger cannot send a doubtful bank to another number)."""
    body = body_bytes(
        serial=serial,
        kind_id=kind_id,
        form_id=form_id,
        issued_on=issued_on,
        key=key_id(public_hex(key)),
        facts=facts,
        station_name=station_name,
        station_phone=station_phone,
        valid_until=valid_until,
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(body) + packer.flush()
    text = f"{PREFIX_V2}:{_b32(packed)}.{_b32(crypto.sign(key, body))}"
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            f"证明内容过多，二维码无法容纳(签名内容 {len(text)} 字符，最多 {MAX_LENGTH})：请精简填写",
            field="values",
        )
    return text


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
    version: int | None = None
    form_id: str | None = None
    key: str | None = None  # the signing key's id (version 2)
    facts: Mapping[str, str] = field(default_factory=dict)  # what the paper must say (v2)
    station_name: str | None = None  # as printed, signed (v2)
    station_phone: str | None = None
    valid_until: str | None = None
    expired: bool = False  # a signed validity period that has ended
    # why not valid, for programs: unreadable | unknown_key | retired_key | check_online |
    # invalid (the signature does not hold)
    problem: str = ""

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "valid": self.valid,
            "version": self.version,
            "serial": self.serial,
            "kind_id": self.kind_id,
            "issued_on": self.issued_on,
            "station": self.station,
            "reason": self.reason,
        }
        if self.version == 2:
            data |= {
                "form_id": self.form_id,
                "key": self.key,
                "station_name": self.station_name,
                "station_phone": self.station_phone,
                "facts": dict(self.facts),
            }
            if self.valid_until:
                data |= {"valid_until": self.valid_until, "expired": self.expired}
        if self.holder_matches is not None:
            data["holder_matches"] = self.holder_matches
        if self.check_online:
            data["check_online"] = True
        if self.problem:
            data["problem"] = self.problem
        return data


@dataclass(frozen=True, slots=True)
class KeyLimit:
    """How far a withdrawn key's signatures count (China-time days, ISO): a retired key's up to
    ``valid_until``; a compromised key's from ``compromised_from`` on are to be checked online."""

    valid_until: str | None = None
    compromised_from: str | None = None


@dataclass(frozen=True, slots=True)
class _Parsed:
    version: int
    serial: str
    kind_id: str
    issued_on: str
    body: bytes
    signature: bytes
    holder: str = "-"
    form_id: str | None = None
    key: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    valid_until: str | None = None
    station_name: str | None = None
    station_phone: str | None = None


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _day(text: str) -> str:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        raise _Unreadable("二维码中的出具日期无效") from None


def _serial(text: str) -> str:
    """The serial as certdesk writes it, or unreadable (the text is not echoed back)."""
    try:
        serial = str(parse_serial(text))
    except InvalidInput:
        raise _Unreadable("二维码中的证明编号无效") from None
    if serial != text:
        raise _Unreadable("二维码中的证明编号无效")
    return serial


def _parse_v1(text: str) -> _Parsed:
    parts = text.split(":")
    if len(parts) != 7:
        raise _Unreadable("二维码格式不对(CD1 格式应为七段)")
    _, serial, kind_id, day, station, holder, signature = parts
    serial = _serial(serial)
    if not IDENT.match(kind_id):
        raise _Unreadable("二维码中的证明种类无效")
    try:
        raw_signature = _unb64(signature)
    except (ValueError, binascii.Error):
        raise _Unreadable("签名编码无效") from None
    if parse_serial(serial).station != station:
        raise _Unreadable("编号中的派出所代码与二维码不一致")
    body = text.rsplit(":", 1)[0].encode("ascii")
    return _Parsed(1, serial, kind_id, _day(day), body, raw_signature, holder)


def _parse_v2(text: str) -> _Parsed:
    packed, _, signature = text[len(PREFIX_V2) + 1 :].partition(".")
    unreadable = "二维码内容无法解读(不是完整的 CD2 二维码)"
    try:
        unpacker = zlib.decompressobj(-15)
        body = unpacker.decompress(_unb32(packed), MAX_BODY)
        if unpacker.unconsumed_tail or not unpacker.eof or unpacker.unused_data:
            raise _Unreadable("二维码内容无法解读(内容不完整或过长)")
        raw_signature = _unb32(signature)
        data = json.loads(body)
    except (ValueError, binascii.Error, zlib.error, RecursionError):
        raise _Unreadable(unreadable) from None
    if not isinstance(data, dict) or data.get("v") != 2 or _canonical(data) != body:
        raise _Unreadable(unreadable)  # one body, one spelling: nothing else is signed text
    facts, until = data.get("x"), data.get("u")
    texts = (data.get(k) for k in ("s", "k", "f", "d", "key", "n", "t"))
    serial, kind_id, form_id, day, key, name, phone = (
        t if isinstance(t, str) else "" for t in texts
    )
    if (
        not all((serial, day, name))
        or not IDENT.match(kind_id)
        or not IDENT.match(form_id)
        or not KEY_ID.match(key)
        or not isinstance(facts, dict)
        or not all(IDENT.match(k) and isinstance(v, str) for k, v in facts.items())
        or (until is not None and not (isinstance(until, str) and DATE.match(until)))
    ):
        raise _Unreadable("二维码内容缺少必需的项目或项目无效")
    return _Parsed(
        2,
        _serial(serial),
        kind_id,
        _day(day),
        body,
        raw_signature,
        "-",
        form_id,
        key,
        facts,
        until,
        name,
        phone or None,
    )


def holder_hash(serial: str, id_number: str | None) -> str:
    """Version 1's holder hash (kept to verify codes printed before version 2)."""
    if not id_number:
        return "-"
    digest = hashlib.sha256(f"certdesk-qr-v1|{serial}|{id_number}".encode()).digest()[:10]
    return base64.b32encode(digest).decode("ascii")


def qr_address(public_url: str, payload: str) -> str:
    """What the QR holds: the payload, or — once the station knows the province's public
    verification site — its address there, ``{PUBLIC_URL}/V/{payload}``, all in upper case so
    the QR stays in its compact alphanumeric mode (scheme and host are case-blind)."""
    if not public_url:
        return payload
    return f"{public_url.rstrip('/').upper()}/V/{payload}"


def qr_content(text: str) -> str:
    """The signed payload out of what a QR holds: an address on a verification site
    (``…/V/CD2:…``, any case) or the bare payload."""
    text = text.strip()
    head = text[:8].lower()
    if head.startswith(("http://", "https://")):
        marker = text.upper().rfind("/V/")
        if marker != -1:
            return text[marker + 3 :]
    return text


def verify_payload(
    text: str,
    keys: Mapping[str, list[str]],
    *,
    id_number: str | None = None,
    limits: Mapping[str, KeyLimit] | None = None,
    key_workstations: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> QrCheck:
    """Check a QR text against the public keys known here (station code -> hex keys), each key
    within its ``limits`` (hex key -> ``KeyLimit``) if it was withdrawn, and — where
    ``key_workstations`` (hex key -> workstation) knows it — only for its own workstation's
    serials. ``today`` (China time) decides whether a signed validity period has ended. Never
    raises: whatever the text, the answer is a ``QrCheck``."""
    try:
        return _verify(text, keys, id_number, limits or {}, key_workstations or {}, today)
    except Exception:  # hostile text must never crash a verifier (fuzzed in tests/app/test_qr.py)
        return QrCheck(False, reason="二维码内容无法解读", problem="unreadable")


def _verify(
    text: str,
    keys: Mapping[str, list[str]],
    id_number: str | None,
    limits: Mapping[str, KeyLimit],
    key_workstations: Mapping[str, str],
    today: dt.date | None,
) -> QrCheck:
    text = qr_content(text)
    if not text.isascii() or len(text) > MAX_LENGTH:
        return QrCheck(False, reason="二维码内容不是 certdesk 证明二维码", problem="unreadable")
    prefix = text.split(":", 1)[0]
    try:
        if prefix == PREFIX_V2:
            parsed = _parse_v2(text)
        elif prefix == PREFIX_V1:
            parsed = _parse_v1(text)
        else:
            return QrCheck(
                False, reason="二维码格式不对(应以 CD2: 或 CD1: 开头)", problem="unreadable"
            )
    except _Unreadable as error:
        return QrCheck(False, reason=error.reason, problem="unreadable")
    serial = parse_serial(parsed.serial)
    station = serial.station

    def refused(reason: str, problem: str, *, check_online: bool = False) -> QrCheck:
        # nothing the signature did not vouch for: the (well-formed) serial and its station only
        return QrCheck(
            False,
            parsed.serial,
            station=station,
            reason=reason,
            check_online=check_online,
            version=parsed.version,
            problem=problem,
        )

    known = keys.get(station)
    if not known:
        return refused(f"不认识派出所 {station} 的签名公钥(尚未同步)", "unknown_key")
    candidates = [
        k
        for k in known
        if (parsed.key is None or key_id(k) == parsed.key)
        and key_workstations.get(k, serial.workstation) == serial.workstation
    ]
    if not candidates:
        return refused(
            f"不认识签名密钥 {parsed.key or ''}(派出所 {station} 第 {serial.workstation} 号"
            "工作站，尚未同步)",
            "unknown_key",
        )
    for hex_key in candidates:
        try:
            public = bytes.fromhex(hex_key)
        except ValueError:
            continue
        if not crypto.verify(public, parsed.body, parsed.signature):
            continue
        limit = limits.get(hex_key) or KeyLimit()
        if limit.compromised_from and parsed.issued_on >= limit.compromised_from:
            return refused(
                f"签发工作站的密钥已报告泄露(自 {limit.compromised_from} 起)，离线核验不能证明"
                "真伪：请向省级服务器在线核验此编号",
                "check_online",
                check_online=True,
            )
        if limit.valid_until and parsed.issued_on > limit.valid_until:
            return refused(
                f"签名密钥已于 {limit.valid_until} 停用，此后日期的签名无效", "retired_key"
            )
        return _signed(parsed, station, id_number, today)
    return refused("签名无效：二维码内容被改动或不是本省派出所签发", "invalid")


def _signed(parsed: _Parsed, station: str, id_number: str | None, today: dt.date | None) -> QrCheck:
    """The answer under a signature that holds: everything it vouches for."""
    if parsed.version == 1:
        reason = "签名有效"
        matches = (
            None if id_number is None else holder_hash(parsed.serial, id_number) == parsed.holder
        )
    else:
        reason = "签名有效：请核对纸面内容与二维码所载事项一致"
        subject = _subject_field(parsed.form_id)
        matches = (
            None if id_number is None or subject is None else parsed.facts.get(subject) == id_number
        )
    if matches is False:
        reason = "签名有效，但与所给公民身份号码不符"
    expired = bool(parsed.valid_until and today and today.isoformat() > parsed.valid_until)
    if expired:
        reason += f"；有效期已于 {parsed.valid_until} 届满"
    return QrCheck(
        True,
        parsed.serial,
        parsed.kind_id,
        parsed.issued_on,
        station,
        reason,
        matches,
        version=parsed.version,
        form_id=parsed.form_id,
        key=parsed.key,
        facts=dict(parsed.facts),
        station_name=parsed.station_name,
        station_phone=parsed.station_phone,
        valid_until=parsed.valid_until,
        expired=expired,
    )


def _subject_field(form_id: str | None) -> str | None:
    """The field naming the person the paper is about (the holder an ``--id`` is checked
    against), from the form's spec; None for a form this version does not know."""
    from forms import specs

    try:
        return specs.get(form_id or "").subject_id
    except KeyError:
        return None
