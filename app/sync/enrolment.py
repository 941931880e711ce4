"""Enrolment: the station registers its public key with the province once, with a one-time code
from the provincial administrator, and keeps the station token and the province's public key
(pinned) in ``keys/province.json`` (owner-readable only; sealed under the station's data key, so
a copied disk cannot push as this station)."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.context import Context
from app.errors import ApprovalRequired, CertdeskError, InvalidInput, NotInitialised
from app.policy.roles import ADMINISTRATION, APPROVERS
from app.protocol.models import API, EnrolAnswer, EnrolRequest
from app.protocol.signing import fingerprint
from app.records.sessions import Actor, Approval
from app.records.vault import StationLocked
from app.sync import transport as net

ENROLMENT_FILE = Path("keys") / "province.json"


@dataclass(frozen=True)
class Enrolment:
    server: str
    station_code: str
    token: str
    province_public_key: str
    enrolled_at: str
    workstation: str = "01"  # (files from before workstations were enrolled on their own)
    key_no: int = 1
    public_url: str = ""  # the province's verification site: QR codes become addresses there


def enrolment_path(data_dir: Path) -> Path:
    return data_dir / ENROLMENT_FILE


def load_enrolment(ctx: Context) -> Enrolment | None:
    path = enrolment_path(ctx.data_dir)
    if not path.exists():
        return None
    try:
        data = json.loads(ctx.vault.open_file(path).decode("utf-8"))
        return Enrolment(**{k: v for k, v in data.items() if k in Enrolment.__dataclass_fields__})
    except StationLocked:
        raise
    except (OSError, ValueError, TypeError, CertdeskError) as error:
        why = error.message if isinstance(error, CertdeskError) else type(error).__name__
        raise InvalidInput(
            f"登记信息文件 {path.name} 已损坏或被替换({why})：请重新登记(certdesk enrol)",
            field="server",
        ) from None


def require_enrolment(ctx: Context) -> Enrolment:
    enrolment = load_enrolment(ctx)
    if enrolment is None:
        raise net.NotEnrolled()
    return enrolment


def _save(ctx: Context, enrolment: Enrolment) -> None:
    """Write the token file owner-readable only (0600), sealed, atomically."""
    path = enrolment_path(ctx.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    ctx.vault.write_file(path, json.dumps(asdict(enrolment), ensure_ascii=False).encode("utf-8"))


def enrol(
    ctx: Context,
    *,
    actor: Actor,
    server: str,
    code: str,
    transport: Any = None,
    approval: Approval | None = None,
) -> Enrolment:
    """Register this station's public key with the province using a one-time enrolment code;
    keep the station token and pin the province's public key (administrators only). A code for
    another province key than the one pinned (the key that checks catalogs and feeds) is used
    only with a supervisor's approval, asked before the code goes out."""
    from app.services.station import station_info

    with ctx.change(actor, roles=ADMINISTRATION):
        pass  # the administrator's session and role, before anything goes out
    info = station_info(ctx)
    if info is None:
        raise NotInitialised()
    net.check_address(server)
    cleaned = code.replace("-", "").replace(" ", "").upper()
    if len(cleaned) != 20:
        raise InvalidInput(
            "登记码应为20位(如 ABCD-EFGH-JKLM-NPQR-STUV，末8位是省级公钥指纹)，请核对或向省级"
            "管理员重新索取",
            field="code",
        )
    pinned = load_enrolment(ctx)
    old_key = fingerprint(pinned.province_public_key) if pinned else None
    if old_key is not None and old_key != cleaned[12:]:
        if approval is None:
            raise ApprovalRequired(
                f"本站已登记的省级公钥(指纹 {old_key})与登记码中的指纹不同：更换省级公钥"
                "须经所领导审批(所领导本人输入密码)"
            )
        from app.services.auth import confirm

        confirm(ctx, approval, actor=actor, acting=ADMINISTRATION)
    request = EnrolRequest(
        enrol_code=code,
        station_code=info.code,
        workstation=info.workstation,
        public_key=info.public_key,
    )
    try:
        with net.client(server, transport) as http:
            answer = net.call(
                http, "POST", f"{API}/enrol", EnrolAnswer, json=request.model_dump(mode="json")
            )
    except net.Transient as error:
        raise net.SyncUnavailable(f"无法连接省级服务器 {server}：{error}") from error
    except net.Refused as error:
        raise InvalidInput(f"登记被拒绝：{error.message}", field="code") from error
    if fingerprint(answer.province_public_key) != cleaned[12:]:
        raise InvalidInput(
            "该服务器的省级公钥与登记码中的指纹不符，可能不是本省的省级服务器：已拒绝，本机未保存任何"
            "登记信息",
            field="server",
        )
    enrolment = Enrolment(
        server=server.rstrip("/"),
        station_code=answer.station_code,
        token=answer.token,
        province_public_key=answer.province_public_key,
        enrolled_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        workstation=answer.workstation,
        key_no=answer.key_no,
        public_url=answer.public_url or "",
    )
    if (answer.station_code, answer.workstation) != (info.code, info.workstation):
        raise InvalidInput(
            f"省级服务器登记的是 {answer.station_code} 第 {answer.workstation} 号工作站，"
            f"不是本机({info.code} 第 {info.workstation} 号)",
            field="code",
        )
    _save(ctx, enrolment)
    new_key = fingerprint(enrolment.province_public_key)
    with ctx.change(actor, roles=ADMINISTRATION) as change:  # recorded once it is done
        if old_key is not None and old_key != new_key and approval is not None:
            change.approved_by(approval.code, roles=APPROVERS)
        note = {"server": enrolment.server, "province_key": new_key}
        if old_key is not None and old_key != new_key:
            note["replaced_key"] = old_key
        change.update(change.station, action="station.enrol", note=note)
    return enrolment
