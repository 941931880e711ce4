"""Keeping the records whole: audit verification, backup and restore."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.context import Context
from app.errors import InvalidInput
from app.policy.roles import ADMINISTRATION, AUDIT
from app.policy.workdays import CHINA
from app.records import audit
from app.records.audit import AuditReport
from app.records.db.migrate import backup_file, current_revision, head_revision, upgrade
from app.records.db.models import AuditEvent, Officer, OfficerSession
from app.records.db.session import make_engine
from app.records.sessions import Actor


def verify_audit(ctx: Context, *, actor: Actor) -> AuditReport:
    """The audit trail checked (auditors and supervisors)."""
    with ctx.reading(actor, roles=AUDIT) as session:
        return audit.verify(session)


def backup(ctx: Context, target: Path, *, actor: Actor) -> Path:
    """A consistent copy of the live database (SQLite's backup API, WAL content included)."""
    if target.exists() and target.is_dir():
        raise InvalidInput(f"{target} 是目录，请给出备份文件名", field="file")
    with ctx.change(actor, roles=ADMINISTRATION) as change:  # the copy holds this event too
        change.update(change.station, action="station.backup", note={"file": target.name})
    backup_file(ctx.db.path, target)
    return target


def _check_backup(path: Path) -> str:
    if not path.is_file():
        raise InvalidInput(f"备份文件 {path} 不存在", field="file")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise InvalidInput(f"备份文件 {path} 已损坏(完整性检查未通过)", field="file")
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{path} 不是 certdesk 数据库备份：{exc}", field="file") from exc
    try:
        revision = current_revision(path)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{path} 不是 certdesk 数据库备份：{exc}", field="file") from exc
    if revision is None:
        raise InvalidInput(f"{path} 不是 certdesk 数据库备份", field="file")
    if not (isinstance(revision, str) and revision.isascii() and revision.isdigit()):
        raise InvalidInput(
            f"{path} 的数据库版本“{revision}”不是数字，不是 certdesk 备份", field="file"
        )
    if int(revision) > int(head_revision()):
        raise InvalidInput(f"备份文件来自更新版本的 certdesk(数据库版本 {revision})", field="file")
    return revision


def _backup_station(path: Path) -> tuple[str, str] | None:
    """The station code and workstation a backup belongs to (None for one made before set-up)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT code, workstation FROM station").fetchone()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{path} 不是 certdesk 数据库备份：{exc}", field="file") from exc
    return (str(row[0]), str(row[1])) if row else None


def restore(ctx: Context, source: Path, *, actor: Actor) -> Path:
    """Replace the database with a backup. The backup is checked first (integrity, version,
    audit chain) and the current database is kept as a copy; nothing changes on any error. The
    restored database records who restored it; every session ends (sign in again)."""
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        mark = change.clock_mark()  # the administrator's session and role checked first
        ours = (change.station.code, change.station.workstation)
    revision = _check_backup(source)
    theirs = _backup_station(source)
    if theirs != ours:  # its numbers and its outbox are another PC's
        whose = f"{theirs[0]} 第 {theirs[1]} 号工作站" if theirs else "未设置派出所的数据目录"
        raise InvalidInput(
            f"备份文件属于{whose}，不是本机({ours[0]} 第 {ours[1]} 号工作站)的备份，拒绝恢复",
            field="file",
        )
    staging = ctx.data_dir / "backups" / "restore-staging.db"
    backup_file(source, staging)
    if revision != head_revision():
        upgrade(staging)
    engine = make_engine(staging)
    try:
        with Session(engine) as session:
            report = audit.verify(session)
    finally:
        engine.dispose()
    if not report.ok:
        staging.unlink(missing_ok=True)
        raise InvalidInput(f"备份文件的审计记录不完整，拒绝恢复：{report.problem}", field="file")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = ctx.data_dir / "backups" / f"certdesk-{stamp}-before-restore.db"
    live = ctx.db.path
    backup_file(live, kept)
    ctx.close()
    # SQLite's backup API writes the staged pages into the live file as one transaction.
    with closing(sqlite3.connect(staging)) as src, closing(sqlite3.connect(live)) as dst:
        src.backup(dst)
    staging.unlink(missing_ok=True)
    with ctx.change() as change:
        change.session.execute(
            update(OfficerSession)
            .where(OfficerSession.ended_at.is_(None))
            .values(ended_at=change.now, ended_reason="restore")
        )
        change.lift_to_marks()  # no number handed out since the backup is handed out again
        restored_mark = change.clock_mark()
        if mark is not None and (restored_mark is None or restored_mark < mark):
            change.set_clock_mark(mark)  # the clock may not run back by way of a backup either
        # the event is the restorer's, when the backup knows them (else the note names them)
        change.actor = change.session.scalar(select(Officer).where(Officer.code == actor.code))
        change.update(
            change.station,
            action="station.restore",
            note={"restored_by": actor.code, "from": source.name, "kept": kept.name},
        )
    return kept


def export_audit(ctx: Context, target: Path, *, actor: Actor) -> int:
    """The audit trail, verified, as a table (CSV or XLSX) for the auditor: every event with who
    acted, who approved, what and which record, the columns it changed and their values before
    and after. Returns how many events were written."""
    from app.services.export import Table, export
    from app.services.station import station_info

    rows: list[list[object]] = []
    with ctx.reading(actor, roles=AUDIT) as session:
        report = audit.verify(session)
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            after = event.after or {}
            changed = after.get("set") or {}
            rows.append(
                [
                    event.seq,
                    event.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
                    event.officer_code or "",
                    after.get("approver", ""),
                    event.action,
                    event.entity,
                    event.entity_id,
                    "；".join(
                        f"{k}: {(event.before or {}).get(k)} → {v}" for k, v in changed.items()
                    ),
                    event.hash,
                ]
            )
    info = station_info(ctx)
    verdict = "审计链完整" if report.ok else f"审计核对未通过：{report.problem}"
    export(
        target,
        station=f"{info.code} {info.name}" if info else "",
        period=f"共 {len(rows)} 条；{verdict}",
        tables=[
            Table(
                "审计记录",
                ["序号", "时间", "经办民警", "审批人", "操作", "对象", "对象ID", "改动", "哈希"],
                rows,
            )
        ],
    )
    return len(rows)
