"""The one renderer: (spec, values, issuer) -> PDF bytes, the same look for every document.

A4, in millimetres, in the manner of official documents: serial (编号) and its Code128 at the top
right, the centred title, the body with the filled facts, the validity where the kind has one,
the issuing station with the date written in Chinese and the place for the seal, the officer and
the contact telephone, then the signed QR and a footer that says how to verify. A value that does
not fit its box is an error before anything is drawn; nothing is clipped.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from forms import fonts
from forms.barcodes import draw_code128, draw_qr
from forms.errors import FormError
from forms.fields import FormSpec, printed_value

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 25 * mm, PAGE_W - 25 * mm
BODY_TOP = 228 * mm
PARAGRAPH_GAP = 4


@dataclass(frozen=True, slots=True)
class BodyBox:
    bottom: float
    size: float
    leading: float


# Certificates: few facts, large type. Notices carry reasons and bases: smaller type, taller box.
BODY = {
    "certificate": BodyBox(122 * mm, 14, 26),
    "notice": BodyBox(104 * mm, 12, 20),
    "reply": BodyBox(104 * mm, 12, 20),
}
TITLE_SIZE = 24
BARCODE_X, BARCODE_W, BARCODE_Y, BARCODE_H = 108 * mm, 77 * mm, 265 * mm, 10 * mm
QR_X, QR_Y, QR_SIZE = 22 * mm, 14 * mm, 32 * mm
# A paper with many long facts has a denser QR: it grows (up to about 44 mm, below the officer's
# line) rather than let a module shrink under 0.33 mm, which office scanners at 200 dpi misread.
QR_MIN_MODULE = 0.33 * mm
SEAL_X, SEAL_Y, SEAL_R = 150 * mm, 90 * mm, 21 * mm
DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True, slots=True)
class Document:
    spec: FormSpec
    number: str  # the serial (certificates) or the notice number
    values: Mapping[str, str]
    station_name: str
    station_phone: str
    officer_name: str
    officer_code: str
    issued_on: dt.date
    qr_text: str | None = None
    specimen: bool = False


def chinese_date(day: dt.date) -> str:
    """2026-11-28 -> 二〇二六年十一月二十八日, as official documents write dates."""

    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return DIGITS[ones]
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")

    year = "".join(DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{number(day.month)}月{number(day.day)}日"


def _markup(text: str) -> str:
    """Paragraph markup: each run in the first bundled font that has its characters."""
    return "".join(
        escape(chunk) if name == fonts.BODY.name else f'<font name="{name}">{escape(chunk)}</font>'
        for name, chunk in fonts.runs(text)
    )


def _width(text: str, size: float) -> float:
    return float(sum(stringWidth(chunk, name, size) for name, chunk in fonts.runs(text)))


def _draw(canvas: Canvas, text: str, x: float, y: float, size: float, align: str = "left") -> None:
    width = _width(text, size)
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    for name, chunk in fonts.runs(text):
        canvas.setFont(name, size)
        canvas.drawString(x, y, chunk)
        x += stringWidth(chunk, name, size)


def _fields_in(template: str, spec: FormSpec) -> list[str]:
    return [f.name for f in spec.fields if "{" + f.name + "}" in template]


def check_printable(spec: FormSpec, values: Mapping[str, str]) -> None:
    """Refuse, before anything prints, a character no bundled font has (naming field and U+)."""
    for field in spec.fields:
        missing = fonts.uncovered(values.get(field.name, ""))
        if missing:
            codes = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in missing)
            raise FormError(
                f"{field.label}({field.name})中的{codes}没有可用的字体，无法打印；"
                "请核对，或改用通用写法",
                field=field.name,
            )


_EMPTY_ASIDE = re.compile(r"（[^（）]*：）")


def printed_values(spec: FormSpec, values: Mapping[str, str]) -> dict[str, str]:
    """Values as printed: dates written 2026年11月1日."""
    return {f.name: printed_value(f, values.get(f.name, "")) for f in spec.fields}


def _body(spec: FormSpec, values: Mapping[str, str]) -> list[tuple[Paragraph, float]]:
    box = BODY[spec.kind]
    style = ParagraphStyle(
        "body",
        fontName=fonts.BODY.name,
        fontSize=box.size,
        leading=box.leading,
        firstLineIndent=2 * box.size,
        wordWrap="CJK",
    )
    width = RIGHT - LEFT
    laid: list[tuple[Paragraph, float]] = []
    used = 0.0
    for template in spec.wording:
        # an optional value left empty takes its aside with it: （公民身份号码：）
        text = _EMPTY_ASIDE.sub("", template.format_map(printed_values(spec, values)))
        paragraph = Paragraph(_markup(text), style)
        _, height = paragraph.wrap(width, BODY_TOP - box.bottom)
        used += height + PARAGRAPH_GAP
        if used > BODY_TOP - box.bottom:
            names = _fields_in(template, spec) or [f.name for f in spec.fields]
            longest = max(names, key=lambda n: len(values.get(n, "")))
            label = spec.field(longest).label
            raise FormError(
                f"正文超出版面：{label}({longest})等内容过长，请精简后再打印", field=longest
            )
        laid.append((paragraph, height))
    return laid


def render(doc: Document) -> bytes:
    """The PDF bytes of one document. Same input, same bytes (``invariant=1``)."""
    spec = doc.spec
    fonts.load(fonts.BODY)
    check_printable(spec, doc.values)
    for label, text in (("派出所名称", doc.station_name), ("民警姓名", doc.officer_name)):
        if fonts.uncovered(text):
            raise FormError(f"{label}中有无法打印的字符", field=label)
    body = _body(spec, doc.values)
    station_width = _width(doc.station_name, 15)
    if station_width > RIGHT - 95 * mm:
        raise FormError("派出所名称过长，超出落款位置", field="station_name")

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=A4,
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.BODY.name,
        initialFontSize=12,
    )
    canvas.setTitle(f"{spec.title} {doc.number}")
    canvas.setAuthor(doc.station_name)
    canvas.setCreator("certdesk")
    for copy in spec.copies or ("",):
        _page(canvas, doc, body, copy)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page(canvas: Canvas, doc: Document, body: list[tuple[Paragraph, float]], copy: str) -> None:
    """One page of the document; ``copy`` marks which copy it is (empty: the only one)."""
    spec = doc.spec
    if copy:
        _draw(canvas, copy, LEFT, 280 * mm, 10)
    if doc.specimen:
        canvas.saveState()
        canvas.setFillGray(0.85)
        canvas.translate(PAGE_W / 2, PAGE_H / 2)
        canvas.rotate(30)
        _draw(canvas, "样本", 0, -60, 160, "centre")
        canvas.restoreState()

    label = "编号" if spec.kind == "certificate" else "文书编号"
    _draw(canvas, f"{label}：{doc.number}", RIGHT, 280 * mm, 10, "right")
    draw_code128(canvas, doc.number, x=BARCODE_X, y=BARCODE_Y, width=BARCODE_W, height=BARCODE_H)
    _draw(canvas, doc.number, BARCODE_X + BARCODE_W / 2, BARCODE_Y - 4.5 * mm, 9, "centre")
    _draw(canvas, spec.title, PAGE_W / 2, 243 * mm, TITLE_SIZE, "centre")

    y = BODY_TOP
    for paragraph, height in body:
        paragraph.drawOn(canvas, LEFT, y - height)
        y -= height + PARAGRAPH_GAP
    if spec.validity:
        validity = spec.validity.format_map(printed_values(spec, doc.values))
        _draw(canvas, validity, LEFT, BODY[spec.kind].bottom - 8 * mm, 13)

    if spec.kind != "reply":  # (a reply is printed by the unit that asked: nobody stamps it)
        canvas.saveState()
        canvas.setStrokeGray(0.6)
        canvas.setDash(3, 3)
        canvas.circle(SEAL_X, SEAL_Y, SEAL_R, stroke=1, fill=0)
        canvas.restoreState()
        canvas.setFillGray(0.6)
        _draw(canvas, "（印章）", SEAL_X, SEAL_Y + SEAL_R - 7 * mm, 9, "centre")
        canvas.setFillGray(0)
    _draw(canvas, doc.station_name, RIGHT - 5 * mm, 96 * mm, 15, "right")
    _draw(canvas, chinese_date(doc.issued_on), RIGHT - 5 * mm, 86 * mm, 15, "right")
    role = {"certificate": "经办民警", "notice": "首接民警", "reply": "答复民警"}[spec.kind]
    officer = f"{role}：{doc.officer_name}(警号 {doc.officer_code})"
    phone = f"联系电话：{doc.station_phone or '—'}"
    _draw(canvas, officer, LEFT, 66 * mm, 12)
    _draw(canvas, phone, LEFT + 95 * mm, 66 * mm, 12)
    if spec.kind == "notice":
        _draw(canvas, "当事人签收：____________        日期：____________", LEFT, 56 * mm, 12)

    footer = []
    if doc.qr_text and spec.kind == "reply":
        side = draw_qr(canvas, doc.qr_text, x=QR_X, y=QR_Y, size=QR_SIZE, min_module=QR_MIN_MODULE)
        footer = [
            "核验：扫描左侧二维码，可查验本核查结果的编号、答复派出所和签名状态；",
            "所查个人信息不在二维码中，以本文书和核查系统中的答复为准。",
            "本文书仅供请求单位用于所述事由，不得转作他用。",
        ]
        x = QR_X + side + 4 * mm
    elif doc.qr_text:
        side = draw_qr(canvas, doc.qr_text, x=QR_X, y=QR_Y, size=QR_SIZE, min_module=QR_MIN_MODULE)
        footer = [
            "核验：扫描左侧二维码，可核对本证明的签名、编号和所载事项，",
            "请逐项核对二维码所载事项与本证明内容一致；",
            f"也可通过省公安机关证明核验服务查询编号 {doc.number}。",
            "本证明涂改无效；作废的证明以核验结果为准。",
        ]
        x = QR_X + side + 4 * mm
    else:
        footer = [f"本文书编号 {doc.number}，由{doc.station_name}出具，存根联留存备查。"]
        x = LEFT
    if doc.specimen:
        footer.append("样本：仅供查看式样，不作证明使用。")
    for i, line in enumerate(footer):
        _draw(canvas, line, x, 38 * mm - i * 6 * mm, 9)


def render_recovery_sheet(
    *, station_name: str, station_code: str, workstation: str, key: str, made_on: dt.date
) -> bytes:
    """The station's recovery key on one page for its safe: the key in large grouped characters
    and as a QR (for a phone or scanner at the PC where it is needed), what it is for, and where
    it must not be kept. The bytes go to the printer; nothing of it is kept on disk."""
    fonts.load(fonts.BODY)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, invariant=1, initialFontName=fonts.BODY.name, initialFontSize=12
    )
    canvas.setTitle(f"恢复密钥 {station_code}-{workstation}")
    canvas.setCreator("certdesk")
    _draw(canvas, "certdesk 数据恢复密钥", PAGE_W / 2, 255 * mm, TITLE_SIZE, "centre")
    _draw(canvas, "密件 · 封存于所内保险柜", PAGE_W / 2, 244 * mm, 13, "centre")
    lines = [
        f"派出所：{station_name}(代码 {station_code})　工作站：{workstation}",
        f"生成日期：{chinese_date(made_on)}",
    ]
    for i, line in enumerate(lines):
        _draw(canvas, line, LEFT, 228 * mm - i * 8 * mm, 12)
    groups = key.split("-")
    for row in range(2):  # two rows of four groups, each character in its own cell
        for col, group in enumerate(groups[row * 4 : row * 4 + 4]):
            for k, char in enumerate(group):
                x = LEFT + 6 * mm + col * 41 * mm + k * 7 * mm
                _draw(canvas, char, x, 195 * mm - row * 14 * mm, 20, "centre")
    side = draw_qr(canvas, key, x=LEFT, y=105 * mm, size=55 * mm, min_module=QR_MIN_MODULE)
    notes = [
        "本站数据(数据库、存档、签名密钥)均已加密，由民警的密码解锁。",
        "所有民警都无法登录时(密码遗忘、管理员调离)，只有本密钥能打开数据：",
        "  · 为管理员重新设置密码：certdesk recover --officer 警号 --recovery-key-stdin",
        "  · 在新电脑上恢复备份：certdesk restore 备份文件 --recovery-key-stdin",
        "不要把本密钥保存在电脑上或随电脑存放；怀疑泄露时，由管理员重新生成",
        "(certdesk recovery-key)，旧密钥随即失效，并销毁本页。",
    ]
    for i, line in enumerate(notes):
        _draw(canvas, line, LEFT, 90 * mm - i * 7 * mm, 11)
    _draw(canvas, "保管人签字：____________　　封存日期：____________", LEFT + side + 6 * mm,
          130 * mm, 11)  # fmt: skip
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
