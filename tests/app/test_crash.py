"""Power loss mid-issue: SIGKILL the issuing process at random moments during 200 issues."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from support import AUDITOR, as_officer, sql, station_key

from app.context import Context
from app.records import marks
from app.records.db.migrate import open_database
from app.services.integrity import verify_audit

TARGET = 200
WORKER = Path(__file__).with_name("crash_worker.py")


@pytest.mark.slow
def test_sigkill_during_200_issues_loses_nothing_and_half_writes_nothing(station_dir: Path) -> None:
    rng = random.Random(20261128)
    env = {**os.environ, "PYTHONPATH": str(WORKER.parents[1] / "helpers")}
    kills = 0
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        worker = subprocess.Popen(
            [sys.executable, str(WORKER), str(station_dir), str(TARGET)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert worker.stdout is not None
        # Let it issue a random number of certificates, then pull the plug a moment later,
        # somewhere inside the next transaction.
        wanted = rng.randint(1, 30)
        seen = 0
        while seen < wanted and worker.stdout.readline():
            seen += 1
        if worker.poll() is None:
            time.sleep(rng.uniform(0, 0.006))
            worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker.stdout.close()
        if worker.returncode == 0:
            break
        assert worker.returncode == -signal.SIGKILL
        kills += 1
    else:
        pytest.fail("the worker never finished")
    assert kills >= 5, "the test must actually interrupt the worker"

    # The database opens, passes SQLite's own check, and the audit chain verifies.
    open_database(station_dir, station_key(station_dir)).close()
    db = station_dir / "certdesk.db"
    with closing(sql(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sequences = [
            r[0]
            for r in conn.execute(
                "SELECT sequence FROM certificates WHERE workstation='01' ORDER BY sequence"
            )
        ]
        serials = [r[0] for r in conn.execute("SELECT serial FROM certificates")]
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM cases c WHERE NOT EXISTS "
            "(SELECT 1 FROM certificates z WHERE z.case_id = c.id)"
        ).fetchone()[0]
        outbox = dict(conn.execute("SELECT topic, count(*) FROM outbox GROUP BY topic").fetchall())
        counters = dict(
            conn.execute("SELECT name, value FROM counters WHERE workstation='01'").fetchall()
        )
        last_seq = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    # unique and rising; a gap only where a kill hit a change after it had reserved numbers in
    # numbers.mark (app.records.marks: a crash may skip numbers, never hand one out twice)
    assert len(sequences) == TARGET and sequences == sorted(set(sequences))
    gaps = [b - a - 1 for a, b in itertools.pairwise([0, *sequences]) if b - a > 1]
    assert len(gaps) <= kills and all(g <= marks.BLOCK + 1 for g in gaps), gaps
    assert len(set(serials)) == TARGET
    assert cases == TARGET and orphans == 0  # no case without its certificate
    assert outbox["certificate"] == TARGET and outbox["case"] == TARGET
    assert counters["certificate"] == sequences[-1] and counters["outbox"] == last_seq
    ctx = Context(station_dir)
    report = verify_audit(ctx, actor=as_officer(ctx, AUDITOR))
    ctx.close()
    assert report.ok, report.problem
