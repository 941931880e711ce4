"""Every cryptographic primitive certdesk uses, in one place: the key derivation from a password,
key wrapping, authenticated encryption of files, signatures and digests.

The rest of the code names what it wants (``derive``, ``seal``, ``open_sealed``, ``sign``…) and
never an algorithm, so that a province which requires the GM/T algorithms (SM2/SM3/SM4, GB/T
39786-2021) switches suites here. The suite in use:

- password → key-encryption key: Argon2id (RFC 9106), parameters kept with each wrapped key;
- data at rest and wrapped keys: AES-256-GCM (96-bit random nonce, the file's name or slot's
  name as associated data, so a sealed blob cannot be moved to another place unnoticed);
- the database: SQLCipher 4 (AES-256-CBC with a per-page HMAC-SHA512), under the same data key;
- signatures: Ed25519 (RFC 8032); digests: SHA-256.

A sealed blob is ``MAGIC | suite byte | nonce | ciphertext+tag``: self-describing, so a file
sealed under another suite is recognised, opened if this build has it, refused with a clear
message if not. SM4-GCM (suite 2, OpenSSL's SM4 through ``cryptography``) opens and seals here
already; measured against AES-GCM in ``bench/bench_crypto.py`` (README: "Encryption at rest").
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

# ``cryptography`` (about 0.15 s of imports, OpenSSL's bindings) is imported inside the functions
# that use it: the counter window starts and shows its sign-in dialog before any of it is needed.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    SigningKey = Ed25519PrivateKey  # the suite's private signing key, by the name callers use


def __getattr__(name: str) -> object:
    if name == "SigningKey":  # for code that evaluates annotations at run time
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey
    raise AttributeError(name)


KEY_BYTES = 32  # a data key and every key-encryption key: 256 bits
NONCE_BYTES = 12
MAGIC = b"CDSEAL"  # a sealed file starts so
SUITE_AES = 1  # AES-256-GCM
SUITE_SM4 = 2  # SM4-GCM (GB/T 32907), OpenSSL's, through ``cryptography``: for a GM/T province
SUITE_NAME = "argon2id+aes-256-gcm+ed25519"


class DecryptionFailed(Exception):
    """A wrong key, or the blob was altered or damaged (AES-GCM cannot tell which)."""


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id's cost: ``time`` passes over ``memory_kib`` KiB with ``lanes`` lanes."""

    time: int
    memory_kib: int
    lanes: int

    def to_dict(self) -> dict[str, int]:
        return {"t": self.time, "m": self.memory_kib, "p": self.lanes}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> KdfParams:
        values = (data.get("t"), data.get("m"), data.get("p"))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise ValueError("Argon2id parameters are not integers")
        t, m, p = (int(v) for v in values)  # type: ignore[call-overload]
        # the bounds keep a damaged or planted slot from asking for a day or a terabyte
        if not (1 <= t <= 10 and 8 * p <= m <= 1024 * 1024 and 1 <= p <= 16):
            raise ValueError("Argon2id parameters out of range")
        return cls(t, m, p)


# Chosen for an old counter PC: 64 MiB and 2 passes take about 0.18 s on this project's 2-core
# build machine and about 0.45 s on a 2012 dual-core, one lane because such a PC has few cores.
UNLOCK_KDF = KdfParams(time=2, memory_kib=64 * 1024, lanes=1)


def random_key() -> bytes:
    return os.urandom(KEY_BYTES)


def random_bytes(count: int) -> bytes:
    return os.urandom(count)


def derive(password: str, salt: bytes, params: KdfParams) -> bytes:
    """A 256-bit key-encryption key from a password (Argon2id)."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=params.time,
        memory_cost=params.memory_kib,
        parallelism=params.lanes,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def expand(secret: bytes, purpose: str) -> bytes:
    """A 256-bit key for one ``purpose`` from a high-entropy secret (HKDF-SHA-256)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), KEY_BYTES, None, purpose.encode("utf-8")).derive(secret)


def seal(key: bytes, plaintext: bytes, context: str, suite: int = SUITE_AES) -> bytes:
    """``plaintext`` encrypted and authenticated under ``key``, bound to ``context`` (the file's
    name, the slot's name: the associated data)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    if suite == SUITE_SM4:
        body = _sm4_gcm(key, nonce, plaintext, context.encode("utf-8"))
    else:
        body = AESGCM(key).encrypt(nonce, plaintext, context.encode("utf-8"))
    return MAGIC + bytes([suite]) + nonce + body


def _sm4_key(key: bytes) -> bytes:
    return expand(key, "certdesk sm4")[:16]  # SM4's key is 128 bits


def _sm4_gcm(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return body + encryptor.tag


def _sm4_gcm_open(key: bytes, nonce: bytes, body: bytes, aad: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if len(body) < 16:
        raise DecryptionFailed("too short")
    decryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce, body[-16:])).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body[:-16]) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionFailed("wrong key, or the blob was altered") from None


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


def open_sealed(key: bytes, blob: bytes, context: str) -> bytes:
    """The plaintext of a sealed blob; ``DecryptionFailed`` when the key is wrong, the blob was
    changed or moved (another ``context``) or it is not a sealed blob at all."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 1 + NONCE_BYTES + 16:
        raise DecryptionFailed("not a sealed blob")
    suite = blob[len(MAGIC)]
    if suite not in (SUITE_AES, SUITE_SM4):
        raise DecryptionFailed(f"sealed with suite {suite}, which this build does not have")
    start = len(MAGIC) + 1
    nonce, body = blob[start : start + NONCE_BYTES], blob[start + NONCE_BYTES :]
    if suite == SUITE_SM4:
        return _sm4_gcm_open(key, nonce, body, context.encode("utf-8"))
    try:
        return AESGCM(key).decrypt(nonce, body, context.encode("utf-8"))
    except InvalidTag:
        raise DecryptionFailed("wrong key, or the blob was altered") from None


def sqlcipher_key(key: bytes) -> str:
    """The statement that opens a SQLCipher database with a raw 256-bit key (no PBKDF2: the key
    is random already)."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def same(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


# ------------------------------------------------------------------------------------- signatures


def new_signing_key() -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def signing_key_bytes(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def signing_key_from(data: bytes) -> Ed25519PrivateKey:
    """An Ed25519 private key from its PEM; ``ValueError`` for anything else."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(public_key: bytes, data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``public_key``'s signature of ``data`` (never raises)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
