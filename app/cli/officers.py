"""``certdesk officer add|list|disable`` and ``certdesk login``: the station's officers."""

from __future__ import annotations

from typing import Any

from app.cli.parser import EXIT_OK, Invocation, read_password, subcommands


def register(sub: Any) -> None:
    officer = sub.add_parser("officer", help="民警账号：添加、列出、停用")
    actions = subcommands(officer, "officer_command", "ACTION")
    add = actions.add_parser("add", help="添加民警")
    add.add_argument("--code", required=True, help="警号")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument(
        "--role", required=True, help="clerk(窗口民警) supervisor(所领导) admin(管理员)"
    )
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_officer)
    listing = actions.add_parser("list", help="列出民警")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_officers)
    disable = actions.add_parser("disable", help="停用民警账号")
    disable.add_argument("code", help="警号")
    disable.set_defaults(handler=disable_officer)

    login = sub.add_parser("login", help="核对民警密码(连续错误5次锁定15分钟)")
    login.add_argument("--officer", required=True, help="警号")
    login.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    login.add_argument("--json", action="store_true")
    login.set_defaults(handler=sign_in)


def add_officer(inv: Invocation) -> int:
    from app.services import officers

    args = inv.args
    password = read_password(args, confirm=True)
    info = officers.add_officer(
        inv.ctx, code=args.code, name=args.name, role=args.role, password=password
    )
    inv.emit(info.to_dict(), f"已添加民警 {info.name}({info.code})，角色 {info.role}")
    return EXIT_OK


def list_officers(inv: Invocation) -> int:
    from app.services import officers

    rows = officers.list_officers(inv.ctx)
    lines = [
        f"{o.code:<12} {o.name:<8} {o.role:<10} {'在用' if o.active else '停用'}" for o in rows
    ]
    inv.emit([o.to_dict() for o in rows], "\n".join(lines) or "(尚无民警)")
    return EXIT_OK


def disable_officer(inv: Invocation) -> int:
    from app.services import officers

    info = officers.disable_officer(inv.ctx, code=inv.args.code)
    print(f"已停用民警 {info.name}({info.code})")
    return EXIT_OK


def sign_in(inv: Invocation) -> int:
    from app.services.officers import authenticate

    password = read_password(inv.args, confirm=False)
    info = authenticate(inv.ctx, code=inv.args.officer, password=password)
    inv.emit(info.to_dict(), f"登录成功：{info.name}({info.code})")
    return EXIT_OK
