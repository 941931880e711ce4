"""Keeping the records whole: audit verification, backup and restore."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import String, select, update
from sqlalchemy.orm import Session

from app.context import Context
from app.errors import BackupKeyNeeded, InvalidInput
from app.policy.roles import ADMINISTRATION, AUDIT
from app.policy.workdays import CHINA
from app.records import audit, vault
from app.records.audit import AuditReport
from app.records.db.migrate import (
    backup_file,
    current_revision,
    head_revision,
    is_plain,
    reencrypt,
    upgrade,
)
from app.records.db.models import AuditEvent, Officer, OfficerSession
from app.records.db.session import WrongKey, connect, driver, make_engine
from app.records.sessions import Actor
from app.records.vault import Slots


def verify_audit(ctx: Context, *, actor: Actor) -> AuditReport:
    """The audit trail checked (auditors and supervisors)."""
    with ctx.reading(actor, roles=AUDIT) as session:
        return audit.verify(session)


BACKUP_DB, BACKUP_KEYS = "certdesk.db", "certdesk.keys"
# sealed files a backup carries besides the database (they are sealed under the same data key)
BACKUP_FILES = ("keys/station-ed25519.pem", "keys/province.json", "numbers.mark")


def backup(
    ctx: Context,
    target: Path,
    *,
    actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """A backup file: a consistent copy of the live database (SQLite's backup API, WAL content
    included; encrypted as the live one is) with the station's key slots, its sealed signing key
    and province token, in one zip. It opens with an officer's password or the recovery key on
    this PC or a new one."""
    if target.exists() and target.is_dir():
        raise InvalidInput(f"{target} 是目录，请给出备份文件名", field="file")
    with ctx.change(actor, roles=ADMINISTRATION) as change:  # the copy holds this event too
        change.update(change.station, action="station.backup", note={"file": target.name})
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.db")
    zipped = target.with_name(f".{target.name}.tmp")
    try:
        backup_file(ctx.db.path, staged, ctx.db.key, progress)
        fd = os.open(zipped, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as out:
            out.write(staged, BACKUP_DB)
            if ctx.vault.encrypted:
                slots = ctx.vault.read()
                slots.slots = {  # a command-line session does not outlive its PC
                    n: v for n, v in slots.slots.items() if not n.startswith("session:")
                }
                slots.failures = {}
                out.writestr(BACKUP_KEYS, slots.to_bytes())
            for name in BACKUP_FILES:
                if (ctx.data_dir / name).exists():
                    out.write(ctx.data_dir / name, name)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(zipped, target)
    finally:
        staged.unlink(missing_ok=True)
        zipped.unlink(missing_ok=True)
    return target


@dataclass
class _Staged:
    """A backup unpacked into the data dir's backups folder, still under its own key."""

    database: Path
    slots: Slots | None
    files: dict[str, bytes]


def _unpack(source: Path, staging: Path) -> _Staged:
    if not source.is_file():
        raise InvalidInput(f"备份文件 {source} 不存在", field="file")
    if not zipfile.is_zipfile(source):  # a bare database: a copy the station made itself
        staging.unlink(missing_ok=True)
        staging.touch(mode=0o600)
        shutil.copyfile(source, staging)
        return _Staged(staging, None, {})
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            if BACKUP_DB not in names:
                raise InvalidInput(f"{source} 不是 certdesk 备份(缺少数据库)", field="file")
            staging.unlink(missing_ok=True)
            staging.touch(mode=0o600)
            with archive.open(BACKUP_DB) as src, open(staging, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            slots = Slots.parse(archive.read(BACKUP_KEYS), source) if BACKUP_KEYS in names else None
            files = {n: archive.read(n) for n in BACKUP_FILES if n in names}
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise InvalidInput(f"备份文件 {source} 已损坏：{exc}", field="file") from exc
    return _Staged(staging, slots, files)


def _open_staged(
    ctx: Context, staged: _Staged, password: str | None, recovery_key: str | None, code: str
) -> bytes | None:
    """The key the staged database opens with: none (a plain backup from before encryption),
    this station's own, or the backup's own, opened with the officer's password or the
    backup's recovery key."""
    if is_plain(staged.database):
        return None
    own = ctx.vault.db_key() if ctx.vault.encrypted or ctx.vault.unlocked else None
    if own is not None:
        try:
            connect(staged.database, own).close()
            return own
        except WrongKey:
            pass
    if staged.slots is None:
        raise InvalidInput("备份文件不含密钥槽，且不能用本站密钥打开：无法恢复", field="file")
    header = staged.slots.station
    ours = ctx.vault.station() or {}
    whose = (header.get("code"), header.get("workstation"))
    if ours and whose != (ours.get("code"), ours.get("workstation")):
        raise InvalidInput(
            f"备份文件属于{whose[0]} 第 {whose[1]} 号工作站，不是本机({ours.get('code')} 第 "
            f"{ours.get('workstation')} 号工作站)的备份，拒绝恢复",
            field="file",
        )
    if recovery_key:
        theirs = vault.unwrap_recovery(staged.slots, recovery_key)
    elif password:
        theirs = vault.unwrap_officer(staged.slots, code, password)
    else:
        raise BackupKeyNeeded()
    try:
        connect(staged.database, theirs).close()
    except WrongKey as exc:
        raise InvalidInput(
            f"备份文件的数据库无法用其密钥打开：{exc.message}", field="file"
        ) from exc
    return theirs


def _check_backup(path: Path, key: bytes | None) -> str:
    try:
        with closing(connect(path, key)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise InvalidInput("备份文件已损坏(完整性检查未通过)", field="file")
    except (driver().DatabaseError, WrongKey) as exc:
        raise InvalidInput(f"备份文件不是 certdesk 数据库备份：{exc}", field="file") from exc
    try:
        revision = current_revision(path, key)
    except driver().DatabaseError as exc:
        raise InvalidInput(f"备份文件不是 certdesk 数据库备份：{exc}", field="file") from exc
    if revision is None:
        raise InvalidInput("备份文件不是 certdesk 数据库备份", field="file")
    if not (isinstance(revision, str) and revision.isascii() and revision.isdigit()):
        raise InvalidInput(
            f"备份文件的数据库版本“{revision}”不是数字，不是 certdesk 备份", field="file"
        )
    if int(revision) > int(head_revision()):
        raise InvalidInput(f"备份文件来自更新版本的 certdesk(数据库版本 {revision})", field="file")
    return revision


def migrated_and_verified(staging: Path, key: bytes | None, revision: str) -> None:
    """A staged backup brought to this release's schema and its audit chain checked."""
    if revision != head_revision():
        upgrade(staging, key=key)
    engine = make_engine(staging, key)
    try:
        with Session(engine) as session:
            report = audit.verify(session)
    finally:
        engine.dispose()
    if not report.ok:
        raise InvalidInput(f"备份文件的审计记录不完整，拒绝恢复：{report.problem}", field="file")


def _backup_station(path: Path, key: bytes | None) -> tuple[str, str] | None:
    """The station code and workstation a backup belongs to (None for one made before set-up)."""
    try:
        with closing(connect(path, key)) as conn:
            row = conn.execute("SELECT code, workstation FROM station").fetchone()
    except (driver().DatabaseError, WrongKey) as exc:
        raise InvalidInput(f"备份文件不是 certdesk 数据库备份：{exc}", field="file") from exc
    return (str(row[0]), str(row[1])) if row else None


def restore(
    ctx: Context,
    source: Path,
    *,
    actor: Actor,
    password: str | None = None,
    recovery_key: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Replace the database with a backup. The backup is checked first (its key, integrity,
    version, audit chain) and the current database is kept as a copy; nothing changes on any
    error. A backup under another data key (another PC's, or a station set up again) opens with
    the acting officer's password as the backup knows it, or the backup's recovery key, and is
    re-encrypted under this station's key. The restored database records who restored it;
    every session ends (sign in again)."""
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        mark = change.clock_mark()  # the administrator's session and role checked first
        ours = (change.station.code, change.station.workstation)
    staging = ctx.data_dir / "backups" / "restore-staging.db"
    try:
        staged = _unpack(source, staging)
        theirs_key = _open_staged(ctx, staged, password, recovery_key, actor.code)
        key = ctx.db.key
        if theirs_key != key:  # under this station's key from here on
            converted = staging.with_suffix(".rekeyed")
            if key is None:  # (a plain station restores a plain backup only)
                raise InvalidInput("本站数据尚未加密，不能恢复加密的备份", field="file")
            reencrypt(staging, theirs_key, converted, key)
            converted.replace(staging)
        revision = _check_backup(staging, key)
        theirs = _backup_station(staging, key)
        if theirs != ours:  # its numbers and its outbox are another PC's
            whose = f"{theirs[0]} 第 {theirs[1]} 号工作站" if theirs else "未设置派出所的数据目录"
            raise InvalidInput(
                f"备份文件属于{whose}，不是本机({ours[0]} 第 {ours[1]} 号工作站)的备份，拒绝恢复",
                field="file",
            )
        migrated_and_verified(staging, key, revision)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = ctx.data_dir / "backups" / f"certdesk-{stamp}-before-restore.db"
        live = ctx.db.path
        backup_file(live, kept, key)
        ctx.close()
        # SQLite's backup API writes the staged pages into the live file as one transaction.
        with closing(connect(staging, key)) as src, closing(connect(live, key)) as dst:
            if progress is None:
                src.backup(dst)
            else:
                src.backup(
                    dst, pages=1024, progress=lambda _s, n, total: progress(total - n, total)
                )
    finally:
        staging.unlink(missing_ok=True)
    if ctx.vault.encrypted:
        ctx.vault.remove_sessions()
    _record_restore(ctx, actor, source, kept, mark)
    return kept


def _record_restore(
    ctx: Context, actor: Actor, source: Path, kept: Path, mark: dt.datetime | None
) -> None:
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


@dataclass(frozen=True)
class AuditFilter:
    """Which events the auditor looks at: China dates (inclusive), an officer's police number
    (the events they did, approved, or that were done to their account), the start of an
    action's name (``officer.`` for every officer change) or an exact one."""

    since: dt.date | None = None
    until: dt.date | None = None
    officer: str = ""
    action: str = ""

    def where(self) -> list[Any]:
        conditions: list[Any] = []
        if self.since is not None:
            start = dt.datetime.combine(self.since, dt.time(), CHINA).astimezone(dt.UTC)
            conditions.append(AuditEvent.at >= start)
        if self.until is not None:
            end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time(), CHINA)
            conditions.append(AuditEvent.at < end.astimezone(dt.UTC))
        code = self.officer.strip()
        if code:
            from sqlalchemy import cast, func, or_

            subject = select(Officer.id).where(Officer.code == code).scalar_subquery()
            conditions.append(
                or_(
                    AuditEvent.officer_code == code,
                    func.json_extract(AuditEvent.after, "$.approver") == code,
                    (AuditEvent.entity == "officer")
                    & (AuditEvent.entity_id == cast(subject, String)),
                )
            )
        if self.action.strip():
            conditions.append(AuditEvent.action.startswith(self.action.strip(), autoescape=True))
        return conditions


AUDIT_COLUMNS = ["序号", "时间", "经办民警", "审批人", "操作", "对象", "对象ID", "改动", "哈希"]


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: str  # China time
    officer: str
    approver: str
    action: str
    entity: str
    entity_id: str
    changes: str
    hash: str

    def cells(self) -> list[object]:
        return [
            self.seq,
            self.at,
            self.officer,
            self.approver,
            self.action,
            self.entity,
            self.entity_id,
            self.changes,
            self.hash,
        ]


def _line(event: AuditEvent, labels: dict[tuple[str, str], str]) -> AuditLine:
    after = event.after or {}
    changed = after.get("set") or {}
    note = after.get("note") or {}
    changes = [f"{k}: {(event.before or {}).get(k)} → {v}" for k, v in changed.items()]
    changes += [f"{k}={v}" for k, v in note.items()]  # what the act recorded beside the row
    label = labels.get((event.entity, event.entity_id))
    return AuditLine(
        event.seq,
        event.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
        event.officer_code or "",
        str(after.get("approver", "")),
        event.action,
        event.entity,
        f"{event.entity_id}({label})" if label else event.entity_id,
        "；".join(changes),
        event.hash,
    )


def _labels(session: Session, events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """What an auditor reads for each record the events are about: an officer's police number
    and name, a serial, a case or notice number (the row ids mean nothing to a person)."""
    from app.records.audit import ENTITIES

    wanted: dict[str, set[str]] = {}
    for event in events:
        wanted.setdefault(event.entity, set()).add(event.entity_id)
    labels: dict[tuple[str, str], str] = {}
    for entity, ids in wanted.items():
        model = ENTITIES.get(entity)
        if model is None or entity == "station":
            continue
        key = model.__table__.c.id
        for row in session.scalars(select(model).where(key.in_([_id(entity, i) for i in ids]))):
            if entity == "officer":
                text = f"{row.code} {row.name}"  # type: ignore[attr-defined]
            else:
                text = next(
                    (
                        str(getattr(row, a))
                        for a in ("serial", "case_no", "notice_no")
                        if getattr(row, a, None)
                    ),
                    "",
                )
            if text:
                labels[(entity, str(row.id))] = text  # type: ignore[attr-defined]
    return labels


def _id(entity: str, value: str) -> object:
    return int(value) if entity == "officer" and value.isdigit() else value


def audit_events(
    ctx: Context, *, actor: Actor, where: AuditFilter | None = None, limit: int = 1000
) -> tuple[list[AuditLine], int]:
    """The newest ``limit`` events matching ``where``, newest first, and how many match in all
    (auditors and supervisors; reading is not itself recorded, exporting is)."""
    from sqlalchemy import func

    conditions = (where or AuditFilter()).where()
    with ctx.reading(actor, roles=AUDIT) as session:
        total = session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions))
        events = list(
            session.scalars(
                select(AuditEvent).where(*conditions).order_by(AuditEvent.seq.desc()).limit(limit)
            )
        )
        labels = _labels(session, events)
        return [_line(e, labels) for e in events], int(total or 0)


def export_audit(
    ctx: Context, target: Path, *, actor: Actor, where: AuditFilter | None = None
) -> int:
    """The audit trail, verified, as a table (CSV or XLSX) for the auditor: every event (or
    those ``where`` selects) with who acted, who approved, what and which record, the columns it
    changed and their values before and after. Returns how many events were written."""
    from app.services.export import Table, export_recorded
    from app.services.station import station_info

    conditions = (where or AuditFilter()).where()
    with ctx.reading(actor, roles=AUDIT) as session:
        report = audit.verify(session)
        events = list(
            session.scalars(select(AuditEvent).where(*conditions).order_by(AuditEvent.seq))
        )
        labels = _labels(session, events)
        rows = [_line(event, labels).cells() for event in events]
    info = station_info(ctx)
    verdict = "审计链完整" if report.ok else f"审计核对未通过：{report.problem}"
    selection = "" if where is None or not conditions else "(按条件筛选)"
    export_recorded(
        ctx,
        target,
        actor=actor,
        what="audit",
        station=f"{info.code} {info.name}" if info else "",
        period=f"共 {len(rows)} 条{selection}；{verdict}",
        tables=[Table("审计记录", AUDIT_COLUMNS, rows)],
    )
    return len(rows)
