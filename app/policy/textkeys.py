"""Normalising what a clerk types into lookup keys (standard library only: start-up matters)."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\s()\[\]{}（）【】《》〈〉「」『』\"'“”‘’·・,，、/／\\\-—–_.。:：;；!！?？]+")
SUFFIX = "证明"


def normalize(text: str) -> str:
    """NFKC, case-folded, no spaces or punctuation: 出生日期（年龄）证明 -> 出生日期年龄证明."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


def strip_suffix(key: str) -> str:
    """Drop a trailing 证明: people say 死亡 for 死亡证明."""
    stripped = key.removesuffix(SUFFIX)
    return stripped if stripped else key


def lookup_keys(text: str) -> set[str]:
    """The exact-match keys of one id, name or alias."""
    key = normalize(text)
    if not key:
        return set()
    return {key, strip_suffix(key)}


def is_latin(text: str) -> bool:
    """True for a query made of ASCII letters only (pinyin)."""
    return bool(text) and text.isascii() and text.isalpha()
