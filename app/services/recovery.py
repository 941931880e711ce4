"""When no officer can open the station: the recovery key.

The recovery key, shown once at set-up for the station's safe, opens the data key without any
officer. With it an administrator's password is set again (``recover``), a backup is restored on
a new PC (``restore_on_new_pc``), and a new recovery key replaces one that was lost or seen
(``renew``). Each is recorded in the audit trail, naming the recovery key as the means.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from sqlalchemy import select

from app.context import Context
from app.errors import InvalidInput
from app.paths import DB_NAME
from app.policy.roles import ADMINISTRATION
from app.records import vault
from app.records.db.migrate import private_dir
from app.records.db.models import Officer
from app.records.sessions import Actor
from app.services.auth import HASHER, check_password_rules, end_sessions


def recover(ctx: Context, *, recovery_key: str, code: str, password: str) -> None:
    """Set a new password for the active administrator ``code`` with the recovery key (their
    lock lifted, their sessions ended, their key slot rewrapped)."""
    check_password_rules(password, field="new_password")
    if not ctx.vault.encrypted:
        raise InvalidInput("本站数据尚未加密，没有恢复密钥：请由管理员重置密码", field="officer")
    ctx.vault.unlock_recovery(recovery_key)
    try:
        with ctx.change() as change:
            row = change.session.scalar(select(Officer).where(Officer.code == code.strip()))
            if row is None or not row.active or row.role not in ADMINISTRATION:
                raise InvalidInput(
                    f"“{code}”不是本站在用的管理员：恢复密钥只能为管理员重新设置密码",
                    field="officer",
                )
            change.actor = row
            end_sessions(change, row, "recovered")
            change.update(
                row,
                action="officer.recovered",
                note={"by": "recovery_key", "key_slot": "rewrapped"},
                password_hash=HASHER.hash(password),
                must_change_password=None,
                failed_attempts=0,
                locked_until=None,
            )
            ctx.vault.set_officer(row.code, password)  # last: a failure rolls the change back
            ctx.vault.remove_sessions(officer=row.code)
    finally:
        ctx.lock()


def renew(ctx: Context, *, actor: Actor) -> str:
    """A new recovery key for the station (administrators): the old one stops working. Shown
    once; recorded."""
    if not ctx.vault.encrypted:
        raise InvalidInput("本站数据尚未加密，没有恢复密钥", field="recovery_key")
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        change.update(change.station, action="station.recovery_key_renewed")
        return ctx.vault.new_recovery()


def restore_on_new_pc(
    ctx: Context,
    source: Path,
    *,
    recovery_key: str | None = None,
    code: str | None = None,
    password: str | None = None,
) -> str:
    """Put a backup onto a PC that has no station yet: its database, key slots, sealed signing
    key and province token, opened first with the backup's recovery key (or an officer's
    password as the backup knows it) and checked. Returns the station's code."""
    import zipfile

    from app.services.integrity import BACKUP_DB, BACKUP_FILES, BACKUP_KEYS

    if ctx.vault.encrypted or (ctx.data_dir / DB_NAME).exists():
        raise InvalidInput(
            "本数据目录已有派出所数据：请登录后用 certdesk restore 恢复(无需恢复密钥)",
            field="file",
        )
    if not source.is_file() or not zipfile.is_zipfile(source):
        raise InvalidInput(f"{source} 不是 certdesk 备份文件", field="file")
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        if not {BACKUP_DB, BACKUP_KEYS} <= names:
            raise InvalidInput(f"{source} 不是加密站点的完整备份(缺少数据库或密钥槽)", field="file")
        slots = vault.Slots.parse(archive.read(BACKUP_KEYS), source)
        if recovery_key:
            key = vault.unwrap_recovery(slots, recovery_key)
        elif code and password:
            key = vault.unwrap_officer(slots, code.strip(), password)
        else:
            raise InvalidInput("请给出备份的恢复密钥或备份中民警的警号和密码", field="recovery_key")
        private_dir(ctx.data_dir)
        staging = ctx.data_dir / "restore-staging.db"
        staging.touch(mode=0o600)
        with archive.open(BACKUP_DB) as src, open(staging, "wb") as dst:
            shutil.copyfileobj(src, dst)
        try:
            _check_staged(staging, key)
        except BaseException:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{staging}{suffix}").unlink(missing_ok=True)
            raise
        files = {n: archive.read(n) for n in BACKUP_FILES if n in names}
    for name, data in files.items():
        private_dir((ctx.data_dir / name).parent)
        vault.write_atomic(ctx.data_dir / name, data)
    vault.write_atomic(ctx.vault.path, slots.to_bytes())
    staging.replace(ctx.data_dir / DB_NAME)
    if recovery_key:
        ctx.vault.unlock_recovery(recovery_key)
    else:
        ctx.vault.unlock_officer(code or "", password or "", ctx.now())
    try:
        with ctx.change() as change:
            station = change.station
            change.update(
                station,
                action="station.restore",
                note={
                    "restored_by": "recovery_key" if recovery_key else (code or ""),
                    "from": source.name,
                    "new_pc": True,
                },
            )
            change.lift_to_marks()
            return station.code
    finally:
        ctx.lock()


def _check_staged(staging: Path, key: bytes) -> None:
    """A backup's database checked as ``certdesk restore`` checks one: integrity, version (and
    migrated to this release's), audit chain."""
    from app.services.integrity import _check_backup, migrated_and_verified

    migrated_and_verified(staging, key, _check_backup(staging, key))


def needs_encryption(ctx: Context) -> bool:
    """Whether this is a station from before encryption, still plain (an administrator's next
    sign-in converts it)."""
    from app.records.db.migrate import is_plain

    db = ctx.data_dir / DB_NAME
    return not ctx.vault.encrypted and db.exists() and is_plain(db)


def encrypt_station(ctx: Context, *, actor: Actor, password: str) -> str:
    """Convert a plain station in place under a new data key (``app.records.encrypting``), as
    the administrator ``actor`` who just signed in with ``password``; their slot and a recovery
    slot are made, every other officer's slot at their next sign-in. Returns the recovery key
    (shown once). On a failure before the switch the plain station is left as it was."""
    from app.protocol import crypto
    from app.records import encrypting
    from app.records.db.session import station_to_myself
    from app.services.station import station_info

    if not needs_encryption(ctx):
        raise InvalidInput("本站数据已加密", field="officer")
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        change.update(change.station, action="station.encrypting")
    info = station_info(ctx)
    assert info is not None
    key = crypto.random_key()
    ctx.close()
    alone = station_to_myself(ctx.data_dir)  # nobody else writes while the files change hands
    if alone is None:
        raise encrypting.EncryptionFailed(
            "本站数据加密未完成，仍按未加密方式正常使用(原文件未改动)。原因：另有 certdesk 窗口或"
            "命令正在使用本站数据，请关闭后由管理员重新登录"
        )
    try:
        try:
            pairs = encrypting.prepare(ctx.data_dir, key)
        except Exception as exc:
            raise encrypting.EncryptionFailed(
                f"本站数据加密未完成，仍按未加密方式正常使用(原文件未改动)。原因：{exc}"
            ) from exc
        header = {"code": info.code, "name": info.name, "workstation": info.workstation}
        recovery = ctx.vault.create(header, actor.code, password, data_key=key)
        encrypting.swap(ctx.data_dir, pairs)
    finally:
        os.close(alone)
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        change.update(change.station, action="station.encrypted", note={"files": len(pairs)})
    return recovery


def recovery_sheet(
    *, station_name: str, station_code: str, workstation: str, key: str, today: dt.date
) -> bytes:
    """The recovery key's sheet for the station's safe (PDF bytes, for the printer)."""
    from forms.render import render_recovery_sheet

    vault.normalise_recovery_key(key)  # a sheet is printed only for a well-formed key
    return render_recovery_sheet(
        station_name=station_name,
        station_code=station_code,
        workstation=workstation,
        key=key,
        made_on=today,
    )
