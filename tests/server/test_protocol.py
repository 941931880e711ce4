"""The one protocol (app.protocol.models) through the real API: every push item, every feed event
and every answer goes over HTTP to a live server on PostgreSQL and comes back as the same model;
the server's OpenAPI schema is made of these models."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from pathlib import Path

import httpx
import psycopg
from pgserver import LiveServer, server_cli
from pydantic import BaseModel, TypeAdapter

from app.policy.workdays import CHINA
from app.protocol import models
from app.protocol.models import (
    API,
    CaseItem,
    CertificateItem,
    EnrolAnswer,
    EnrolRequest,
    ExchangeItem,
    HandOverItem,
    NoticeItem,
    OversightFlags,
    Problem,
    PullPage,
    PushAnswer,
    PushBatch,
    PushItem,
    PushRecord,
    ReprintItem,
    Statistics,
    VerifyAnswer,
    VoidItem,
    WorkstationState,
    record_digest,
)
from app.protocol.status import CaseStatus, CertificateStatus, ExchangeStatus, NoticeType

STATION = "220102001"
SERIAL = "220102001-01-2026-000001-H"
CASE = "01930000-0000-7000-8000-000000000001"
AT = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
ITEMS: list[PushItem] = [
    CaseItem(
        id=CASE,
        case_no="220102001-01-2026-C000001",
        kind_id="jl_kinship",
        requester="bank",
        purpose="in_province",
        outcome="issue",
        status=CaseStatus.ISSUED,
        special_case=False,
        approved=False,
        report_to_superior=False,
        catalog_id="jilin_2015",
        catalog_version="2015.1",
        created_at=AT,
        ended_at=AT,
    ),
    CertificateItem(
        serial=SERIAL,
        case_id=CASE,
        kind_id="jl_kinship",
        form_id="kinship",
        issued_at=AT,
        print_count=1,
        status=CertificateStatus.ISSUED,
    ),
    NoticeItem(
        notice_no="220102001-01-2026-N000001",
        case_id=CASE,
        type=NoticeType.REFUSAL,
        created_at=AT,
        printed=True,
    ),
    ExchangeItem(
        id="01930000-0000-7000-8000-000000000002",
        case_id=CASE,
        exchange_kind_id="jl_ex_hukou_cancellation",
        requester="court",
        status=ExchangeStatus.OPEN,
        created_at=AT,
    ),
    ReprintItem(serial=SERIAL, print_count=2, printed_at=AT),
    HandOverItem(serial=SERIAL, handed_over_at=AT),
    VoidItem(serial=SERIAL, case_id=CASE, voided_at=AT),
]


def _enrol(url: str, database_url: str, province_key: Path, key: str) -> EnrolAnswer:
    added = server_cli(  # for workstation 01: the second call replaces its PC
        database_url,
        province_key,
        "station",
        "add",
        "--code",
        STATION,
        "--name",
        "测试",
        "--workstation",
        "01",
        "--json",
    )
    code = json.loads(added.stdout)["enrol_code"]
    request = EnrolRequest(enrol_code=code, station_code=STATION, workstation="01", public_key=key)
    response = httpx.post(f"{url}{API}/enrol", json=request.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    return EnrolAnswer.model_validate_json(response.content)


def test_every_message_round_trips_through_the_real_api(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    url = live_server.url
    first = _enrol(url, database_url, province_key, "ab" * 32)
    answer = _enrol(url, database_url, province_key, "cd" * 32)  # a new key: the old retired
    assert answer.province_public_key == first.province_public_key
    auth = {"Authorization": f"Bearer {answer.token}"}

    records = [
        PushRecord(id=f"01930000-0000-7000-8000-1000000000{i:02d}", seq=i, item=item)
        for i, item in enumerate(ITEMS, 1)
    ]
    batch = PushBatch(station=STATION, records=records)
    response = httpx.post(f"{url}{API}/push", json=batch.model_dump(mode="json"), headers=auth)
    pushed = PushAnswer.model_validate_json(response.content)
    assert (pushed.applied, pushed.acked_through, pushed.conflicts) == (len(ITEMS), len(ITEMS), [])
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        stored = conn.execute("SELECT seq, payload, sha256 FROM records ORDER BY seq").fetchall()
        case = conn.execute("SELECT status, finished_on FROM cases").fetchall()
    assert case == [("voided", "2026-11-28")]  # the void voids its case at the province too
    items = TypeAdapter(PushItem)
    assert [items.validate_python(payload) for _, payload, _ in stored] == ITEMS
    assert [sha for *_, sha in stored] == [record_digest(r) for r in records]
    held = WorkstationState.model_validate_json(
        httpx.get(f"{url}{API}/workstation", headers=auth).content
    )
    assert (held.station, held.workstation, held.acked_seq) == (STATION, "01", len(ITEMS))
    assert ("certificate", int(SERIAL.split("-")[3])) in {(n.name, n.value) for n in held.numbers}

    holidays = tmp_path / "holidays.json"
    holidays.write_text(json.dumps({"years": [2027], "holidays": ["2027-01-01"], "workdays": []}))
    server_cli(database_url, province_key, "holidays", "publish", str(holidays))
    catalog = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "national-2016.yaml"
    server_cli(database_url, province_key, "catalog", "publish", str(catalog))
    page = PullPage.model_validate_json(httpx.get(f"{url}{API}/pull", headers=auth).content)
    kinds = [entry.event.type for entry in page.events]
    assert set(kinds) == {"station_key", "key_revoked", "void", "holidays", "catalog"}
    void = next(e.event for e in page.events if e.event.type == "void")
    assert (void.station, void.serial) == (STATION, SERIAL)  # type: ignore[union-attr]

    verified = httpx.get(f"{url}{API}/verify/{SERIAL}")
    assert VerifyAnswer.model_validate_json(verified.content).status == "void"
    period = {"from": "2026-11-01", "to": "2026-11-30"}
    stats = Statistics.model_validate_json(
        httpx.get(f"{url}{API}/stats", params=period, headers=auth).content
    )
    # a station's token: the province's totals, no count per station
    assert stats.certificates_issued == 1 and stats.by_station == []
    flags = OversightFlags.model_validate_json(
        httpx.get(f"{url}{API}/oversight", params=period, headers=auth).content
    )
    assert {f.flag for f in flags.root} == {"voids"}
    refused = httpx.get(f"{url}{API}/pull", headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    assert "令牌" in Problem.model_validate_json(refused.content).message


def test_the_openapi_schema_is_made_of_the_protocol_models(live_server: LiveServer) -> None:
    schema = httpx.get(f"{live_server.url}/openapi.json").json()
    published = set(schema["components"]["schemas"])
    ours = {
        name
        for name, value in inspect.getmembers(models, inspect.isclass)
        if issubclass(value, BaseModel) and value.__module__ == models.__name__ and "[" not in name
    } - {"Message"}
    assert ours <= published, ours - published


def test_version_one_is_answered_plainly_and_its_records_are_recognised(
    live_server: LiveServer, database_url: str, province_key: Path
) -> None:
    """A station still on protocol version 1 is told to upgrade (410, not a 422 on every push);
    a record the province got in version 1 and gets again after the upgrade is the same record,
    not a conflict; receiving units keep the version-1 address of the public check."""
    url = live_server.url
    answer = _enrol(url, database_url, province_key, "ef" * 32)
    auth = {"Authorization": f"Bearer {answer.token}"}
    old = httpx.post(f"{url}/api/v1/push", json={"station": STATION, "records": []}, headers=auth)
    assert old.status_code == 410 and "版本过旧" in Problem.model_validate_json(old.content).message
    record = PushRecord(id="01930000-0000-7000-8000-200000000001", seq=1, item=ITEMS[1])
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(  # as version 1 stored it: the row's columns, another digest
            "INSERT INTO records (id, station_code, workstation, seq, topic, payload, sha256,"
            " version) VALUES (%s, %s, '01', 1, 'certificate', %s, %s, 1)",
            (record.id, STATION, json.dumps({"serial": SERIAL}), "0" * 64),
        )
        conn.execute("UPDATE workstations SET acked_seq = 1")
    batch = PushBatch(station=STATION, records=[record]).model_dump(mode="json")
    resent = PushAnswer.model_validate_json(
        httpx.post(f"{url}{API}/push", json=batch, headers=auth).content
    )
    assert (resent.duplicates, resent.conflicts, resent.acked_through) == (1, [], 1)
    for path in (f"/api/v1/verify/{SERIAL}", f"{API}/verify/{SERIAL}"):
        assert VerifyAnswer.model_validate_json(httpx.get(url + path).content).status == "unknown"


def test_a_stations_clock_is_kept_per_day_and_flagged(
    live_server: LiveServer, database_url: str, province_key: Path
) -> None:
    """Each batch carries the station's time; the province keeps each day's farthest offset,
    so a clock put right before the next sync still leaves the day it was off flagged."""
    import datetime as dt

    url = live_server.url
    auth = {"Authorization": f"Bearer {_enrol(url, database_url, province_key, 'ab' * 32).token}"}
    now = dt.datetime.now(dt.UTC)
    for seq, ahead in ((1, 30), (2, 0)):  # thirty minutes fast, then put right
        batch = PushBatch(
            station=STATION,
            records=[PushRecord(id=f"01930000-0000-7000-8000-20000000000{seq}", seq=seq,
                                item=ReprintItem(serial=SERIAL, print_count=seq, printed_at=AT))],
            sent_at=now + dt.timedelta(minutes=ahead),
        )  # fmt: skip
        answer = httpx.post(f"{url}{API}/push", json=batch.model_dump(mode="json"), headers=auth)
        pushed = PushAnswer.model_validate_json(answer.content)
        assert pushed.server_time is not None and abs(pushed.server_time - now).total_seconds() < 60
    page = PullPage.model_validate_json(httpx.get(f"{url}{API}/pull", headers=auth).content)
    assert page.server_time is not None
    today = now.astimezone(CHINA).date().isoformat()
    flags = OversightFlags.model_validate_json(
        httpx.get(
            f"{url}{API}/oversight", params={"from": today, "to": today}, headers=auth
        ).content
    )
    [clock] = [f for f in flags.root if f.flag == "clock"]
    assert (clock.officer, clock.day, clock.detail) == (
        STATION,
        today,
        "本机时钟比省级服务器快 30 分钟",
    )
