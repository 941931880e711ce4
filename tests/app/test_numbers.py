"""No serial, case or notice number is handed out twice: not after a backup is restored, not when
the number marks are lost (issuing waits for a sync), and a backup of another station or
workstation is refused. (With the province: tests/server/test_workstations.py.)"""

from __future__ import annotations

import subprocess
from contextlib import closing
from pathlib import Path

from support import (
    ADMIN,
    AUDITOR,
    CLERK,
    KINSHIP,
    field_args,
    js,
    login,
    make_station,
    run,
    sql,
    tamper_backup,
)

ISSUE = ("issue", "--kind", "亲属关系证明", "--requester", "bank", "--purpose", "in_province")


def issue(data: Path, **override: str) -> dict[str, str]:
    result = run(data, *ISSUE, "--json", *field_args({**KINSHIP, **override}))
    assert result.returncode == 0, result.stderr
    issued: dict[str, str] = js(result)
    return issued


def snapshot(data: Path) -> tuple[int, int, int, int]:
    with closing(sql(data / "certdesk.db")) as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("certificates", "cases", "outbox", "audit_events")
        )


def backup(data: Path, target: Path) -> None:
    login(data, ADMIN)
    done = run(data, "backup", str(target))
    assert done.returncode == 0, done.stderr


def restore(data: Path, source: Path) -> subprocess.CompletedProcess[str]:
    login(data, ADMIN)
    return run(data, "restore", str(source))


def test_a_restore_never_gives_a_number_again(station_dir: Path, tmp_path: Path) -> None:
    login(station_dir, CLERK)
    first = issue(station_dir)
    saved = tmp_path / "saved.db"
    backup(station_dir, saved)
    login(station_dir, CLERK)
    handed = [issue(station_dir, applicant_name=f"王{n}") for n in ("甲", "乙")]
    assert restore(station_dir, saved).returncode == 0
    login(station_dir, CLERK)
    after = [issue(station_dir, applicant_name=f"李{n}") for n in ("甲", "乙", "丙")]
    given_before = {first["serial"], *(h["serial"] for h in handed)}
    cases_before = {first["case_no"], *(h["case_no"] for h in handed)}
    for paper in after:
        assert paper["serial"] not in given_before and paper["case_no"] not in cases_before
    sequences = [int(p["serial"].split("-")[3]) for p in after]
    assert sequences == sorted(sequences) and min(sequences) > 3  # above every one handed out
    login(station_dir, AUDITOR)
    verified = run(station_dir, "audit", "verify", "--json")
    assert verified.returncode == 0 and js(verified)["ok"], verified.stdout
    with closing(sql(station_dir / "certdesk.db")) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
    assert len(seqs) == len(set(seqs))  # the outbox continues above the lost rows too


def test_issuing_waits_for_a_sync_when_the_marks_are_lost(station_dir: Path) -> None:
    login(station_dir, CLERK)
    issue(station_dir)
    (station_dir / "numbers.mark").unlink()
    before = snapshot(station_dir)
    refused = run(station_dir, *ISSUE, *field_args(KINSHIP))
    assert refused.returncode == 4, refused.stderr
    assert "编号记录" in refused.stderr and "certdesk sync" in refused.stderr
    assert "[numbers]" in refused.stderr
    assert snapshot(station_dir) == before  # nothing written, no number used
    # a mark file written for another workstation is no better than none
    (station_dir / "numbers.mark").write_text(
        '{"station": "220102001", "workstation": "02", "ceilings": {}}', encoding="utf-8"
    )
    other = run(station_dir, *ISSUE, *field_args(KINSHIP))
    assert other.returncode == 4 and "[numbers]" in other.stderr, other.stderr
    assert snapshot(station_dir) == before


def test_a_corrupt_mark_file_is_refused_with_its_name(station_dir: Path) -> None:
    (station_dir / "numbers.mark").write_text('{"ceilings": {"2026/certificate": "many"}', "utf-8")
    login(station_dir, CLERK)
    before = snapshot(station_dir)
    refused = run(station_dir, *ISSUE, *field_args(KINSHIP))
    assert refused.returncode == 4 and "numbers.mark" in refused.stderr
    assert snapshot(station_dir) == before


def test_a_backup_of_another_station_or_workstation_is_refused(
    station_dir: Path, tmp_path: Path
) -> None:
    for code, workstation in (("220102002", "01"), ("220102001", "02")):
        other = tmp_path / f"{code}-{workstation}"
        make_station(other, code=code, workstation=workstation)
        theirs = tmp_path / f"{code}-{workstation}.db"
        backup(other, theirs)
        login(station_dir, ADMIN)
        before = snapshot(station_dir)
        refused = run(station_dir, "restore", str(theirs))
        assert refused.returncode == 2, refused.stderr
        assert f"{code} 第 {workstation} 号工作站" in refused.stderr and "[file]" in refused.stderr
        assert snapshot(station_dir) == before
        assert not list((station_dir / "backups").glob("*before-restore.db"))


def test_a_backup_whose_version_is_not_a_number_is_refused(
    station_dir: Path, tmp_path: Path
) -> None:
    odd = tmp_path / "odd.db"
    backup(station_dir, odd)
    tamper_backup(odd, "UPDATE alembic_version SET version_num = 'abc'", station_dir)
    refused = restore(station_dir, odd)
    assert refused.returncode == 2 and "不是数字" in refused.stderr, refused.stderr


def test_a_failed_change_after_a_reservation_leaves_a_gap_not_a_reuse(
    station_dir: Path,
) -> None:
    """The mark is written before the change commits: a change that fails after it (here the
    database is put back as a crash would leave it) only skips numbers."""
    from app.records import marks

    login(station_dir, CLERK)
    serial = issue(station_dir)["serial"].split("-")
    year, first = int(serial[2]), int(serial[3])
    held = marks.read(station_dir)
    assert held is not None and held.ceiling(year, "certificate") == first + marks.BLOCK
    held.ceilings[marks.key(year, "certificate")] = (
        first + 100
    )  # as if reserved, and the change then lost
    marks.write(station_dir, held)
    nxt = int(issue(station_dir)["serial"].split("-")[3])
    assert nxt == first + 101


def test_a_database_copied_back_by_hand_a_few_numbers_later_gives_none_again(
    station_dir: Path, tmp_path: Path
) -> None:
    """Not through `certdesk restore`: the database file itself copied away, three certificates
    issued, the copy put back over it. The mark file's ceiling is exactly above the last number
    handed out, so the next one is above all three."""
    from contextlib import closing

    login(station_dir, CLERK)
    issue(station_dir)
    kept = tmp_path / "kept.db"
    with (
        closing(sql(station_dir / "certdesk.db")) as src,
        closing(sql(kept, station_dir)) as dst,
    ):
        src.backup(dst)
    handed = {issue(station_dir)["serial"] for _ in range(3)}
    with (
        closing(sql(kept, station_dir)) as src,
        closing(sql(station_dir / "certdesk.db")) as dst,
    ):
        src.backup(dst)
    again = {issue(station_dir)["serial"] for _ in range(3)}
    assert not handed & again, handed & again
    numbers = sorted(int(s.split("-")[3]) for s in handed | again)
    assert numbers == sorted(set(numbers)) and len(numbers) == 6
