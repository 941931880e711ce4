"""The workstation's number marks, kept outside the database so that no serial, case number,
notice number or outbox sequence is ever handed out twice — not even after a backup is restored.

``numbers.mark`` beside the database holds, per counter (a year and a name), a ceiling that every
number handed out so far lies under — with ``BLOCK`` 1, exactly the last one plus one. When a
counter passes its ceiling, the next ceiling is written (to a temporary file, fsynced, renamed, the
folder fsynced) *before* the change commits, so the file is never behind the database. The
database keeps the ceiling it last saw (``counters.reserved``); a file ahead of it means the
database went back (a restore, a copied file, or a crash just after a reservation) and the
counter jumps above the file's ceiling. The gap that leaves is the price of never reusing one.

The province is the other half: on every sync the station learns the highest numbers the
province acknowledged for this workstation (``app.sync.numbers``) and continues above those too.
Where the file is lost (a new PC, a deleted file), issuing waits for a sync.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import CertdeskError

MARK_FILE = "numbers.mark"
# Numbers reserved with one write of the file. One: the ceiling is exactly above the last number
# handed out, so a database file copied back by hand — not through ``certdesk restore`` — is
# caught however few numbers ago it was copied. (Twenty saved an fsync on 19 changes of 20, about
# 4 ms a change on this project's machine, and let a copy made within a block repeat numbers.)
BLOCK = 1
OUTBOX = (0, "outbox")  # the outbox sequence: a counter of year 0


class NumbersLost(CertdeskError):
    """The mark file is gone: numbers handed out before cannot be ruled out; sync first."""

    code = "numbers_lost"
    exit_code = 4

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "本机的编号记录(numbers.mark)不见了，无法确认哪些编号已经用过：请先与省级服务器"
            "同步(certdesk sync)，取回本工作站已上报的最大编号后再办理",
            field="numbers",
        )


def key(year: int, name: str) -> str:
    return f"{year}/{name}"


@dataclass
class Marks:
    station: str
    workstation: str
    ceilings: dict[str, int] = field(default_factory=dict)

    def ceiling(self, year: int, name: str) -> int:
        return self.ceilings.get(key(year, name), 0)


def mark_path(data_dir: Path) -> Path:
    return data_dir / MARK_FILE


def read(data_dir: Path) -> Marks | None:
    """The marks, or None when there is no file. A file that cannot be read is refused."""
    path = mark_path(data_dir)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise NumbersLost(f"无法读取本机的编号记录 {path}：{error.strerror}") from error
    try:
        data = json.loads(raw)
        ceilings = {str(k): int(v) for k, v in dict(data["ceilings"]).items()}
        if any(v < 0 or "/" not in k for k, v in ceilings.items()):
            raise ValueError("ceilings")
        return Marks(str(data["station"]), str(data["workstation"]), ceilings)
    except (ValueError, KeyError, TypeError) as error:
        raise NumbersLost(f"本机的编号记录 {path} 已损坏({error})：请先与省级服务器同步") from None


def write(data_dir: Path, marks: Marks) -> None:
    """Replace the file atomically and durably (the file, then the folder's entry)."""
    path = mark_path(data_dir)
    body = json.dumps(
        {"station": marks.station, "workstation": marks.workstation, "ceilings": marks.ceilings},
        sort_keys=True,
    )
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".numbers-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    folder = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def raised(marks: Marks, values: dict[str, int]) -> bool:
    """Lift ceilings to at least ``values`` (key -> number); whether anything moved."""
    moved = False
    for name, value in values.items():
        if value > marks.ceilings.get(name, 0):
            marks.ceilings[name] = value
            moved = True
    return moved


def adopt(data_dir: Path, database: Path, db_key: bytes | None = None) -> None:
    """Start the file for a station set up before there was one: the database's counters are
    all there is to go by (a station set up since writes it at set-up)."""
    from contextlib import closing

    from app.records.db.session import connect

    if mark_path(data_dir).exists():
        return
    with closing(connect(database, db_key)) as conn:
        station = conn.execute("SELECT code, workstation FROM station").fetchone()
        if station is None:
            return
        rows = conn.execute(
            "SELECT year, name, value FROM counters WHERE workstation = ?", (station[1],)
        ).fetchall()
        write(data_dir, Marks(station[0], station[1], {key(y, n): int(v) for y, n, v in rows}))
        with conn:
            conn.execute(
                "UPDATE counters SET reserved = value WHERE workstation = ?", (station[1],)
            )


def start(data_dir: Path, station: str, workstation: str) -> None:
    """A new station's file: nothing handed out yet."""
    write(data_dir, Marks(station, workstation))
