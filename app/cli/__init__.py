"""The ``certdesk`` command. Every subcommand calls the same services the GUI will call."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.cli import station_commands as cli_station
from app.cli.explain import catalog_text, decision_text, kind_text
from app.cli.parser import EXIT_OK, EXIT_REFUSED, Parser, fail, print_json
from app.errors import CertdeskError, InvalidInput
from app.policy.catalog import (
    CONFIDENCE_NAMES,
    OUTCOME_NAMES,
    Catalog,
    CatalogStore,
    builtin_catalog_names,
    builtin_catalog_path,
    load_catalog,
)

if TYPE_CHECKING:
    from app.context import Context

__version__ = "0.1.0"


def build_parser() -> Parser:
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    decide = sub.add_parser(
        "decide",
        help="判断一项证明要求：取消、信息交换或出具",
        description="判断一项证明要求。退出码：0 已判断；2 参数错误；3 证明种类不明确。",
    )
    decide.add_argument(
        "--kind",
        required=True,
        metavar="TEXT",
        help="所要证明，按群众或单位的说法(名称、别名、拼音或拼音首字母)",
    )
    decide.add_argument(
        "--requester",
        required=True,
        metavar="SECTOR",
        help="要求单位类别：court procuratorate education civil_affairs justice "
        "human_resources housing health telecom bank public_security other",
    )
    decide.add_argument(
        "--purpose",
        required=True,
        metavar="PURPOSE",
        help="用途：in_province(省内) out_of_province(省外) abroad(出国境)",
    )
    decide.add_argument("--kind-id", metavar="ID", help="直接指定目录中的证明编号(从候选中选定)")
    decide.add_argument("--unlisted", action="store_true", help="确认所要证明不在目录内")
    decide.add_argument(
        "--needs-investigation", action="store_true", help="系统内无记录，需要调查核实"
    )
    decide.add_argument(
        "--book-lacks-fact",
        action="store_true",
        help="户口簿未记载该事项(适用于凭户口簿证明的事项)",
    )
    decide.add_argument("--today", metavar="YYYY-MM-DD", help="判断日期(默认今天)")
    decide.add_argument("--json", action="store_true", help="以 JSON 输出")

    catalog = sub.add_parser("catalog", help="查看、校验和启用证明目录")
    csub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=Parser)
    clist = csub.add_parser("list", help="列出目录中的全部证明种类")
    clist.add_argument("--json", action="store_true", help="以 JSON 输出")
    cshow = csub.add_parser("show", help="显示目录(按目录编号)或一种证明(按证明编号、名称或别名)")
    cshow.add_argument("id", nargs="?", help="目录编号或证明编号；省略时显示当前目录")
    cshow.add_argument("--json", action="store_true", help="以 JSON 输出")
    cvalid = csub.add_parser("validate", help="校验一个目录文件；有错误时指出文件、行号和原因")
    cvalid.add_argument("file")
    cvalid.add_argument("--json", action="store_true", help="以 JSON 输出")
    cuse = csub.add_parser("use", help="校验并启用一个目录文件(无效的文件不会替换当前目录)")
    cuse.add_argument("file", nargs="?", help="目录文件；与 --default 二选一")
    cuse.add_argument("--default", action="store_true", help="恢复内置默认目录")
    cli_station.add_commands(sub)
    gui = sub.add_parser("gui", help="打开窗口界面(证明工作台)")
    gui.add_argument("--lang", choices=("zh", "en"), default="zh", help="界面语言")
    gui.add_argument("--selftest", action="store_true", help="打开主窗口后立即退出(检查安装)")
    gui.add_argument(
        "--demo-reader", action="store_true", help="演示用的模拟身份证读卡器(没有读卡器时)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # (the certdesk executable opens the counter window instead: ui/launcher.py)
        parser.print_help()
        return EXIT_OK
    try:
        if args.command == "decide":
            return _decide(args)
        if args.command == "catalog":
            return _catalog(args, parser)
        if args.command == "gui":
            raise CertdeskError("窗口界面请用 certdesk 命令(ui.launcher)启动")
        if args.command in cli_station.COMMANDS:
            return cli_station.run(args, lambda: _context(args), parser)
    except CertdeskError as error:
        return fail(error, as_json=bool(getattr(args, "json", False)))
    parser.error(f"未知命令 {args.command}")


def _context(args: argparse.Namespace) -> Context:
    from app.context import Context

    override = _active_catalog(args) if args.catalog else None
    return Context(paths.data_dir(args.data_dir), catalog_override=override)


def _store(args: argparse.Namespace) -> CatalogStore:
    return CatalogStore(paths.data_dir(args.data_dir))


def _active_catalog(args: argparse.Namespace) -> Catalog:
    if args.catalog:
        if args.catalog in builtin_catalog_names():
            return load_catalog(builtin_catalog_path(args.catalog))
        return load_catalog(Path(args.catalog))
    return _store(args).current


def _decide(args: argparse.Namespace) -> int:
    from app.policy.decision import Request, decide

    catalog = _active_catalog(args)
    today = _parse_date(args.today) if args.today else dt.date.today()
    request = Request(
        kind_text=args.kind,
        requester=args.requester,
        purpose=args.purpose,
        kind_id=args.kind_id,
        unlisted=args.unlisted,
        needs_investigation=args.needs_investigation,
        book_lacks_fact=args.book_lacks_fact,
    )
    decision = decide(catalog, request, today)
    if args.json:
        print_json(decision.to_dict())
    else:
        stream = sys.stdout if decision.status == "decided" else sys.stderr
        stream.write(decision_text(decision))
    return EXIT_OK if decision.status == "decided" else EXIT_REFUSED


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"日期“{text}”格式不对，应为 YYYY-MM-DD", field="today") from exc


def _catalog(args: argparse.Namespace, parser: Parser) -> int:
    action = args.catalog_command
    if action is None:
        parser.parse_args(["catalog", "--help"])
    if action == "validate":
        catalog = load_catalog(Path(args.file))
        if args.json:
            print_json(
                {
                    "valid": True,
                    "file": args.file,
                    "catalog": catalog.id,
                    "version": catalog.version,
                    "kinds": len(catalog.kinds),
                }
            )
        else:
            print(
                f"{args.file}：有效。目录 {catalog.id} 版本 {catalog.version}，"
                f"共 {len(catalog.kinds)} 种证明。"
            )
        return EXIT_OK
    if action == "use":
        store = _store(args)
        if args.default:
            catalog = store.reset()
        elif args.file:
            catalog = store.replace(Path(args.file))
        else:
            raise InvalidInput("请给出目录文件，或使用 --default", field="file")
        print(f"已启用目录 {catalog.id} 版本 {catalog.version}(数据目录：{store.data_dir})。")
        return EXIT_OK
    catalog = _active_catalog(args)
    if action == "list":
        rows = [
            {
                "id": k.id,
                "name": k.name,
                "outcome": k.outcome,
                "group": k.group,
                "confidence": k.confidence,
            }
            for k in catalog
        ]
        if args.json:
            print_json({"catalog": catalog.id, "version": catalog.version, "kinds": rows})
        else:
            print(f"{catalog.meta.title}(目录 {catalog.id}，版本 {catalog.version})")
            for row in rows:
                print(
                    f"  {row['id']:<38} {OUTCOME_NAMES[row['outcome']]:<10} "
                    f"[{CONFIDENCE_NAMES[row['confidence']]}] {row['name']}"
                )
        return EXIT_OK
    # show
    target = args.id
    if target is None or target == catalog.id:
        if args.json:
            print_json(_catalog_json(catalog))
        else:
            sys.stdout.write(catalog_text(catalog))
        return EXIT_OK
    found = catalog.lookup.find(target)
    if found.status != "exact" or found.kind_id is None:
        names = "、".join(f"{c.name}({c.kind_id})" for c in found.candidates)
        hint = f"；可能是：{names}" if names else ""
        raise InvalidInput(f"目录 {catalog.id} 中没有“{target}”{hint}", field="id")
    kind = catalog.kind(found.kind_id)
    if args.json:
        print_json({"catalog": catalog.id, "version": catalog.version, **asdict(kind)})
    else:
        sys.stdout.write(kind_text(catalog, kind))
    return EXIT_OK


def _catalog_json(catalog: Catalog) -> dict[str, object]:
    meta = asdict(catalog.meta)
    return {
        **meta,
        "listed_counts": catalog.listed_counts(),
        "open_counts": catalog.open_counts(),
        "sectors": catalog.sectors,
        "digest": catalog.digest,
    }


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
