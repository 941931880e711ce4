"""What both command lines (``certdesk`` and ``certdesk-server``) share: an argparse parser that
speaks Chinese and refuses what it does not know.

It uses only argparse's public interface: its own ``-h`` option, help and usage headers
rewritten where argparse writes them, and the messages it reports through ``error()`` translated
there. Unknown options and abbreviations are refused at once (exit 2).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3

_HEADERS = (
    (re.compile(r"^usage: ", re.M), "用法："),
    (re.compile(r"^positional arguments:$", re.M), "参数："),
    (re.compile(r"^options:$", re.M), "选项："),
)
_MESSAGES = (
    (r"the following arguments are required: (.+)", "缺少必填参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (
        r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
        "参数 {0}：无效的选项 {1}(可选：{2})",
    ),
    (r"argument (\S+): expected one argument", "参数 {0}：需要一个值"),
    (r"argument (\S+): invalid (\S+) value: (.+)", "参数 {0}：无效的 {1} 值：{2}"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能与 {1} 同时使用"),
    (r"one of the arguments (.+) is required", "须给出以下参数之一：{0}"),
    (r"ambiguous option: (\S+) could match (.+)", "选项 {0} 不明确，可能是 {1}"),
)


def translate(message: str) -> str:
    """An argparse message in Chinese (left as it is when argparse words it in a new way)."""
    for pattern, chinese in _MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            return chinese.format(*found.groups())
    return message


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, help_option: bool = True, **kwargs: Any) -> None:
        """``help_option=False`` for a parser whose options other parsers take as ``parents``."""
        kwargs.setdefault("allow_abbrev", False)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if help_option:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return _chinese_headers(super().format_usage())

    def format_help(self) -> str:
        return _chinese_headers(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}：错误：{translate(message)}\n")


def _chinese_headers(text: str) -> str:
    for pattern, chinese in _HEADERS:
        text = pattern.sub(chinese, text)
    return text


def subcommands(parser: argparse.ArgumentParser, dest: str, metavar: str) -> Any:
    return parser.add_subparsers(dest=dest, metavar=metavar, parser_class=Parser)
