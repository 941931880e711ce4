"""Identity numbers (GB 11643-1999) and names, as a clerk types them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.policy.identity import check_character, clean_name, parse_id_number


def test_valid_number_gives_birth_date_and_sex() -> None:
    parsed = parse_id_number("11010519491231002X")
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "女" and parsed.region == "110105"
    male = "11010519491231001" + check_character("11010519491231001")
    assert parse_id_number(male).sex == "男"


def test_lowercase_x_and_spaces_and_fullwidth_are_accepted() -> None:
    assert parse_id_number(" 11010519491231002x ").number == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


def test_fifteen_digits_are_converted() -> None:
    parsed = parse_id_number("110105491231002")
    assert parsed.number == "11010519491231002X" and parsed.converted_from_15


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("110105194912310021", "校验码应为 X，现为 1"),
        ("11010519491331002X", "出生日期19491331不存在"),
        ("1101051949123100", "应为18位(或15位)，现为16位"),
        ("11010519491231A02X", "前17位应为数字"),
        ("0000001੯0001100004", "前17位应为数字"),  # a Gurmukhi nine is a digit, not an ID's
        ("110105١٩٤٩1231002X", "前17位应为数字"),  # nor are Arabic-Indic ones
        ("11010530001231002X", "不合理"),
    ],
)
def test_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_id_number(text, field="申请人公民身份号码")
    assert message in caught.value.message
    assert caught.value.message.startswith("申请人公民身份号码")


@given(st.from_regex(r"\A[0-9]{17}\Z"))
def test_every_number_with_its_check_character_is_valid_or_has_a_bad_date(first17: str) -> None:
    number = first17 + check_character(first17)
    try:
        parsed = parse_id_number(number)
    except InvalidInput as error:
        assert "出生日期" in error.message
    else:
        assert parsed.number == number
        wrong = next(c for c in "0123456789X" if c != number[-1])
        with pytest.raises(InvalidInput, match="校验码应为"):
            parse_id_number(number[:-1] + wrong)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (" 王𪚥 ", "王𪚥"),  # U+2A6A5, beyond the BMP
        ("𠀀𠀁", "𠀀𠀁"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("〇", "〇"),
    ],
)
def test_names(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "不能为空"),
        ("  ", "不能为空"),
        ("王\x00三", "控制字符 U+0000"),
        ("王\u200b三", "控制字符 U+200B"),
        ("Wang", "不能含“W”"),
        ("王3", "不能含“3”"),
        ("·王", "间隔号"),
        ("王" * 31, "最长30个字"),
    ],
)
def test_bad_names(raw: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_name(raw, field="申请人姓名")
    assert message in caught.value.message and caught.value.field == "申请人姓名"
