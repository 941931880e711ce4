"""Checking a certificate's QR code offline, as a receiving unit or a station does: the signature
against the station keys known here (this station's and those pulled from the province), then
whether the province has announced the serial void."""

from __future__ import annotations

import dataclasses

from app.context import Context
from app.policy.identity import parse_id_number
from app.protocol.qr import QrCheck, verify_payload


def check_qr(ctx: Context, text: str, *, id_number: str | None = None) -> QrCheck:
    """The QR's verdict and the facts it certifies; with ``id_number`` also whether the paper
    names that person."""
    from app.sync.keys import KeyStore, known_keys

    # locked, the keys and voids (in the encrypted database) are not at hand: nothing verifies
    locked = ctx.locked
    store = known_keys(ctx) if ctx.has_database() and not locked else KeyStore({}, {}, {}, set())
    number = parse_id_number(id_number).number if id_number else None
    check = verify_payload(
        text,
        store.keys,
        id_number=number,
        limits=store.limits,
        key_workstations=store.workstations,
        today=ctx.today(),
    )
    if locked:
        check = dataclasses.replace(
            check,
            reason=f"{check.reason}(本站数据已加密，密钥和作废记录须民警登录后才能查对："
            "请登录后核验，或加 --server 在线核验)",
        )
    if check.valid and check.serial in store.voids:
        check = dataclasses.replace(
            check, valid=False, reason=f"证明 {check.serial} 已作废(省级通报)"
        )
    return check
