"""The signed QR, version 2 (the paper's facts) and version 1 (still verified): what a receiving
unit's check accepts and refuses."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from support import altered_qr, qr_body

from app.protocol.numbering import make_serial
from app.protocol.qr import KeyLimit, body_bytes, key_id, make_payload, verify_payload
from app.protocol.signing import public_hex

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
STATION = "220102001"
SERIAL = str(make_serial(STATION, "02", 2026, 17))
DAY = dt.date(2026, 11, 30)
FACTS = {
    "applicant_name": "欧阳明华",
    "applicant_id": "220102198507153216",
    "relative_name": "欧阳建国",
    "relative_id": "22010219580312321X",
    "relation": "父子",
    "usage": "向中国工商银行长春分行办理存款继承",
}


def qr(key: Ed25519PrivateKey = KEY, **changes: object) -> str:
    args: dict[str, object] = {
        "serial": SERIAL,
        "kind_id": "jl_kinship",
        "form_id": "kinship",
        "issued_on": DAY,
        "facts": FACTS,
    } | changes
    return make_payload(key, **args)  # type: ignore[arg-type]


def keys(*private: Ed25519PrivateKey) -> dict[str, list[str]]:
    return {STATION: [public_hex(k) for k in private or (KEY,)]}


def test_version_2_certifies_every_fact_and_names_its_key() -> None:
    text = qr()
    assert text.startswith("CD2:") and text.isascii() and len(text) < 600
    check = verify_payload(text, keys(OTHER, KEY))
    assert check.valid and check.version == 2 and check.station == STATION
    assert check.facts == FACTS and check.key == key_id(public_hex(KEY))
    assert (check.kind_id, check.form_id, check.issued_on) == (
        "jl_kinship",
        "kinship",
        "2026-11-30",
    )
    assert qr_body(text)["key"] == key_id(public_hex(KEY))


@pytest.mark.parametrize("field", sorted(FACTS))
def test_one_changed_fact_is_refused_and_shows_nothing(field: str) -> None:
    value = FACTS[field]
    forged = altered_qr(qr(), **{field: value[:-1] + ("1" if value[-1] != "1" else "2")})
    check = verify_payload(forged, keys())
    assert not check.valid and check.problem == "invalid" and "签名无效" in check.reason
    assert check.facts == {}


def test_a_signature_by_another_key_is_refused_even_with_the_right_key_id() -> None:
    body = body_bytes(
        serial=SERIAL,
        kind_id="jl_kinship",
        form_id="kinship",
        issued_on=DAY,
        key=key_id(public_hex(KEY)),  # claims to be KEY's, signed by OTHER
        facts=FACTS,
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = base64.b32encode(packer.compress(body) + packer.flush()).decode().rstrip("=")
    signature = base64.b32encode(OTHER.sign(body)).decode().rstrip("=")
    check = verify_payload(f"CD2:{packed}.{signature}", keys(KEY, OTHER))
    assert not check.valid and check.problem == "invalid"
    unknown = verify_payload(qr(OTHER), keys(KEY))
    assert (
        not unknown.valid
        and unknown.problem == "unknown_key"
        and "不认识签名密钥" in unknown.reason
    )


def test_an_unknown_station_or_key_is_named() -> None:
    check = verify_payload(qr(), {"220102002": [public_hex(KEY)]})
    assert not check.valid and check.problem == "unknown_key" and STATION in check.reason


def test_validity_is_signed_and_an_ended_period_is_said() -> None:
    facts = {"applicant_name": "李四", "valid_from": "2026-11-01", "valid_to": "2026-11-30"}
    text = qr(form_id="temporary_identity", facts=facts, valid_until="2026-11-30")
    on_time = verify_payload(text, keys(), today=dt.date(2026, 11, 30))
    late = verify_payload(text, keys(), today=dt.date(2026, 12, 1))
    assert on_time.valid and not on_time.expired and on_time.valid_until == "2026-11-30"
    assert late.valid and late.expired and "有效期已于 2026-11-30 届满" in late.reason
    stretched = altered_qr(text, valid_to="2027-11-30")
    assert not verify_payload(stretched, keys()).valid


def test_withdrawn_keys_count_as_far_as_their_limits() -> None:
    hex_key = public_hex(KEY)
    retired = verify_payload(qr(), keys(), limits={hex_key: KeyLimit(valid_until="2026-11-29")})
    assert not retired.valid and retired.problem == "retired_key"
    kept = verify_payload(qr(), keys(), limits={hex_key: KeyLimit(valid_until="2026-11-30")})
    assert kept.valid
    leaked = verify_payload(qr(), keys(), limits={hex_key: KeyLimit(compromised_from="2026-11-01")})
    assert not leaked.valid and leaked.check_online and leaked.facts == {}


def test_the_identity_number_is_compared_with_the_signed_facts() -> None:
    assert verify_payload(qr(), keys(), id_number=FACTS["relative_id"]).holder_matches is True
    other = verify_payload(qr(), keys(), id_number="110105194912310021")
    assert other.valid and other.holder_matches is False and "不符" in other.reason


def _v1(serial: str, number: str | None) -> str:
    """A version-1 code as certdesk printed it before version 2 (the format README gave)."""
    holder = "-"
    if number:
        digest = hashlib.sha256(f"certdesk-qr-v1|{serial}|{number}".encode()).digest()[:10]
        holder = base64.b32encode(digest).decode()
    body = f"CD1:{serial}:jl_kinship:20261128:{STATION}:{holder}"
    signature = base64.urlsafe_b64encode(KEY.sign(body.encode())).decode().rstrip("=")
    return f"{body}:{signature}"


def test_version_1_codes_still_verify() -> None:
    text = _v1(SERIAL, FACTS["applicant_id"])
    check = verify_payload(text, keys(), id_number=FACTS["applicant_id"])
    assert check.valid and check.version == 1 and check.holder_matches is True
    assert check.issued_on == "2026-11-28" and check.facts == {}
    assert not verify_payload(text.replace(":20261128:", ":20261129:"), keys()).valid
    wrong_station = _v1(SERIAL, None).replace(f":{STATION}:", ":220102002:")
    assert "派出所代码" in verify_payload(wrong_station, keys()).reason


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hello", "格式不对"),
        ("CD2:", "无法解读"),
        ("CD2:!!!!.AAAA", "无法解读"),
        (
            "CD2:" + base64.urlsafe_b64encode(zlib.compress(b"[]")[2:-4]).decode() + ".AA",
            "无法解读",
        ),
        ("CD3:abc", "格式不对"),
        ("CD2:" + "A" * 2001, "不是 certdesk"),
        ("CD1:a:b:c", "七段"),
        ("证明", "不是 certdesk"),
    ],
)
def test_unreadable_content_gets_a_clear_reason(text: str, says: str) -> None:
    check = verify_payload(text, keys())
    assert not check.valid and check.problem == "unreadable" and says in check.reason, check


def test_a_deflate_bomb_is_refused_before_it_grows() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(b'{"v":2,"x":"' + b"A" * 1_000_000) + packer.flush()
    text = "CD2:" + base64.b32encode(bomb).decode().rstrip("=") + ".AA"
    check = verify_payload(text, keys())
    assert not check.valid and check.problem == "unreadable"
