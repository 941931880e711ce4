"""Resident identity numbers (GB 11643-1999) and personal names, validated as people type them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from app.errors import InvalidInput

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"  # ISO 7064 MOD 11-2: remainder -> check character
_SHAPE18 = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII digits: \d would take ੯ or ٣ too
_SHAPE15 = re.compile(r"^[0-9]{15}$")


@dataclass(frozen=True, slots=True)
class IdNumber:
    number: str
    birth_date: dt.date
    sex: str  # "男" or "女"
    region: str  # the six-digit administrative division code
    converted_from_15: bool = False


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse_id_number(text: str, *, field: str = "公民身份号码") -> IdNumber:
    """Validate an identity number; a 15-digit one is converted to 18. Errors say what is wrong."""
    raw = unicodedata.normalize("NFKC", text).strip().upper().replace(" ", "")
    converted = False
    if _SHAPE15.match(raw):
        # 15-digit numbers (before 1999): insert the century 19 and add the check character.
        first17 = raw[:6] + "19" + raw[6:]
        raw = first17 + check_character(first17)
        converted = True
    if len(raw) != 18:
        raise InvalidInput(f"{field}应为18位(或15位)，现为{len(raw)}位", field=field)
    if not _SHAPE18.match(raw):
        raise InvalidInput(f"{field}前17位应为数字，第18位为数字或X", field=field)
    try:
        born = dt.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError as exc:
        raise InvalidInput(f"{field}中的出生日期{raw[6:14]}不存在", field=field) from exc
    if born.year < 1880 or born > dt.date.today():
        raise InvalidInput(f"{field}中的出生日期{born.isoformat()}不合理", field=field)
    expected = check_character(raw[:17])
    if raw[17] != expected:
        raise InvalidInput(f"{field}校验码应为 {expected}，现为 {raw[17]}", field=field)
    sex = "男" if int(raw[16]) % 2 else "女"
    return IdNumber(raw, born, sex, raw[:6], converted)


# --------------------------------------------------------------------------- names

NAME_MAX = 30  # characters (code points); long minority names written with a middle dot fit
_DOTS = "·•・"


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3400 <= code <= 0x4DBF  # Extension A
        or 0x4E00 <= code <= 0x9FFF  # URO
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= code <= 0x323AF  # Extensions B-H (beyond the BMP)
        or 0x2F800 <= code <= 0x2FA1F  # compatibility supplement
        or ch == "〇"
    )


def clean_name(text: str, *, field: str = "姓名") -> str:
    """A person's name: Han characters (any plane) and the middle dot; trimmed; length-limited."""
    name = text.strip()
    if not name:
        raise InvalidInput(f"{field}不能为空", field=field)
    for ch in name:
        if unicodedata.category(ch)[0] == "C":
            raise InvalidInput(f"{field}含有控制字符 U+{ord(ch):04X}", field=field)
    if len(name) > NAME_MAX:
        raise InvalidInput(f"{field}最长{NAME_MAX}个字，现为{len(name)}个", field=field)
    for ch in name:
        if not (_is_han(ch) or ch in _DOTS):
            raise InvalidInput(
                f"{field}只能含汉字和间隔号“·”，不能含“{ch}”(U+{ord(ch):04X})", field=field
            )
    if name[0] in _DOTS or name[-1] in _DOTS:
        raise InvalidInput(f"{field}不能以间隔号开头或结尾", field=field)
    return name.replace("•", "·").replace("・", "·")
