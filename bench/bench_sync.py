"""The provincial server under load, on loopback, against a real PostgreSQL (127.0.0.1:5432):

- pushing 10,000 outbox records from one station (goal ≤ 5 s), against a bare batched INSERT of
  the same rows through psycopg in the same run;
- verification throughput with wrk (goal ≥ 1,000 requests/s, p99 ≤ 50 ms, and ≥ 0.5× a bare
  FastAPI endpoint served the same way in the same run);
- 200 stations pushing a batch at once (p99 per batch).

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg

BIN = Path(sys.executable).parent
ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
BARE_DB_APP = """
import os
from contextlib import asynccontextmanager
from fastapi import FastAPI
from psycopg_pool import AsyncConnectionPool

pool = AsyncConnectionPool(os.environ["BARE_DSN"], min_size=2, max_size=8, open=False,
                           kwargs={"autocommit": True})

@asynccontextmanager
async def lifespan(app):
    await pool.open()
    yield
    await pool.close()

app = FastAPI(lifespan=lifespan)

@app.get("/api/v2/verify/{serial}")
async def verify(serial: str) -> dict[str, object]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT status, kind_id, issued_on, station_code FROM certificates WHERE serial = %s",
            (serial,), prepare=True)
        row = await cur.fetchone()
    return {"serial": serial, "status": row[0] if row else "unknown"}
"""
BARE_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.get("/api/v2/verify/{serial}")
async def verify(serial: str) -> dict[str, str]:
    return {"serial": serial, "status": "unknown"}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def wrk(url: str, seconds: int = 8, connections: int = 32) -> tuple[float, float]:
    """Requests per second and p99 latency (ms) with 2 threads and ``connections``."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rate, p99


def main() -> None:
    name = f"certdesk_bench_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    tmp = Path(tempfile.mkdtemp(prefix="certdesk-bench-"))
    env = {
        **os.environ,
        "BARE_DSN": f"host=127.0.0.1 port=5432 user=postgres dbname={name}",
        "CERTDESK_PROVINCE_KEY": str(tmp / "province.pem"),
        "CERTDESK_VERIFY_PER_MINUTE": str(10**9),
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run(
            [str(BIN / "certdesk-server"), "migrate", "--database-url", url],
            env=env,
            check=True,
            capture_output=True,
        )
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "certdesk-server"),
                    "serve",
                    "--database-url",
                    url,
                    "--port",
                    str(port),
                    "--workers",
                    "2",
                ],
                env=env,
            )
        )
        server = f"http://127.0.0.1:{port}"
        wait_for(server + "/api/v2/health")
        push_figure(url, server, env, tmp)
        verify_figures(server, env, tmp, processes)
        many_stations(url, server, tmp / "province.pem")
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def enrol_code(url: str, code: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [
            str(BIN / "certdesk-server"),
            "station",
            "add",
            "--database-url",
            url,
            "--code",
            code,
            "--name",
            "压测派出所",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    return str(json.loads(out)["enrol_code"])


def push_figure(url: str, server: str, env: dict[str, str], tmp: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "helpers"))
    from support import ADMIN, CLERK, KINSHIP, as_officer, make_station

    from app.context import Context
    from app.policy.decision import Request
    from app.services import counter
    from app.sync.enrolment import enrol
    from app.sync.round import sync
    from app.sync.state import pending_count

    os.environ.setdefault("CERTDESK_CACHE_DIR", str(tmp))
    make_station(tmp / "station", name="压测派出所")
    ctx = Context(tmp / "station")
    request = Request("亲属关系证明", "bank", "in_province")
    while pending_count(ctx) < 10_000:
        counter.issue(ctx, request=request, officer=as_officer(ctx, CLERK), values=KINSHIP)
    enrol(ctx, actor=as_officer(ctx, ADMIN), server=server, code=enrol_code(url, "220102001", env))
    records = pending_count(ctx)
    start = time.perf_counter()
    result = sync(ctx, actor=as_officer(ctx, CLERK))
    elapsed = time.perf_counter() - start
    assert result.pending == 0
    ctx.close()
    # baseline: the same number of rows inserted in batches of 500 straight through psycopg
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        conn.execute("CREATE TEMP TABLE bare (id text primary key, seq bigint, payload jsonb)")
        start = time.perf_counter()
        payload = '{"serial": "220102001-01-2026-000001-H", "kind_id": "jl_kinship"}'
        for first in range(0, records, 500):
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO bare VALUES (%s, %s, %s)",
                    [(f"r{i}", i, payload) for i in range(first, min(first + 500, records))],
                )
        bare = time.perf_counter() - start
    print(
        f"push_10k_records_loopback: {elapsed:.2f} s for {records} records (goal ≤ 5 s, ratio to "
        f"baseline {elapsed / bare:.1f}× bare batched inserts of the same rows at {bare:.2f} s)"
    )


def verify_figures(
    server: str, env: dict[str, str], tmp: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    serial = "220102001-01-2026-000001-H"
    wrk(f"{server}/api/v2/verify/{serial}", 2)  # warm up
    rate, p99 = wrk(f"{server}/api/v2/verify/{serial}")
    light_rate, light_p99 = wrk(f"{server}/api/v2/verify/{serial}", connections=8)
    (tmp / "bare_app.py").write_text(BARE_APP)
    (tmp / "bare_db_app.py").write_text(BARE_DB_APP)
    dsn = env["BARE_DSN"]
    results = {}
    for module in ("bare_app", "bare_db_app"):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "uvicorn"),
                    f"{module}:app",
                    "--port",
                    str(port),
                    "--workers",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=tmp,
                env={**env, "BARE_DSN": dsn},
            )
        )
        wait_for(f"http://127.0.0.1:{port}/api/v2/verify/x")
        wrk(f"http://127.0.0.1:{port}/api/v2/verify/{serial}", 2)
        results[module] = wrk(f"http://127.0.0.1:{port}/api/v2/verify/{serial}")
    (bare_rate, _), (db_rate, db_p99) = results["bare_app"], results["bare_db_app"]
    print(
        f"verify_throughput: {rate:.0f} requests/s, p99 {p99:.1f} ms (goal ≥ 1000 requests/s, "
        f"≥ 0.5× baseline; ratio to baseline {rate / db_rate:.2f}× a bare FastAPI endpoint doing "
        f"the same read at {db_rate:.0f} requests/s (p99 {db_p99:.1f} ms), {rate / bare_rate:.2f}× "
        f"a no-op FastAPI endpoint at {bare_rate:.0f} requests/s; wrk 2 threads 32 connections, "
        "2 uvicorn workers each)"
    )
    print(
        f"verify_p99_8_connections: {light_p99:.1f} ms at {light_rate:.0f} requests/s (goal p99 "
        f"≤ 50 ms at ≥ 1000 requests/s, ratio to baseline {light_p99 / max(db_p99, 0.1):.2f}× the "
        "bare same-read endpoint's p99 at 32 connections)"
    )


def many_stations(
    url: str, server: str, key_file: Path, stations: int = 200, batch: int = 50
) -> None:
    from server import service
    from server.db import make_engine, sessions
    from server.keys import ensure_key

    engine = make_engine(url, pool_size=2)
    tokens = {}
    with sessions(engine, feed_key=ensure_key(key_file))() as session, session.begin():
        for n in range(stations):
            code = f"2201{n:05d}"
            enrol = service.add_station(session, code=code, name="压测派出所", province_key="")
            tokens[code] = service.enrol(
                session,
                enrol_code=enrol,
                station_code=code,
                workstation="01",
                public_key=f"{n + 1:064x}",
                province_key="",
            ).token
    engine.dispose()

    def push(code: str) -> float:
        records = [
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{code}/{i}")),
                "seq": i,
                "item": {
                    "topic": "case",
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{code}/case/{i}")),
                    "case_no": f"{code}-01-2026-C{i:06d}",
                    "kind_id": "jl_kinship",
                    "requester": "bank",
                    "purpose": "in_province",
                    "outcome": "issue",
                    "status": "issued",
                    "special_case": False,
                    "approved": False,
                    "report_to_superior": False,
                    "catalog_id": "jilin_2015",
                    "catalog_version": "2015.1",
                    "created_at": "2026-11-28T02:00:00+00:00",
                },
            }
            for i in range(1, batch + 1)
        ]
        start = time.perf_counter()
        response = httpx.post(
            f"{server}/api/v2/push",
            json={"station": code, "records": records},
            headers={"Authorization": f"Bearer {tokens[code]}"},
            timeout=120,
        )
        response.raise_for_status()
        return time.perf_counter() - start

    with concurrent.futures.ThreadPoolExecutor(stations) as pool:
        start = time.perf_counter()
        times = sorted(pool.map(push, tokens))
        wall = time.perf_counter() - start
    p99 = times[int(len(times) * 0.99) - 1] * 1000
    median = statistics.median(times) * 1000
    print(
        f"stations_200_at_once_p99_per_batch: {p99:.0f} ms (goal none stated, ratio to baseline "
        f"{p99 / median:.1f}× the median batch at {median:.0f} ms; {stations} stations × {batch} "
        f"records, all done in {wall:.1f} s)"
    )


if __name__ == "__main__":
    main()
