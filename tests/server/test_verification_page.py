"""The public verification pages a receiving unit opens: a printed certificate's QR is an address
on the province's site (handed to the station at enrolment); the page says 有效 with the signed
facts, 已作废 after a void, 无法核验 for a changed character; a serial typed gives its status."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser import SCREENSHOTS, browser
from pgserver import LiveServer, new_enrol_code
from support import (
    ADMIN,
    CLERK,
    KINSHIP,
    approval,
    as_officer,
    login,
    make_station,
    qr_text,
    run,
    signed_in,
)

from app.context import Context
from app.policy.decision import Request
from app.records.printing import certificate_renderer
from app.services import certificates, counter
from app.services.certificates import open_printed
from app.sync.enrolment import enrol
from app.sync.round import sync


@pytest.fixture
def public_server(database_url: str, province_key: Path) -> Iterator[LiveServer]:
    server = LiveServer(database_url, province_key, public=True).start()
    yield server
    server.stop()


def printed(ctx: Context, tmp_path: Path, name: str) -> tuple[str, str]:
    """A kinship certificate issued and printed: (serial, what its QR holds as a phone reads it)."""
    result = counter.issue(
        ctx,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=as_officer(ctx, CLERK),
        values=KINSHIP,
        render=certificate_renderer(ctx),
    )
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(open_printed(ctx, result.pdf_path or ""))
    return result.serial or "", qr_text(pdf)


def test_a_phone_opens_the_qr_and_reads_the_verdict(
    public_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    url = public_server.url
    data = tmp_path / "220102001"
    make_station(data, code="220102001", name="长春市南关区民康派出所")
    ctx = Context(data)
    code = new_enrol_code(database_url, url, "220102001", "长春市南关区民康派出所")
    enrolment = enrol(ctx, server=url, code=code, actor=signed_in(ctx, ADMIN))
    assert enrolment.public_url == url
    serial, address = printed(ctx, tmp_path, "kinship")
    # the QR is an address on the province's site, in upper case (the QR's compact mode)
    assert address.startswith(url.upper() + "/V/CD2:")
    assert sync(ctx, actor=as_officer(ctx, CLERK)).pending == 0

    page = httpx.get(address)  # a phone's camera opens the address as it is
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = page.text
    assert "有效" in text and serial in text and "亲属关系证明" in text
    assert "长春市南关区民康派出所" in text
    for name in ("applicant_name", "relative_name", "relation", "usage"):
        assert KINSHIP[name] in text  # the signed facts, to compare with the paper
    assert "亲属关系" in text or "关系" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "verify_valid.html").write_text(text, encoding="utf-8")

    # one changed character of the content: the signature no longer holds
    body = address.split("/V/", 1)[1]
    i = body.index(".") - 3
    forged = body[:i] + ("A" if body[i] != "A" else "B") + body[i + 1 :]
    bad = httpx.get(f"{url}/V/{forged}").text
    assert "无法核验" in bad and "签名不符" in bad and KINSHIP["relative_name"] not in bad

    # the command line reads the address as well as the bare content
    login(data, CLERK)  # (the station's keys are read by an officer signed in)
    offline = run(data, "verify", "--qr", address, "--json")
    assert offline.returncode == 0, offline.stdout + offline.stderr

    # a serial typed: its status only; a malformed one: the field's message
    typed = httpx.get(f"{url}/verify", params={"serial": serial.lower()})
    assert "编号有效" in typed.text and KINSHIP["relative_name"] not in typed.text
    wrong = httpx.get(f"{url}/verify", params={"serial": "12345"})
    assert wrong.status_code == 400 and "编号格式不对" in wrong.text
    form = httpx.get(f"{url}/verify")
    assert '<label for="serial">' in form.text and '<label for="qr">' in form.text
    pasted = httpx.get(f"{url}/verify", params={"qr": body})
    assert "有效" in pasted.text and KINSHIP["relative_name"] in pasted.text

    # voided and synced: 已作废
    certificates.void(
        ctx, serial=serial, reason="填写错误", officer=as_officer(ctx, CLERK), approval=approval()
    )
    assert sync(ctx, actor=as_officer(ctx, CLERK)).pending == 0
    void = httpx.get(address).text
    assert "已作废" in void and "不能作为证明使用" in void
    ctx.close()


def test_an_unenrolled_station_keeps_the_bare_content(tmp_path: Path) -> None:
    data = tmp_path / "station"
    make_station(data)
    ctx = Context(data)
    _, content = printed(ctx, tmp_path, "bare")
    assert content.startswith("CD2:")
    ctx.close()


def test_in_a_real_browser_on_a_phone_and_a_desktop(
    public_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url = public_server.url
    data = tmp_path / "220102002"
    make_station(data, code="220102002", name="长春市南关区永吉派出所")
    ctx = Context(data)
    code = new_enrol_code(database_url, url, "220102002", "长春市南关区永吉派出所")
    enrol(ctx, server=url, code=code, actor=signed_in(ctx, ADMIN))
    serial, address = printed(ctx, tmp_path, "kinship")  # scanned from the printed PDF
    assert sync(ctx, actor=as_officer(ctx, CLERK)).pending == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height, name in ((390, 844, "phone"), (1366, 768, "desktop")):
        driver = browser(width, height)
        try:
            driver.get(address)
            verdict = driver.find_element(By.CSS_SELECTOR, ".verdict")
            assert verdict.text == "有效" and "valid" in verdict.get_attribute("class")
            assert KINSHIP["relative_name"] in driver.find_element(By.TAG_NAME, "main").text
            # 王𪚥 (Extension B): drawn with the page's own font, not a box
            assert driver.execute_script(
                "return document.fonts.check('18px certdesk-rare', '𪚥')"
                " && [...document.fonts].some(f => f.family === 'certdesk-rare'"
                " && f.status === 'loaded')"
            )
            # nothing wider than the screen: a phone reads it without scrolling sideways
            seen = driver.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]"
            )
            assert seen[0] <= width and seen[1] <= seen[0], seen
            driver.save_screenshot(str(SCREENSHOTS / f"verify_valid_{name}.png"))
            # a clerk at the bank types the serial and presses Enter
            driver.get(f"{url}/verify")
            field = driver.find_element(By.ID, "serial")
            field.send_keys(serial, Keys.ENTER)
            assert "编号有效" in driver.find_element(By.CSS_SELECTOR, ".verdict").text
            driver.get(f"{url}/verify")
            driver.save_screenshot(str(SCREENSHOTS / f"verify_form_{name}.png"))
        finally:
            driver.quit()
    certificates.void(
        ctx, serial=serial, reason="填写错误", officer=as_officer(ctx, CLERK), approval=approval()
    )
    assert sync(ctx, actor=as_officer(ctx, CLERK)).pending == 0
    driver = browser(390, 844)
    try:
        driver.get(address)
        assert driver.find_element(By.CSS_SELECTOR, ".verdict").text == "已作废"
        driver.save_screenshot(str(SCREENSHOTS / "verify_void_phone.png"))
    finally:
        driver.quit()
    ctx.close()


def test_the_pages_keep_the_apis_rate_limit(
    database_url: str, province_key: Path, tmp_path: Path
) -> None:
    server = LiveServer(database_url, province_key, verify_per_minute=4).start()
    try:
        answers = [httpx.get(f"{server.url}/V/CD2:AAAA.BBBB") for _ in range(6)]
        limited = [a for a in answers if a.status_code == 429]
        assert limited and "查询过于频繁" in limited[0].text
        assert answers[0].status_code == 200 and "无法核验" in answers[0].text
    finally:
        server.stop()


def test_the_served_site_writes_no_access_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """An address on the site carries a paper's signed facts: uvicorn must not log requests."""
    import uvicorn

    from server import cli

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    names = ("CERTDESK_DATABASE_URL", "CERTDESK_PROVINCE_KEY", "CERTDESK_DATA_KEY")  # for workers
    before = {name: os.environ.get(name) for name in names}
    try:
        cli.main(["serve", "--port", "8799"])
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert seen["access_log"] is False and seen["log_level"] == "warning"


def test_a_page_carries_a_font_for_its_rare_characters_only() -> None:
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    from server import pages
    from server.webfont import face_css

    assert face_css("王丽 长春市南关区民康派出所") == ""  # common characters: no font at all
    css = face_css("王𪚥 王𪚥")
    assert "unicode-range:U+2A6A5}" in css and css.count("@font-face") == 1
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", css)
    assert data is not None and len(data.group(1)) < 20_000  # a few KB, not the 30 MB font
    font = TTFont(io.BytesIO(base64.b64decode(data.group(1))))
    assert 0x2A6A5 in font.getBestCmap()
    # only for text the province holds or a signature vouches for: what a visitor typed (echoed
    # in the form) costs no cut of the font
    html = pages.render("verify.html", "王𪚥", serial="", qr="", message="")
    assert "@font-face" in html.split("</head>")[0]
    typed = pages.render("verify.html", serial="", qr="王𪚥", message="")
    assert "王𪚥" in typed and "@font-face" not in typed
