"""The province's data key: personal data the province must hold (a partner's inquiry names a
person; a station's answer describes them) is kept in PostgreSQL sealed with AES-256-GCM under a
key of its own, never under the signing key. The key file (32 random bytes, mode 0600) is made by
``certdesk-server migrate`` or at the first start; a database dump without it reads nothing of
the inquiries but their numbers, dates and states."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from app.errors import CertdeskError
from app.protocol import crypto

KEY_BYTES = 32


def ensure_data_key(path: Path) -> bytes:
    """The key in ``path``, created (mode 0600) when the file is missing. Creation is exclusive:
    the key is written in full beside it and linked into place only if nothing is there yet, so
    workers starting together all end up with the one key on disk."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(crypto.random_key())
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if another worker's key got there first: use that one
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    raw = path.read_bytes()
    if len(raw) != KEY_BYTES:
        raise CertdeskError(f"省级数据密钥 {path.name} 应为 {KEY_BYTES} 字节，现为 {len(raw)} 字节")
    return raw


def check_against(session: Any, key: bytes) -> None:
    """The key must be the one this database's sealed data was written with: its keyed digest
    is registered the first time and compared at every start, so that a wrong path or a key
    lost in a restore stops the server instead of sealing new data under a new key."""
    from sqlalchemy import select
    from sqlalchemy.dialects.postgresql import insert

    from server.models import DataKeyCheck

    mac = keyed_digest(key, b"certdesk data key check")
    session.execute(insert(DataKeyCheck).values(id=1, mac=mac).on_conflict_do_nothing())
    held = session.scalar(select(DataKeyCheck.mac).where(DataKeyCheck.id == 1))
    if held != mac:
        raise CertdeskError(
            "省级数据密钥与本数据库登记的不符(CERTDESK_DATA_KEY)：请使用写入这些数据的原密钥文件"
        )


def seal(key: bytes, value: Any, context: str) -> str:
    """``value`` as JSON, sealed; ``context`` (the row's id and column) binds it to its place, so
    a sealed value copied to another row does not open."""
    plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return base64.b64encode(crypto.seal(key, plain, context)).decode("ascii")


def open_sealed(key: bytes, text: str, context: str) -> Any:
    return json.loads(crypto.open_sealed(key, base64.b64decode(text), context))


def mac_key(data_key: bytes) -> bytes:
    """A key of its own for the province's keyed digests (never the sealing key itself)."""
    return crypto.expand(data_key, "certdesk province mac")


def keyed_digest(data_key: bytes, data: bytes) -> str:
    import hashlib
    import hmac

    return hmac.new(mac_key(data_key), data, hashlib.sha256).hexdigest()
