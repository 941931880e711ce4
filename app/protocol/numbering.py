"""Serial numbers, unique across the province with no coordination.

Format ``SSSSSS-WW-YYYY-NNNNNN-C`` — station code (2–12 of ``0-9A-Z``), workstation (two digits),
year, the workstation's sequence for that year (six digits) and a check character (ISO 7064
MOD 37-2 over everything before it, hyphens left out: ``0-9``, ``A-Z`` or ``*``; it catches every
single wrong character and every swap of two neighbours). ASCII only; Code128 encodes it as is.
Each counter PC has its own data dir and workstation number, so no two ever hand out the same
serial, and a serial is allocated in the transaction that records the certificate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHECK_ALPHABET = ALPHABET + "*"
STATION_CODE = re.compile(r"^[0-9A-Z]{2,12}$")
_SERIAL = re.compile(r"^([0-9A-Z]{2,12})-([0-9]{2})-([0-9]{4})-([0-9]{6})-([0-9A-Z*])$")
MAX_SEQUENCE = 999_999


@dataclass(frozen=True, slots=True)
class Serial:
    station: str
    workstation: str
    year: int
    sequence: int
    check: str

    def __str__(self) -> str:
        return f"{self.station}-{self.workstation}-{self.year}-{self.sequence:06d}-{self.check}"


def check_character(body: str) -> str:
    """ISO 7064 MOD 37-2 (pure system, radix 2) check character of ``0-9A-Z`` text."""
    total = 0
    for ch in body:
        total = (total + ALPHABET.index(ch)) * 2 % 37
    return CHECK_ALPHABET[(1 - total) % 37]


def make_serial(station: str, workstation: str, year: int, sequence: int) -> Serial:
    if not STATION_CODE.match(station):
        raise InvalidInput(f"派出所代码“{station}”应为2至12位数字或大写字母", field="station_code")
    if not re.fullmatch(r"[0-9]{2}", workstation) or workstation == "00":
        raise InvalidInput(f"工作站编号“{workstation}”应为01至99", field="workstation")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise InvalidInput(f"本工作站{year}年的编号已用完(最多{MAX_SEQUENCE}号)", field="sequence")
    body = f"{station}{workstation}{year:04d}{sequence:06d}"
    return Serial(station, workstation, year, sequence, check_character(body))


def parse_serial(text: str) -> Serial:
    """Parse and check a serial; errors say what is wrong (``校验码应为 X``)."""
    raw = text.strip().upper()
    match = _SERIAL.match(raw)
    if match is None:
        raise InvalidInput(
            f"编号“{text.strip()}”格式不对，应为 派出所代码-工作站-年份-六位序号-校验码，"
            "如 220102001-01-2026-000001-H",
            field="serial",
        )
    station, workstation, year, sequence, check = match.groups()
    expected = check_character(f"{station}{workstation}{year}{sequence}")
    if check != expected:
        raise InvalidInput(f"编号校验码应为 {expected}，现为 {check}", field="serial")
    if workstation == "00" or int(sequence) == 0:
        raise InvalidInput(f"编号“{raw}”的工作站或序号不能为0", field="serial")
    return Serial(station, workstation, int(year), int(sequence), check)
