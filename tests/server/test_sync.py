"""The provincial server and the station's sync, end to end on a real PostgreSQL: enrolment,
push exactly once, pull (keys, voids, signed catalogs), verification online and offline."""

from __future__ import annotations

import hashlib
import json
import stat
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from pgserver import LiveServer, enrol_code, feed_row, free_port, server_cli
from support import (
    ADMIN,
    APPROVED,
    CLERK,
    KINSHIP,
    PASSWORD,
    altered_qr,
    field_args,
    js,
    login,
    qr_text,
    run,
    sql,
)
from support import make_station as set_up


def make_station(tmp_path: Path, code: str) -> Path:
    """A station set up (support.make_station), its administrator signed in to enrol it."""
    data = tmp_path / code
    set_up(data, code=code, name=f"{code}派出所")
    login(data, ADMIN)
    return data


def issue(data: Path, out: Path | None = None) -> dict[str, Any]:
    args = ["issue", "--kind", "亲属关系证明", "--requester", "bank", "--purpose", "in_province"]
    args += ["--officer", CLERK, "--json", *field_args(KINSHIP)]
    if out is not None:
        args += ["--output", str(out)]
    result: dict[str, Any] = js(run(data, *args))
    return result


def outbox(data: Path) -> tuple[int, int]:
    with closing(sql(data / "certdesk.db")) as conn:
        total, pending = conn.execute(
            "SELECT count(*), count(*) - count(acked_at) FROM outbox"
        ).fetchone()
    return int(total), int(pending)


def test_enrol_push_verify_void(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    again = server_cli(database_url, province_key, "migrate")
    assert again.returncode == 0 and "最新结构" in again.stdout
    station = make_station(tmp_path, "220102001")
    code = enrol_code(database_url, province_key, "220102001", "长春市南关区民康派出所")
    wrong = run(
        station, "enrol", "--server", live_server.url, "--code", "AAAA-BBBB-CCCC-" + code[-9:]
    )
    assert wrong.returncode == 2 and "登记码不对" in wrong.stderr
    enrolled = js(run(station, "enrol", "--server", live_server.url, "--code", code, "--json"))
    assert enrolled["station_code"] == "220102001" and len(enrolled["province_public_key"]) == 64
    token_file = station / "keys" / "province.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    reused = run(station, "enrol", "--server", live_server.url, "--code", code)
    assert reused.returncode == 2  # one-time
    login(station, CLERK)

    pdf = tmp_path / "paper.pdf"
    serial = issue(station, pdf)["serial"]
    total, pending = outbox(station)
    assert pending == total > 0
    round_one = run(station, "sync", "--json")
    assert round_one.returncode == 0, round_one.stderr
    synced = js(round_one)
    assert synced["pushed"] == total and synced["pending"] == 0 and synced["pulled"] >= 1
    assert outbox(station) == (total, 0)

    online = js(run(station, "verify", serial, "--server", live_server.url, "--json"))
    # a bare serial: its status only (the kind, date and facts are for who holds the QR)
    assert online == {"serial": serial, "status": "valid"}
    # the paper's QR, posted: the status, and the facts the paper must state under a signature
    # checked with the province's own key list
    qr = qr_text(pdf)
    held = run(station, "verify", "--qr", qr, "--server", live_server.url, "--json")
    assert held.returncode == 0, held.stderr
    answer = js(held)
    assert (answer["status"], answer["signature"], answer["matches_record"]) == (
        "valid",
        "valid",
        True,
    )
    assert answer["kind_id"] == "jl_kinship" and answer["station"] == "220102001"
    assert answer["facts"]["relation"] == KINSHIP["relation"]
    assert answer["facts"]["applicant_name"] == KINSHIP["applicant_name"]
    shown = run(station, "verify", "--qr", qr, "--server", live_server.url).stdout
    assert "有效" in shown and "亲属关系：父子" in shown
    forged = run(
        station,
        "verify",
        "--qr",
        altered_qr(qr, relation="祖孙"),
        "--server",
        live_server.url,
        "--json",
    )
    assert forged.returncode == 1 and js(forged)["signature"] == "invalid"
    assert js(forged)["facts"] == {} and js(forged)["kind_id"] is None
    unknown = run(
        station, "verify", "220102001-01-2026-000099-2", "--server", live_server.url, "--json"
    )
    assert js(unknown)["status"] == "unknown" and unknown.returncode == 1

    voided = run(station, "void", serial, "--reason", "填写错误", *APPROVED, stdin=PASSWORD)
    assert voided.returncode == 0, voided.stderr
    assert js(run(station, "sync", "--json"))["pending"] == 0
    assert (
        js(run(station, "verify", serial, "--server", live_server.url, "--json"))["status"]
        == "void"
    )
    void_qr = run(station, "verify", "--qr", qr, "--server", live_server.url, "--json")
    assert void_qr.returncode == 1 and js(void_qr)["status"] == "void"
    assert "已作废" in js(void_qr)["reason"]
    assert js(run(station, "sync", "--json"))["pushed"] == 0  # nothing left: an idle round
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        case = conn.execute("SELECT status, finished_on FROM cases").fetchall()
        sent = dict(conn.execute("SELECT seq, sha256 FROM records").fetchall())
    assert [status for status, _ in case] == ["voided"] and case[0][1]  # the case too
    with closing(sql(station / "certdesk.db")) as db:  # what the station kept
        kept = dict(db.execute("SELECT seq, sha256 FROM outbox").fetchall())
        payloads = db.execute("SELECT count(*) FROM outbox_payloads").fetchone()[0]
    assert kept == sent and payloads == 0  # acknowledged: digests kept, payloads pruned

    stats = server_cli(database_url, province_key, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert {"station_code": "220102001", "count": 1} in json.loads(stats.stdout)["by_station"]


def test_offline_serial_is_unknown_online_but_its_qr_verifies_offline(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    a, b = make_station(tmp_path, "220102001"), make_station(tmp_path, "220102002")
    for data, code in ((a, "220102001"), (b, "220102002")):
        assert (
            run(
                data,
                "enrol",
                "--server",
                live_server.url,
                "--code",
                enrol_code(database_url, province_key, code),
            ).returncode
            == 0
        )
        login(data, CLERK)
    pdf = tmp_path / "a.pdf"
    serial = issue(a, pdf)["serial"]
    qr = qr_text(pdf)
    assert (
        js(run(a, "verify", serial, "--server", live_server.url, "--json"))["status"] == "unknown"
    )
    early = js(run(b, "verify", "--qr", qr, "--server", live_server.url, "--json"))
    assert (early["signature"], early["status"], early["matches_record"]) == (
        "valid",
        "unknown",
        None,
    )
    assert "尚未收到" in early["reason"]  # A's key was enrolled; its records are not synced yet
    before = run(b, "verify", "--qr", qr, "--json")
    assert before.returncode == 1 and "220102001" in js(before)["reason"]  # B does not know A yet
    assert js(run(a, "sync", "--json"))["pending"] == 0
    assert js(run(b, "sync", "--json"))["pulled"] >= 2  # A's and B's keys
    assert js(run(b, "verify", "--qr", qr, "--json"))["valid"] is True  # offline, A's key pulled
    assert run(a, "void", serial, "--reason", "填写错误", *APPROVED, stdin=PASSWORD).returncode == 0
    run(a, "sync")
    run(b, "sync")
    voided = run(b, "verify", "--qr", qr, "--json")
    assert voided.returncode == 1 and "作废" in js(voided)["reason"]


def test_signed_catalog_is_installed_and_a_bad_signature_refused(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    station = make_station(tmp_path, "220102001")
    run(
        station,
        "enrol",
        "--server",
        live_server.url,
        "--code",
        enrol_code(database_url, province_key, "220102001"),
    )
    login(station, CLERK)
    catalog = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "national-2016.yaml"
    published = server_cli(database_url, province_key, "catalog", "publish", str(catalog), "--json")
    assert published.returncode == 0, published.stderr
    assert js(run(station, "sync", "--json"))["refused"] == []
    assert "national" in js(run(station, "catalog", "show", "--json"))["id"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: 1\n", encoding="utf-8")
    refused = server_cli(database_url, province_key, "catalog", "publish", str(bad))
    assert refused.returncode == 2 and "bad.yaml" in refused.stderr
    jilin = (catalog.parent / "jilin-2015.yaml").read_text(encoding="utf-8")
    forged = {  # well formed, the catalog signed with the wrong key
        "catalog_id": "jilin_2015",
        "version": "x",
        "sha256": hashlib.sha256(jilin.encode()).hexdigest(),
        "signature": "00" * 64,
        "text": jilin,
    }
    # written into the feed by someone without the province key: never served
    feed_row(database_url, "catalog", forged)
    unseen = js(run(station, "sync", "--json"))
    assert unseen["refused"] == [] and unseen["pulled"] == 0
    # in a feed entry the province signed (a bug, an older release): the station checks the
    # catalog's own signature and refuses it
    feed_row(database_url, "catalog", forged, signed_with=province_key)
    result = js(run(station, "sync", "--json"))
    assert len(result["refused"]) == 1 and "签名不对" in result["refused"][0]
    assert "national" in js(run(station, "catalog", "show", "--json"))["id"]  # old stays


def test_sync_without_a_server_keeps_everything_and_says_how_much_waits(
    tmp_path: Path, database_url: str, province_key: Path, live_server: LiveServer
) -> None:
    station = make_station(tmp_path, "220102001")
    run(
        station,
        "enrol",
        "--server",
        live_server.url,
        "--code",
        enrol_code(database_url, province_key, "220102001"),
    )
    login(station, CLERK)
    issue(station)
    total, pending = outbox(station)
    offline = run(station, "sync", "--server", f"http://127.0.0.1:{free_port()}", "--json")
    assert offline.returncode == 4 and js(offline)["pending"] == pending
    assert "待上报" in offline.stderr
    assert outbox(station) == (total, pending)
    with closing(sql(station / "certdesk.db")) as conn:
        errors = {row[0] for row in conn.execute("SELECT last_error FROM outbox")}
    assert all(e for e in errors)  # each waiting row says why


# ---------------------------------------------------------------------- the API, refusing


@pytest.fixture
def enrolled(live_server: LiveServer, database_url: str, province_key: Path) -> dict[str, str]:
    from server import service
    from server.db import make_engine, sessions
    from server.keys import ensure_key

    engine = make_engine(database_url, pool_size=1)
    tokens = {}
    with sessions(engine, feed_key=ensure_key(province_key))() as session, session.begin():
        for code in ("220102001", "220102002"):
            enrol = service.add_station(session, code=code, name="测试派出所", province_key="")
            done = service.enrol(
                session,
                enrol_code=enrol,
                station_code=code,
                workstation="01",
                public_key=code[-2:] * 32,  # every PC its own key
                province_key="00",
            )
            tokens[code] = done.token
    engine.dispose()
    return tokens


def record(seq: int, serial: str = "220102001-01-2026-000001-H", **item: Any) -> dict[str, Any]:
    """A pushed certificate record as the protocol has it (``app.protocol.models``)."""
    return {
        "id": f"00000000-0000-4000-8000-{seq:012d}",
        "seq": seq,
        "item": {
            "topic": "certificate",
            "serial": serial,
            "case_id": "00000000-0000-4000-8000-000000000001",
            "kind_id": "jl_kinship",
            "form_id": "kinship",
            "issued_at": "2026-11-28T02:00:00+00:00",
            "print_count": 1,
            "status": "issued",
            **item,
        },
    }


def count(database_url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_push_is_exactly_once_and_a_changed_resend_is_a_conflict(
    live_server: LiveServer, enrolled: dict[str, str], database_url: str
) -> None:
    auth = {"Authorization": f"Bearer {enrolled['220102001']}"}
    batch = {
        "station": "220102001",
        "records": [record(1), record(2, "220102001-01-2026-000002-F")],
    }
    with httpx.Client(base_url=live_server.url, headers=auth) as client:
        first = client.post("/api/v2/push", json=batch).json()
        assert (first["applied"], first["duplicates"], first["acked_through"]) == (2, 0, 2)
        again = client.post("/api/v2/push", json=batch).json()  # a replayed batch
        assert (again["applied"], again["duplicates"], again["conflicts"]) == (0, 2, [])
        changed = {
            "station": "220102001",
            "records": [record(2, "220102001-01-2026-000002-F", kind_id="other")],
        }
        conflict = client.post("/api/v2/push", json=changed).json()
        assert conflict["conflicts"] == [{"id": record(2)["id"], "reason": "同一记录编号内容不同"}]
    assert count(database_url, "records") == 2 and count(database_url, "conflicts") == 1
    assert count(database_url, "certificates") == 2


def test_bad_requests_get_the_right_4xx_and_store_nothing(
    live_server: LiveServer, enrolled: dict[str, str], database_url: str
) -> None:
    url = live_server.url + "/api/v2/push"
    mine = {"Authorization": f"Bearer {enrolled['220102001']}"}
    batch = {"station": "220102001", "records": [record(1)]}
    cases = [
        (httpx.post(url, json=batch), 401),  # no token
        (httpx.post(url, json=batch, headers={"Authorization": "Bearer nonsense"}), 401),
        (
            httpx.post(
                url, content=b"{not json", headers={**mine, "Content-Type": "application/json"}
            ),
            422,
        ),
        (httpx.post(url, content=b"x" * (5 * 1024 * 1024), headers=mine), 413),
        (httpx.post(url, json={"station": "220102002", "records": [record(1)]}, headers=mine), 403),
        (
            httpx.post(
                url,
                json={"station": "220102001", "records": [record(1, "220102002-01-2026-000001-X")]},
                headers=mine,
            ),
            403,
        ),
        (
            httpx.post(
                url, json={"station": "220102001", "records": [record(2), record(1)]}, headers=mine
            ),
            400,
        ),
        (httpx.post(url, json={"station": "220102001", "records": []}, headers=mine), 422),
        (httpx.get(live_server.url + "/api/v1/verify/not-a-serial"), 422),
        (httpx.get(live_server.url + "/api/v2/pull?after=-1", headers=mine), 422),
    ]
    for response, status in cases:
        assert response.status_code == status, (response.request.url, response.text)
        assert "message" in response.json()
    assert count(database_url, "records") == 0 and count(database_url, "certificates") == 0


def test_control_characters_are_refused_by_the_schema_not_a_500(
    live_server: LiveServer, enrolled: dict[str, str], database_url: str
) -> None:
    """PostgreSQL text cannot hold NUL: a free-text field with a control character is refused
    (422, the field named), nothing stored — never a 500."""
    auth = {"Authorization": f"Bearer {enrolled['220102001']}"}
    void = {
        "topic": "void",
        "serial": "220102001-01-2026-000001-H",
        "case_id": "00000000-0000-4000-8000-000000000001",
        "reason": "填写\u0000错误",
        "voided_at": "2026-11-28T03:00:00+00:00",
    }
    sent = {
        "station": "220102001",
        "records": [{"id": record(1)["id"], "seq": 1, "item": void}],
    }
    response = httpx.post(live_server.url + "/api/v2/push", json=sent, headers=auth)
    assert response.status_code == 422, response.text
    assert "reason" in response.json()["message"]
    assert count(database_url, "records") == 0


def test_holiday_table_reaches_the_station(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    station = make_station(tmp_path, "220102001")
    run(
        station,
        "enrol",
        "--server",
        live_server.url,
        "--code",
        enrol_code(database_url, province_key, "220102001"),
    )
    login(station, CLERK)
    table = tmp_path / "holidays-2027.json"
    table.write_text(
        json.dumps({"years": [2027], "holidays": ["2027-01-01"], "workdays": ["2027-01-09"]})
    )
    published = server_cli(database_url, province_key, "holidays", "publish", str(table))
    assert published.returncode == 0 and "2027" in published.stdout, published.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"years": [2027], "holidays": ["2028-01-01"]}))
    assert server_cli(database_url, province_key, "holidays", "publish", str(bad)).returncode == 2
    assert js(run(station, "sync", "--json"))["pending"] == 0
    assert json.loads((station / "holidays.json").read_text())["workdays"] == ["2027-01-09"]


def test_verification_is_rate_limited_across_workers(database_url: str, province_key: Path) -> None:
    """Two server processes' worth of workers on one database share each client's bucket: a
    client spreading its requests over them — by serial and by posted QR — gets no more than
    from one."""
    servers = [
        LiveServer(database_url, province_key, verify_per_minute=60).start() for _ in range(2)
    ]

    def ask(n: int) -> int:
        url = servers[n % 2].url
        if n % 4 < 2:
            return httpx.get(f"{url}/api/v1/verify/220102001-01-2026-000001-H").status_code
        return httpx.post(f"{url}/api/v2/verify", json={"qr": "CD2:AAAA.AAAA"}).status_code

    try:
        codes = [ask(n) for n in range(40)]
    finally:
        for server in servers:
            server.stop()
    # a burst of 15 in all, then one a second (two servers would have let 30 through at once)
    assert codes[0] == 200 and 15 <= codes.count(200) <= 22 and codes.count(429) >= 18


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(
    database_url: str, province_key: Path
) -> None:
    serial = "/api/v2/verify/220102001-01-2026-000001-H"
    plain = LiveServer(database_url, province_key, verify_per_minute=4).start()
    proxied = LiveServer(
        database_url, province_key, verify_per_minute=4, trusted_proxies=["127.0.0.1"]
    ).start()
    try:
        # not behind a trusted proxy: a made-up header does not make a new client
        forged = [
            httpx.get(plain.url + serial, headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
            for n in range(6)
        ]
        assert forged.count(429) >= 4
        # behind our own proxy: each client behind it has its own bucket
        spread = [
            httpx.get(
                proxied.url + serial, headers={"X-Forwarded-For": f"203.0.113.7, 10.1.0.{n}"}
            ).status_code
            for n in range(6)
        ]
        assert spread == [200] * 6
        same = [
            httpx.get(proxied.url + serial, headers={"X-Forwarded-For": "10.2.0.1"}).status_code
            for _ in range(6)
        ]
        assert same.count(429) >= 4
    finally:
        plain.stop()
        proxied.stop()


def test_the_feed_from_before_write_time_signatures_is_signed_once_at_the_upgrade(
    database_url: str, province_key: Path
) -> None:
    """Entries written before s0011 were served signed; the upgrade's `migrate` signs them once
    with the province key. A row put in by hand afterwards stays unsigned, even through another
    `migrate`."""
    import psycopg
    from alembic import command
    from alembic.config import Config

    from app.protocol.models import feed_bytes
    from app.protocol.signing import verify_signature
    from server.db import MIGRATIONS, normalise_url
    from server.keys import ensure_key, public_hex

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    command.downgrade(config, "s0010")
    plain = database_url.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO feed (type, body) VALUES ('void', %s)",
            (json.dumps({"serial": "220102001-01-2026-000001-H", "station": "220102001"}),),
        )
    assert server_cli(database_url, province_key, "migrate").returncode == 0
    late = feed_row(database_url, "void", {"serial": "x", "station": "220102001"})
    assert server_cli(database_url, province_key, "migrate").returncode == 0
    with psycopg.connect(plain) as conn:
        rows = conn.execute("SELECT id, type, body, signature FROM feed ORDER BY id").fetchall()
    public = public_hex(ensure_key(province_key))
    (first, kind, body, signature), (late_id, *_, late_signature) = rows
    assert signature and verify_signature(
        public, feed_bytes(first, {**body, "type": kind}), signature
    )
    assert late_id == late and late_signature is None


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("203.0.113.7", "", [], "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "", [], "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "", [], "2001:db8:1:2::/64"),  # the same subscriber
        ("2001:db8:1:3::1", "", [], "2001:db8:1:3::/64"),  # another
        ("::ffff:198.51.100.4", "", [], "198.51.100.4"),
        ("127.0.0.1", "2001:db8:9:9::5, 10.0.0.1", ["127.0.0.1", "10.0.0.1"], "2001:db8:9:9::/64"),
        ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
        ("198.51.100.9", "192.0.2.1", ["127.0.0.1"], "198.51.100.9"),  # not our proxy
    ],
)
def test_the_rate_limit_keys_a_client_by_its_address_and_ipv6_by_its_64(
    peer: str, forwarded: str, trusted: list[str], client: str
) -> None:
    from starlette.requests import Request

    from server.api import client_address

    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    request = Request({"type": "http", "client": (peer, 4000), "headers": headers})
    assert client_address(request, frozenset(trusted)) == client


def test_buckets_of_clients_gone_quiet_are_forgotten(database_url: str, province_key: Path) -> None:
    import psycopg

    plain = database_url.replace("+psycopg", "")
    server = LiveServer(database_url, province_key, rate_prune_seconds=0.3).start()
    try:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO rate_buckets (client, tokens, at) VALUES "
                "('192.0.2.1', 3, now() - interval '2 hours'), ('192.0.2.2', 3, now())"
            )
        assert (
            httpx.get(f"{server.url}/api/v2/verify/220102001-01-2026-000001-H").status_code == 200
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with psycopg.connect(plain) as conn:
                clients = {r[0] for r in conn.execute("SELECT client FROM rate_buckets")}
            if "192.0.2.1" not in clients:
                break
            time.sleep(0.2)
    finally:
        server.stop()
    assert clients == {"192.0.2.2", "127.0.0.1"}  # the quiet one forgotten, the recent ones kept
