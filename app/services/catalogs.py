"""The catalog a station decides by: installed from a file or put back to the built-in default
(administrators; recorded in the audit trail). A file is validated first; a bad one changes
nothing.

A file the province hands out on a medium (a station offline for weeks) comes with its detached
signature beside it, ``FILE.sig`` (hex Ed25519 over the exact bytes, as the feed signs catalogs):
on an enrolled station it is checked against the province key pinned at enrolment, and a file
whose signature does not check is refused. Whether the installed file was signed is recorded."""

from __future__ import annotations

from pathlib import Path

from app.context import Context
from app.policy.catalog import Catalog, CatalogStore
from app.policy.roles import ADMINISTRATION
from app.records.sessions import Actor


def signature_of(ctx: Context, path: Path) -> str:
    """``signed`` (the province's signature checks), ``unsigned`` (no ``.sig`` beside it, or no
    province key pinned to check it with); ``InvalidInput`` when a signature does not check."""
    from app.errors import InvalidInput
    from app.protocol.signing import verify_signature
    from app.sync.enrolment import load_enrolment

    sig = path.with_name(path.name + ".sig")
    if not sig.exists():
        return "unsigned"
    enrolment = load_enrolment(ctx)
    if enrolment is None:
        return "unsigned"
    try:
        signature = sig.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        signature = ""
    if not verify_signature(enrolment.province_public_key, path.read_bytes(), signature):
        raise InvalidInput(
            f"目录文件 {path.name} 的省级签名不对(文件可能被改动)：已拒绝，继续使用原目录",
            field="file",
        )
    return "signed"


def install(ctx: Context, *, actor: Actor, path: Path | None) -> Catalog:
    """Validate ``path`` (and its province signature, when it has one) and make it the
    station's catalog (None: the built-in default)."""
    signed = signature_of(ctx, path) if path is not None else "built-in"
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        store = CatalogStore(ctx.data_dir)
        catalog = store.replace(path) if path is not None else store.reset()
        change.update(
            change.station,
            action="station.catalog",
            note={
                "catalog": catalog.id,
                "version": catalog.version,
                "sha256": catalog.digest,
                "signature": signed,
            },
        )
    ctx.reload_catalog()
    return catalog
