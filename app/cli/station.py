"""``certdesk init``: set up this counter PC — the station, its workstation number, its key pair
and its first administrator, in one transaction."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.cli.parser import (
    EXIT_OK,
    Invocation,
    add_approval_args,
    check_output,
    read_approval,
    read_password,
    subcommands,
)


def register(sub: Any) -> None:
    init = sub.add_parser(
        "init", help="初始化本工作站：派出所代码和名称、工作站编号、签名密钥、第一位管理员"
    )
    init.add_argument("--station-code", required=True, help="派出所代码(2至12位数字或大写字母)")
    init.add_argument("--station-name", required=True, help="派出所名称")
    init.add_argument("--workstation", required=True, metavar="NN", help="工作站编号 01-99")
    init.add_argument("--jurisdiction", default="", help="辖区说明")
    init.add_argument("--phone", default="", help="联系电话(印在证明和告知书上)")
    init.add_argument("--admin-code", required=True, help="第一位管理员的警号")
    init.add_argument("--admin-name", required=True, help="第一位管理员的姓名")
    init.add_argument("--password-stdin", action="store_true", help="从标准输入读取管理员密码")
    init.add_argument(
        "--recovery-sheet",
        metavar="FILE.pdf",
        help="把恢复密钥页写入此文件以便打印(打印后请删除该文件)",
    )
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=run)
    station = sub.add_parser("station", help="本站设置(管理员)")
    actions = subcommands(station, "station_command", "ACTION")
    settings = actions.add_parser("set", help="修改本站设置")
    settings.add_argument(
        "--idle-lock-minutes", type=int, required=True, help="窗口空闲多少分钟后锁定(1-15，默认10)"
    )
    settings.set_defaults(handler=set_station)
    clock = actions.add_parser(
        "accept-clock",
        help="本机时钟曾走快、记录的时间超前时，以现在的时间为准(管理员，须所领导审批)",
    )
    add_approval_args(clock, "以现在的时间为准")
    clock.set_defaults(handler=accept_clock)


def run(inv: Invocation) -> int:
    from app.services.station import FirstAdmin, init_station

    args = inv.args
    sheet = check_output(args.recovery_sheet) if args.recovery_sheet else None
    admin = FirstAdmin(args.admin_code, args.admin_name, read_password(args, confirm=True))
    info = init_station(
        inv.ctx,
        code=args.station_code,
        name=args.station_name,
        workstation=args.workstation,
        admin=admin,
        jurisdiction=args.jurisdiction,
        phone=args.phone,
    )
    inv.emit(
        asdict(info),
        f"已初始化：{info.name}({info.code}) 工作站 {info.workstation}，管理员 "
        f"{admin.name}({admin.code})；数据目录 {inv.data_dir}\n"
        "本站数据已加密(民警密码解锁)。恢复密钥只显示这一次：请抄写或打印后存放在所内保险柜，"
        "所有民警都无法登录时，用它恢复(certdesk recover)：\n"
        f"    {info.recovery_key}",
    )
    if sheet is not None:
        write_sheet(inv, sheet, info.name, info.code, info.workstation, info.recovery_key)
    return EXIT_OK


def write_sheet(
    inv: Invocation, path: Path, name: str, code: str, workstation: str, key: str
) -> None:
    """The recovery key's page, written where the administrator asked, to be printed."""
    import sys

    from app.records.archive import write_output
    from app.services.recovery import recovery_sheet

    pdf = recovery_sheet(
        station_name=name,
        station_code=code,
        workstation=workstation,
        key=key,
        today=inv.ctx.today(),
    )
    write_output(path, pdf)
    sys.stderr.write(f"恢复密钥页已写入 {path}：打印后请删除该文件(它能打开本站的全部数据)\n")


def set_station(inv: Invocation) -> int:
    from app.services.station import set_idle_lock

    info = set_idle_lock(inv.ctx, actor=inv.actor, minutes=inv.args.idle_lock_minutes)
    print(f"已设置：窗口空闲 {info.idle_lock_minutes} 分钟后锁定")
    return EXIT_OK


def accept_clock(inv: Invocation) -> int:
    from app.errors import ApprovalRequired
    from app.services.station import accept_clock as accept

    approval = read_approval(inv.args)
    if approval is None:
        raise ApprovalRequired("以现在的时间为准须经所领导审批")
    previous = accept(inv.ctx, actor=inv.actor, approval=approval)
    from app.policy.workdays import CHINA

    before = f"(此前记录的最近时间 {previous.astimezone(CHINA):%Y-%m-%d %H:%M})" if previous else ""
    print(f"已以本机现在的时间为准{before}")
    return EXIT_OK
