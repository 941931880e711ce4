"""Opening the database: create it, or migrate it to head after a backup copy.

Migrations are Alembic scripts shipped inside the package (``app/records/db/migrations``). The upgrade
runs in one SQLite transaction: if any step fails everything is rolled back, the old database is
left as it was, and the error says so and where the backup is.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import CertdeskError
from app.paths import DB_NAME
from app.records.db.session import Database, connect, driver, make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration. Checked against Alembic's own view by a test; kept here so that opening an
# up-to-date database does not import Alembic (a second of start-up on an old PC).
HEAD = "0013"


class MigrationError(CertdeskError):
    code = "migration_failed"
    exit_code = 1


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return HEAD


def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(path: Path, key: bytes | None = None) -> str | None:
    if not path.exists():
        return None
    with closing(connect(path, key)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except driver().OperationalError:
            return None
    return row[0] if row else None


def private_dir(path: Path) -> Path:
    """A folder only this user may open (the data dir and its backups hold citizens' data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def backup_file(
    source: Path,
    target: Path,
    key: bytes | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """A consistent copy of a live database (WAL included), made with SQLite's backup API,
    readable by this user only; encrypted under ``key`` as the source is. ``progress(done,
    total)`` hears the pages copied as they go."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.unlink(missing_ok=True)
    tmp.touch(mode=0o600)
    with closing(connect(source, key)) as src, closing(driver().connect(str(tmp))) as dst:
        if key is not None:
            from app.protocol import crypto

            dst.execute(crypto.sqlcipher_key(key))
        if progress is None:
            src.backup(dst)
        else:
            src.backup(
                dst, pages=1024, progress=lambda _s, left, total: progress(total - left, total)
            )
    os.chmod(tmp, 0o600)
    tmp.replace(target)


def reencrypt(source: Path, source_key: bytes | None, target: Path, key: bytes) -> None:
    """A copy of the database at ``source`` (opened with ``source_key``; None: plain) written
    to ``target`` encrypted under ``key`` (SQLCipher's ``sqlcipher_export``), readable by this
    user only."""
    target.unlink(missing_ok=True)
    target.touch(mode=0o600)
    with closing(connect(source, source_key)) as conn:
        conn.execute(f"ATTACH DATABASE ? AS target KEY \"x'{key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute("DETACH DATABASE target")
    with closing(connect(target, key)) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise MigrationError("加密后的数据库未通过完整性检查")


def upgrade(path: Path, target: str = "head", key: bytes | None = None) -> None:
    """Migrate the file at ``path`` to ``target`` in a single transaction."""
    from alembic import command

    engine = make_engine(path, key)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    finally:
        engine.dispose()


PLAIN_HEADER = b"SQLite format 3\x00"


def is_plain(path: Path) -> bool:
    """Whether the file is a plain (unencrypted) SQLite database."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == PLAIN_HEADER
    except OSError:
        return False


def open_database(data_dir: Path, key: bytes | None = None) -> Database:
    """The station database in ``data_dir`` opened with ``key`` (None: a plain station from
    before encryption), created or migrated to head first. The data dir and its backups are
    this user's only (0700), the database file too (0600; SQLite gives its journal files the
    same mode)."""
    private_dir(data_dir)
    private_dir(data_dir / "backups")
    path = data_dir / DB_NAME
    if not path.exists():
        path.touch(mode=0o600)
    elif key is None and path.stat().st_size and not is_plain(path):
        from app.records.vault import SLOT_FILE, KeysUnusable

        raise KeysUnusable(
            f"数据库已加密，但本数据目录缺少密钥槽文件 {SLOT_FILE}(数据库被单独复制？)："
            "无法打开。请把原数据目录的 certdesk.keys 放回，或用备份恢复(备份自带密钥槽)"
        )
    os.chmod(path, 0o600)
    head = head_revision()
    current = current_revision(path, key)
    if current != head:
        backup: Path | None = None
        if current is not None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            backup = data_dir / "backups" / f"certdesk-{stamp}-before-{head}.db"
            backup_file(path, backup, key)
        try:
            upgrade(path, key=key)
        except Exception as exc:
            where = f"迁移前的备份：{backup}" if backup else "新建数据库未完成"
            raise MigrationError(
                f"数据库升级失败，原数据库未作改动(仍为版本 {current})。{where}。原因：{exc}"
            ) from exc
        if current is not None and int(current) < 9:  # before the number marks (0009)
            from app.records import marks

            marks.adopt(data_dir, path, key)
    return Database(path, make_engine(path, key), key)
