"""``certdesk backup``, ``certdesk restore`` and ``certdesk audit verify``: keeping the records
whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.parser import EXIT_OK, Invocation, subcommands


def register(sub: Any) -> None:
    backup = sub.add_parser("backup", help="备份数据库到文件")
    backup.add_argument("file")
    backup.set_defaults(handler=back_up)
    restore = sub.add_parser("restore", help="从备份文件恢复数据库(当前数据库另存一份)")
    restore.add_argument("file")
    restore.set_defaults(handler=restore_backup)
    audit = sub.add_parser("audit", help="审计记录")
    actions = subcommands(audit, "audit_command", "ACTION")
    verify = actions.add_parser("verify", help="核对审计链和记录，指出第一处断开或被改动的地方")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=verify_audit)
    export = actions.add_parser("export", help="导出审计记录(审计员)：.csv 或 .xlsx")
    export.add_argument("file")
    export.set_defaults(handler=export_audit)


def back_up(inv: Invocation) -> int:
    from app.services.integrity import backup

    path = backup(inv.ctx, Path(inv.args.file), actor=inv.actor)
    print(f"已备份到 {path}")
    return EXIT_OK


def restore_backup(inv: Invocation) -> int:
    from app.services.integrity import restore

    kept = restore(inv.ctx, Path(inv.args.file), actor=inv.actor)
    from app.cli.parser import forget_session_token

    forget_session_token(inv.data_dir)
    print(f"已从 {inv.args.file} 恢复；恢复前的数据库另存为 {kept}。请重新登录")
    return EXIT_OK


def verify_audit(inv: Invocation) -> int:
    from app.services.integrity import verify_audit

    report = verify_audit(inv.ctx, actor=inv.actor)
    text = (
        f"审计链完整：共 {report.events} 条记录，与当前数据一致。"
        if report.ok
        else f"审计核对未通过：{report.problem}"
    )
    inv.emit(report.to_dict(), text)
    return EXIT_OK if report.ok else 1


def export_audit(inv: Invocation) -> int:
    from app.services.integrity import export_audit

    count = export_audit(inv.ctx, Path(inv.args.file), actor=inv.actor)
    print(f"已导出审计记录 {count} 条：{inv.args.file}")
    return EXIT_OK
