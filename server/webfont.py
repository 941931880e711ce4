"""Rare characters on the province's pages: a name such as 王𪚥 (CJK Extension B) shows as a box
on a phone without a font for it. The page carries, inline, a font of just the rare characters it
shows — cut from the fonts certdesk prints with (HanaMin, resources/fonts) by fontTools, a few KB,
declared with a ``unicode-range`` so that the browser uses it for those characters only."""

from __future__ import annotations

import base64
import io
from functools import cache, lru_cache

from forms.fonts import fonts_dir

MAX_CHARS = 64  # a page names a few people; more is not a page of ours
FONTS = ("HanaMinB.ttf", "HanaMinA.ttf")  # Extensions B–H, then the BMP and Extension A


def rare(ch: str) -> bool:
    """Outside what phones' CJK fonts commonly have: Extension A, and B onwards."""
    code = ord(ch)
    return 0x3400 <= code <= 0x4DBF or code >= 0x20000


@cache
def _cmap(file: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(fonts_dir() / file), lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=256)
def _subset(file: str, codes: tuple[int, ...]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features, options.name_IDs, options.hinting = [], [], False
    options.notdef_outline = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    with TTFont(str(fonts_dir() / file), lazy=True) as font:
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def face_css(text: str) -> str:
    """``@font-face`` rules for the rare characters in ``text`` ("" when there are none)."""
    wanted = sorted({ord(ch) for ch in text if rare(ch)})[:MAX_CHARS]
    rules = []
    for file in FONTS:
        codes = tuple(c for c in wanted if c in _cmap(file))
        if not codes:
            continue
        wanted = [c for c in wanted if c not in codes]
        data = base64.b64encode(_subset(file, codes)).decode("ascii")
        ranges = ",".join(f"U+{c:X}" for c in codes)
        rules.append(
            "@font-face{font-family:certdesk-rare;"
            f"src:url(data:font/ttf;base64,{data}) format('truetype');unicode-range:{ranges}}}"
        )
    return "".join(rules)
