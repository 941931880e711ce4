"""argparse set up for people who read Chinese: its own messages translated, errors exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn

from app.errors import CertdeskError, InvalidInput

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3

_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选项 %(value)r(可选：%(choices)s)"
    ),
    "expected one argument": "需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是 %(matches)s"
    ),
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "argument %s: not allowed with argument %s": "参数 %s 不能与 %s 同时使用",
}


def _translate(message: str) -> str:
    return _ZH.get(message, message)


# argparse looks its messages up through the module-level gettext alias.
argparse._ = _translate  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}：错误：{message}\n")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(error: CertdeskError, *, as_json: bool = False) -> int:
    """Report a domain error plainly (or as JSON) and return its exit code."""
    if as_json:
        print_json({"error": error.code, "field": error.field, "message": error.message})
    else:
        where = f"[{error.field}] " if error.field else ""
        sys.stderr.write(f"错误：{where}{error.message}\n")
    return error.exit_code


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print_json(data)
    else:
        print(text)


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
