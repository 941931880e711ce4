"""``certdesk catalog list|show|validate|use``: the policy catalog in use, one kind with its
sources, checking a file, and enabling one (a bad file changes nothing)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.parser import (
    EXIT_OK,
    Invocation,
    add_approval_args,
    print_json,
    read_approval,
    subcommands,
)
from app.errors import InvalidInput

if TYPE_CHECKING:
    from app.policy.catalog import Catalog


def register(sub: Any) -> None:
    catalog = sub.add_parser("catalog", help="查看、校验和启用证明目录")
    actions = subcommands(catalog, "catalog_command", "ACTION")
    listing = actions.add_parser("list", help="列出目录中的全部证明种类")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_kinds)
    show = actions.add_parser("show", help="显示目录(按目录编号)或一种证明(按证明编号、名称或别名)")
    show.add_argument("id", nargs="?", help="目录编号或证明编号；省略时显示当前目录")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_catalog)
    table = actions.add_parser(
        "table", help="决策表：每种证明 × 要求单位 × 用途的结论(Markdown)，供审阅政策"
    )
    table.add_argument("--output", metavar="FILE.md", help="写入文件(默认输出到屏幕)")
    table.add_argument(
        "--all", action="store_true", help="全部内置目录(默认只用当前目录或 --catalog 指定的目录)"
    )
    table.set_defaults(handler=decision_table)
    validate = actions.add_parser("validate", help="校验一个目录文件；有错误时指出文件、行号和原因")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true", help="以 JSON 输出")
    validate.set_defaults(handler=validate_file)
    use = actions.add_parser("use", help="校验并启用一个目录文件(无效的文件不会替换当前目录)")
    use.add_argument("file", nargs="?", help="目录文件；与 --default 二选一")
    use.add_argument("--default", action="store_true", help="恢复内置默认目录")
    use.set_defaults(handler=use_file)
    add_approval_args(use, "已登记省级服务器的工作站启用未经省级签名的目录或恢复内置目录")


def decision_table(inv: Invocation) -> int:
    from app.policy.catalog import builtin_catalog_names, builtin_catalog_path, load_catalog
    from app.policy.table import document

    if inv.args.all:
        catalogs = [load_catalog(builtin_catalog_path(n)) for n in builtin_catalog_names()]
    else:
        catalogs = [inv.chosen_catalog()]
    text = document(catalogs)
    if inv.args.output:
        Path(inv.args.output).write_text(text, encoding="utf-8")
        print(f"已写入：{inv.args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def validate_file(inv: Invocation) -> int:
    from app.policy.catalog import load_catalog

    file = inv.args.file
    catalog = load_catalog(Path(file))
    inv.emit(
        {
            "valid": True,
            "file": file,
            "catalog": catalog.id,
            "version": catalog.version,
            "kinds": len(catalog.kinds),
        },
        f"{file}：有效。目录 {catalog.id} 版本 {catalog.version}，共 {len(catalog.kinds)} 种证明。",
    )
    return EXIT_OK


def use_file(inv: Invocation) -> int:
    from app.services.catalogs import install

    if not (inv.args.default or inv.args.file):
        raise InvalidInput("请给出目录文件，或使用 --default", field="file")
    path = None if inv.args.default else Path(inv.args.file)
    catalog, signed = install(inv.ctx, actor=inv.actor, path=path, approval=read_approval(inv.args))
    how = {"signed": "省级签名已核验", "unsigned": "未经省级签名", "built-in": "内置目录"}[signed]
    print(f"已启用目录 {catalog.id} 版本 {catalog.version}({how}；数据目录：{inv.data_dir})。")
    return EXIT_OK


def list_kinds(inv: Invocation) -> int:
    from app.policy.catalog import CONFIDENCE_NAMES, OUTCOME_NAMES

    catalog = inv.chosen_catalog()
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
    lines = [f"{catalog.meta.title}(目录 {catalog.id}，版本 {catalog.version})"] + [
        f"  {row['id']:<38} {OUTCOME_NAMES[row['outcome']]:<10} "
        f"[{CONFIDENCE_NAMES[row['confidence']]}] {row['name']}"
        for row in rows
    ]
    inv.emit({"catalog": catalog.id, "version": catalog.version, "kinds": rows}, "\n".join(lines))
    return EXIT_OK


def show_catalog(inv: Invocation) -> int:
    from app.cli.explain import catalog_text, kind_text

    catalog = inv.chosen_catalog()
    target = inv.args.id
    if target is None or target == catalog.id:
        if inv.json:
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
    if inv.json:
        print_json({"catalog": catalog.id, "version": catalog.version, **asdict(kind)})
    else:
        sys.stdout.write(kind_text(catalog, kind))
    return EXIT_OK


def _catalog_json(catalog: Catalog) -> dict[str, object]:
    return {
        **asdict(catalog.meta),
        "listed_counts": catalog.listed_counts(),
        "open_counts": catalog.open_counts(),
        "sectors": catalog.sectors,
        "digest": catalog.digest,
    }
