"""Keeping the records whole: audit verification, backup and restore."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.orm import Session

from app.context import Context
from app.errors import InvalidInput
from app.records import audit
from app.records.audit import AuditReport
from app.records.db.migrate import backup_file, current_revision, head_revision, upgrade
from app.records.db.session import make_engine


def verify_audit(ctx: Context) -> AuditReport:
    with ctx.db.reading() as session:
        return audit.verify(session)


def backup(ctx: Context, target: Path) -> Path:
    """A consistent copy of the live database (SQLite's backup API, WAL content included)."""
    if target.exists() and target.is_dir():
        raise InvalidInput(f"{target} 是目录，请给出备份文件名", field="file")
    ctx.db  # noqa: B018 - make sure the database exists and is at head before copying
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
    revision = current_revision(path)
    if revision is None:
        raise InvalidInput(f"{path} 不是 certdesk 数据库备份", field="file")
    if int(revision) > int(head_revision()):
        raise InvalidInput(f"备份文件来自更新版本的 certdesk(数据库版本 {revision})", field="file")
    return revision


def restore(ctx: Context, source: Path) -> Path:
    """Replace the database with a backup. The backup is checked first (integrity, version,
    audit chain) and the current database is kept as a copy; nothing changes on any error."""
    revision = _check_backup(source)
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
    return kept
