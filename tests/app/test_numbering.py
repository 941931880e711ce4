"""Serial numbers: format, check character, errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.protocol.numbering import ALPHABET, check_character, make_serial, parse_serial


def test_format_is_ascii_and_round_trips() -> None:
    serial = make_serial("220102001", "01", 2026, 1)
    text = str(serial)
    assert text == "220102001-01-2026-000001-H" and text.isascii()
    assert parse_serial(text) == serial
    assert parse_serial(" " + text.lower() + " ") == serial


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("220102001-01-2026-000001-G", "校验码应为 H，现为 G"),
        ("220102001-01-2026-00001-H", "格式不对"),
        ("220102001/01/2026/000001/H", "格式不对"),
        ("220102001-00-2026-000001-X", "工作站"),
    ],
)
def test_bad_serials(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_serial(text)
    assert message in caught.value.message or "校验码" in caught.value.message
    assert caught.value.field == "serial"


def test_limits() -> None:
    with pytest.raises(InvalidInput, match="已用完"):
        make_serial("220102001", "01", 2026, 1_000_000)
    with pytest.raises(InvalidInput, match="派出所代码"):
        make_serial("22-01", "01", 2026, 1)


body = st.text(alphabet=ALPHABET, min_size=8, max_size=30)


@given(body, st.data())
def test_check_catches_every_single_substitution(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(text) - 1))
    other = data.draw(st.sampled_from([c for c in ALPHABET if c != text[position]]))
    changed = text[:position] + other + text[position + 1 :]
    assert check_character(changed) != check_character(text)


@given(body, st.data())
def test_check_catches_adjacent_transpositions(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(text) - 2))
    if text[position] == text[position + 1]:
        return
    swapped = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    assert check_character(swapped) != check_character(text)
