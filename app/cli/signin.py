"""``certdesk login|logout|whoami`` and ``certdesk password change``: who acts on this data dir.

``login`` opens a session and keeps its token in ``session.token`` in the data dir (readable by
the owner only; the station keeps the token's SHA-256); every command that changes data or shows
personal data then acts as that officer, until 15 idle minutes or 8 hours have passed, or
``logout``."""

from __future__ import annotations

from typing import Any

from app.cli.parser import (
    EXIT_OK,
    Invocation,
    forget_session_token,
    read_password,
    read_session_token,
    subcommands,
    write_session_token,
)


def register(sub: Any) -> None:
    login = sub.add_parser("login", help="民警登录(连续错误5次锁定15分钟；空闲15分钟或8小时后失效)")
    login.add_argument("--officer", required=True, help="警号")
    login.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    login.add_argument("--json", action="store_true")
    login.set_defaults(handler=sign_in)
    logout = sub.add_parser("logout", help="退出登录")
    logout.set_defaults(handler=sign_out)
    whoami = sub.add_parser("whoami", help="当前登录的民警")
    whoami.add_argument("--json", action="store_true")
    whoami.set_defaults(handler=who)
    password = sub.add_parser("password", help="密码")
    actions = subcommands(password, "password_command", "ACTION")
    change = actions.add_parser(
        "change", help="修改自己的密码(标准输入：第一行原密码，第二行新密码)"
    )
    change.add_argument("--officer", required=True, help="警号")
    change.add_argument("--password-stdin", action="store_true", help="从标准输入读取两行")
    change.set_defaults(handler=change_password)


def sign_in(inv: Invocation) -> int:
    from app.services import auth

    password = read_password(inv.args, confirm=False)
    actor = auth.sign_in(  # (one command-line session per data dir: the one before ends)
        inv.ctx, code=inv.args.officer, password=password
    )
    recovery = ""
    from app.policy.roles import ADMINISTRATION
    from app.services.recovery import encrypt_station, needs_encryption

    if needs_encryption(inv.ctx) and actor.role in ADMINISTRATION:  # a station from before
        import sys

        sys.stderr.write("本站数据尚未加密：正在加密(首次登录，仅此一次)…\n")
        recovery = encrypt_station(inv.ctx, actor=actor, password=password)
    before = read_session_token(inv.data_dir)
    if inv.ctx.vault.encrypted:  # the session's own key slot: later commands unlock with it
        from app.records.sessions import LIFETIME

        if before is not None:
            inv.ctx.vault.remove_session(before)
        inv.ctx.vault.add_session(actor.token, actor.since + LIFETIME, actor.code)
    write_session_token(inv.data_dir, actor.token)
    data = {"officer": actor.code, "name": actor.name, "role": actor.role}
    text = f"登录成功：{actor.name}({actor.code})；空闲15分钟或满8小时后须重新登录"
    if recovery:
        data["recovery_key"] = recovery
        text += (
            "\n本站数据已加密(民警密码解锁；其他民警下次登录时建立各自的密钥)。恢复密钥只显示"
            f"这一次：请抄写或打印后存放在所内保险柜：\n    {recovery}"
        )
    inv.emit(data, text)
    return EXIT_OK


def sign_out(inv: Invocation) -> int:
    from app.services import auth

    token = read_session_token(inv.data_dir)
    if token is not None:
        if not inv.ctx.locked:
            auth.sign_out(inv.ctx, token)
        inv.ctx.vault.remove_session(token)  # its key slot goes with it
    forget_session_token(inv.data_dir)
    print("已退出登录")
    return EXIT_OK


def who(inv: Invocation) -> int:
    from app.services import auth

    data = auth.whoami(inv.ctx, inv.actor)
    inv.emit(data, f"{data['name']}({data['officer']})，{data['role']}，登录于 {data['since']}")
    return EXIT_OK


def change_password(inv: Invocation) -> int:
    from app.errors import InvalidInput
    from app.services import auth

    if inv.args.password_stdin:
        import sys

        old = sys.stdin.readline().rstrip("\r\n")
        new = sys.stdin.readline().rstrip("\r\n")
    else:
        old = read_password(inv.args, confirm=False, prompt="原密码：")
        new = read_password(inv.args, confirm=True, prompt="新密码：")
    if not new:
        raise InvalidInput("请在第二行给出新密码", field="new_password")
    auth.change_password(inv.ctx, code=inv.args.officer, old=old, new=new)
    print(f"民警 {inv.args.officer} 的密码已修改，请用新密码登录")
    return EXIT_OK
