"""Station database speed: recording a certificate, searching a million, size on disk.

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "helpers"))

from support import CLERK, KINSHIP, as_before_encryption, as_officer, make_station

from app.context import Context
from app.policy.decision import Request
from app.policy.identity import check_character
from app.protocol.numbering import make_serial
from app.records.db.session import connect
from app.services import certificates, counter

SEARCH_ROWS = 1_000_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"


def _station(tmp: Path, *, plain: bool = False) -> Context:
    make_station(tmp / "station", name="基准派出所")
    if plain:  # the same station as one from before encryption
        as_before_encryption(tmp / "station")
    return Context(tmp / "station")


def _record_median(ctx: Context) -> float:
    request = Request("亲属关系证明", "bank", "in_province")
    for _ in range(20):  # warm up: imports, pinyin dictionary, statement cache
        counter.issue(ctx, request=request, officer=as_officer(ctx, CLERK), values=KINSHIP)
    samples = []
    for _ in range(300):
        start = time.perf_counter()
        counter.issue(ctx, request=request, officer=as_officer(ctx, CLERK), values=KINSHIP)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def bench_record(tmp: Path) -> None:
    plain_ctx = _station(tmp / "plain", plain=True)
    plain = _record_median(plain_ctx)
    plain_ctx.close()
    ctx = _station(tmp)
    median = _record_median(ctx)
    print(
        f"record_certificate_encrypted_median: {median:.2f} ms (goal ≤ 1.3× unencrypted, ratio "
        f"to baseline {median / plain:.2f}× the same station unencrypted at {plain:.2f} ms, "
        "measured in this run)"
    )
    # baseline: one bare sqlite3 INSERT of a row of the same size, committed with the same pragmas
    with closing(sqlite3.connect(tmp / "bare.db", isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        body = json.dumps(KINSHIP, ensure_ascii=False) * 4
        bare = []
        for _ in range(300):
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (body) VALUES (?)", (body,))
            conn.execute("COMMIT")
            bare.append(time.perf_counter() - start)
    base = statistics.median(bare) * 1000
    print(
        f"record_certificate_median: {median:.2f} ms (goal ≤ 5 ms, ratio to baseline "
        f"{median / base:.1f}× one bare committed sqlite3 insert at {base:.2f} ms)"
    )
    db_size(ctx)
    ctx.close()


KEY: list[bytes | None] = [None]  # the station's data key, for the figures read beside it
SIZE_GOAL_MB = 300  # per 100,000 certificates with their cases, audit and outbox


def _megabytes(db: Path) -> float:
    """The pages the database's data occupies (WAL folded in; free pages, which new rows reuse,
    not counted)."""
    with closing(connect(db, KEY[0])) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    return float((int(pages) - int(free)) * int(size)) / 1e6  # (SQLCipher answers in text)


def db_size(ctx: Context) -> None:
    """2,000 certificates recorded by the service (cases, decisions, audit and outbox included),
    extrapolated to 100,000: while they wait for the province, and once it has acknowledged
    them (payloads pruned, rows and digests kept)."""
    from sqlalchemy import select

    from app.records import outbox
    from app.records.db.models import OutboxItem

    # a counter's day: the same kind asked by different units, for different people
    requests = [
        Request(text, sector, "in_province")
        for text in ("亲属关系证明", "qsgx")
        for sector in ("bank", "other", "health", "telecom", "housing")
    ]
    rng = random.Random(5)
    db = ctx.db.path
    KEY[0] = ctx.db.key
    with closing(connect(db, ctx.db.key)) as conn:
        before = conn.execute("SELECT count(*) FROM certificates").fetchone()[0]
    with ctx.db.writing() as session:  # what the warm-up left is acknowledged: a clean start
        seqs = list(session.scalars(select(OutboxItem.seq)))
        outbox.acknowledge(session, seqs, through=max(seqs), now=ctx.now())
    start = _megabytes(db)
    for n in range(2000):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        values = {**KINSHIP, "applicant_name": name, "applicant_id": _id_number(rng)}
        counter.issue(
            ctx, request=requests[n % len(requests)], officer=as_officer(ctx, CLERK), values=values
        )
    with closing(connect(db, ctx.db.key)) as conn:
        made = conn.execute("SELECT count(*) FROM certificates").fetchone()[0] - before
    waiting = (_megabytes(db) - start) / made * 100_000
    with ctx.db.writing() as session:
        seqs = list(session.scalars(select(OutboxItem.seq).where(OutboxItem.acked_at.is_(None))))
        outbox.acknowledge(session, seqs, through=max(seqs), now=ctx.now())
    synced = (_megabytes(db) - start) / made * 100_000
    print(
        f"db_size_per_100k_certificates: {synced:.0f} MB (goal ≤ {SIZE_GOAL_MB} MB, ratio to "
        f"baseline {synced / 942:.2f}× the 942 MB before decisions were kept once and the audit "
        f"kept digests — extrapolated from {made} certificates of 10 kinds of request, pages in "
        "use once the province acknowledged them; freed pages are reused by new rows)"
    )
    print(
        f"db_size_per_100k_certificates_waiting: {waiting:.0f} MB (goal none, ratio to baseline "
        f"{waiting / synced:.2f}× the acknowledged size — the same certificates before any sync)"
    )


def _id_number(rng: random.Random) -> str:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000))
    first17 = f"220102{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + check_character(first17)


def _fill(ctx: Context, rows: int) -> tuple[list[str], list[str], list[str]]:
    """Write ``rows`` certificates straight into the station's tables (fast, realistic values)."""
    rng = random.Random(7)
    from pypinyin import lazy_pinyin

    db = ctx.db.path
    serials, ids, names = [], [], []
    with closing(connect(db, ctx.db.key)) as conn:
        conn.isolation_level = None
        conn.execute("PRAGMA foreign_keys=OFF")
        officer = conn.execute("SELECT id FROM officers").fetchone()[0]
        conn.execute("BEGIN")
        conn.execute("INSERT INTO decisions (sha256, body) VALUES ('bulk', '{}')")
        conn.execute(
            "INSERT INTO cases (id, case_no, kind_text, kind_id, requester, purpose, outcome,"
            " special_case, report_to_superior, decision_sha, catalog_id, catalog_version,"
            " officer_id, status, due_date_note, created_at, updated_at) VALUES ('bulk', 'BULK',"
            " '亲属关系证明', 'jl_kinship', 'bank', 'in_province', 'issue', 0, 0, 'bulk',"
            " 'jilin_2015', '2015.1', ?, 'issued', '', '2026-01-01', '2026-01-01')",
            (officer,),
        )
        batch = []
        for seq in range(1, rows + 1):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            number = _id_number(rng)
            workstation, number_in_ws = ("02", (seq + 1) // 2) if seq % 2 else ("03", seq // 2)
            serial = str(make_serial("220102001", workstation, 2026, number_in_ws))
            values = json.dumps(
                {**KINSHIP, "applicant_name": name, "applicant_id": number}, ensure_ascii=False
            )
            batch.append(
                (
                    f"bulk-{seq}",
                    serial,
                    workstation,
                    2026,
                    number_in_ws,
                    "bulk",
                    "jl_kinship",
                    "kinship",
                    values,
                    name,
                    number,
                    "".join(lazy_pinyin(name)),
                    0,
                    "issued",
                    officer,
                    "2026-06-01 08:00:00",
                )
            )
            if seq % 97 == 0:
                serials.append(serial)
                ids.append(number)
                names.append(name[:2])
            if len(batch) == 50_000:
                _insert(conn, batch)
                batch = []
        if batch:
            _insert(conn, batch)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    return serials, ids, names


def _insert(conn: Any, batch: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO certificates (id, serial, workstation, year, sequence, case_id, kind_id,"
        " form_id, form_values, subject_name, subject_id_number, subject_pinyin, print_count,"
        " status, issued_by_id, issued_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        batch,
    )


def _median_ms(calls: list[object], fn: object) -> float:
    call = fn  # type: ignore[assignment]
    samples = []
    for value in calls:
        start = time.perf_counter()
        call(value)  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _pattern(key: str, text: str) -> str:
    return text + "*" if key == "name" else text


def bench_search(tmp: Path) -> None:
    ctx = _station(tmp / "search")
    as_officer(ctx, CLERK)  # (signing in opens the station's data)
    start = time.perf_counter()
    serials, ids, names = _fill(ctx, SEARCH_ROWS)
    built = time.perf_counter() - start
    rng = random.Random(3)
    picks = {k: rng.sample(v, 200) for k, v in (("serial", serials), ("id", ids), ("name", names))}
    clerk = as_officer(ctx, CLERK)  # a search is a signed-in officer's, checked each time
    certificates.search(ctx, picks["serial"][0], actor=clerk)  # warm the statement cache
    bare_sql = {
        "serial": "SELECT * FROM certificates WHERE serial = ? LIMIT 50",
        "id": "SELECT * FROM certificates WHERE subject_id_number = ? LIMIT 50",
        "name": "SELECT * FROM certificates WHERE subject_name GLOB ? "
        "ORDER BY issued_at DESC LIMIT 50",
    }
    with closing(connect(ctx.db.path, ctx.db.key)) as conn:
        for key, label in (
            ("serial", "serial"),
            ("id", "identity_number"),
            ("name", "name_prefix"),
        ):
            ours = _median_ms(picks[key], lambda text: certificates.search(ctx, text, actor=clerk))
            sql = bare_sql[key]
            patterns = [_pattern(key, text) for text in picks[key]]
            bare = _median_ms(
                patterns, lambda value, sql=sql: conn.execute(sql, (value,)).fetchall()
            )
            print(
                f"search_1m_by_{label}_median: {ours:.2f} ms (goal ≤ 10 ms, ratio to baseline "
                f"{ours / bare:.1f}× a bare indexed lookup in the same encrypted file at "
                f"{bare:.2f} ms)"
            )
    size = ctx.db.path.stat().st_size / 1e6
    print(
        f"search_db_build: {built:.0f} s (goal none, ratio to baseline — "
        f"{SEARCH_ROWS:,} certificates, {size:.0f} MB)"
    )
    ctx.close()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        bench_record(tmp)
        bench_search(tmp)
