"""The catalog a station decides by: installed from a file or put back to the built-in default
(administrators; recorded in the audit trail). A file is validated first; a bad one changes
nothing.

A file the province hands out on a medium (a station offline for weeks) comes with its detached
signature beside it, ``FILE.sig`` (hex Ed25519 over the exact bytes, as the feed signs catalogs):
on an enrolled station it is checked against the province key pinned at enrolment, and a file
whose signature does not check is refused; an unsigned file (or the built-in default) needs a
supervisor's approval there. Whether the installed file was signed, and against which key, is
recorded."""

from __future__ import annotations

from pathlib import Path

from app.context import Context
from app.errors import ApprovalRequired, InvalidInput
from app.policy.catalog import Catalog, CatalogStore
from app.policy.roles import ADMINISTRATION, APPROVERS
from app.records.sessions import Actor, Approval
from app.services.auth import confirm


def _signature(ctx: Context, path: Path, data: bytes) -> tuple[str, str | None]:
    """``signed`` (the province's signature over ``data`` checks against the pinned key) or
    ``unsigned`` (no ``.sig`` beside it, or no province key pinned to check it with), with the
    pinned key's fingerprint; ``InvalidInput`` when a signature does not check."""
    from app.protocol.signing import fingerprint, verify_signature
    from app.sync.enrolment import load_enrolment

    enrolment = load_enrolment(ctx)
    pinned = fingerprint(enrolment.province_public_key) if enrolment else None
    sig = path.with_name(path.name + ".sig")
    if enrolment is None or not sig.exists():
        return "unsigned", pinned
    try:
        signature = sig.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        signature = ""
    if not verify_signature(enrolment.province_public_key, data, signature):
        raise InvalidInput(
            f"目录文件 {path.name} 的省级签名不对(文件可能被改动)：已拒绝，继续使用原目录",
            field="file",
        )
    return "signed", pinned


def install(
    ctx: Context, *, actor: Actor, path: Path | None, approval: Approval | None = None
) -> tuple[Catalog, str]:
    """Validate ``path`` (and its province signature) and make it the station's catalog (None:
    the built-in default). The file is read once: the bytes checked are the bytes installed. On
    a station enrolled with the province, a file without the province's signature, or the
    built-in default, is installed only with a supervisor's approval (the catalog decides what
    the station issues: an administrator alone does not change it). Returns the catalog and
    ``signed``, ``unsigned`` or ``built-in``."""
    if approval is not None:
        confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    staged: Path | None = None
    try:
        with ctx.change(actor, roles=ADMINISTRATION) as change:  # the role first
            if path is not None:
                try:
                    data = Path(path).read_bytes()
                except OSError as error:
                    raise InvalidInput(
                        f"无法读取目录文件 {path}：{error.strerror}", field="file"
                    ) from None
                signed, pinned = _signature(ctx, path, data)
                staged = ctx.data_dir / "catalog" / "incoming" / Path(path).name
                staged.parent.mkdir(parents=True, exist_ok=True)
                staged.write_bytes(data)
            else:
                signed, pinned = "built-in", _pinned(ctx)
            if pinned is not None and signed != "signed":
                if approval is None:
                    raise ApprovalRequired(
                        "本站已登记省级服务器：启用未经省级签名的目录或恢复内置目录，"
                        "须经所领导审批(所领导本人输入密码)"
                    )
                change.approved_by(approval.code, roles=APPROVERS)
            store = CatalogStore(ctx.data_dir)
            catalog = store.replace(staged) if staged is not None else store.reset()
            change.update(
                change.station,
                action="station.catalog",
                note={
                    "catalog": catalog.id,
                    "version": catalog.version,
                    "sha256": catalog.digest,
                    "signature": signed,
                    **({"province_key": pinned} if pinned else {}),
                },
            )
    finally:
        if staged is not None:
            staged.unlink(missing_ok=True)
    ctx.reload_catalog()
    return catalog, signed


def _pinned(ctx: Context) -> str | None:
    from app.protocol.signing import fingerprint
    from app.sync.enrolment import load_enrolment

    enrolment = load_enrolment(ctx)
    return fingerprint(enrolment.province_public_key) if enrolment else None
