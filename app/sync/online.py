"""Asking the province while online: a serial's status (what a receiving unit also gets) and,
with this station's token, the province's figures and oversight flags."""

from __future__ import annotations

from typing import Any

from app.context import Context
from app.errors import InvalidInput
from app.policy.roles import SUPERVISION
from app.protocol.models import (
    API,
    OversightFlag,
    OversightFlags,
    QrVerifyAnswer,
    QrVerifyRequest,
    Statistics,
    VerifyAnswer,
)
from app.records.sessions import Actor
from app.sync import transport as net
from app.sync.enrolment import require_enrolment


def verify_online(server: str, serial: str, *, transport: Any = None) -> VerifyAnswer:
    """Ask the province about a serial: valid | void | unknown (kind, date, station only)."""
    try:
        with net.client(server, transport) as http:
            return net.call(http, "GET", f"{API}/verify/{serial}", VerifyAnswer)
    except net.Transient as error:
        raise net.SyncUnavailable(f"无法连接省级服务器 {server}：{error}") from error
    except net.Refused as error:
        raise InvalidInput(f"核验被拒绝：{error.message}", field="serial") from error


def verify_qr_online(server: str, text: str, *, transport: Any = None) -> QrVerifyAnswer:
    """Post a QR's content to the province: the serial's status and, when the signature holds,
    the facts the paper must state (checked with the province's own key list)."""
    try:
        request = QrVerifyRequest(qr=text.strip())
    except ValueError:
        raise InvalidInput(
            "二维码内容不是 certdesk 证明二维码(应为可打印的 ASCII 文本)", field="qr"
        ) from None
    try:
        with net.client(server, transport) as http:
            return net.call(
                http, "POST", f"{API}/verify", QrVerifyAnswer, json=request.model_dump()
            )
    except net.Transient as error:
        raise net.SyncUnavailable(f"无法连接省级服务器 {server}：{error}") from error
    except net.Refused as error:
        raise InvalidInput(f"核验被拒绝：{error.message}", field="qr") from error


def province_figures(
    ctx: Context, *, actor: Actor, start: str, end: str, transport: Any = None
) -> tuple[Statistics, list[OversightFlag]]:
    """The province's statistics (in the station's shape) and its oversight flags for a period
    (supervisors). Raises ``SyncUnavailable`` when the province is out of reach."""
    with ctx.change(actor, roles=SUPERVISION):
        pass
    enrolment = require_enrolment(ctx)
    params = {"from": start, "to": end}
    try:
        with net.client(enrolment.server, transport, enrolment.token) as http:
            stats = net.call(http, "GET", f"{API}/stats", Statistics, params=params)
            flags = net.call(http, "GET", f"{API}/oversight", OversightFlags, params=params)
    except net.Transient as error:
        raise net.SyncUnavailable(f"省级服务器暂时无法连接：{error}") from error
    return stats, flags.root
