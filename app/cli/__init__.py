"""The ``certdesk`` command. Each command group is one module here with its parser and handler
together; every handler calls the same services the window calls.

    decide catalog          the policy (no data dir needed)
    init officer            the station and its officers
    login logout whoami password      who acts
    issue notice case       requests at the counter and investigations
    list show search hand-over void reprint     certificates
    render forms verify serial                  paper and checks
    enrol sync stats oversight reports backup restore audit
    exchange list|answer|decline               partners' inquiries
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app import __version__, paths
from app.cli import (
    catalog,
    certificates,
    counter,
    decide,
    exchange,
    forms,
    maintenance,
    officers,
    province,
    signin,
    station,
    supervision,
    verify,
)
from app.cli.parser import EXIT_OK, Invocation, Parser, fail, subcommands
from app.errors import CertdeskError

GROUPS = (
    decide,
    catalog,
    station,
    signin,
    officers,
    counter,
    exchange,
    certificates,
    forms,
    verify,
    province,
    supervision,
    maintenance,
)


def build_parser() -> Parser:
    from app.policy.catalog import builtin_catalog_names

    parser = Parser(
        prog="certdesk",
        description="certdesk：公安派出所出具证明工作台。判断所要证明应当取消、信息交换还是出具。",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"数据目录(也可用环境变量 {paths.DATA_DIR_ENV}；默认为系统用户数据目录)",
    )
    parser.add_argument(
        "--catalog",
        metavar="NAME|FILE",
        help="使用的证明目录：内置目录名("
        + "、".join(builtin_catalog_names())
        + ")或目录文件路径；默认为数据目录中已启用的目录，否则 jilin-2015",
    )
    parser.add_argument(
        "--version", action="version", version=f"certdesk {__version__}", help="显示版本号并退出"
    )
    sub = subcommands(parser, "command", "COMMAND")
    for group in GROUPS:
        group.register(sub)
    gui = sub.add_parser("gui", help="打开窗口界面(证明工作台)")
    gui.add_argument("--lang", choices=("zh", "en"), default="zh", help="界面语言")
    gui.add_argument("--selftest", action="store_true", help="打开主窗口、载入列表后退出(检查安装)")
    gui.add_argument("--json", action="store_true", help="与 --selftest 一起：以 JSON 报告启动用时")
    gui.add_argument(
        "--officer",
        metavar="CODE",
        help="与 --selftest 一起：以该民警登录(密码从标准输入读取)再载入列表",
    )
    gui.add_argument(
        "--demo-reader", action="store_true", help="演示用的模拟身份证读卡器(没有读卡器时)"
    )
    gui.set_defaults(handler=_window_elsewhere)
    return parser


def _window_elsewhere(_inv: Invocation) -> int:
    """The window is ``ui``'s: the certdesk executable (ui.launcher) opens it."""
    raise CertdeskError("窗口界面请用 certdesk 命令(ui.launcher)启动")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command is None:
            parser.print_help()  # (the certdesk executable opens the window instead)
            return EXIT_OK
        # a command group without its action: that group's help
        parser.parse_args([*(argv or sys.argv[1:]), "--help"])
        return EXIT_OK
    invocation = Invocation(
        args, paths.data_dir(args.data_dir), catalog_choice=args.catalog or None
    )
    try:
        return int(handler(invocation))
    except CertdeskError as error:
        return fail(error, as_json=invocation.json)
    finally:
        invocation.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
