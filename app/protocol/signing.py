"""The station's Ed25519 key pair. The private key file is readable by its owner only and, on an
encrypted station, sealed under the data key (``app.records.vault``): a copied disk cannot sign."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from app.errors import CertdeskError
from app.protocol import crypto

KEY_FILE = Path("keys") / "station-ed25519.pem"

Seal = Callable[[Path, bytes], bytes]  # (path, plain) -> what is written there
Unseal = Callable[[Path, bytes], bytes]  # (path, as read) -> plain


def _plain(_path: Path, data: bytes) -> bytes:
    return data


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def create_key(data_dir: Path, seal: Seal = _plain) -> str:
    """Make the station's key pair; write the private key (sealed by ``seal``, mode 0600, in a
    0700 folder); return the public key as hex."""
    path = key_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    return public_hex(write_key_file(path, seal))


def write_key_file(path: Path, seal: Seal = _plain) -> crypto.SigningKey:
    """A new Ed25519 private key, written to ``path`` atomically and owner-readable only."""
    key = crypto.new_signing_key()
    pem = seal(path, crypto.signing_key_bytes(key))
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return key


def public_hex(key: crypto.SigningKey) -> str:
    return crypto.public_bytes(key).hex()


def load_key(data_dir: Path, unseal: Unseal = _plain) -> crypto.SigningKey:
    return read_key_file(key_path(data_dir), what="本站签名私钥", unseal=unseal)


def read_key_file(
    path: Path, *, what: str = "签名私钥", unseal: Unseal = _plain
) -> crypto.SigningKey:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CertdeskError(f"无法读取{what} {path.name}：{exc.strerror or exc}") from exc
    try:
        return crypto.signing_key_from(unseal(path, raw))
    except ValueError as exc:
        raise CertdeskError(f"{what} {path.name} 不是可用的 Ed25519 私钥：{exc}") from exc


def verify_signature(public_key_hex: str, data: bytes, signature_hex: str) -> bool:
    """Whether ``signature_hex`` is the Ed25519 signature of ``data`` by ``public_key_hex``."""
    try:
        return crypto.verify(bytes.fromhex(public_key_hex), data, bytes.fromhex(signature_hex))
    except ValueError:
        return False


FINGERPRINT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as enrolment codes: no 0/O, 1/I


def fingerprint(public_key_hex: str, length: int = 8) -> str:
    """A short fingerprint of a public key (40 bits by default) in the enrolment code's letters:
    the province prints it in every one-time code, and a station refuses a server whose key does
    not match it."""
    number = int.from_bytes(hashlib.sha256(bytes.fromhex(public_key_hex)).digest(), "big")
    return "".join(FINGERPRINT_ALPHABET[(number >> (5 * i)) & 31] for i in range(length))
