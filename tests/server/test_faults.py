"""Two stations issue 5,000 records each while a fault-injecting proxy drops, duplicates, delays
and cuts connections; then they sync until idle. The province must hold exactly the records
issued, once each, and every serial must verify right. Then the same with the server killed and
restarted in the middle of a sync."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from faultproxy import FaultProxy, Faults
from pgserver import LiveServer, free_port, new_enrol_code
from support import ADMIN, CLERK, KINSHIP, approval, as_officer, make_station

from app.context import Context
from app.policy.decision import Request
from app.services import certificates, counter
from app.sync.enrolment import enrol
from app.sync.round import sync
from app.sync.transport import SyncUnavailable

REQUEST = Request("亲属关系证明", "bank", "in_province")


def station(tmp_path: Path, code: str) -> Context:
    make_station(tmp_path / code, code=code, name=f"{code}派出所")
    return Context(tmp_path / code)


def enrolled(ctx: Context, code: str, database_url: str, server: str) -> None:
    enrol_code = new_enrol_code(database_url, server, code, f"{code}派出所")
    enrol(ctx, server=server, code=enrol_code, actor=as_officer(ctx, ADMIN))


def issue_many(ctx: Context, count: int, voids: int) -> tuple[set[str], set[str]]:
    serials = [
        counter.issue(ctx, request=REQUEST, officer=as_officer(ctx, CLERK), values=KINSHIP).serial
        for _ in range(count)
    ]
    voided = set()
    for serial in serials[:voids]:
        assert serial is not None
        certificates.void(
            ctx,
            serial=serial,
            reason="填写错误",
            officer=as_officer(ctx, CLERK),
            approval=approval(),
        )
        voided.add(serial)
    return {s for s in serials if s}, voided


def sync_until_idle(ctx: Context, server: str, rounds: int = 200) -> int:
    """Sync rounds until nothing waits; return how often a request was retried."""
    retries = 0

    def back_off(seconds: float) -> None:
        nonlocal retries
        retries += 1
        time.sleep(min(seconds, 0.05))

    for _ in range(rounds):
        try:
            result = sync(ctx, actor=as_officer(ctx, CLERK), server=server, sleep=back_off)
        except SyncUnavailable:
            continue
        if result.pending == 0:
            return retries
    raise AssertionError("sync did not become idle")


def province(database_url: str) -> tuple[dict[str, int], dict[str, str], int]:
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        per_station = dict(
            conn.execute("SELECT station_code, count(*) FROM records GROUP BY 1").fetchall()
        )
        statuses = dict(conn.execute("SELECT serial, status FROM certificates").fetchall())
        (conflicts,) = conn.execute("SELECT count(*) FROM conflicts").fetchone() or (0,)
    return per_station, statuses, int(conflicts)


def outbox_total(ctx: Context) -> int:
    from sqlalchemy import func, select

    from app.records.db.models import OutboxItem

    with ctx.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxItem)) or 0)


@pytest.mark.slow
def test_two_stations_through_a_misbehaving_network(
    database_url: str, province_key: Path, tmp_path: Path
) -> None:
    server = LiveServer(database_url, province_key, verify_per_minute=1_000_000).start()
    proxy = FaultProxy(server.port, Faults(drop=0.1, cut=0.15, duplicate=0.15, delay=0.2)).start()
    try:
        stations = {code: station(tmp_path, code) for code in ("220102001", "220102002")}
        proxy.enabled = False  # enrolment happens once, at the counter, with a person watching
        for code, ctx in stations.items():
            enrolled(ctx, code, database_url, proxy.url)
        proxy.enabled = True
        issued: dict[str, tuple[set[str], set[str]]] = {}
        for code, ctx in stations.items():
            issued[code] = issue_many(ctx, 5000, voids=25)
        retries = {code: sync_until_idle(ctx, proxy.url) for code, ctx in stations.items()}
        per_station, statuses, conflicts = province(database_url)
        for code, ctx in stations.items():
            assert per_station[code] == outbox_total(ctx)  # every record, once
        assert conflicts == 0
        everything = issued["220102001"][0] | issued["220102002"][0]
        assert set(statuses) == everything
        voids = issued["220102001"][1] | issued["220102002"][1]
        assert {s for s, st in statuses.items() if st == "void"} == voids
        assert sum(proxy.faults.seen[m] for m in ("drop", "cut", "duplicate")) > 10, (
            proxy.faults.seen
        )
        assert all(n > 0 for n in retries.values()), retries  # each station rode out faults
        with httpx.Client(base_url=server.url) as client:  # every serial, as a bank would ask
            for serial in sorted(everything):
                answer = client.get(f"/api/v2/verify/{serial}").json()
                assert answer["status"] == ("void" if serial in voids else "valid"), answer
        for ctx in stations.values():
            ctx.close()
    finally:
        proxy.stop()
        server.stop()


def serve(database_url: str, province_key: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CERTDESK_PROVINCE_KEY": str(province_key)}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "certdesk-server"),
            "serve",
            "--database-url",
            database_url,
            "--port",
            str(port),
        ],
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("certdesk-server serve did not answer")


@pytest.mark.slow
def test_server_killed_and_restarted_mid_sync(
    database_url: str, province_key: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = serve(database_url, province_key, port)
    ctx = station(tmp_path, "220102001")
    enrolled(ctx, "220102001", database_url, url)
    serials, _ = issue_many(ctx, 3000, voids=0)
    errors: list[BaseException] = []

    def first_sync() -> None:
        try:
            sync(ctx, actor=as_officer(ctx, CLERK), server=url, batch=100, attempts=1)
        except SyncUnavailable:
            pass
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=first_sync)
    worker.start()
    deadline = time.monotonic() + 60
    while province(database_url)[0].get("220102001", 0) < 100:  # the first batch is in …
        assert time.monotonic() < deadline and worker.is_alive(), "no batch arrived"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # … and the next on its way
    process.wait()
    worker.join(60)
    assert not errors, errors
    per_station, statuses, _ = province(database_url)
    assert 0 < per_station.get("220102001", 0) < outbox_total(ctx)  # it really was mid-sync
    process = serve(database_url, province_key, port)
    try:
        sync_until_idle(ctx, url)
        per_station, statuses, conflicts = province(database_url)
        assert per_station["220102001"] == outbox_total(ctx) and conflicts == 0
        assert set(statuses) == serials
    finally:
        process.terminate()
        process.wait(10)
        ctx.close()
