"""One identity per workstation, on the real PostgreSQL: two counter PCs of one station enrol with
their own one-time codes, issue, sync through a misbehaving network, and each one's QR codes
verify offline at the other; a PC enrolled again retires its old key (what it signed stays
valid), a compromised key sends the verifier online; a restored PC continues above everything
the province acknowledged; conflicts stay listed until an administrator resolves them."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from faultproxy import FaultProxy, Faults
from pgserver import LiveServer, enrol_code, feed_row, server_cli
from support import ADMIN, CLERK, KINSHIP, field_args, js, login, qr_text, run, signed_in, sql
from support import make_station as set_up

from app.protocol.signing import public_hex

STATION = "220102001"


def workstation(tmp_path: Path, number: str, server: LiveServer, code: str) -> Path:
    """A counter PC of the station, set up and enrolled with its own code."""
    data = tmp_path / f"ws{number}"
    set_up(data, code=STATION, name="长春市南关区民康派出所", workstation=number)
    login(data, ADMIN)
    enrolled = run(data, "enrol", "--server", server.url, "--code", code, "--json")
    assert enrolled.returncode == 0, enrolled.stderr
    assert js(enrolled)["workstation"] == number
    login(data, CLERK)
    return data


def issue(data: Path, pdf: Path | None = None, **override: str) -> dict[str, Any]:
    args = ["issue", "--kind", "亲属关系证明", "--requester", "bank", "--purpose", "in_province"]
    args += ["--json", *field_args({**KINSHIP, **override})]
    if pdf is not None:
        args += ["--output", str(pdf)]
    result = run(data, *args)
    assert result.returncode == 0, result.stderr
    issued: dict[str, Any] = js(result)
    return issued


def sync_until_idle(data: Path, server: str, rounds: int = 40) -> dict[str, Any]:
    for _ in range(rounds):
        done = run(data, "sync", "--server", server, "--json")
        if done.returncode == 0 and js(done)["pending"] == 0:
            result: dict[str, Any] = js(done)
            return result
        assert done.returncode == 4, done.stderr  # offline this round: try again
    raise AssertionError("sync did not become idle")


def listed(database_url: str, province_key: Path) -> list[dict[str, Any]]:
    done = server_cli(
        database_url, province_key, "workstation", "list", "--station", STATION, "--json"
    )
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


def province_rows(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        return list(conn.execute(sql).fetchall())


def test_two_workstations_of_one_station(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    first_code = enrol_code(database_url, province_key, STATION)
    ws1 = workstation(tmp_path, "01", live_server, first_code)
    second_code = enrol_code(database_url, province_key, STATION)  # touches no enrolled one
    assert second_code != first_code
    before = listed(database_url, province_key)
    assert [(w["workstation"], w["enrolled"]) for w in before] == [("01", True)]
    ws2 = workstation(tmp_path, "02", live_server, second_code)
    rows = listed(database_url, province_key)
    assert [(w["workstation"], w["enrolled"]) for w in rows] == [("01", True), ("02", True)]
    assert [len(w["keys"]) for w in rows] == [1, 1]
    assert all(w["keys"][0]["reason"] is None for w in rows)  # 02 revoked nothing of 01's
    reused = run(ws1, "enrol", "--server", live_server.url, "--code", second_code)
    assert reused.returncode != 0  # a code binds the one workstation that used it

    papers: dict[str, list[tuple[str, str]]] = {}
    for number, data in (("01", ws1), ("02", ws2)):
        papers[number] = []
        for n in range(2):
            pdf = tmp_path / f"{number}-{n}.pdf"
            serial = issue(data, pdf, applicant_name="王" + "甲乙丙丁"[int(number) + n])["serial"]
            assert f"{STATION}-{number}-" in serial
            papers[number].append((serial, qr_text(pdf)))

    proxy = FaultProxy(live_server.port, Faults(drop=0.1, cut=0.1, duplicate=0.1)).start()
    try:
        for data in (ws1, ws2, ws1):  # 01 again: it pulls 02's key
            assert sync_until_idle(data, proxy.url)["conflicts_open"] == 0
    finally:
        proxy.stop()
    per_ws = dict(
        province_rows(
            database_url, "SELECT workstation, count(*) FROM records GROUP BY 1 ORDER BY 1"
        )
    )
    assert set(per_ws) == {"01", "02"} and all(n > 0 for n in per_ws.values())
    assert province_rows(database_url, "SELECT count(*) FROM conflicts") == [(0,)]
    for number, data, other in (("01", ws1, ws2), ("02", ws2, ws1)):
        for serial, qr in papers[number]:
            online = js(run(data, "verify", serial, "--server", live_server.url, "--json"))
            assert online["status"] == "valid", online
            offline = run(other, "verify", "--qr", qr, "--json")
            assert offline.returncode == 0 and js(offline)["valid"] is True, offline.stdout
    # the province knows each workstation's highest numbers
    numbers = province_rows(
        database_url,
        "SELECT workstation, name, value FROM workstation_numbers "
        "WHERE name = 'certificate' ORDER BY 1",
    )
    assert [(w, v) for w, _, v in numbers] == [("01", 2), ("02", 2)]


def test_a_replaced_pc_retires_its_key_and_a_compromised_key_sends_the_verifier_online(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    ws2 = workstation(tmp_path, "02", live_server, enrol_code(database_url, province_key, STATION))
    old_pdf = tmp_path / "old.pdf"
    old_serial = issue(ws1, old_pdf)["serial"]
    old_qr = qr_text(old_pdf)
    sync_until_idle(ws1, live_server.url)
    # workstation 01's PC is replaced: the new PC is set up as 01 and enrolled with a new code
    new = tmp_path / "new01"
    set_up(new, code=STATION, name="长春市南关区民康派出所", workstation="01")
    login(new, ADMIN)
    # a code for "a new counter" cannot knock out an enrolled workstation; one for 02 cannot
    # enrol 01: replacing 01's PC takes a code issued for 01
    unbound = enrol_code(database_url, province_key, STATION)
    taken = run(new, "enrol", "--server", live_server.url, "--code", unbound)
    assert taken.returncode != 0 and "已登记" in taken.stderr and "--workstation 01" in taken.stderr
    for_02 = enrol_code(database_url, province_key, STATION, workstation="02")
    wrong = run(new, "enrol", "--server", live_server.url, "--code", for_02)
    assert wrong.returncode != 0 and "第 02 号工作站" in wrong.stderr
    assert [k["reason"] for k in listed(database_url, province_key)[0]["keys"]] == [None]
    assert js(run(ws1, "sync", "--server", live_server.url, "--json"))["pending"] == 0  # still in
    code = enrol_code(database_url, province_key, STATION, workstation="1")
    assert run(new, "enrol", "--server", live_server.url, "--code", code).returncode == 0
    keys = listed(database_url, province_key)[0]["keys"]
    assert [(k["key_no"], k["reason"]) for k in keys] == [(1, "retired"), (2, None)]
    old_token = run(ws1, "sync", "--server", live_server.url)
    assert old_token.returncode != 0 and "令牌" in old_token.stderr  # the old PC is out
    login(new, CLERK)
    sync_until_idle(new, live_server.url)  # learns 01's numbers: continues above them
    renewed = issue(new)["serial"]
    assert renewed != old_serial and int(renewed.split("-")[3]) > int(old_serial.split("-")[3])
    sync_until_idle(ws2, live_server.url)
    kept = run(ws2, "verify", "--qr", old_qr, "--json")
    assert kept.returncode == 0 and js(kept)["valid"] is True  # signed before the retirement

    revoked = server_cli(
        database_url,
        province_key,
        "key",
        "revoke",
        "--station",
        STATION,
        "--workstation",
        "01",
        "--reason",
        "compromised",
        "--from",
        "2000-01-01",
        "--json",
    )
    assert revoked.returncode == 0, revoked.stderr
    assert json.loads(revoked.stdout)["keys"] == [2]
    new_pdf_check = run(new, "sync", "--server", live_server.url)
    assert new_pdf_check.returncode != 0  # its token went with its key
    sync_until_idle(ws2, live_server.url)
    still = run(ws2, "verify", "--qr", old_qr, "--json")
    assert js(still)["valid"] is True  # key 1 was retired, not compromised
    posted = js(run(ws2, "verify", "--qr", old_qr, "--server", live_server.url, "--json"))
    assert posted["signature"] == "valid" and posted["status"] == "valid"  # the province agrees
    wrong = server_cli(
        database_url,
        province_key,
        "key",
        "revoke",
        "--station",
        STATION,
        "--workstation",
        "07",
        "--reason",
        "retired",
    )
    assert wrong.returncode == 2 and "07" in wrong.stderr


def test_a_compromised_key_is_checked_online(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    ws2 = workstation(tmp_path, "02", live_server, enrol_code(database_url, province_key, STATION))
    pdf = tmp_path / "a.pdf"
    issue(ws1, pdf)
    qr = qr_text(pdf)
    sync_until_idle(ws1, live_server.url)
    sync_until_idle(ws2, live_server.url)
    assert js(run(ws2, "verify", "--qr", qr, "--json"))["valid"] is True
    revoked = server_cli(
        database_url,
        province_key,
        "key",
        "revoke",
        "--station",
        STATION,
        "--workstation",
        "01",
        "--reason",
        "compromised",
    )
    assert revoked.returncode == 0, revoked.stderr
    sync_until_idle(ws2, live_server.url)
    check = run(ws2, "verify", "--qr", qr, "--json")
    assert check.returncode == 1
    assert js(check)["valid"] is False and js(check)["check_online"] is True
    assert "在线核验" in js(check)["reason"]
    # online, the province says the same: the serial's status, but no fact under that signature
    online = js(run(ws2, "verify", "--qr", qr, "--server", live_server.url, "--json"))
    assert (online["signature"], online["status"], online["facts"]) == ("check_online", "valid", {})


def test_a_restored_pc_with_lost_marks_continues_above_the_province(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    saved = tmp_path / "saved.db"
    login(ws1, ADMIN)
    assert run(ws1, "backup", str(saved)).returncode == 0
    login(ws1, CLERK)
    handed = {issue(ws1, applicant_name=f"王{n}")["serial"] for n in "甲乙丙"}
    sync_until_idle(ws1, live_server.url)
    login(ws1, ADMIN)
    (ws1 / "numbers.mark").unlink()  # a rebuilt PC: the marks are gone with the old disk
    assert run(ws1, "restore", str(saved)).returncode == 0
    login(ws1, CLERK)
    args = ["issue", "--kind", "亲属关系证明", "--requester", "bank", "--purpose", "in_province"]
    waiting = run(ws1, *args, *field_args(KINSHIP))
    assert waiting.returncode == 4 and "certdesk sync" in waiting.stderr
    result = sync_until_idle(ws1, live_server.url)
    year = next(iter(handed)).split("-")[2]
    assert result["lifted"][f"{year}/certificate"] == 3, result  # raised to the province's
    after = {issue(ws1, applicant_name=f"李{n}")["serial"] for n in "甲乙"}
    assert not after & handed
    result = sync_until_idle(ws1, live_server.url)
    assert result["conflicts_open"] == 0
    assert province_rows(database_url, "SELECT count(*) FROM conflicts") == [(0,)]


def test_conflict_list_and_resolve(tmp_path: Path) -> None:
    """The station's side, as the province reports a conflict: listed with its reason (and in
    the pending count) until an administrator resolves it with a reason; audited."""
    import datetime as dt

    from support import as_officer

    from app.context import Context
    from app.protocol.models import Conflict, PushAnswer
    from app.sync import state
    from app.sync.push import _acknowledge

    data = tmp_path / "station"
    set_up(data)
    login(data, CLERK)
    issue(data)
    ctx = Context(data)
    signed_in(ctx, CLERK)  # (opens the station's data in this process)
    with closing(sql(data / "certdesk.db")) as conn:
        rows = conn.execute("SELECT seq, id FROM outbox ORDER BY seq").fetchall()
    seqs = [r[0] for r in rows]
    answer = PushAnswer(
        acked_through=seqs[-1],
        applied=len(seqs) - 1,
        conflicts=[Conflict(id=rows[0][1], reason="同一记录编号内容不同")],
        server_time=dt.datetime.now(dt.UTC),
    )
    _acknowledge(ctx, seqs, answer)
    assert state.pending_count(ctx) == 1 and state.open_conflicts(ctx) == 1
    listed_now = js(run(data, "sync", "conflicts", "--json"))
    assert [(c["seq"], c["reason"]) for c in listed_now] == [(seqs[0], "同一记录编号内容不同")]
    assert listed_now[0]["number"]  # which case or certificate it is about
    refused = run(data, "sync", "resolve", str(seqs[0]), "--reason", "已核实")
    assert refused.returncode == 5  # an administrator's
    login(data, ADMIN)
    blank = run(data, "sync", "resolve", str(seqs[0]), "--reason", " ")
    assert blank.returncode == 2 and "[reason]" in blank.stderr
    done = run(data, "sync", "resolve", str(seqs[0]), "--reason", "已与省级核实，以省级记录为准")
    assert done.returncode == 0, done.stderr
    assert state.pending_count(ctx) == 0 and state.open_conflicts(ctx) == 0
    again = run(data, "sync", "resolve", str(seqs[0]), "--reason", "再次处理")
    assert again.returncode == 2 and "已于" in again.stderr
    everything = js(run(data, "sync", "conflicts", "--all", "--json"))
    assert everything[0]["resolved_by"] == ADMIN and "核实" in everything[0]["resolution"]
    from support import AUDITOR

    from app.services.integrity import verify_audit

    report = verify_audit(ctx, actor=as_officer(ctx, AUDITOR))
    assert report.ok, report.problem
    with closing(sql(data / "certdesk.db")) as conn:
        actions = [r[0] for r in conn.execute("SELECT action, officer_code FROM audit_events")]
    assert "sync.conflict_resolved" in actions
    ctx.close()


def test_a_feed_event_that_cannot_be_read_is_set_aside_and_the_rest_applied(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    """A holiday table with its years as text, an event of no known type and a catalog that is
    not one, each stored in the feed: the station reports each, moves its cursor past it and
    still takes the void published after them."""
    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    ws2 = workstation(tmp_path, "02", live_server, enrol_code(database_url, province_key, STATION))
    pdf = tmp_path / "a.pdf"
    serial = issue(ws1, pdf)["serial"]
    qr = qr_text(pdf)
    sync_until_idle(ws1, live_server.url)
    for kind, body in (  # signed by the province (an older release, a bug), unreadable
        ("holidays", {"years": "2026", "holidays": [], "workdays": []}),
        ("unknown", {"what": "?"}),
        ("catalog", {"catalog_id": "x", "version": "1", "sha256": "", "signature": ""}),
    ):
        feed_row(database_url, kind, body, signed_with=province_key)
    # and one written by someone without the key: a key for an impostor, never served
    impostor = Ed25519PrivateKey.generate()
    feed_row(
        database_url,
        "station_key",
        {"station": STATION, "workstation": "09", "key_no": 1, "public_key": public_hex(impostor)},
    )
    from support import APPROVED, PASSWORD

    voided = run(ws1, "void", serial, "--reason", "填写错误", *APPROVED, stdin=PASSWORD)
    assert voided.returncode == 0, voided.stderr
    sync_until_idle(ws1, live_server.url)  # the void follows the bad events in the feed
    before_holidays = (ws2 / "holidays.json").exists()
    result = sync_until_idle(ws2, live_server.url)
    assert len(result["refused"]) == 3, result["refused"]
    assert all("已跳过" in r for r in result["refused"])
    assert (ws2 / "holidays.json").exists() == before_holidays  # nothing written from it
    with closing(sql(ws2 / "certdesk.db")) as db:
        known = {row[0] for row in db.execute("SELECT public_key FROM known_keys")}
    assert known and public_hex(impostor) not in known  # the unsigned row never reached it
    check = run(ws2, "verify", "--qr", qr, "--json")
    assert check.returncode == 1 and "作废" in js(check)["reason"]  # the void got through
    again = sync_until_idle(ws2, live_server.url)
    assert again["refused"] == [] and again["pulled"] == 0  # the cursor moved past them


def test_a_broken_enrolment_file_is_named_and_nothing_changes(tmp_path: Path) -> None:
    data = tmp_path / "station"
    set_up(data)
    login(data, CLERK)
    (data / "keys").mkdir(exist_ok=True)
    (data / "keys" / "province.json").write_text('{"server": "http://x", "tok', "utf-8")
    with closing(sql(data / "certdesk.db")) as conn:
        before = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    broken = run(data, "sync")
    assert broken.returncode == 2 and "province.json" in broken.stderr, broken.stderr
    assert "certdesk enrol" in broken.stderr
    with closing(sql(data / "certdesk.db")) as conn:
        assert conn.execute("SELECT count(*) FROM audit_events").fetchone()[0] == before


def test_a_cloned_pc_conflicts_and_stays_listed_until_resolved(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    """A PC's disk copied to a second PC (token, keys, marks and all): both issue; the second's
    records reach the province after the first's and are refused as conflicts; they stay on the
    copy's waiting list and in the province's list until an administrator resolves them."""
    import shutil

    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    issue(ws1)
    sync_until_idle(ws1, live_server.url)
    copy = tmp_path / "copy"
    shutil.copytree(ws1, copy)
    login(copy, CLERK)  # (the session's token stayed in the first PC's memory)
    issue(ws1, applicant_name="王甲")
    issue(copy, applicant_name="李乙")  # the same numbers, another citizen
    sync_until_idle(ws1, live_server.url)
    done = run(copy, "sync", "--server", live_server.url, "--json")
    assert done.returncode == 0, done.stderr
    result = js(done)
    assert result["conflicts_open"] >= 1 and result["pending"] == result["conflicts_open"]
    listed_here = js(run(copy, "sync", "conflicts", "--json"))
    assert len(listed_here) == result["conflicts_open"]
    assert all(c["reason"] for c in listed_here)
    at_province = server_cli(
        database_url, province_key, "conflicts", "--station", STATION, "--json"
    )
    assert at_province.returncode == 0, at_province.stderr
    rows = json.loads(at_province.stdout)
    assert {r["record_id"] for r in rows} >= {c["id"] for c in listed_here}
    assert all(r["workstation"] == "01" for r in rows)
    again = js(run(copy, "sync", "--server", live_server.url, "--json"))
    assert again["conflicts_open"] == result["conflicts_open"]  # still there, a round later
    login(copy, ADMIN)
    for conflict in listed_here:
        resolved = run(
            copy, "sync", "resolve", str(conflict["seq"]), "--reason", "磁盘复制的电脑，已停用"
        )
        assert resolved.returncode == 0, resolved.stderr
    login(copy, CLERK)
    final = js(run(copy, "sync", "--server", live_server.url, "--json"))
    assert final["conflicts_open"] == 0 and final["pending"] == 0


def rewrite_chain(data: Path, *, from_seq: int, edit: Any) -> None:
    """What someone with the database file and its key can do: edit events from ``from_seq`` on
    (``edit`` changes an event's ``after``) and recompute every hash after it, as certdesk
    would have."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session
    from support import station_key

    from app.records import audit
    from app.records.db.models import AuditEvent
    from app.records.db.session import make_engine

    engine = make_engine(data / "certdesk.db", station_key(data))
    with Session(engine) as session, session.begin():
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        prev = audit.GENESIS
        for event in events:
            if event.seq >= from_seq:
                if event.seq == from_seq:
                    event.after = edit(dict(event.after or {}))
                event.prev_hash = prev
                event.hash = audit.event_hash(
                    seq=event.seq,
                    id=event.id,
                    at=event.at,
                    officer_code=event.officer_code,
                    action=event.action,
                    entity=event.entity,
                    entity_id=event.entity_id,
                    before=event.before,
                    after=event.after,
                    prev_hash=prev,
                )
            prev = event.hash
    engine.dispose()


def audit_events(data: Path) -> int:
    with closing(sql(data / "certdesk.db")) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_events").fetchone()[0])


def test_the_audit_chain_is_anchored_and_a_rewrite_or_truncation_is_caught(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    from support import AUDITOR, SUPERVISOR

    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    issue(ws1)
    first = sync_until_idle(ws1, live_server.url)
    assert first["anchored"] == audit_events(ws1) and first["chain_problem"] is None
    issue(ws1, applicant_name="王甲")
    second = sync_until_idle(ws1, live_server.url)
    assert second["anchored"] == audit_events(ws1) and second["chain_problem"] is None

    # rewritten whole: an anchored event edited and every hash after it recomputed
    rewrite_chain(ws1, from_seq=3, edit=lambda after: {**after, "note": {"edited": True}})
    login(ws1, AUDITOR)
    local = run(ws1, "audit", "verify", "--json")
    assert local.returncode == 0 and js(local)["ok"]  # the PC alone cannot tell
    login(ws1, CLERK)
    caught = sync_until_idle(ws1, live_server.url)
    assert caught["chain_problem"] and "不接续" in caught["chain_problem"], caught
    flags = json.loads(server_cli(database_url, province_key, "oversight", "--json").stdout)
    chain = [f for f in flags if f["flag"] == "chain"]
    assert len(chain) == 1 and chain[0]["officer"] == f"{STATION}-01"
    login(ws1, SUPERVISOR)
    here = js(run(ws1, "oversight", "--json"))
    assert any(f["flag"] == "chain" for f in here), here  # in the station's oversight too
    login(ws1, CLERK)
    calm = sync_until_idle(ws1, live_server.url)  # the new head is held: checked from there
    assert calm["chain_problem"] is None

    # truncated: the newest events deleted
    total = audit_events(ws1)
    with closing(sql(ws1 / "certdesk.db")) as conn:
        conn.execute("DELETE FROM audit_events WHERE seq > ?", (total - 2,))
        conn.commit()
    cut = sync_until_idle(ws1, live_server.url)
    assert cut["chain_problem"] and "截断" in cut["chain_problem"], cut
    breaks = province_rows(database_url, "SELECT held_seq, got_seq FROM chain_breaks ORDER BY id")
    assert len(breaks) == 2 and breaks[1][0] > breaks[1][1]


def test_an_anchored_event_edited_without_its_hash_is_reported_by_the_pc_itself(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    """The hashes the province holds stay unbroken when an anchored event's content is edited
    and its hash left alone: the PC's own check of its trail finds it and tells the province,
    once."""
    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    issue(ws1)
    assert sync_until_idle(ws1, live_server.url)["chain_problem"] is None
    with closing(sql(ws1 / "certdesk.db")) as conn:
        seq, after = conn.execute(
            "SELECT seq, after FROM audit_events WHERE entity = 'certificate' ORDER BY seq"
        ).fetchone()
        edited = json.loads(after) | {"status": "valid", "edited": True}
        conn.execute("UPDATE audit_events SET after = ? WHERE seq = ?", (json.dumps(edited), seq))
        conn.commit()
    told = sync_until_idle(ws1, live_server.url)
    assert told["chain_problem"] and f"第 {seq} 条审计记录被改动" in told["chain_problem"], told
    reasons = province_rows(database_url, "SELECT reason FROM chain_breaks")
    assert len(reasons) == 1 and "工作站自查" in reasons[0][0] and str(seq) in reasons[0][0]
    flags = json.loads(server_cli(database_url, province_key, "oversight", "--json").stdout)
    assert [f["officer"] for f in flags if f["flag"] == "chain"] == [f"{STATION}-01"]
    sync_until_idle(ws1, live_server.url)  # reported once: no second break for the same finding
    assert len(province_rows(database_url, "SELECT reason FROM chain_breaks")) == 1


def test_enrolment_you_can_trust(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    """https:// only (loopback aside); the code's fingerprint must match the key the server
    shows; a server with another province key cannot feed this station anything."""
    from pgserver import LiveServer as Server

    data = tmp_path / "ws01"
    set_up(data, code=STATION, name="长春市南关区民康派出所", workstation="01")
    login(data, ADMIN)
    code = enrol_code(database_url, province_key, STATION)
    assert len(code.replace("-", "")) == 20  # the secret and the province key's fingerprint
    plain = run(data, "enrol", "--server", "http://province.example.cn", "--code", code)
    assert plain.returncode == 2 and "https://" in plain.stderr and "[server]" in plain.stderr
    short = run(data, "enrol", "--server", live_server.url, "--code", code[:14])
    assert short.returncode == 2 and "20位" in short.stderr
    # the same database served with another province key: the code's fingerprint is not its key
    impostor = Server(  # (the same data key: the database's own, or it would not start at all)
        database_url,
        tmp_path / "other-province.pem",
        data_key=province_key.with_name("province-data.key"),
    ).start()
    try:
        refused = run(data, "enrol", "--server", impostor.url, "--code", code)
        assert refused.returncode == 2 and "指纹" in refused.stderr, refused.stderr
        assert not (data / "keys" / "province.json").exists()
        done = run(data, "enrol", "--server", live_server.url, "--code", code, "--json")
        assert done.returncode == 0, done.stderr
        login(data, CLERK)
        issue(data)
        sync_until_idle(data, live_server.url)
        # entries signed by a key the station did not pin (the impostor's own): refused there;
        # the real province does not serve them at all (not its signature)
        other = tmp_path / "other-province.pem"
        server_cli(database_url, other, "holidays", "publish", str(_holidays(tmp_path)))
        result = run(data, "sync", "--server", impostor.url, "--json")
        assert result.returncode == 0, result.stderr
        refusals = js(result)["refused"]
        assert refusals and all("省级签名" in r for r in refusals)
        assert not (data / "holidays.json").exists()
        server_cli(database_url, province_key, "holidays", "publish", str(_holidays(tmp_path)))
        taken = sync_until_idle(data, live_server.url)  # the real province's feed: applied
        assert taken["refused"] == [] and (data / "holidays.json").exists()
    finally:
        impostor.stop()


def _holidays(tmp_path: Path) -> Path:
    table = tmp_path / "holidays-2027.json"
    table.write_text(
        json.dumps({"years": [2027], "holidays": ["2027-01-01"], "workdays": []}), "utf-8"
    )
    return table


def test_an_impostor_server_is_refused_before_anything_is_kept(tmp_path: Path) -> None:
    """A server that answers the enrolment with its own key (it cannot know the code's
    fingerprint's key): refused, nothing saved."""
    import httpx
    from support import as_officer

    from app.context import Context
    from app.errors import InvalidInput
    from app.sync.enrolment import enrol

    data = tmp_path / "ws01"
    set_up(data)
    ctx = Context(data)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "station_code": STATION,
                "station_name": "民康派出所",
                "workstation": "01",
                "key_no": 1,
                "token": "t" * 43,
                "province_public_key": "ab" * 32,
            },
        )

    try:
        with pytest.raises(InvalidInput) as caught:
            enrol(
                ctx,
                actor=as_officer(ctx, ADMIN),
                server="https://province.example.cn",
                code="ABCD-EFGH-JKLM-NPQR-STUV",
                transport=httpx.MockTransport(answer),
            )
        assert "指纹" in caught.value.message and caught.value.field == "server"
        assert not (data / "keys" / "province.json").exists()
    finally:
        ctx.close()


def test_a_database_copied_back_by_hand_then_synced_gives_no_number_again(
    live_server: LiveServer, database_url: str, province_key: Path, tmp_path: Path
) -> None:
    """Not through `certdesk restore`: the database file copied back over a newer one, more
    than a block of numbers later, then a sync (which must not take the file's ceiling for the
    database's) before issuing."""
    from support import as_officer

    from app.context import Context
    from app.policy.decision import Request
    from app.services.counter import issue as issue_here

    ws1 = workstation(tmp_path, "01", live_server, enrol_code(database_url, province_key, STATION))
    issue(ws1)
    sync_until_idle(ws1, live_server.url)
    kept = tmp_path / "kept.db"
    with (
        closing(sql(ws1 / "certdesk.db")) as src,
        closing(sql(kept, ws1)) as dst,
    ):
        src.backup(dst)
    ctx = Context(ws1)
    request = Request("亲属关系证明", "bank", "in_province")
    handed = {
        issue_here(ctx, request=request, officer=as_officer(ctx, CLERK), values=KINSHIP).serial
        for _ in range(22)  # past the first block of reserved numbers, never synced
    }
    ctx.close()
    with (
        closing(sql(kept, ws1)) as src,
        closing(sql(ws1 / "certdesk.db")) as dst,
    ):
        src.backup(dst)
    login(ws1, CLERK)
    sync_until_idle(ws1, live_server.url)
    again = issue(ws1)["serial"]
    assert again not in handed and int(again.split("-")[3]) > 23
