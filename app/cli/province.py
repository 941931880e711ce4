"""``certdesk enrol`` and ``certdesk sync``: the station and the provincial server."""

from __future__ import annotations

import sys
from typing import Any

from app.cli.parser import EXIT_OK, Invocation, print_json


def register(sub: Any) -> None:
    enrol = sub.add_parser("enrol", help="向省级服务器登记本站(一次性登记码)")
    enrol.add_argument("--server", required=True, metavar="URL", help="省级服务器地址")
    enrol.add_argument(
        "--code", required=True, metavar="ENROLMENT_CODE", help="省级管理员给的登记码"
    )
    enrol.add_argument("--json", action="store_true")
    enrol.set_defaults(handler=enrol_station)
    sync = sub.add_parser("sync", help="与省级服务器同步：上报待报记录，取回目录、公钥、作废")
    sync.add_argument("--server", metavar="URL", help="省级服务器地址(默认登记时的地址)")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=sync_round)


def enrol_station(inv: Invocation) -> int:
    from app.sync.enrolment import enrol

    done = enrol(inv.ctx, actor=inv.actor, server=inv.args.server, code=inv.args.code)
    inv.emit(
        {
            "station_code": done.station_code,
            "server": done.server,
            "province_public_key": done.province_public_key,
        },
        f"已登记：{done.station_code} → {done.server}；省级公钥已固定",
    )
    return EXIT_OK


def sync_round(inv: Invocation) -> int:
    from app.sync.round import sync
    from app.sync.transport import SyncUnavailable

    try:
        result = sync(inv.ctx, actor=inv.actor, server=inv.args.server)
    except SyncUnavailable as error:  # offline: say how much waits (exit 4)
        if inv.json:
            print_json({"pushed": 0, "pulled": 0, "pending": error.pending, "error": error.message})
        print(f"certdesk：{error.message}", file=sys.stderr)
        return error.exit_code
    text = f"已上报 {result.pushed} 条，取回 {result.pulled} 条，待上报 {result.pending} 条"
    text += "".join(f"\n{refused}" for refused in result.refused)
    inv.emit(result.to_dict(), text)
    return EXIT_OK
