"""The exchange desk end to end against the real PostgreSQL: the province enrols a court, the
court asks about a person (API), the station fetches the inquiry on its sync, a clerk answers with
the command line, the answer goes back signed, and the court reads it with the signature checked
and prints 核查结果. Refusals: a sector asking for what it may not have (refused and logged), bad
input on every field (the field named, nothing stored), a forged or moved answer."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from browser import SCREENSHOTS, browser
from pgserver import LiveServer, new_enrol_code, server_cli
from support import (
    ADMIN,
    CLERK,
    SUPERVISOR,
    as_officer,
    js,
    login,
    make_station,
    qr_text,
    run,
    signed_in,
)

from app.context import Context
from app.policy.identity import check_character
from app.sync.enrolment import enrol
from app.sync.round import sync

COURT_PASSWORD = "court-pass-2026"  # what the province sets
OWN_PASSWORD = "court-own-2026x"  # what the court chooses at its first sign-in
STATION, STATION_NAME = "220102001", "长春市南关区民康派出所"
OTHER, OTHER_NAME = "220581001", "梅河口市海龙派出所"
CANCELLATION = "jl_ex_hukou_cancellation_info"


def id_number(region: str, born: str = "19800315", serial: str = "002") -> str:
    first = region + born + serial
    return first + check_character(first)


SUBJECT_ID = id_number("220102")  # registered in the first station's district


@pytest.fixture
def public_server(database_url: str, province_key: Path) -> Iterator[LiveServer]:
    server = LiveServer(database_url, province_key, public=True).start()
    yield server
    server.stop()


def add_partner(
    database_url: str, province_key: Path, name: str, sector: str, login_name: str
) -> subprocess.CompletedProcess[str]:
    return server_cli(
        database_url,
        province_key,
        "partner",
        "add",
        "--name",
        name,
        "--sector",
        sector,
        "--login",
        login_name,
        "--password-stdin",
        "--json",
        stdin=COURT_PASSWORD + "\n",
    )


def partner_token(url: str, login_name: str) -> str:
    """A partner's token; at its first sign-in it changes the province's password for its own
    (nothing else is allowed before)."""
    answer = httpx.post(
        f"{url}/api/v2/partner/login", json={"name": login_name, "password": OWN_PASSWORD}
    )
    if answer.status_code == 200:
        return str(answer.json()["token"])
    first = httpx.post(
        f"{url}/api/v2/partner/login", json={"name": login_name, "password": COURT_PASSWORD}
    )
    assert first.status_code == 200 and first.json()["must_change"], first.text
    token = str(first.json()["token"])
    auth = {"Authorization": f"Bearer {token}"}
    early = httpx.get(f"{url}/api/v2/partner/inquiries", headers=auth)
    assert early.status_code == 403 and "初始密码" in early.json()["message"]
    changed = httpx.post(
        f"{url}/api/v2/partner/password",
        json={"old": COURT_PASSWORD, "new": OWN_PASSWORD},
        headers=auth,
    )
    assert changed.status_code == 200, changed.text
    return token


def rows(database_url: str, statement: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        return list(conn.execute(statement).fetchall())


def enrolled_station(database_url: str, url: str, tmp_path: Path, code: str, name: str) -> Context:
    data = tmp_path / code
    make_station(data, code=code, name=name)
    ctx = Context(data)
    enrol(
        ctx,
        server=url,
        code=new_enrol_code(database_url, url, code, name),
        actor=signed_in(ctx, ADMIN),
    )
    return ctx


ASK = {
    "kind_id": CANCELLATION,
    "subject_name": "王丽",
    "subject_id": SUBJECT_ID,
    "legal_basis": "《中华人民共和国民事诉讼法》第六十七条",
    "partner_case_no": "(2026)吉0102民初1234号",
    "station": STATION,
}


def test_a_court_asks_the_station_answers_and_the_court_reads_it_signed(
    public_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    url = public_server.url
    ctx = enrolled_station(database_url, url, tmp_path, STATION, STATION_NAME)
    enrolled_station(database_url, url, tmp_path, OTHER, OTHER_NAME).close()

    added = add_partner(
        database_url, province_key, "长春市南关区人民法院", "court", "nanguan-court"
    )
    assert added.returncode == 0, added.stderr
    may = {k["kind_id"] for k in json.loads(added.stdout)["may_ask"]}
    assert CANCELLATION in may and "jl_ex_education_identity" not in may
    token = partner_token(url, "nanguan-court")
    auth = {"Authorization": f"Bearer {token}"}

    # the station is proposed from the identity number's region code
    found = httpx.get(
        f"{url}/api/v2/partner/stations", params={"region": SUBJECT_ID[:6]}, headers=auth
    )
    assert found.json()[0] == {"code": STATION, "name": STATION_NAME, "proposed": True}
    assert not any(s["proposed"] for s in found.json()[1:])
    assert [
        s["code"]
        for s in httpx.get(
            f"{url}/api/v2/partner/stations", params={"q": "海龙"}, headers=auth
        ).json()
    ] == [OTHER]

    asked = httpx.post(f"{url}/api/v2/partner/inquiries", json=ASK, headers=auth)
    assert asked.status_code == 200, asked.text
    inquiry = asked.json()
    assert inquiry["number"].startswith("HC-") and inquiry["status"] == "open"
    assert inquiry["information"] == "户口注销的事实和日期"
    # the subject is sealed in the province's database: no name, no number in plain
    [(subject,)] = rows(database_url, "SELECT subject FROM inquiries")
    assert "王丽" not in subject and SUBJECT_ID not in subject
    dumped = json.dumps(
        rows(database_url, "SELECT * FROM inquiry_events"), default=str, ensure_ascii=False
    )
    assert SUBJECT_ID not in dumped and "王丽" not in dumped
    assert "民事诉讼法" in dumped and "(2026)吉0102民初1234号" in dumped  # who asked and why

    # the station receives it on its sync; the other station does not
    round_ = sync(ctx, actor=as_officer(ctx, CLERK))
    assert round_.inquiries == 1
    login(ctx.data_dir, CLERK)
    listed = js(run(ctx.data_dir, "exchange", "list", "--json"))
    assert [r["number"] for r in listed] == [inquiry["number"]]
    assert listed[0]["subject_name"] == "王丽" and listed[0]["days_left"] >= 4
    assert [f["name"] for f in listed[0]["fields"]] == [
        "found",
        "cancelled",
        "date",
        "reason",
        "note",
    ]

    # a wrong field is named; nothing is answered
    wrong = run(
        ctx.data_dir,
        "exchange",
        "answer",
        inquiry["number"],
        "--field",
        "found=查有此人",
        "--field",
        "cancelled=已注销",
        "--field",
        "date=2026-02-30",
        "--json",
    )
    assert wrong.returncode != 0 and "date" in wrong.stdout + wrong.stderr
    assert js(run(ctx.data_dir, "exchange", "list", "--json"))[0]["status"] == "open"

    done = run(
        ctx.data_dir,
        "exchange",
        "answer",
        inquiry["number"],
        "--field",
        "found=查有此人",
        "--field",
        "cancelled=已注销",
        "--field",
        "date=2026-03-02",
        "--field",
        "reason=死亡",
        "--json",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert js(done)["status"] == "answered"
    again = run(ctx.data_dir, "exchange", "decline", inquiry["number"], "--reason", "重复")
    assert again.returncode != 0 and "已由本站已答复" in again.stdout + again.stderr
    assert sync(ctx, actor=as_officer(ctx, CLERK)).pending == 0

    # the answer's fields are sealed at the province, and not in the records table
    [(answer, signature)] = rows(database_url, "SELECT answer, signature FROM inquiries")
    assert "死亡" not in answer and len(signature) == 128
    pushed = json.dumps(rows(database_url, "SELECT payload FROM records"), ensure_ascii=False)
    assert "2026-03-02" not in pushed and "死亡" not in pushed

    # the court reads it, signature checked, and prints 核查结果
    read = httpx.get(f"{url}/api/v2/partner/inquiries/{inquiry['id']}", headers=auth).json()
    assert read["status"] == "answered" and read["signature"] == "valid"
    assert read["answer"] == {
        "found": "查有此人",
        "cancelled": "已注销",
        "date": "2026-03-02",
        "reason": "死亡",
    }
    assert read["officer"] == CLERK and read["key"] == f"{STATION}-01-1"
    pdf = httpx.get(f"{url}/api/v2/partner/inquiries/{inquiry['id']}/pdf", headers=auth)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    for expected in (
        "核查结果",
        "长春市南关区人民法院",
        "王丽",
        SUBJECT_ID,
        "已注销",
        "2026年3月2日",
        STATION_NAME,
    ):
        assert expected in flat, expected
    assert (
        subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
        .stdout.split("Pages:")[1]
        .split()[0]
        == "1"
    )
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # embedded
    address = qr_text(path)  # (the page as printed, read by zbarimg)
    assert address == f"{url.upper()}/H/{inquiry['number']}-{read['check_code']}"
    status = httpx.get(address)
    assert status.status_code == 200 and "签名有效" in status.text
    assert "王丽" not in status.text and SUBJECT_ID not in status.text  # no personal data

    # the answer altered in the database (even by someone with the data key): signature fails
    from server.sealing import ensure_data_key, open_sealed, seal

    key = ensure_data_key(province_key.with_name("province-data.key"))
    context = f"inquiry:{inquiry['id']}:nanguan-court:{STATION}:{CANCELLATION}:answer"
    changed = open_sealed(key, answer, context)
    changed["answer"]["cancelled"] = "未注销"
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("UPDATE inquiries SET answer = %s", (seal(key, changed, context),))
    forged = httpx.get(f"{url}/api/v2/partner/inquiries/{inquiry['id']}", headers=auth).json()
    assert forged["signature"] == "invalid"
    assert (
        httpx.get(f"{url}/api/v2/partner/inquiries/{inquiry['id']}/pdf", headers=auth).status_code
        == 409
    )

    # every reading is audited with the partner's name
    actions = [
        a
        for (a,) in rows(
            database_url, "SELECT action FROM inquiry_events WHERE actor = 'nanguan-court'"
        )
    ]
    assert "ask" in actions and "read" in actions and "print" in actions
    ctx.close()


def test_a_sector_asking_for_what_it_may_not_have_is_refused_and_logged(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    url = live_server.url
    enrolled_station(database_url, url, tmp_path, STATION, STATION_NAME).close()
    assert (
        add_partner(
            database_url, province_key, "吉林省某某中学", "education", "school-1"
        ).returncode
        == 0
    )
    auth = {"Authorization": f"Bearer {partner_token(url, 'school-1')}"}
    refused = httpx.post(f"{url}/api/v2/partner/inquiries", json=ASK, headers=auth)
    assert refused.status_code == 403
    assert "不在“户口注销信息”的交换部门之列" in refused.json()["message"]
    assert rows(database_url, "SELECT count(*) FROM inquiries") == [(0,)]
    [(detail,)] = rows(
        database_url, "SELECT detail FROM inquiry_events WHERE action = 'ask.refused'"
    )
    assert CANCELLATION in detail and "民事诉讼法" in detail


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("kind_id", "jl_no_such_kind", "没有可核查的信息类别"),
        ("kind_id", "Bad Kind", "kind_id"),
        ("subject_name", "", "姓名"),
        ("subject_name", "Wang Li", "姓名"),
        ("subject_id", "220102198003150021", "校验码"),
        ("subject_id", "12345", "18位"),
        ("legal_basis", "法", "legal_basis"),
        ("legal_basis", "依据\n换行", "legal_basis"),
        ("partner_case_no", "", "partner_case_no"),
        ("partner_case_no", "x" * 61, "partner_case_no"),
        ("station", "999999999", "没有派出所"),
        ("station", "bad station", "station"),
    ],
)
def test_bad_input_on_every_field_is_named_and_nothing_is_stored(
    live_server: LiveServer,
    database_url: str,
    province_key: Path,
    tmp_path: Path,
    field: str,
    value: str,
    words: str,
) -> None:
    url = live_server.url
    if not rows(database_url, "SELECT 1 FROM stations"):
        enrolled_station(database_url, url, tmp_path, STATION, STATION_NAME).close()
    assert (
        add_partner(
            database_url, province_key, "长春市南关区人民法院", "court", "court-x"
        ).returncode
        == 0
    )
    auth = {"Authorization": f"Bearer {partner_token(url, 'court-x')}"}
    answer = httpx.post(f"{url}/api/v2/partner/inquiries", json={**ASK, field: value}, headers=auth)
    assert answer.status_code in (400, 422), answer.text
    assert words in answer.json()["message"], answer.json()
    assert rows(database_url, "SELECT count(*) FROM inquiries") == [(0,)]


def test_partner_accounts_refuse_bad_input_and_wrong_passwords(
    live_server: LiveServer, database_url: str, province_key: Path
) -> None:
    bad_sector = add_partner(database_url, province_key, "某某银行", "no_such", "bank-1")
    assert bad_sector.returncode == 2 and "sector" in bad_sector.stderr
    # a sector the catalog gives no exchange: no account (it could ask for nothing)
    nothing = add_partner(database_url, province_key, "某某医院", "health", "hospital-1")
    assert nothing.returncode == 2 and "没有" in nothing.stderr
    short = server_cli(
        database_url,
        province_key,
        "partner",
        "add",
        "--name",
        "某法院",
        "--sector",
        "court",
        "--password-stdin",
        stdin="short\n",
    )
    assert short.returncode == 2 and "密码至少12位" in short.stderr
    assert rows(database_url, "SELECT count(*) FROM partners") == [(0,)]
    auto = server_cli(
        database_url,
        province_key,
        "partner",
        "add",
        "--name",
        "长春市中级人民法院",
        "--sector",
        "court",
        "--password-stdin",
        "--json",
        stdin=COURT_PASSWORD + "\n",
    )
    assert auto.returncode == 0 and json.loads(auto.stdout)["name"] == "court-001"
    url = live_server.url
    wrong = httpx.post(
        f"{url}/api/v2/partner/login", json={"name": "court-001", "password": "x" * 12}
    )
    assert wrong.status_code == 401 and "账号或密码不对" in wrong.json()["message"]
    # a province account's or a station's token is not a partner's
    assert (
        httpx.get(
            f"{url}/api/v2/partner/inquiries", headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    disabled = server_cli(database_url, province_key, "partner", "disable", "--login", "court-001")
    assert disabled.returncode == 0
    after = httpx.post(
        f"{url}/api/v2/partner/login", json={"name": "court-001", "password": COURT_PASSWORD}
    )
    assert after.status_code == 401


def shown(driver: Any, css: str, text: str) -> str:
    """The text of the element ``css`` once it shows ``text`` (a page loads after a click)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
    )
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def test_in_a_real_browser_a_court_asks_and_reads_the_signed_answer(
    public_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    """The partner pages in Debian's chromium, on a phone and a desktop: sign in, ask (the
    station proposed from the identity number), read 待答复; the station answers with the command
    line; the page shows the signed answer and serves its PDF."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url = public_server.url
    ctx = enrolled_station(database_url, url, tmp_path, STATION, STATION_NAME)
    enrolled_station(database_url, url, tmp_path, OTHER, OTHER_NAME).close()
    assert (
        add_partner(
            database_url, province_key, "长春市南关区人民法院", "court", "nanguan-court"
        ).returncode
        == 0
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    asked: list[str] = []
    for width, height, name in ((390, 844, "phone"), (1366, 768, "desktop")):
        driver = browser(width, height)
        try:
            driver.get(f"{url}/partner")
            driver.save_screenshot(str(SCREENSHOTS / f"partner_login_{name}.png"))
            driver.find_element(By.ID, "name").send_keys("nanguan-court")
            driver.find_element(By.ID, "password").send_keys("wrong-password-1")
            driver.find_element(By.CSS_SELECTOR, "form button").click()
            assert "账号或密码不对" in shown(driver, "#message", "账号或密码不对")
            first = name == "phone"  # the first sign-in: the province's password, then its own
            password = COURT_PASSWORD if first else OWN_PASSWORD
            driver.find_element(By.ID, "password").send_keys(password)
            driver.find_element(By.CSS_SELECTOR, "form button").click()
            if first:
                shown(driver, "h1", "修改密码")
                driver.save_screenshot(str(SCREENSHOTS / "partner_password_phone.png"))
                driver.find_element(By.ID, "old").send_keys(COURT_PASSWORD)
                driver.find_element(By.ID, "new").send_keys(OWN_PASSWORD)
                driver.find_element(By.ID, "again").send_keys(OWN_PASSWORD + "x")
                driver.find_element(
                    By.CSS_SELECTOR, "form[action='/partner/password'] button"
                ).click()
                assert "不一致" in shown(driver, "#message", "不一致")
                driver.find_element(By.ID, "old").send_keys(COURT_PASSWORD)
                driver.find_element(By.ID, "new").send_keys(OWN_PASSWORD)
                driver.find_element(By.ID, "again").send_keys(OWN_PASSWORD)
                driver.find_element(
                    By.CSS_SELECTOR, "form[action='/partner/password'] button"
                ).click()
            assert "我的核查请求" in shown(driver, "h1", "我的核查请求")
            driver.find_element(By.LINK_TEXT, "新建核查请求").click()
            shown(driver, "h1", "新建核查请求")
            Select(driver.find_element(By.ID, "kind_id")).select_by_value(CANCELLATION)
            driver.find_element(By.ID, "subject_id").send_keys(SUBJECT_ID)
            driver.find_element(By.ID, "legal_basis").send_keys(ASK["legal_basis"])
            driver.find_element(By.ID, "partner_case_no").send_keys(f"(2026)吉0102民初{width}号")
            # the name left out: the page names the field and keeps what was typed
            driver.find_element(By.CSS_SELECTOR, "button[value=search]").click()
            shown(driver, "#station option[selected]", STATION_NAME)
            chosen = Select(driver.find_element(By.ID, "station")).first_selected_option
            assert chosen.get_attribute("value") == STATION and "按身份号码推荐" in chosen.text
            driver.find_element(By.CSS_SELECTOR, "button[value=ask]").click()
            message = shown(driver, "#message", "姓名")
            assert "姓名" in message, message
            field = driver.find_element(By.ID, "subject_name")
            assert field.get_attribute("aria-invalid") == "true"
            assert driver.find_element(By.ID, "subject_id").get_attribute("value") == SUBJECT_ID
            field.send_keys("王丽")
            seen = driver.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]"
            )
            assert seen[1] <= seen[0], seen  # nothing wider than the screen
            driver.save_screenshot(str(SCREENSHOTS / f"partner_new_{name}.png"))
            driver.find_element(By.CSS_SELECTOR, "button[value=ask]").click()
            assert shown(driver, ".verdict", "待答复").startswith("待答复")
            asked.append(driver.current_url.split("/partner/requests/")[1].split("?")[0])
        finally:
            driver.quit()
    assert rows(database_url, "SELECT count(*) FROM inquiries") == [(2,)]

    # the station answers one and declines the other, with the command line
    assert sync(ctx, actor=as_officer(ctx, CLERK)).inquiries == 2
    login(ctx.data_dir, CLERK)
    first, second = js(run(ctx.data_dir, "exchange", "list", "--json"))
    answered = run(
        ctx.data_dir,
        "exchange",
        "answer",
        first["id"],
        "--field",
        "found=查有此人",
        "--field",
        "cancelled=已注销",
        "--field",
        "date=2026-03-02",
        "--field",
        "reason=死亡",
    )
    assert answered.returncode == 0, answered.stderr
    declined = run(
        ctx.data_dir,
        "exchange",
        "decline",
        second["number"],
        "--reason",
        "本所无该人户籍档案，请向其户籍地派出所核查",
    )
    assert declined.returncode == 0, declined.stderr
    assert sync(ctx, actor=as_officer(ctx, CLERK)).pending == 0

    for width, height, name in ((390, 844, "phone"), (1366, 768, "desktop")):
        driver = browser(width, height)
        try:
            driver.get(f"{url}/partner")
            driver.find_element(By.ID, "name").send_keys("nanguan-court")
            driver.find_element(By.ID, "password").send_keys(OWN_PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "form button").click()
            shown(driver, "h1", "我的核查请求")
            statuses = driver.find_elements(By.CSS_SELECTOR, "ul.requests .status")
            assert sorted(s.text for s in statuses) == ["不予答复", "已答复"]
            driver.save_screenshot(str(SCREENSHOTS / f"partner_requests_{name}.png"))
            driver.get(f"{url}/partner/requests/{first['id']}")
            assert driver.find_element(By.CSS_SELECTOR, ".verdict").text == "已答复 · 签名有效"
            main = driver.find_element(By.TAG_NAME, "main").text
            assert "已注销" in main and "2026-03-02" in main and "死亡" in main
            driver.save_screenshot(str(SCREENSHOTS / f"partner_answer_{name}.png"))
            link = driver.find_element(By.PARTIAL_LINK_TEXT, "核查结果(PDF)").get_attribute("href")
            cookie = driver.get_cookie("certdesk_partner")
            assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            pdf = httpx.get(link, cookies={"certdesk_partner": cookie["value"]})
            assert pdf.headers["content-type"] == "application/pdf"
            (tmp_path / f"{name}.pdf").write_bytes(pdf.content)
            assert f"/H/{first['number']}-" in qr_text(tmp_path / f"{name}.pdf")
            driver.get(f"{url}/partner/requests/{second['id']}")
            assert driver.find_element(By.CSS_SELECTOR, ".verdict").text == "不予答复 · 签名有效"
            assert "户籍地派出所" in driver.find_element(By.TAG_NAME, "main").text
        finally:
            driver.quit()

    # supervision counts the exchanges beside the certificates: per station, per partner
    figures = server_cli(database_url, province_key, "stats", "--json")
    assert figures.returncode == 0, figures.stderr
    stats = json.loads(figures.stdout)
    counts = {"asked": 2, "in_time": 2, "late": 0, "open": 0, "overdue": 0, "declined": 1}
    assert {k: stats["inquiries"][k] for k in counts} == counts
    [by_station] = stats["inquiries_by_station"]
    assert by_station["key"] == STATION and by_station["asked"] == 2
    [by_partner] = stats["inquiries_by_partner"]
    assert by_partner["name"] == "长春市南关区人民法院" and by_partner["declined"] == 1
    assert stats["savings"]["exchanges"] == 1  # the answered one saved a citizen's trip
    login(ctx.data_dir, SUPERVISOR)
    station_stats = js(run(ctx.data_dir, "stats", "--json"))
    assert station_stats["inquiries"]["asked"] == 2 and station_stats["savings"]["exchanges"] == 1
    assert station_stats["inquiries_by_partner"][0]["name"] == "长春市南关区人民法院"
    ctx.close()


def test_the_pages_refuse_a_form_without_its_key_and_another_partners_request(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    url = live_server.url
    enrolled_station(database_url, url, tmp_path, STATION, STATION_NAME).close()
    for login_name in ("court-a", "court-b"):
        assert (
            add_partner(database_url, province_key, "某某人民法院", "court", login_name).returncode
            == 0
        )
    partner_token(url, "court-a")  # (its own password chosen)
    client = httpx.Client(base_url=url)
    signed = client.post("/partner/login", data={"name": "court-a", "password": OWN_PASSWORD})
    assert signed.status_code == 303 and "certdesk_partner" in client.cookies
    # a form posted from elsewhere carries no form key: refused, nothing stored
    forged = client.post("/partner/new", data={**ASK, "action": "ask"})
    assert forged.status_code == 403 and "表单已过期" in forged.text
    assert rows(database_url, "SELECT count(*) FROM inquiries") == [(0,)]
    # another partner's inquiry is not found for this one
    other = httpx.post(
        f"{url}/api/v2/partner/inquiries",
        json=ASK,
        headers={"Authorization": f"Bearer {partner_token(url, 'court-b')}"},
    ).json()
    assert client.get(f"/partner/requests/{other['id']}").status_code == 404
    assert client.get(f"/partner/requests/{other['id']}.pdf").status_code == 404
    # a NUL or a line break in any field of the pages: a message, never a server error
    form_key = client.get("/partner/new").text.split('name="form_key" value="')[1].split('"')[0]
    for field in (
        "kind_id",
        "subject_name",
        "subject_id",
        "legal_basis",
        "partner_case_no",
        "station",
    ):
        for bad in ("\x00", "a\nb"):
            answer = client.post(
                "/partner/new", data={**ASK, "form_key": form_key, "action": "ask", field: bad}
            )
            assert answer.status_code in (400, 422), (field, answer.status_code)
            assert 'role="alert"' in answer.text
    assert (
        client.post(
            "/partner/new", data={**ASK, "form_key": form_key, "action": "search", "q": "\x00"}
        ).status_code
        == 200
    )
    assert rows(database_url, "SELECT count(*) FROM inquiries") == [(1,)]  # court-b's only
    nul = httpx.post(f"{url}/partner/login", data={"name": "court\x00a", "password": "x"})
    assert nul.status_code in (401, 429) and 'role="alert"' in nul.text  # (5 sign-ins a minute)
    assert "court\x00a" not in nul.text
    # signed out: the pages send the partner to sign in
    client.cookies.clear()
    assert client.get("/partner/requests").status_code == 303
    assert client.get("/H/HC-2026-999999").status_code == 404


def test_due_dates_follow_the_provinces_setting_per_kind_and_overdue_shows(
    database_url: str, province_key: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from app.policy.workdays import CHINA, WorkCalendar

    server = LiveServer(
        database_url, province_key, inquiry_days={CANCELLATION: 2, "jl_ex_court_hukou_info": 7}
    ).start()
    try:
        url = server.url
        enrolled_station(database_url, url, tmp_path, STATION, STATION_NAME).close()
        assert (
            add_partner(database_url, province_key, "某某人民法院", "court", "court-d").returncode
            == 0
        )
        token = partner_token(url, "court-d")
        auth = {"Authorization": f"Bearer {token}"}
        today = dt.datetime.now(CHINA).date()
        calendar = WorkCalendar(None)
        for kind, days in (
            (CANCELLATION, 2),
            ("jl_ex_court_hukou_info", 7),
            ("jl_ex_court_criminal_record", 3),  # (the 2021 rules' limit, unless set)
        ):
            asked = httpx.post(
                f"{url}/api/v2/partner/inquiries", json={**ASK, "kind_id": kind}, headers=auth
            )
            assert asked.status_code == 200, asked.text
            assert (
                asked.json()["due_date"] == calendar.add_working_days(today, days).due.isoformat()
            ), kind
        # a due date passed with no answer: the partner's list says so, in red
        with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(
                "UPDATE inquiries SET due_date = %s WHERE kind_id = %s",
                ((today - dt.timedelta(days=1)).isoformat(), CANCELLATION),
            )
        mine = httpx.get(f"{url}/api/v2/partner/inquiries", headers=auth).json()
        assert [r["overdue"] for r in mine if r["kind_id"] == CANCELLATION] == [True]
        page = httpx.get(f"{url}/partner/requests", cookies={"certdesk_partner": token}).text
        assert page.count("(已逾期)") == 1 and 'class="status overdue"' in page
    finally:
        server.stop()
