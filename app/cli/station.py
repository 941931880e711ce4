"""``certdesk init``: set up this counter PC — the station, its workstation number, its key pair."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.cli.parser import EXIT_OK, Invocation


def register(sub: Any) -> None:
    init = sub.add_parser("init", help="初始化本工作站：派出所代码和名称、工作站编号、签名密钥")
    init.add_argument("--station-code", required=True, help="派出所代码(2至12位数字或大写字母)")
    init.add_argument("--station-name", required=True, help="派出所名称")
    init.add_argument("--workstation", required=True, metavar="NN", help="工作站编号 01-99")
    init.add_argument("--jurisdiction", default="", help="辖区说明")
    init.add_argument("--phone", default="", help="联系电话(印在证明和告知书上)")
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=run)


def run(inv: Invocation) -> int:
    from app.services.station import init_station

    args = inv.args
    info = init_station(
        inv.ctx,
        code=args.station_code,
        name=args.station_name,
        workstation=args.workstation,
        jurisdiction=args.jurisdiction,
        phone=args.phone,
    )
    inv.emit(
        asdict(info),
        f"已初始化：{info.name}({info.code}) 工作站 {info.workstation}；数据目录 {inv.data_dir}",
    )
    return EXIT_OK
