"""Supervision across the province: two stations' pushed records give the province's figures in
the station's shape and every station's oversight flags; a supervisor opens the same charts
against them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
from clerk import Clerk
from pgserver import LiveServer, new_enrol_code, server_cli
from support import (
    ADMIN,
    CLERK,
    KINSHIP,
    SUPERVISOR,
    approval,
    as_officer,
    make_station,
    province_token,
    signed_in,
)

from app.context import Context
from app.policy.decision import Request
from app.policy.workdays import CHINA
from app.records.printing import certificate_renderer
from app.services import certificates, counter
from app.services.supervision import Period, oversight
from app.sync import state
from app.sync.enrolment import enrol
from app.sync.round import sync

KIN = Request("亲属关系证明", "bank", "in_province")


def station(tmp_path: Path, code: str, database_url: str, server: str) -> Context:
    make_station(tmp_path / code, code=code, name=f"{code}派出所")
    ctx = Context(tmp_path / code)
    enrol_code = new_enrol_code(database_url, server, code, f"{code}派出所")
    enrol(ctx, server=server, code=enrol_code, actor=signed_in(ctx, ADMIN))
    return ctx


def fast_clock() -> dt.datetime:
    """A PC clock twenty minutes fast."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)


def test_province_figures_and_flags(
    qtbot, live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    a = station(tmp_path, "220102001", database_url, live_server.url)
    b = station(tmp_path, "220102002", database_url, live_server.url)
    for unit in ("某某保险公司", "某某保险公司", ""):
        counter.record_notice(
            a,
            request=Request("死亡证明", "other", "in_province", requester_unit=unit),
            officer=as_officer(a, CLERK),
        )
    counter.record_notice(  # the same unit asks at another station: listed once, both named
        b,
        request=Request("无上访记录证明", "other", "in_province", requester_unit="某某保险公司"),
        officer=as_officer(b, CLERK),
    )
    counter.record_notice(
        b, request=Request("注销户口证明", "court", "in_province"), officer=as_officer(b, CLERK)
    )
    serial_a = (
        counter.issue(a, request=KIN, officer=as_officer(a, CLERK), values=KINSHIP).serial or ""
    )
    certificates.void(
        a, serial=serial_a, reason="填写错误", officer=as_officer(a, CLERK), approval=approval()
    )
    serial_b = (
        counter.issue(
            b,
            request=KIN,
            officer=as_officer(b, CLERK),
            values=KINSHIP,
            render=certificate_renderer(b),
        ).serial
        or ""
    )
    for _ in range(2):
        certificates.reprint(
            b, serial=serial_b, reason="原件遗失", officer=as_officer(b, CLERK), approval=approval()
        )
    # by the time it syncs, station b's PC runs twenty minutes fast (its records were dated
    # right): both b and the province see it after the sync
    b_fast = Context(tmp_path / "220102002", clock=fast_clock)
    assert sync(a, actor=as_officer(a, CLERK)).pending == 0
    assert sync(b_fast, actor=signed_in(b_fast, CLERK)).pending == 0
    b_fast.close()
    assert state.clock(a) is not None and abs(state.clock(a).offset_seconds) < 60
    assert 1190 <= state.clock(b).offset_seconds <= 1210
    today = dt.datetime.now(CHINA).date()
    [clock_flag] = [
        f
        for f in oversight(b, Period(today, today), actor=as_officer(b, SUPERVISOR))
        if f.flag == "clock"
    ]
    assert clock_flag.detail == "本机时钟比省级服务器快 20 分钟"
    assert not [
        f
        for f in oversight(a, Period(today, today), actor=as_officer(a, SUPERVISOR))
        if f.flag == "clock"
    ]

    # 五个一律 rule 4: the province lists the refusals reported up, per unit, for all stations
    reported = server_cli(database_url, province_key, "reports", "--json")
    assert reported.returncode == 0, reported.stderr
    assert json.loads(reported.stdout) == [
        {
            "unit": "某某保险公司",
            "sector": "other",
            "count": 3,
            "stations": ["220102001", "220102002"],
            "kinds": ["无上访记录证明", "死亡证明"],
            "first_day": today.isoformat(),
            "last_day": today.isoformat(),
        },
        {
            "unit": "",
            "sector": "other",
            "count": 1,
            "stations": ["220102001"],
            "kinds": ["死亡证明"],
            "first_day": today.isoformat(),
            "last_day": today.isoformat(),
        },
    ]
    # a station's token reads its own station's list only
    own = httpx.get(
        f"{live_server.url}/api/v2/reports",
        headers={"Authorization": f"Bearer {province_token(tmp_path / '220102002')}"},
    )
    assert own.status_code == 200, own.text
    assert [(d["unit"], d["count"], d["stations"]) for d in own.json()] == [
        ("某某保险公司", 1, ["220102002"])
    ]
    figures = server_cli(database_url, province_key, "stats", "--json")
    assert figures.returncode == 0, figures.stderr
    data = json.loads(figures.stdout)
    assert data["by_outcome"] == {"abolished": 4, "exchange": 1, "issue": 2}
    assert data["by_station"] == [
        {"station_code": "220102001", "count": 4},
        {"station_code": "220102002", "count": 3},
    ]
    assert data["certificates_issued"] == 2 and data["savings"]["yuan"] == 100
    flags = json.loads(server_cli(database_url, province_key, "oversight", "--json").stdout)
    assert sorted((f["flag"], f["officer"], f["serial"] or "") for f in flags) == [
        ("clock", "220102002", ""),
        ("reprints", "220102002", serial_b),
        ("voids", "220102001", serial_a),
    ]
    [clock] = [f for f in flags if f["flag"] == "clock"]
    assert clock["title"] == "时钟偏差" and clock["detail"] == "本机时钟比省级服务器快 20 分钟"
    assert all(KINSHIP["applicant_name"] not in json.dumps(f, ensure_ascii=False) for f in flags)

    from ui.app import build_application
    from ui.main_window import MainWindow

    build_application([])
    window = MainWindow(a, signed_in(a, SUPERVISOR))
    qtbot.addWidget(window)
    window.show()
    window.open_supervision()
    view = window.supervision
    assert view is not None
    qtbot.waitUntil(lambda: view.stats is not None, timeout=20_000)
    assert view.stats.by_outcome == {"abolished": 3, "issue": 1}  # this station
    view.activateWindow()
    clerk = Clerk(qtbot)
    clerk.wait_active(view)
    view.province.setFocus()
    clerk.press("Space")
    clerk.press("Return")
    qtbot.waitUntil(lambda: view.stats.station == "全省", timeout=20_000)
    bars = {bar.label(): bar.at(0) for bar in view.outcome_chart.series()[0].barSets()}
    assert bars == {"不予出具": 4.0, "信息交换": 1.0, "出具": 2.0}
    # the station's token reads the province's totals and its own station's flags only
    assert {(f.flag, f.officer) for f in view.flags} == {("voids", "220102001")}
    assert view.stats.by_station == []
    for ctx in (a, b):
        ctx.close()

    # ------------------------------------------------ the province's detail is read by right
    url = live_server.url
    token_a = province_token(tmp_path / "220102001")
    as_a = {"Authorization": f"Bearer {token_a}"}
    own = httpx.get(f"{url}/api/v2/stats", params={"station": "220102001"}, headers=as_a)
    assert own.status_code == 200 and own.json()["by_outcome"] == {"abolished": 3, "issue": 1}
    for path in ("stats", "oversight", "reports"):
        other = httpx.get(f"{url}/api/v2/{path}", params={"station": "220102002"}, headers=as_a)
        assert other.status_code == 403 and "省级账号" in other.json()["message"]
        assert httpx.get(f"{url}/api/v2/{path}").status_code == 401

    weak = server_cli(
        database_url,
        province_key,
        "user",
        "add",
        "--name",
        "sjt.zhang",
        "--role",
        "province",
        "--password-stdin",
        stdin="short1\n",
    )
    assert weak.returncode == 2 and "至少12位" in weak.stderr
    password = "Province-2026-chk"
    added = server_cli(
        database_url,
        province_key,
        "user",
        "add",
        "--name",
        "sjt.zhang",
        "--role",
        "province",
        "--password-stdin",
        "--json",
        stdin=password + "\n",
    )
    assert added.returncode == 0, added.stderr
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        [(stored,)] = conn.execute("SELECT password_hash FROM province_users").fetchall()
    assert stored.startswith("$argon2id$") and password not in stored

    # sign-ins are limited per client (five a minute here): the sixth in a row waits
    tries = [
        httpx.post(f"{url}/api/v2/login", json={"name": "nobody", "password": "x"}).status_code
        for _ in range(6)
    ]
    assert tries == [401] * 5 + [429]
    # the account's own story, from another client (behind our proxy) with a larger allowance
    generous = LiveServer(
        database_url, province_key, login_per_minute=1000, trusted_proxies=["127.0.0.1"]
    ).start()
    url = generous.url
    elsewhere = {"X-Forwarded-For": "192.0.2.50"}

    def login(secret: str) -> httpx.Response:
        return httpx.post(
            f"{url}/api/v2/login",
            json={"name": "sjt.zhang", "password": secret},
            headers=elsewhere,
        )

    unknown = httpx.post(
        f"{url}/api/v2/login", json={"name": "nobody", "password": "x"}, headers=elsewhere
    )
    assert unknown.status_code == 401 and login("wrong-password-1").json() == unknown.json()
    signed = login(password)
    assert signed.status_code == 200, signed.text
    as_province = {"Authorization": f"Bearer {signed.json()['token']}"}
    everything = httpx.get(f"{url}/api/v2/stats", headers=as_province).json()
    assert everything["by_station"] == data["by_station"]
    all_flags = httpx.get(f"{url}/api/v2/oversight", headers=as_province).json()
    assert sorted((f["flag"], f["officer"]) for f in all_flags) == [
        ("clock", "220102002"),
        ("reprints", "220102002"),
        ("voids", "220102001"),
    ]
    one = httpx.get(f"{url}/api/v2/oversight", params={"station": "220102002"}, headers=as_province)
    assert {f["officer"] for f in one.json()} == {"220102002"}
    for _ in range(5):  # five wrong passwords in a row (the sign-in above reset the count)
        assert login("wrong-password-1").status_code == 401
    locked = login(password)  # the right password, locked: the same answer as a wrong one
    assert locked.status_code == 401 and locked.json() == unknown.json()
    disabled = server_cli(database_url, province_key, "user", "disable", "--name", "sjt.zhang")
    assert disabled.returncode == 0, disabled.stderr
    assert httpx.get(f"{url}/api/v2/stats", headers=as_province).status_code == 401
    listed = server_cli(database_url, province_key, "user", "list", "--json")
    assert [(u["name"], u["active"]) for u in json.loads(listed.stdout)] == [("sjt.zhang", False)]
    assert login(password).json() == unknown.json()  # disabled: the same answer again
    generous.stop()
