"""Converting a station from before encryption, in place.

At the first administrator's sign-in after the upgrade the station's plain files are encrypted
under a new data key:

1. everything is prepared beside the originals and checked while the plain station still works:
   the database copied into SQLCipher (``sqlcipher_export``) and compared table by table, row
   counts and content digests; every archived PDF, reprint, key, token and earlier backup sealed
   and opened again to compare. A failure here removes what was prepared and leaves the plain
   station as it was, saying why;
2. the slot file is written (the administrator's slot and a recovery slot): from here on the
   station is encrypted;
3. each prepared file replaces its original, whose old content is overwritten with zeros before
   it is let go (on a journalling file system or an SSD the old blocks may survive elsewhere:
   README says so). A power cut in this step is finished at the next unlock: ``finish`` is
   idempotent and runs whenever an unlocked station still has a plain file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

from app.errors import CertdeskError
from app.paths import DB_NAME
from app.protocol import crypto
from app.records import vault
from app.records.db.migrate import is_plain, reencrypt
from app.records.db.session import connect

SEALED_DIRS = ("archive", "prints")
SEALED_FILES = ("keys/station-ed25519.pem", "keys/province.json")
_PREPARED = ".encrypting"


class EncryptionFailed(CertdeskError):
    code = "encryption_failed"
    exit_code = 1


def _plain_files(data_dir: Path) -> Iterator[Path]:
    for folder in SEALED_DIRS:
        base = data_dir / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if (
                    path.is_file()
                    and not path.name.endswith(_PREPARED)
                    and not crypto.is_sealed(path.read_bytes()[: len(crypto.MAGIC)])
                ):
                    yield path
    for name in SEALED_FILES:
        path = data_dir / name
        if path.is_file() and not crypto.is_sealed(path.read_bytes()[: len(crypto.MAGIC)]):
            yield path


def _plain_backups(data_dir: Path) -> list[Path]:
    """Every plain SQLite file in the backups folder, whatever its name (found by its header)."""
    folder = data_dir / "backups"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(_PREPARED) and is_plain(p)
    )


def _plain_zips(data_dir: Path) -> list[Path]:
    """Backup files (zips) in the backups folder whose database is plain."""
    import zipfile

    folder = data_dir / "backups"
    found = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and not path.name.endswith(_PREPARED) and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as packed, packed.open(DB_NAME) as db:
                if db.read(16) == b"SQLite format 3\x00":
                    found.append(path)
    return found


def _repack(path: Path, prepared: Path, key: bytes, data_dir: Path) -> None:
    """A plain backup zip again, its database encrypted and its other files sealed as they
    would be in the data dir."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory(dir=data_dir) as folder, zipfile.ZipFile(path) as packed:
        names = packed.namelist()
        packed.extract(DB_NAME, folder)
        reencrypt(Path(folder) / DB_NAME, None, Path(folder) / "enc.db", key)
        fd = os.open(prepared, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as out:
            out.write(Path(folder) / "enc.db", DB_NAME)
            for name in names:
                if name == DB_NAME:
                    continue
                data = packed.read(name)
                if not crypto.is_sealed(data):
                    data = vault.seal_for(key, data_dir, data_dir / name, data)
                out.writestr(name, data)


PENDING = "encrypting.pending"  # written before the switch, removed once every file is swapped


def needs_finishing(data_dir: Path) -> bool:
    db = data_dir / DB_NAME
    return (data_dir / PENDING).exists() or (db.exists() and is_plain(db))


def _table_digests(path: Path, key: bytes | None) -> dict[str, tuple[int, str]]:
    with closing(connect(path, key)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            ).fetchall()
        ]
        out = {}
        for table in tables:  # (some tables have no rowid: the rows' own digests, sorted)
            rows = sorted(
                hashlib.sha256(repr(row).encode("utf-8")).digest()
                for row in conn.execute(f'SELECT * FROM "{table}"')
            )
            out[table] = (len(rows), hashlib.sha256(b"".join(rows)).hexdigest())
        return out


def _replace(original: Path, prepared: Path) -> None:
    """``prepared`` takes ``original``'s place; the original's old content is overwritten with
    zeros through a handle kept open across the rename, then let go."""
    with open(original, "r+b") as old:
        size = os.fstat(old.fileno()).st_size
        os.replace(prepared, original)
        old.seek(0)
        left = size
        while left > 0:
            step = min(left, 1 << 20)
            old.write(b"\0" * step)
            left -= step
        old.flush()
        os.fsync(old.fileno())


def prepare(
    data_dir: Path, key: bytes, progress: Callable[[str], None] | None = None
) -> list[tuple[Path, Path]]:
    """Every plain file's encrypted copy beside it, checked; returns (original, prepared)."""
    pairs: list[tuple[Path, Path]] = []
    try:
        db = data_dir / DB_NAME
        if db.exists() and is_plain(db):
            if progress:
                progress("database")
            with closing(connect(db, None)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            prepared = db.with_name(db.name + _PREPARED)
            reencrypt(db, None, prepared, key)
            if _table_digests(prepared, key) != _table_digests(db, None):
                raise EncryptionFailed("加密后的数据库与原数据库内容不一致")
            pairs.append((db, prepared))
        for backup in _plain_backups(data_dir):
            prepared = backup.with_name(backup.name + _PREPARED)
            reencrypt(backup, None, prepared, key)
            pairs.append((backup, prepared))
        for packed in _plain_zips(data_dir):
            prepared = packed.with_name(packed.name + _PREPARED)
            _repack(packed, prepared, key, data_dir)
            pairs.append((packed, prepared))
        for path in _plain_files(data_dir):
            if progress:
                progress(path.relative_to(data_dir).as_posix())
            plain = path.read_bytes()
            sealed = vault.seal_for(key, data_dir, path, plain)
            prepared = path.with_name(path.name + _PREPARED)
            vault.write_atomic(prepared, sealed)
            if vault.unseal_for(key, data_dir, path, prepared.read_bytes()) != plain:
                raise EncryptionFailed(f"文件 {path.name} 加密后核对不符")
            pairs.append((path, prepared))
    except BaseException:
        for stale in data_dir.rglob(f"*{_PREPARED}"):  # (the database's too, if it got that far)
            stale.unlink(missing_ok=True)
        raise
    return pairs


def swap(data_dir: Path, pairs: list[tuple[Path, Path]]) -> None:
    """Each prepared file takes its original's place (the database's journal files go)."""
    vault.write_atomic(data_dir / PENDING, b"")
    for original, prepared in pairs:
        if original.name == DB_NAME:
            for suffix in ("-wal", "-shm"):
                (original.with_name(original.name + suffix)).unlink(missing_ok=True)
        _replace(original, prepared)
    (data_dir / PENDING).unlink()
    folder = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def finish(data_dir: Path, key: bytes) -> None:
    """Encrypt what is still plain on an encrypted station (a conversion cut short)."""
    for stale in data_dir.rglob(f"*{_PREPARED}"):
        stale.unlink()
    swap(data_dir, prepare(data_dir, key))
