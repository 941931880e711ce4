"""The public verification pages a receiving unit opens (a bank teller's phone scanning the QR, a
school office's desktop): server-rendered HTML from Jinja2 templates, no JavaScript, in Chinese.

``/V/{content}`` (the address a certificate's QR holds) and ``/verify`` (type a serial, or paste
the QR content) give one of three verdicts — 有效, 已作废, 无法核验 (with why) — and, under a
signature that holds, the kind, date, station and the facts the paper must state, to compare
with the paper. A bare serial gives its status only, as the API does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.protocol.models import QrVerifyAnswer, VerifyAnswer
from app.protocol.status import VerifyStatus

TEMPLATES = Path(__file__).with_name("templates")
SIGNATURE_WORDS = {
    "invalid": "签名不符：二维码内容被改动，或不是 certdesk 派出所出具的证明。",
    "unknown_key": "签名所用的密钥不在本省密钥名单中。",
    "retired_key": "签名所用的密钥已停用，该日期之后签发的证明不予认可。",
    "check_online": "签名所用的密钥已报告泄露，请向出具证明的派出所核实。",
}


@dataclass(frozen=True)
class Verdict:
    """What the page says: the headline (有效 / 已作废 / 无法核验), its tone, the reasons and,
    under a valid signature, the facts."""

    title: str
    tone: str  # valid | void | unknown (a colour and an icon-free word, never colour alone)
    reasons: list[str]
    serial: str | None = None
    kind: str | None = None
    issued_on: str | None = None
    station: str | None = None
    phone: str | None = None
    facts: list[tuple[str, str]] | None = None
    valid_until: str | None = None


@cache
def _environment() -> Environment:
    from app.policy.inquiries import printable_information

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["information"] = lambda text: printable_information(text or "")
    return environment


def render(name: str, fonts_for: str = "", **values: object) -> str:
    """The page, with an inline font for the rare characters of ``fonts_for`` (``server.webfont``):
    text the province holds or a signature vouches for, never what an anonymous visitor typed —
    each new set of characters costs a cut of the font, which nobody may ask for at will."""
    from server.webfont import face_css

    html = _environment().get_template(name).render(**values)
    faces = face_css(fonts_for)
    if faces:
        html = html.replace("</head>", f"<style>{faces}</style>\n</head>", 1)
    return html


def verdict_text(verdict: Verdict) -> str:
    """The signed text a verdict shows (its facts only under a signature that holds)."""
    return " ".join([verdict.station or "", *(value for _, value in verdict.facts or [])])


def qr_verdict(answer: QrVerifyAnswer | None) -> Verdict:
    """The page's verdict on a QR (None: the client asked too often)."""
    if answer is None:
        return Verdict("请稍后再试", "unknown", ["查询过于频繁，请一分钟后再试。"])
    if answer.signature != "valid":
        reasons = [SIGNATURE_WORDS.get(answer.signature, answer.reason)]
        if answer.reason and answer.reason not in reasons:
            reasons.append(answer.reason)
        return Verdict("无法核验", "unknown", reasons, serial=answer.serial)
    facts = _facts(answer)

    def said(title: str, tone: str, reason: str) -> Verdict:
        return Verdict(
            title,
            tone,
            [reason],
            serial=answer.serial,
            kind=_title(answer.form_id) or answer.kind_id,
            issued_on=answer.issued_on,
            station=answer.station_name or answer.station,
            phone=answer.station_phone,
            facts=facts,
            valid_until=answer.valid_until,
        )

    if answer.status == VerifyStatus.VOID:
        return said("已作废", "void", "该证明已由出具的派出所作废，不能作为证明使用。")
    if answer.status != VerifyStatus.VALID:
        return said(
            "无法核验",
            "unknown",
            "签名有效，但省级服务器尚无该证明的记录(派出所可能尚未同步)，请向出具的派出所核实。",
        )
    if answer.expired:
        return said("已过有效期", "void", f"该证明的有效期至 {answer.valid_until}，已过期。")
    if answer.matches_record is False:
        return said("无法核验", "unknown", "二维码所载证明种类或日期与派出所上报的记录不一致。")
    return said("有效", "valid", "签名有效，证明未被作废。请逐项核对下列事项与纸面内容一致。")


def serial_verdict(answer: VerifyAnswer | None) -> Verdict:
    if answer is None:
        return Verdict("请稍后再试", "unknown", ["查询过于频繁，请一分钟后再试。"])
    if answer.status == VerifyStatus.VALID:
        return Verdict(
            "编号有效",
            "valid",
            [
                "该编号的证明已出具且未作废。仅凭编号无法核对内容：请扫描证明上的二维码核对所载事项。"
            ],
            serial=answer.serial,
        )
    if answer.status == VerifyStatus.VOID:
        return Verdict("已作废", "void", ["该编号的证明已作废。"], serial=answer.serial)
    return Verdict(
        "无法核验",
        "unknown",
        ["省级服务器没有该编号的记录：请核对编号，或向出具的派出所核实。"],
        serial=answer.serial,
    )


def _title(form_id: str | None) -> str | None:
    from forms import specs

    try:
        return specs.get(form_id or "").title
    except KeyError:
        return None


def _facts(answer: QrVerifyAnswer) -> list[tuple[str, str]]:
    from forms import specs
    from forms.fields import fact_lines

    try:
        form = specs.get(answer.form_id or "")
    except KeyError:
        return list(answer.facts.items())
    return fact_lines(form, dict(answer.facts))
