"""The signed QR, version 2 (the paper's facts) and version 1 (still verified): what a receiving
unit's check accepts and refuses."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
        "station_name": "长春市南关区民康派出所",
        "station_phone": "0431-88886666",
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
        station_name="长春市南关区民康派出所",
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


def test_the_identity_number_is_compared_with_the_holder_the_form_names() -> None:
    assert verify_payload(qr(), keys(), id_number=FACTS["applicant_id"]).holder_matches is True
    # the relative's number is on the paper too, but the paper is not the relative's
    relative = verify_payload(qr(), keys(), id_number=FACTS["relative_id"])
    assert relative.valid and relative.holder_matches is False and "不符" in relative.reason
    other = verify_payload(qr(), keys(), id_number="110105194912310021")
    assert other.valid and other.holder_matches is False


def test_the_station_name_and_telephone_as_printed_are_signed() -> None:
    check = verify_payload(qr(), keys())
    assert (check.station_name, check.station_phone) == ("长春市南关区民康派出所", "0431-88886666")
    body = qr_body(qr())
    body["t"] = "0431-12345678"  # a forger's number for the doubtful bank to call
    assert not verify_payload(_repack(body, qr()), keys()).valid


def _repack(body: dict[str, object], signed: str, *, canonical: bool = True) -> str:
    """``body`` packed as a version-2 QR with ``signed``'s signature kept."""
    import json

    raw = (
        json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        if canonical
        else json.dumps(body, ensure_ascii=False).encode()
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = base64.b32encode(packer.compress(raw) + packer.flush()).decode().rstrip("=")
    return f"CD2:{packed}.{signed.partition('.')[2]}"


def test_a_key_signs_only_its_own_workstations_serials() -> None:
    hex_key = public_hex(KEY)
    assert verify_payload(qr(), keys(), key_workstations={hex_key: "02"}).valid
    other = verify_payload(qr(), keys(), key_workstations={hex_key: "01"})
    assert not other.valid and other.problem == "unknown_key" and "第 02 号" in other.reason


def test_a_refusal_carries_nothing_the_signature_did_not_vouch_for() -> None:
    forged = altered_qr(qr(), relation="祖孙")
    data = verify_payload(forged, keys()).to_dict()
    assert data["valid"] is False and data["serial"] == SERIAL
    for unsigned in ("kind_id", "issued_on", "form_id", "key", "station_name", "valid_until"):
        assert data.get(unsigned) is None, unsigned
    assert data.get("facts") in (None, {})


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


def _packed(raw: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b32encode(packer.compress(raw) + packer.flush()).decode().rstrip("=")


@pytest.mark.parametrize(
    "text",
    [
        "CD2:" + _packed(b"[" * 4000) + ".AAAA",  # nested past the interpreter's recursion
        "CD2:" + _packed(b'{"v":2,"v":2}') + ".AAAA",  # duplicate keys
        "CD2:" + _packed(b"[]") + "AAAA.AAAA",  # bytes after the deflate stream
        "CD1: 220102001-01-2026-000001-H:jl_kinship:20261128:220102001:-:AAAA",
        "CD1:220102001-01-2026-000001-h:jl_kinship:20261128:220102001:-:AAAA",
        "CD1:220102001-01-2026-000001-H:Jl\x01:20261128:220102001:-:AAAA",
    ],
)
def test_hostile_text_is_unreadable_and_never_echoed(text: str) -> None:
    check = verify_payload(text, keys())
    assert not check.valid and check.problem == "unreadable"
    assert "220102001-01-2026-000001-h" not in check.reason and "Jl" not in check.reason


def test_a_body_in_another_spelling_is_refused_though_it_parses_the_same() -> None:
    text = qr()
    body = qr_body(text)
    assert verify_payload(_repack(body, text), keys()).valid
    spaced = verify_payload(_repack(body, text, canonical=False), keys())
    assert not spaced.valid and spaced.problem == "unreadable"
    assert not verify_payload(text.lower(), keys()).valid  # base32 is upper case only


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_text_makes_the_verifier_itself_raise(data: st.DataObject) -> None:
    """Mutations of real codes and of their bodies, fed to the checking code under the
    never-raise wrapper: any exception there is a bug."""
    from app.protocol.qr import _verify

    text = data.draw(st.sampled_from([qr(), _v1(SERIAL, FACTS["applicant_id"])]))
    choice = data.draw(st.integers(0, 3))
    if choice == 0:
        i = data.draw(st.integers(0, len(text) - 1))
        text = (
            text[:i]
            + data.draw(st.text(alphabet=st.characters(max_codepoint=126), max_size=5))
            + text[i + 1 :]
        )
    elif choice == 1 and text.startswith("CD2:"):
        body = qr_body(text)
        key = data.draw(st.sampled_from(sorted(body)))
        body[key] = data.draw(
            st.one_of(
                st.none(),
                st.integers(),
                st.text(max_size=30),
                st.lists(st.integers()),
                st.dictionaries(st.text(max_size=3), st.text(max_size=3)),
            )
        )
        text = _repack(body, text)
    elif choice == 2:
        text = (
            "CD2:"
            + _packed(data.draw(st.binary(max_size=300)))
            + "."
            + data.draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", max_size=120))
        )
    else:
        text = data.draw(st.text(max_size=200))
    check = _verify(text, keys(), FACTS["applicant_id"], {}, {}, DAY)
    assert check.valid is False or check.version in (1, 2)


def test_a_deflate_bomb_is_refused_before_it_grows() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(b'{"v":2,"x":"' + b"A" * 1_000_000) + packer.flush()
    text = "CD2:" + base64.b32encode(bomb).decode().rstrip("=") + ".AA"
    check = verify_payload(text, keys())
    assert not check.valid and check.problem == "unreadable"
