"""``certdesk officer add|list|disable|reset-password|unlock|role``: the station's officers, kept by
its administrator."""

from __future__ import annotations

from typing import Any

from app.cli.parser import (
    EXIT_OK,
    Invocation,
    add_approval_args,
    read_approval,
    read_password,
    subcommands,
)
from app.policy.roles import ROLE_NAMES, ROLES

ROLE_HELP = " ".join(f"{r}({ROLE_NAMES[r]})" for r in ROLES)


def register(sub: Any) -> None:
    officer = sub.add_parser(
        "officer", help="民警账号(管理员)：添加、列出、停用、重置密码、解锁、更改角色"
    )
    actions = subcommands(officer, "officer_command", "ACTION")
    add = actions.add_parser("add", help="添加民警(首次登录须修改密码)")
    add.add_argument("--code", required=True, help="警号")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument("--role", required=True, help=ROLE_HELP)
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取初始密码")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_officer)
    listing = actions.add_parser("list", help="列出民警")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_officers)
    disable = actions.add_parser("disable", help="停用民警账号(其登录随即失效)")
    disable.add_argument("code", help="警号")
    disable.set_defaults(handler=disable_officer)
    reset = actions.add_parser("reset-password", help="重置民警密码(其首次登录须修改)")
    reset.add_argument("code", help="警号")
    reset.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码")
    reset.set_defaults(handler=reset_password)
    unlock = actions.add_parser("unlock", help="解除因密码错误的锁定")
    unlock.add_argument("code", help="警号")
    unlock.set_defaults(handler=unlock_officer)
    role = actions.add_parser("role", help="更改民警的角色(其登录随即失效，重新登录后生效)")
    role.add_argument("code", help="警号")
    role.add_argument("--role", required=True, help=ROLE_HELP)
    role.set_defaults(handler=change_role)
    for parser in (add, listing, disable, reset, unlock, role):
        parser.add_argument("--officer", metavar="CODE", help="本人(管理员)警号，须为登录者")
    for parser in (add, disable, reset, role, unlock):
        add_approval_args(parser, "涉及所领导或管理员账号的")


def add_officer(inv: Invocation) -> int:
    from app.services import officers

    args = inv.args
    password = read_password(args, confirm=True)
    info = officers.add_officer(
        inv.ctx,
        actor=inv.actor,
        code=args.code,
        name=args.name,
        role=args.role,
        password=password,
        approval=read_approval(args),
    )
    inv.emit(
        info.to_dict(),
        f"已添加民警 {info.name}({info.code})，角色 {ROLE_NAMES[info.role]}；首次登录须修改密码",
    )
    return EXIT_OK


def list_officers(inv: Invocation) -> int:
    from app.services import officers

    rows = officers.list_officers(inv.ctx, actor=inv.actor)
    lines = [
        f"{o.code:<12} {o.name:<8} {ROLE_NAMES[o.role]:<6} {'在用' if o.active else '停用'}"
        + ("  锁定" if o.locked_until else "")
        for o in rows
    ]
    inv.emit([o.to_dict() for o in rows], "\n".join(lines) or "(尚无民警)")
    return EXIT_OK


def disable_officer(inv: Invocation) -> int:
    from app.services import officers

    info = officers.disable_officer(
        inv.ctx, actor=inv.actor, code=inv.args.code, approval=read_approval(inv.args)
    )
    print(f"已停用民警 {info.name}({info.code})")
    return EXIT_OK


def reset_password(inv: Invocation) -> int:
    from app.services import officers

    password = read_password(inv.args, confirm=True, prompt="新密码：")
    info = officers.reset_password(
        inv.ctx,
        actor=inv.actor,
        code=inv.args.code,
        password=password,
        approval=read_approval(inv.args),
    )
    print(f"已重置民警 {info.name}({info.code}) 的密码；其登录时须修改密码")
    return EXIT_OK


def change_role(inv: Invocation) -> int:
    from app.policy.roles import ROLE_NAMES
    from app.services import officers

    info = officers.change_role(
        inv.ctx,
        actor=inv.actor,
        code=inv.args.code,
        role=inv.args.role,
        approval=read_approval(inv.args),
    )
    print(
        f"民警 {info.name}({info.code}) 现为{ROLE_NAMES[info.role]}；其登录已结束，重新登录后生效"
    )
    return EXIT_OK


def unlock_officer(inv: Invocation) -> int:
    from app.services import officers

    info = officers.unlock_officer(
        inv.ctx, actor=inv.actor, code=inv.args.code, approval=read_approval(inv.args)
    )
    print(f"已解除民警 {info.name}({info.code}) 的锁定")
    return EXIT_OK
