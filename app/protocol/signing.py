"""The station's Ed25519 key pair. The private key file is readable by its owner only."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.errors import CertdeskError

KEY_FILE = Path("keys") / "station-ed25519.pem"


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def create_key(data_dir: Path) -> str:
    """Make the station's key pair; write the private key (mode 0600, in a 0700 folder); return
    the public key as hex."""
    path = key_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    return public_hex(write_key_file(path))


def write_key_file(path: Path) -> Ed25519PrivateKey:
    """A new Ed25519 private key, written to ``path`` atomically and owner-readable only."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def load_key(data_dir: Path) -> Ed25519PrivateKey:
    return read_key_file(key_path(data_dir), what="本站签名私钥")


def read_key_file(path: Path, *, what: str = "签名私钥") -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise CertdeskError(f"无法读取{what} {path}：{exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CertdeskError(f"{path} 不是 Ed25519 私钥")
    return key


def verify_signature(public_key_hex: str, data: bytes, signature_hex: str) -> bool:
    """Whether ``signature_hex`` is the Ed25519 signature of ``data`` by ``public_key_hex``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(
            bytes.fromhex(signature_hex), data
        )
    except (InvalidSignature, ValueError):
        return False
    return True


FINGERPRINT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as enrolment codes: no 0/O, 1/I


def fingerprint(public_key_hex: str, length: int = 8) -> str:
    """A short fingerprint of a public key (40 bits by default) in the enrolment code's letters:
    the province prints it in every one-time code, and a station refuses a server whose key does
    not match it."""
    number = int.from_bytes(hashlib.sha256(bytes.fromhex(public_key_hex)).digest(), "big")
    return "".join(FINGERPRINT_ALPHABET[(number >> (5 * i)) & 31] for i in range(length))
