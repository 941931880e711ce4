"""The bundled fonts: registration, per-character fallback, coverage checks.

The body face (AR PL UMing) is registered on first use; the Hanazono fallbacks only when a
character the body face lacks turns up, so an ordinary certificate loads one font.

ReportLab (5.1) writes each embedded subset's ToUnicode map with ``"<%04X>"``, so a character
beyond the BMP (U+2A6A5) becomes five hex digits and text extraction gives the wrong character.
``_to_unicode_cmap`` writes UTF-16 (surrogate pairs) instead; it replaces ReportLab's function
when this module is imported.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont


def fonts_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return base / "resources" / "fonts"


@dataclass(frozen=True, slots=True)
class FontFile:
    name: str
    file: str
    subfont: int = 0


BODY = FontFile("UMing", "uming.ttc", 0)
FALLBACKS = (FontFile("HanaMinA", "HanaMinA.ttf"), FontFile("HanaMinB", "HanaMinB.ttf"))


@cache
def load(font: FontFile) -> TTFont:
    """Parse and register one font with ReportLab (once per process)."""
    ttf = TTFont(font.name, str(fonts_dir() / font.file), subfontIndex=font.subfont)
    pdfmetrics.registerFont(ttf)
    return ttf


def _has(font: FontFile, ch: str) -> bool:
    return ord(ch) in load(font).face.charToGlyph


def font_for(ch: str) -> str | None:
    """The name of the first bundled font that draws ``ch``, or None."""
    if ch in " \n\t" or _has(BODY, ch):
        return BODY.name
    for fallback in FALLBACKS:
        if _has(fallback, ch):
            return fallback.name
    return None


def uncovered(text: str) -> list[str]:
    """The characters of ``text`` that no bundled font has (each once, in order)."""
    missing: list[str] = []
    for ch in text:
        if ch not in missing and font_for(ch) is None:
            missing.append(ch)
    return missing


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font name, text) runs, each drawn with a font that has its glyphs."""
    result: list[tuple[str, str]] = []
    for ch in text:
        name = font_for(ch) or BODY.name
        if result and result[-1][0] == name:
            result[-1] = (name, result[-1][1] + ch)
        else:
            result.append((name, ch))
    return result


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with every code point written as UTF-16BE hex."""
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *[f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)],
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
