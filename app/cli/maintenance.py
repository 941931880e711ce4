"""``certdesk backup``, ``certdesk restore`` and ``certdesk audit verify``: keeping the records
whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.parser import EXIT_OK, Invocation, subcommands


def register(sub: Any) -> None:
    backup = sub.add_parser("backup", help="备份数据库到文件")
    backup.add_argument("file")
    backup.set_defaults(handler=back_up)
    restore = sub.add_parser(
        "restore",
        help="从备份文件恢复数据库(当前数据库另存一份)；在尚未设置的新电脑上，用备份的恢复密钥",
    )
    restore.add_argument("file")
    restore.add_argument(
        "--recovery-key-stdin",
        action="store_true",
        help="从标准输入读取备份的恢复密钥(新电脑上恢复，或备份来自另一把数据密钥)",
    )
    restore.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取备份中本人的密码(备份来自另一把数据密钥时)",
    )
    restore.add_argument("--officer", help="新电脑上恢复：备份中民警的警号(与 --password-stdin)")
    restore.set_defaults(handler=restore_backup)
    recover = sub.add_parser(
        "recover",
        help="用恢复密钥为管理员重新设置密码(所有民警都无法登录时；标准输入：恢复密钥，新密码)",
    )
    recover.add_argument("--officer", required=True, help="管理员警号")
    recover.add_argument(
        "--recovery-key-stdin",
        action="store_true",
        help="从标准输入读取：第一行恢复密钥，第二行新密码",
    )
    recover.set_defaults(handler=recover_admin)
    renew = sub.add_parser(
        "recovery-key", help="重新生成恢复密钥(管理员；旧的随即失效，新的只显示一次)"
    )
    renew.add_argument(
        "--sheet", metavar="FILE.pdf", help="同时把恢复密钥页写入此文件以便打印(打印后请删除)"
    )
    renew.add_argument("--json", action="store_true")
    renew.set_defaults(handler=renew_recovery)
    audit = sub.add_parser("audit", help="审计记录")
    actions = subcommands(audit, "audit_command", "ACTION")
    verify = actions.add_parser("verify", help="核对审计链和记录，指出第一处断开或被改动的地方")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=verify_audit)
    export = actions.add_parser("export", help="导出审计记录(审计员)：.csv 或 .xlsx")
    export.add_argument("file")
    export.set_defaults(handler=export_audit)


def back_up(inv: Invocation) -> int:
    from app.services.integrity import backup

    path = backup(inv.ctx, Path(inv.args.file), actor=inv.actor)
    print(f"已备份到 {path}")
    return EXIT_OK


def _stdin_line() -> str:
    import sys

    return sys.stdin.readline().rstrip("\r\n")


def restore_backup(inv: Invocation) -> int:
    from app.cli.parser import forget_session_token
    from app.services.integrity import restore
    from app.services.station import station_info

    args = inv.args
    recovery = _stdin_line() if args.recovery_key_stdin else None
    password = _stdin_line() if args.password_stdin else None
    if station_info(inv.ctx) is None:  # a new PC: the backup brings the station
        from app.services.recovery import restore_on_new_pc

        code = restore_on_new_pc(
            inv.ctx,
            Path(args.file),
            recovery_key=recovery,
            code=args.officer,
            password=password,
        )
        print(f"已在本机恢复派出所 {code} 的备份 {args.file}。请民警用原密码登录")
        return EXIT_OK
    kept = restore(
        inv.ctx, Path(args.file), actor=inv.actor, password=password, recovery_key=recovery
    )
    forget_session_token(inv.data_dir)
    print(f"已从 {args.file} 恢复；恢复前的数据库另存为 {kept.name}。请重新登录")
    return EXIT_OK


def recover_admin(inv: Invocation) -> int:
    import getpass
    import sys

    from app.errors import InvalidInput
    from app.services.recovery import recover

    if inv.args.recovery_key_stdin:
        recovery, password = _stdin_line(), _stdin_line()
    elif sys.stdin.isatty():
        recovery = getpass.getpass("恢复密钥：")
        password = getpass.getpass("新密码：")
        if getpass.getpass("再次输入：") != password:
            raise InvalidInput("两次输入的密码不一致", field="new_password")
    else:
        raise InvalidInput("请用 --recovery-key-stdin 从标准输入提供恢复密钥", field="recovery_key")
    if not password:
        raise InvalidInput("请在第二行给出新密码", field="new_password")
    recover(inv.ctx, recovery_key=recovery, code=inv.args.officer, password=password)
    print(f"已用恢复密钥为管理员 {inv.args.officer} 重新设置密码，请用新密码登录")
    return EXIT_OK


def renew_recovery(inv: Invocation) -> int:
    from app.cli.parser import check_output
    from app.cli.station import write_sheet
    from app.services.recovery import renew
    from app.services.station import station_info

    sheet = check_output(inv.args.sheet) if inv.args.sheet else None
    key = renew(inv.ctx, actor=inv.actor)
    if sheet is not None:
        info = station_info(inv.ctx)
        assert info is not None
        write_sheet(inv, sheet, info.name, info.code, info.workstation, key)
    inv.emit(
        {"recovery_key": key},
        f"新的恢复密钥(只显示这一次；旧的已失效)：请抄写或打印后存放在所内保险柜：\n    {key}",
    )
    return EXIT_OK


def verify_audit(inv: Invocation) -> int:
    from app.services.integrity import verify_audit

    report = verify_audit(inv.ctx, actor=inv.actor)
    text = (
        f"审计链完整：共 {report.events} 条记录，与当前数据一致。"
        if report.ok
        else f"审计核对未通过：{report.problem}"
    )
    inv.emit(report.to_dict(), text)
    return EXIT_OK if report.ok else 1


def export_audit(inv: Invocation) -> int:
    import sys

    from app.services.export import PERSONAL_DATA
    from app.services.integrity import export_audit

    count = export_audit(inv.ctx, Path(inv.args.file), actor=inv.actor)
    print(f"已导出审计记录 {count} 条：{inv.args.file}")
    sys.stderr.write(f"注意：{PERSONAL_DATA}\n")
    return EXIT_OK
