"""The data-at-rest crypto: sealing a 200 KB PDF with AES-256-GCM (the suite in use) against
SM4-GCM (OpenSSL's, through ``cryptography``) and SM4 from the package index (``gmssl``, pure
Python, the most used SM4 there), and unlocking a station with a password (Argon2id).

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "helpers"))

from support import CLERK, PASSWORD, make_station

from app.context import Context
from app.protocol import crypto
from app.services import auth

PDF_BYTES = 200 * 1024


def _median_ms(fn: object, runs: int) -> float:
    call = fn  # type: ignore[assignment]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def bench_seal() -> None:
    import os

    pdf = os.urandom(PDF_BYTES)
    key = crypto.random_key()
    aes = _median_ms(lambda: crypto.seal(key, pdf, "file:archive/x.pdf"), 50)
    print(f"seal_200kb_aes256gcm_median: {aes:.2f} ms (goal ≤ 5 ms, ratio to baseline 1.0×)")
    sm4 = _median_ms(lambda: crypto.seal(key, pdf, "file:x", crypto.SUITE_SM4), 50)
    print(
        f"seal_200kb_sm4gcm_openssl_median: {sm4:.2f} ms (goal ≤ 5 ms, ratio to baseline "
        f"{sm4 / aes:.1f}× AES-256-GCM at {aes:.2f} ms)"
    )
    try:
        from gmssl.sm4 import SM4_ENCRYPT, CryptSM4
    except ImportError:
        print("seal_200kb_sm4_gmssl: not measured (pip install gmssl; `make bench` installs it)")
        return
    cipher = CryptSM4()
    cipher.set_key(key[:16], SM4_ENCRYPT)
    slow = _median_ms(lambda: cipher.crypt_cbc(key[16:], pdf), 1)
    print(
        f"seal_200kb_sm4_gmssl_median: {slow:.0f} ms (goal ≤ 5 ms, ratio to baseline "
        f"{slow / aes:.0f}× AES-256-GCM — gmssl 3.2, pure Python, CBC without a MAC)"
    )


def bench_unlock(tmp: Path) -> None:
    make_station(tmp / "station", name="基准派出所")
    samples = []
    for _ in range(5):
        ctx = Context(tmp / "station")
        start = time.perf_counter()
        auth.sign_in(ctx, code=CLERK, password=PASSWORD, kind="window")
        samples.append(time.perf_counter() - start)
        ctx.close()
    unlock = statistics.median(samples) * 1000
    derive = _median_ms(lambda: crypto.derive(PASSWORD, b"0123456789abcdef", crypto.UNLOCK_KDF), 5)
    print(
        f"unlock_sign_in_median: {unlock:.0f} ms (goal ≤ 500 ms, ratio to baseline "
        f"{unlock / derive:.1f}× one Argon2id derivation at {derive:.0f} ms — t=2, 64 MiB, 1 lane)"
    )


if __name__ == "__main__":
    bench_seal()
    with tempfile.TemporaryDirectory() as tmp_dir:
        bench_unlock(Path(tmp_dir))
