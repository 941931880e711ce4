"""The province's Ed25519 key: signs catalog versions; stations pin its public half at enrolment.
The key file is written and read the way a station's is (``app.protocol.signing``)."""

from __future__ import annotations

from pathlib import Path

from app.protocol import crypto
from app.protocol.signing import public_hex, read_key_file, write_key_file

__all__ = ["ensure_key", "public_hex", "sign"]


def ensure_key(path: Path) -> crypto.SigningKey:
    """Load the key, or create it (mode 0600) when the file does not exist yet."""
    if path.exists():
        return read_key_file(path, what="省级签名私钥")
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_key_file(path)


def sign(key: crypto.SigningKey, data: bytes) -> str:
    return crypto.sign(key, data).hex()
