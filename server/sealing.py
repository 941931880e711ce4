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
    """The key in ``path``, created (mode 0600, written atomically) when the file is missing."""
    if path.exists():
        raw = path.read_bytes()
        if len(raw) != KEY_BYTES:
            raise CertdeskError(
                f"省级数据密钥 {path.name} 应为 {KEY_BYTES} 字节，现为 {len(raw)} 字节"
            )
        return raw
    path.parent.mkdir(parents=True, exist_ok=True)
    key = crypto.random_key()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return key


def seal(key: bytes, value: Any, context: str) -> str:
    """``value`` as JSON, sealed; ``context`` (the row's id and column) binds it to its place, so
    a sealed value copied to another row does not open."""
    plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return base64.b64encode(crypto.seal(key, plain, context)).decode("ascii")


def open_sealed(key: bytes, text: str, context: str) -> Any:
    return json.loads(crypto.open_sealed(key, base64.b64decode(text), context))
