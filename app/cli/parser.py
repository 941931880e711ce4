"""What the station's commands share: the typed invocation a handler receives, and the ways a
command answers (text, JSON, an error with its exit code and a hint in the command line's own
words). The parser itself is ``app.commandline``'s, shared with ``certdesk-server``."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.commandline import EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUSED, Parser, subcommands
from app.errors import CertdeskError, InvalidInput

if TYPE_CHECKING:
    from app.context import Context
    from app.policy.catalog import Catalog

# the parser's names, for the command modules that import them from here
__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_REFUSED", "Parser", "subcommands"]


# ---------------------------------------------------------------------- what a handler gets

Handler = Callable[["Invocation"], int]


@dataclass
class Invocation:
    """One run of a command: its arguments, and the data dir and catalog opened when needed."""

    args: argparse.Namespace
    data_dir: Path
    catalog_choice: str | None = None  # --catalog: a built-in name or a file
    _ctx: Context | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def ctx(self) -> Context:
        """The station's context on the data dir (the database opens on first use)."""
        if self._ctx is None:
            from app.context import Context

            override = self.chosen_catalog() if self.catalog_choice else None
            self._ctx = Context(self.data_dir, catalog_override=override)
        return self._ctx

    def chosen_catalog(self) -> Catalog:
        """The catalog named by --catalog, else the one enabled in the data dir."""
        from app.policy.catalog import (
            CatalogStore,
            builtin_catalog_names,
            builtin_catalog_path,
            load_catalog,
        )

        choice = self.catalog_choice
        if choice:
            if choice in builtin_catalog_names():
                return load_catalog(builtin_catalog_path(choice))
            return load_catalog(Path(choice))
        return CatalogStore(self.data_dir).current

    def emit(self, data: Any, text: str) -> None:
        """Answer as JSON (--json) or as text for people."""
        if self.json:
            print_json(data)
        else:
            print(text)

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# What to do next, in the command line's own words (the services' messages name no command).
HINTS = {
    "not_initialised": "请先运行 certdesk init 设置本工作站",
    "approval_required": "用 --approved-by 给出审批的所领导警号",
    "not_enrolled": "先向省级服务器登记：certdesk enrol --server URL --code 登记码",
    "not_issued": "请用 certdesk notice 出具书面告知书",
    "needs_certificate": "请用 certdesk issue 出具证明；缺少材料的，用 certdesk notice --missing 出具一次性告知书",
    "needs_choice": "用 --kind-id 选定其中一种，或用 --unlisted 确认不在目录内",
}


def fail(error: CertdeskError, *, as_json: bool = False) -> int:
    """Report a domain error plainly (or as JSON) and return its exit code."""
    hint = HINTS.get(error.code)
    if as_json:
        data = {"error": error.code, "field": error.field, "message": error.message}
        print_json({**data, "hint": hint} if hint else data)
    else:
        where = f"[{error.field}] " if error.field else ""
        sys.stderr.write(f"错误：{where}{error.message}\n")
        if hint:
            sys.stderr.write(f"提示：{hint}\n")
    return error.exit_code


# ---------------------------------------------------------------------- reading input


def parse_fields(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"字段“{pair}”应写成 NAME=VALUE", field="field")
        if name.strip() in values:
            raise InvalidInput(f"字段 {name.strip()} 重复", field=name.strip())
        values[name.strip()] = value
    return values


def read_password(args: argparse.Namespace, *, confirm: bool) -> str:
    """From standard input (--password-stdin), or typed twice at a terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput("请用 --password-stdin 从标准输入提供密码", field="password")
    first = getpass.getpass("密码：")
    if confirm and getpass.getpass("再次输入密码：") != first:
        raise InvalidInput("两次输入的密码不一致", field="password")
    return first


def check_output(output: str) -> Path:
    """A PDF file to write (checked before anything is recorded)."""
    path = Path(output)
    if path.suffix.lower() != ".pdf":
        raise InvalidInput(f"输出文件应以 .pdf 结尾：{output}", field="output")
    if path.exists() and path.is_dir():
        raise InvalidInput(f"{output} 是目录", field="output")
    return path
