"""``certdesk enrol`` and ``certdesk sync``: the station and the provincial server."""

from __future__ import annotations

import sys
from typing import Any

from app.cli.parser import EXIT_OK, Invocation, add_approval_args, print_json, read_approval
from app.commandline import subcommands


def register(sub: Any) -> None:
    enrol = sub.add_parser("enrol", help="向省级服务器登记本站(一次性登记码)")
    enrol.add_argument("--server", required=True, metavar="URL", help="省级服务器地址")
    enrol.add_argument(
        "--code", required=True, metavar="ENROLMENT_CODE", help="省级管理员给的登记码"
    )
    enrol.add_argument("--json", action="store_true")
    enrol.set_defaults(handler=enrol_station)
    add_approval_args(enrol, "登记码指向另一把省级公钥(更换已登记的省级公钥)")
    sync = sub.add_parser("sync", help="与省级服务器同步：上报待报记录，取回目录、公钥、作废")
    sync.add_argument("--server", metavar="URL", help="省级服务器地址(默认登记时的地址)")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=sync_round)
    actions = subcommands(sync, "sync_command", "ACTION")
    listed = actions.add_parser("conflicts", help="省级服务器报告的冲突记录(处理前一直列出)")
    listed.add_argument("--all", action="store_true", help="包括已处理的")
    listed.add_argument("--json", action="store_true")
    listed.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    listed.set_defaults(handler=list_conflicts)
    resolve = actions.add_parser("resolve", help="处理一条冲突记录(管理员，须写明处理说明)")
    resolve.add_argument("id", type=int, metavar="ID", help="冲突记录的序号(sync conflicts 所列)")
    resolve.add_argument("--reason", required=True, help="查明的情况和处理说明")
    resolve.add_argument("--json", action="store_true")
    resolve.add_argument("--officer", metavar="CODE", help="本人(管理员)警号，须为登录者")
    resolve.set_defaults(handler=resolve_conflict)


def enrol_station(inv: Invocation) -> int:
    from app.sync.enrolment import enrol

    done = enrol(
        inv.ctx,
        actor=inv.actor,
        server=inv.args.server,
        code=inv.args.code,
        approval=read_approval(inv.args),
    )
    inv.emit(
        {
            "station_code": done.station_code,
            "workstation": done.workstation,
            "key_no": done.key_no,
            "server": done.server,
            "province_public_key": done.province_public_key,
        },
        f"已登记：{done.station_code} 第 {done.workstation} 号工作站(密钥 {done.key_no}) → "
        f"{done.server}；省级公钥已固定",
    )
    return EXIT_OK


def sync_round(inv: Invocation) -> int:
    from app.sync.round import sync
    from app.sync.transport import SyncUnavailable

    try:
        result = sync(inv.ctx, actor=inv.actor, server=inv.args.server)
    except SyncUnavailable as error:  # offline: say how much waits (exit 4)
        if inv.json:
            print_json({"pushed": 0, "pulled": 0, "pending": error.pending, "error": error.message})
        print(f"certdesk：{error.message}", file=sys.stderr)
        return error.exit_code
    text = f"已上报 {result.pushed} 条，取回 {result.pulled} 条，待上报 {result.pending} 条"
    if result.conflicts_open:
        text += f"(其中冲突 {result.conflicts_open} 条待管理员处理：certdesk sync conflicts)"
    text += "".join(f"\n{refused}" for refused in result.refused)
    inv.emit(result.to_dict(), text)
    return EXIT_OK


def list_conflicts(inv: Invocation) -> int:
    from app.sync.conflicts import conflicts

    rows = conflicts(inv.ctx, actor=inv.actor, include_resolved=inv.args.all)
    lines = [
        f"{r.seq}  {r.number or r.topic}  {r.reason}"
        + (f"  已处理：{r.resolved_by} {r.resolution}" if r.resolved_at else "  待处理")
        for r in rows
    ]
    inv.emit([r.to_dict() for r in rows], "\n".join(lines) or "(没有冲突记录)")
    return EXIT_OK


def resolve_conflict(inv: Invocation) -> int:
    from app.sync.conflicts import resolve

    row = resolve(inv.ctx, inv.args.id, reason=inv.args.reason, actor=inv.actor)
    inv.emit(row.to_dict(), f"第 {row.seq} 条冲突已处理：{row.resolution}")
    return EXIT_OK
