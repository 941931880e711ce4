"""The one crypto module: every suite seals and opens, and refuses a wrong key, a changed byte,
a blob moved to another place and a suite it does not have."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.protocol import crypto


@pytest.mark.parametrize("suite", [crypto.SUITE_AES, crypto.SUITE_SM4])
@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=4096), flip=st.integers(min_value=0))
def test_seal_opens_and_refuses_anything_changed(suite: int, data: bytes, flip: int) -> None:
    key = crypto.random_key()
    blob = crypto.seal(key, data, "file:archive/2026/a.pdf", suite)
    assert blob[len(crypto.MAGIC)] == suite
    if len(data) >= 16:  # (a byte or two may turn up in random ciphertext by chance)
        assert data not in blob
    assert crypto.open_sealed(key, blob, "file:archive/2026/a.pdf") == data
    with pytest.raises(crypto.DecryptionFailed):
        crypto.open_sealed(crypto.random_key(), blob, "file:archive/2026/a.pdf")
    with pytest.raises(crypto.DecryptionFailed):
        crypto.open_sealed(key, blob, "file:archive/2026/b.pdf")
    changed = bytearray(blob)
    at = len(crypto.MAGIC) + 1 + flip % (len(blob) - len(crypto.MAGIC) - 1)
    changed[at] ^= 0x01
    with pytest.raises(crypto.DecryptionFailed):
        crypto.open_sealed(key, bytes(changed), "file:archive/2026/a.pdf")


def test_an_unknown_suite_or_a_plain_file_is_refused() -> None:
    key = crypto.random_key()
    blob = bytearray(crypto.seal(key, b"x", "c"))
    blob[len(crypto.MAGIC)] = 9
    with pytest.raises(crypto.DecryptionFailed, match="suite 9"):
        crypto.open_sealed(key, bytes(blob), "c")
    with pytest.raises(crypto.DecryptionFailed):
        crypto.open_sealed(key, b"%PDF-1.4 plain", "c")


def test_kdf_parameters_from_a_slot_are_bounded() -> None:
    assert crypto.KdfParams.from_dict({"t": 2, "m": 65536, "p": 1}) == crypto.UNLOCK_KDF
    for bad in ({"t": 0, "m": 65536, "p": 1}, {"t": 2, "m": 1 << 30, "p": 1},
                {"t": True, "m": 65536, "p": 1}, {"t": "2", "m": 65536, "p": 1}, {}):  # fmt: skip
        with pytest.raises(ValueError):
            crypto.KdfParams.from_dict(bad)
