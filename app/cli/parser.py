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
from app.errors import CertdeskError, InvalidInput, NotSignedIn

if TYPE_CHECKING:
    from app.context import Context
    from app.policy.catalog import Catalog
    from app.records.sessions import Actor, Approval

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
    _actor: Actor | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def ctx(self) -> Context:
        """The station's context on the data dir (the database opens on first use). On an
        encrypted station the signed-in session's key slot unlocks it (``certdesk login``)."""
        if self._ctx is None:
            from app.context import Context

            override = self.chosen_catalog() if self.catalog_choice else None
            self._ctx = Context(self.data_dir, catalog_override=override)
            if self._ctx.vault.encrypted:
                token = read_session_token(self.data_dir)
                if token is not None:
                    self._ctx.vault.unlock_session(token, self._ctx.now())
        return self._ctx

    @property
    def actor(self) -> Actor:
        """The officer signed in on this data dir (``certdesk login``); ``--officer``, when
        given, must be them. Raises ``NotSignedIn`` (exit 5)."""
        if self._actor is None:
            from app.errors import NotInitialised
            from app.services.auth import resume
            from app.services.station import station_info

            if station_info(self.ctx) is None:  # say what to do first: set the station up
                raise NotInitialised()
            if self.catalog_choice:  # what an officer records follows the station's catalog
                raise InvalidInput(
                    "--catalog 只用于 decide 和目录查看；办理和记录使用本站已启用的目录"
                    "(更换目录由管理员 certdesk catalog use 办理)",
                    field="catalog",
                )
            token = read_session_token(self.data_dir)
            if token is None:
                raise NotSignedIn("请先登录：certdesk login --officer 警号 --password-stdin")
            if self.ctx.locked:  # the session's key slot is gone: it ended (or never was)
                raise NotSignedIn("登录已结束，请重新登录：certdesk login --officer 警号")
            try:
                actor = resume(self.ctx, token)
            except NotSignedIn:
                self.ctx.vault.remove_session(token)  # an ended session's key slot goes too
                raise
            claimed = (getattr(self.args, "officer", None) or "").strip()
            if claimed and claimed != actor.code:
                raise NotSignedIn(
                    f"当前登录的是民警 {actor.code}，不是 --officer 给出的 {claimed}",
                    field="officer",
                )
            self._actor = actor
        return self._actor

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
    "approval_required": "用 --approved-by 警号 --approver-password-stdin 由所领导本人审批(从标准输入读取其密码)",
    "not_enrolled": "先向省级服务器登记：certdesk enrol --server URL --code 登记码",
    "backup_key_needed": "用 --password-stdin 给出本人在备份中的密码，或 --recovery-key-stdin 给出备份的恢复密钥",
    "not_issued": "请用 certdesk notice 出具书面告知书",
    "referred": "请用 certdesk notice 出具办理地点告知书(带上同样的 --elsewhere)",
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


def read_password(
    args: argparse.Namespace, *, confirm: bool, prompt: str = "密码：", flag: str = "password_stdin"
) -> str:
    """A line from standard input (``--password-stdin``), or typed at a terminal (twice with
    ``confirm``). Passwords are never taken from the command line, where ``ps`` shows them."""
    if getattr(args, flag, False):
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        option = "--" + flag.replace("_", "-")
        raise InvalidInput(f"请用 {option} 从标准输入提供密码", field="password")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("再次输入：") != first:
        raise InvalidInput("两次输入的密码不一致", field="password")
    return first


def add_approval_args(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--approved-by", metavar="CODE", help=f"审批的所领导警号({what}须经另一位所领导审批)"
    )
    parser.add_argument(
        "--approver-password-stdin",
        action="store_true",
        help="从标准输入读取审批人的密码(一行)",
    )


def read_approval(args: argparse.Namespace) -> Approval | None:
    """The approver named by ``--approved-by`` and their password, read now."""
    from app.records.sessions import Approval

    if not args.approved_by:
        return None
    password = read_password(
        args, confirm=False, prompt="审批人密码：", flag="approver_password_stdin"
    )
    return Approval(args.approved_by.strip(), password)


# ---------------------------------------------------------------------- the command line's session

SESSION_FILE = "session.token"


def _runtime_dir() -> Path | None:
    """A folder in memory that only this user may open: ``CERTDESK_RUNTIME_DIR``, else the
    desktop session's ``XDG_RUNTIME_DIR``, else ``/dev/shm`` (Linux's tmpfs); None without one.
    What is kept there is gone when the PC is switched off or stolen."""
    import os

    env = os.environ.get("CERTDESK_RUNTIME_DIR") or os.environ.get("XDG_RUNTIME_DIR")
    for base in (env, "/dev/shm"):
        if not base or not os.path.isdir(base) or not os.access(base, os.W_OK):
            continue
        folder = Path(base) if base == env else Path(base) / f"certdesk-{os.getuid()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            info = folder.stat()
        except OSError:
            continue
        if info.st_uid == os.getuid() and info.st_mode & 0o077 == 0:  # not another user's
            return folder
    return None


def session_path(data_dir: Path) -> Path:
    """Where the command line keeps its session token for ``data_dir``: in memory (the runtime
    folder, one file per data dir), so a switched-off PC holds no token to open its session's
    key slot; in the data dir only where no such folder exists."""
    import hashlib

    folder = _runtime_dir()
    if folder is None:
        return data_dir / SESSION_FILE
    name = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:32]
    return folder / f"certdesk-session-{name}.token"


def read_session_token(data_dir: Path) -> str | None:
    path = session_path(data_dir)
    try:
        return path.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def write_session_token(data_dir: Path, token: str) -> None:
    """The token file, readable by its owner only (written atomically)."""
    import os
    import tempfile

    data_dir.mkdir(parents=True, exist_ok=True)
    path = session_path(data_dir)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".session-")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(token)
    os.replace(tmp, path)


def forget_session_token(data_dir: Path) -> None:
    session_path(data_dir).unlink(missing_ok=True)


def check_output(output: str) -> Path:
    """A PDF file to write (checked before anything is recorded)."""
    path = Path(output)
    if path.suffix.lower() != ".pdf":
        raise InvalidInput(f"输出文件应以 .pdf 结尾：{output}", field="output")
    if path.exists() and path.is_dir():
        raise InvalidInput(f"{output} 是目录", field="output")
    return path
