"""A year's supervision dashboard over 1,000,000 cases (goal ≤ 300 ms), against the plainest
query over the same rows (one GROUP BY outcome) in the same run.

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics as stats
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "helpers"))

from support import SUPERVISOR, make_station, signed_in

from app.context import Context
from app.records.db.session import connect
from app.services.supervision import Period, oversight, statistics

ROWS = 1_000_000
KINDS = [("jl_death", "abolished"), ("jl_hukou_cancellation", "exchange"), ("jl_kinship", "issue")]


def fill(ctx: Context) -> None:
    rng = random.Random(11)
    with closing(connect(ctx.db.path, ctx.db.key)) as conn:
        conn.isolation_level = None
        conn.execute("PRAGMA foreign_keys=OFF")
        officers = [row[0] for row in conn.execute("SELECT id FROM officers")]
        conn.execute("BEGIN")
        conn.execute("INSERT INTO decisions (sha256, body) VALUES ('bulk', '{}')")
        start = dt.datetime(2025, 12, 31, 16)  # 2026-01-01 00:00 in China
        batch = []
        for n in range(ROWS):
            created = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
            kind, outcome = rng.choices(KINDS, weights=(5, 3, 2))[0]
            due = None
            status = {
                "abolished": "notice_printed",
                "exchange": "notice_printed",
                "issue": "issued",
            }[outcome]
            if outcome == "issue" and rng.random() < 0.1:
                due = (created + dt.timedelta(days=7)).date().isoformat()
                status = rng.choice(["issued", "refused", "pending_investigation"])
            stamp = created.strftime("%Y-%m-%d %H:%M:%S.000000")
            batch.append(
                (
                    f"c{n}",
                    f"220102001-01-2026-C{n:07d}",
                    kind,
                    kind,
                    "bank",
                    "in_province",
                    outcome,
                    rng.choice(officers),
                    status,
                    due,
                    stamp,
                    stamp,
                )
            )
            if len(batch) == 50_000:
                _insert(conn, batch)
                batch.clear()
        _insert(conn, batch)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")


def _insert(conn: Any, rows: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO cases (id, case_no, kind_text, kind_id, requester, purpose, outcome, special_case,"
        " report_to_superior, decision_sha, catalog_id, catalog_version, officer_id, status, due_date,"
        " due_date_note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 'bulk', 'jilin_2015',"
        " '2015.1', ?, ?, ?, '', ?, ?)",
        [(a, b, c, d, e, f, g, h, i, j, k, m) for (a, b, c, d, e, f, g, h, i, j, k, m) in rows],
    )


def median_ms(fn: object, rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        begin = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - begin) * 1000)
    return stats.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CERTDESK_CACHE_DIR", tmp)
        ctx = Context(
            Path(tmp) / "station", clock=lambda: dt.datetime(2026, 12, 31, 8, tzinfo=dt.UTC)
        )
        make_station(Path(tmp) / "station", name="基准派出所")
        boss = signed_in(ctx, SUPERVISOR)  # (unlocks the station's data)
        fill(ctx)
        year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        statistics(ctx, year, actor=boss)  # warm the page cache
        ours = median_ms(lambda: statistics(ctx, year, actor=boss))
        flags = median_ms(lambda: oversight(ctx, year, actor=boss), rounds=3)
        with closing(connect(ctx.db.path, ctx.db.key)) as conn:
            bare = median_ms(
                lambda: conn.execute(
                    "SELECT outcome, count(*) FROM cases GROUP BY outcome"
                ).fetchall()
            )
        print(
            f"supervision_year_dashboard_1m_cases_median: {ours:.0f} ms (goal ≤ 300 ms, ratio to "
            f"baseline {ours / bare:.1f}× one bare GROUP BY outcome over the same rows at {bare:.0f} ms)"
        )
        print(
            f"supervision_year_oversight_1m_cases_median: {flags:.0f} ms (goal none, ratio to "
            f"baseline {flags / bare:.1f}× the bare GROUP BY)"
        )
        ctx.close()


if __name__ == "__main__":
    main()
