"""Decision speed: in process, and `certdesk decide` as a whole process.

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.policy.catalog import builtin_catalog_path, load_catalog
from app.policy.decision import Request, decide

REQUESTS = [
    Request("亲属关系证明", "bank", "in_province"),
    Request("户口注销证明", "court", "in_province"),
    Request("死亡证明", "other", "abroad"),
    Request("未婚证明", "other", "abroad"),
    Request("qsgx", "bank", "in_province"),
    Request("亲属关系证名", "bank", "in_province"),
    Request("无房证明", "bank", "in_province"),
    Request("户口证明", "bank", "in_province"),
]


def _median_ms(fn: object, rounds: int) -> float:
    call = fn  # type: ignore[assignment]
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def bench_in_process() -> None:
    catalog = load_catalog(builtin_catalog_path())
    today = dt.date(2026, 11, 28)
    for r in REQUESTS:  # warm: pinyin table, rapidfuzz import
        decide(catalog, r, today)
    decision = _median_ms(lambda: [decide(catalog, r, today) for r in REQUESTS], 300)
    lookup = _median_ms(lambda: [catalog.lookup.find(r.kind_text) for r in REQUESTS], 300)
    per = decision / len(REQUESTS)
    print(
        f"decide_in_process_median: {per:.3f} ms (goal ≤ 1 ms, ratio to baseline "
        f"{decision / lookup:.2f}× the kind lookup alone)"
    )


def _process_median(argv: list[str], rounds: int, env: dict[str, str]) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench_process_start() -> None:
    certdesk = str(Path(sys.executable).parent / "certdesk")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CERTDESK_DATA_DIR": tmp, "CERTDESK_CACHE_DIR": tmp}
        argv = [
            certdesk,
            "decide",
            "--kind",
            "qsgx",
            "--requester",
            "bank",
            "--purpose",
            "in_province",
            "--json",
        ]
        subprocess.run(argv, check=True, capture_output=True, env=env)  # writes the cache
        bare = _process_median([sys.executable, "-c", "pass"], 15, env)
        start = _process_median(argv, 15, env)
    print(
        f"decide_process_start_median: {start:.3f} s (goal ≤ 0.4 s, ratio to baseline "
        f"{start / bare:.1f}× python -c pass at {bare * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    bench_in_process()
    bench_process_start()
