"""Answers and readings a real station or partner would never send, against the real PostgreSQL:
each is refused (a conflict the station is told of, nothing applied) or shows as not vouched for;
and what a database dump or the public status page gives away."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from desk import CANCEL, OTHER, STATION, H

from app.protocol.models import PushRecord, record_digest, record_json


@pytest.fixture
def desk(database_url: str, province_key: Path) -> H:
    h = H(database_url, province_key)
    h.station(STATION, "长春市南关区民康派出所")
    h.station(OTHER, "梅河口市海龙派出所")
    return h


def conflict(answer: dict[str, object]) -> str:
    assert answer["applied"] == 0, answer
    [found] = answer["conflicts"]
    return str(found["reason"])


def test_a_good_answer_applies_and_a_dump_cannot_guess_it(desk: H) -> None:
    auth = desk.partner("court-1")
    inquiry = desk.ask(auth)
    item = desk.answer_item(inquiry, STATION)
    pushed = desk.push(STATION, [item]).json()
    assert pushed["applied"] == 1, pushed
    # the records table keeps a digest keyed with the data key: the plain digest of the record
    # (which a dump could match by trying every short answer) is not there
    [(record_id, seq, sha, payload)] = desk.sql("SELECT id, seq, sha256, payload FROM records")
    sent = PushRecord.model_validate({"id": record_id, "seq": seq, "item": item})
    assert sha != record_digest(sent) and payload["answer"] == {} and payload["sealed"] is True
    # resent as it was: still the same record (acknowledged again, not a conflict)
    again = desk.c.post(
        "/api/v2/push",
        json={"station": STATION, "workstation": "01", "records": [record_json(sent)]},
        headers={"Authorization": "Bearer " + desk.tokens[(STATION, "01")]},
    ).json()
    assert again["duplicates"] == 1 and again["conflicts"] == []
    read = desk.c.get(f"/api/v2/partner/inquiries/{inquiry['id']}", headers=auth).json()
    assert read["signature"] == "valid"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"status": "declined", "answer": {"found": "whatever", "x1": "王丽 住址某某路"}},
            "不予答复只附理由",
        ),
        ({"reason": "另附：此人另有前科"}, "答复字段不规范"),
        (
            {
                "answer": {
                    "found": "查有此人",
                    "cancelled": "已注销",
                    "date": "2026-01-02",
                    "reason": "死亡",
                    "note": "  ",
                }
            },
            "答复字段不规范",
        ),
        ({"answer": {"found": "查有此人"}}, "答复字段不对"),
        ({"answered_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}, "答复时间"),
        ({"answered_at": dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)}, "答复时间"),
    ],
)
def test_answers_out_of_shape_are_conflicts_and_nothing_is_applied(
    desk: H, change: dict[str, object], words: str
) -> None:
    auth = desk.partner("court-1")
    inquiry = desk.ask(auth)
    item = desk.answer_item(inquiry, STATION, **change)  # type: ignore[arg-type]
    assert words in conflict(desk.push(STATION, [item]).json())
    assert desk.sql("SELECT status, answer FROM inquiries") == [("open", None)]


def test_a_signature_that_does_not_hold_another_station_and_a_second_answer(desk: H) -> None:
    auth = desk.partner("court-1")
    inquiry = desk.ask(auth)
    forged = desk.answer_item(inquiry, STATION, sign_answer={"found": "本所未查到此人"})
    assert "签名不符" in conflict(desk.push(STATION, [forged]).json())
    elsewhere = desk.answer_item(inquiry, OTHER)
    assert "不属于本所" in conflict(desk.push(OTHER, [elsewhere]).json())
    desk.station(STATION, "长春市南关区民康派出所", ws="02")
    first = desk.push(STATION, [desk.answer_item(inquiry, STATION)]).json()
    assert first["applied"] == 1
    late = desk.answer_item(
        inquiry, STATION, ws="02", status="declined", answer={}, reason="查无档案"
    )
    assert "已由第 01 号工作站答复" in conflict(desk.push(STATION, [late], ws="02").json())
    # and workstation 02 learns whose answer was kept
    [seen] = desk.fetch(STATION, "02").json()["inquiries"]
    assert seen["status"] == "answered" and seen["workstation"] == "01"


def test_the_public_status_needs_its_code_and_checks_the_signature(desk: H) -> None:
    from server.inquiries import check_code
    from server.sealing import open_sealed, seal

    auth = desk.partner("court-1")
    inquiries = [desk.ask(auth) for _ in range(2)]
    assert desk.push(STATION, [desk.answer_item(inquiries[0], STATION)]).json()["applied"] == 1
    number = inquiries[0]["number"]
    code = check_code(desk.data_key, number)
    assert desk.c.get(f"/H/{number}").status_code == 404  # numbers run in order: not enough
    assert desk.c.get(f"/H/{number}-000000000000").status_code == 404
    page = desk.c.get(f"/H/{number}-{code}")
    assert page.status_code == 200 and "签名有效" in page.text and "王丽" not in page.text
    # the answer altered by someone holding the data key: the page no longer vouches
    [(row_id, partner, answer)] = desk.sql(
        "SELECT id, partner, answer FROM inquiries WHERE answer IS NOT NULL"
    )
    context = f"inquiry:{row_id}:{partner}:{STATION}:{CANCEL}:answer"
    changed = open_sealed(desk.data_key, answer, context)
    changed["answer"]["cancelled"] = "未注销"
    desk.sql(
        "UPDATE inquiries SET answer = %s WHERE id = %s",
        (seal(desk.data_key, changed, context), row_id),
    )
    page = desk.c.get(f"/H/{number}-{code}")
    assert "签名有效" not in page.text and "无法核验" in page.text


def test_what_the_signature_and_the_seal_bind(desk: H) -> None:
    auth = desk.partner("court-1")
    other = desk.partner("court-2", unit="某某区人民法院")
    inquiry = desk.ask(auth)
    assert desk.push(STATION, [desk.answer_item(inquiry, STATION)]).json()["applied"] == 1
    # the legal basis or the officer's name changed in the database: the signature breaks
    desk.sql("UPDATE inquiries SET legal_basis = '伪造的依据XXXX'")
    read = desk.c.get(f"/api/v2/partner/inquiries/{inquiry['id']}", headers=auth).json()
    assert read["signature"] == "invalid"
    pdf = desk.c.get(f"/api/v2/partner/inquiries/{inquiry['id']}/pdf", headers=auth)
    assert pdf.status_code == 409
    # the inquiry given to another partner: its sealed subject no longer opens
    desk.sql("UPDATE inquiries SET partner = 'court-2'")
    moved = desk.c.get(f"/api/v2/partner/inquiries/{inquiry['id']}", headers=other)
    assert moved.status_code == 409 and "已被改动" in moved.json()["message"]
    assert desk.c.get("/api/v2/partner/inquiries", headers=other).json() == []  # skipped
    events = json.dumps(desk.sql("SELECT action FROM inquiry_events"), ensure_ascii=False)
    assert "damaged" in events


def test_a_wrong_data_key_stops_the_server(
    database_url: str, province_key: Path, tmp_path: Path
) -> None:
    from app.errors import CertdeskError
    from server.api import create_app
    from server.settings import Settings

    create_app(
        Settings(database_url=database_url, province_key=province_key)
    ).state.engine.dispose()
    with pytest.raises(CertdeskError, match="省级数据密钥与本数据库登记的不符"):
        create_app(
            Settings(
                database_url=database_url,
                province_key=province_key,
                data_key=tmp_path / "elsewhere" / "province-data.key",
            )
        )


def test_the_sign_in_page_echoes_no_strange_name_and_cuts_no_font(desk: H) -> None:
    page = desk.c.post("/partner/login", data={"name": "王𪚥𪚥𪚥", "password": "x" * 12})
    assert page.status_code == 401 and "𪚥" not in page.text and "@font-face" not in page.text
    kept = desk.c.post("/partner/login", data={"name": "court-9", "password": "x" * 12})
    assert 'value="court-9"' in kept.text


def test_a_partners_first_password_idle_sessions_and_signing_out(desk: H) -> None:
    from sqlalchemy.orm import Session

    from server import inquiries

    with Session(desk.app.state.engine) as session, session.begin():
        inquiries.add_partner(
            session, name="court-7", unit="某某人民法院", sector="court", password="court-pass-2026"
        )
    signed = desk.c.post(
        "/api/v2/partner/login", json={"name": "court-7", "password": "court-pass-2026"}
    ).json()
    auth = {"Authorization": f"Bearer {signed['token']}"}
    assert signed["must_change"] is True
    # nothing but the password change before the province's password is replaced
    assert desk.c.get("/api/v2/partner/kinds", headers=auth).status_code == 403
    wrong = desk.c.post(
        "/api/v2/partner/password",
        json={"old": "not-it-2026", "new": "court-own-2026x"},
        headers=auth,
    )
    assert wrong.status_code == 400 and "原密码不对" in wrong.json()["message"]
    weak = desk.c.post(
        "/api/v2/partner/password", json={"old": "court-pass-2026", "new": "short"}, headers=auth
    )
    assert weak.status_code == 400 and "至少12位" in weak.json()["message"]
    same = desk.c.post(
        "/api/v2/partner/password",
        json={"old": "court-pass-2026", "new": "court-pass-2026"},
        headers=auth,
    )
    assert same.status_code == 400 and "不能与原密码相同" in same.json()["message"]
    assert (
        desk.c.post(
            "/api/v2/partner/password",
            json={"old": "court-pass-2026", "new": "court-own-2026x"},
            headers=auth,
        ).status_code
        == 200
    )
    assert desk.c.get("/api/v2/partner/kinds", headers=auth).status_code == 200
    actions = [a for (a,) in desk.sql("SELECT action FROM inquiry_events WHERE actor = 'court-7'")]
    assert "password.refused" in actions and "password.change" in actions
    # every request moves the idle clock on, reads included
    desk.sql("UPDATE partner_sessions SET last_seen = now() - interval '29 minutes'")
    for read in ("/api/v2/partner/kinds", "/api/v2/partner/stations"):
        assert desk.c.get(read, headers=auth).status_code == 200
        [(idle,)] = desk.sql("SELECT now() - last_seen < interval '1 minute' FROM partner_sessions")
        assert idle, read
        desk.sql("UPDATE partner_sessions SET last_seen = now() - interval '29 minutes'")
    # half an hour without a request ends the session
    desk.sql("UPDATE partner_sessions SET last_seen = now() - interval '31 minutes'")
    assert desk.c.get("/api/v2/partner/kinds", headers=auth).status_code == 401
    again = desk.c.post(
        "/api/v2/partner/login", json={"name": "court-7", "password": "court-own-2026x"}
    ).json()
    auth = {"Authorization": f"Bearer {again['token']}"}
    assert again["must_change"] is False
    assert desk.c.post("/api/v2/partner/logout", headers=auth).status_code == 200
    assert desk.c.get("/api/v2/partner/kinds", headers=auth).status_code == 401


def test_wrong_passwords_make_their_address_wait_not_the_court(desk: H) -> None:
    from sqlalchemy.orm import Session

    from server import inquiries
    from server.service import ServerError

    with Session(desk.app.state.engine) as session, session.begin():
        inquiries.add_partner(
            session,
            name="court-001",
            unit="某某人民法院",
            sector="court",
            password="court-pass-2026",
        )

    def sign_in(password: str, client: str) -> bool:
        with Session(desk.app.state.engine) as session, session.begin():
            done = inquiries.login(session, name="court-001", password=password, client=client)
        return not isinstance(done, ServerError)

    for _ in range(5):  # someone guessing from elsewhere
        assert not sign_in("guess-2026-x", "203.0.113.9")
    assert not sign_in("court-pass-2026", "203.0.113.9")  # that address waits, right or wrong
    assert sign_in("court-pass-2026", "10.1.2.3")  # the court itself signs in
    # from many addresses: twenty wrong in a row make the account itself wait
    for n in range(20):
        assert not sign_in("guess-2026-x", f"198.51.100.{n}")
    assert not sign_in("court-pass-2026", "10.1.2.3")
    [(failed, locked)] = desk.sql(
        "SELECT failed, locked_until IS NOT NULL FROM partners WHERE name = 'court-001'"
    )
    assert locked and failed == 0
