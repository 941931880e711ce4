"""The station's commands: set-up, officers, issuing, notices, certificates, records."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.parser import EXIT_OK, EXIT_REFUSED, Parser, print_json
from app.cli.parser import emit as _emit
from app.cli.parser import parse_fields as _fields
from app.cli.print_commands import (
    check_output,
    copy_out,
    forms_command,
    render_command,
    reprint_command,
    verify_command,
)
from app.errors import InvalidInput

REQUEST_HELP = {
    "kind": "所要证明(名称、别名或拼音)",
    "requester": "要求单位类别，如 bank、court、other",
    "purpose": "用途：in_province、out_of_province、abroad",
}


def add_commands(sub: Any) -> None:
    init = sub.add_parser("init", help="初始化本工作站：派出所代码和名称、工作站编号、签名密钥")
    init.add_argument("--station-code", required=True, help="派出所代码(2至12位数字或大写字母)")
    init.add_argument("--station-name", required=True, help="派出所名称")
    init.add_argument("--workstation", required=True, metavar="NN", help="工作站编号 01-99")
    init.add_argument("--jurisdiction", default="", help="辖区说明")
    init.add_argument("--phone", default="", help="联系电话(印在证明和告知书上)")
    init.add_argument("--json", action="store_true")

    officer = sub.add_parser("officer", help="民警账号：添加、列出、停用")
    osub = officer.add_subparsers(dest="officer_command", metavar="ACTION", parser_class=Parser)
    add = osub.add_parser("add", help="添加民警")
    add.add_argument("--code", required=True, help="警号")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument(
        "--role", required=True, help="clerk(窗口民警) supervisor(所领导) admin(管理员)"
    )
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    add.add_argument("--json", action="store_true")
    olist = osub.add_parser("list", help="列出民警")
    olist.add_argument("--json", action="store_true")
    disable = osub.add_parser("disable", help="停用民警账号")
    disable.add_argument("code", help="警号")

    login = sub.add_parser("login", help="核对民警密码(连续错误5次锁定15分钟)")
    login.add_argument("--officer", required=True, help="警号")
    login.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    login.add_argument("--json", action="store_true")

    issue = sub.add_parser(
        "issue",
        help="判断并出具证明：记录案件、证明、审计和待同步数据",
        description="结论不是“派出所出具”时拒绝(退出码3，JSON 中给出判断)。",
    )
    _request_args(issue)
    issue.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="表式字段，可多次使用；亲属关系证明为 applicant_name applicant_id "
        "relative_name relative_id relation usage",
    )
    issue.add_argument("--approved-by", metavar="CODE", help="审批的所领导警号(特事特办必填)")
    issue.add_argument("--needs-investigation", action="store_true", help="需要调查核实")
    issue.add_argument(
        "--output", metavar="FILE.pdf", help="打印文件：证明(需调查的为受理回执)，同时存档"
    )

    notice = sub.add_parser("notice", help="记录不予出具告知书、信息交换告知书或一次性告知书")
    _request_args(notice)
    notice.add_argument(
        "--missing",
        action="append",
        default=[],
        metavar="ITEM",
        help="缺少的材料(一次性告知书)，可多次使用",
    )
    notice.add_argument("--output", metavar="FILE.pdf", help="打印文件，同时存档")

    case = sub.add_parser("case", help="调查中的案件：办结出具或不予出具")
    csub = case.add_subparsers(dest="case_command", metavar="ACTION", parser_class=Parser)
    finish = csub.add_parser("finish", help="调查核实完毕，出具证明")
    finish.add_argument("case", help="案件编号或案件ID")
    finish.add_argument("--officer", required=True)
    finish.add_argument("--output", metavar="FILE.pdf", help="打印文件，同时存档")
    finish.add_argument("--json", action="store_true")
    refuse = csub.add_parser("refuse", help="调查未能核实，不予出具")
    refuse.add_argument("case", help="案件编号或案件ID")
    refuse.add_argument("--reason", required=True)
    refuse.add_argument("--officer", required=True)
    refuse.add_argument("--output", metavar="FILE.pdf", help="打印告知书，同时存档")
    refuse.add_argument("--json", action="store_true")

    clist = sub.add_parser("list", help="列出本工作站出具的证明")
    clist.add_argument("--json", action="store_true")
    show = sub.add_parser("show", help="按编号显示一份证明")
    show.add_argument("serial")
    show.add_argument("--json", action="store_true")
    search = sub.add_parser("search", help="按编号、公民身份号码、姓名或拼音查找证明")
    search.add_argument("text")
    search.add_argument("--json", action="store_true")
    handover = sub.add_parser("hand-over", help="记录证明已打印并交付群众")
    handover.add_argument("serial")
    handover.add_argument("--officer", required=True)
    handover.add_argument("--json", action="store_true")
    void = sub.add_parser("void", help="作废证明(限所领导)")
    void.add_argument("serial")
    void.add_argument("--reason", required=True)
    void.add_argument("--officer", required=True, help="所领导警号")
    void.add_argument("--json", action="store_true")

    reprint = sub.add_parser("reprint", help="补打存档的证明(写明理由，计入打印次数)")
    reprint.add_argument("serial")
    reprint.add_argument("--reason", required=True)
    reprint.add_argument("--officer", required=True)
    reprint.add_argument("--output", required=True, metavar="FILE.pdf")
    reprint.add_argument("--json", action="store_true")
    render = sub.add_parser("render", help="按式样生成样本(水印“样本”，不记录、不签名)")
    render.add_argument("form", help="式样编号，见 certdesk forms list")
    render.add_argument("--field", action="append", default=[], metavar="NAME=VALUE")
    render.add_argument("--output", required=True, metavar="FILE.pdf")
    forms = sub.add_parser("forms", help="证明和告知书式样")
    fsub = forms.add_subparsers(dest="forms_command", metavar="ACTION", parser_class=Parser)
    flist = fsub.add_parser("list", help="列出全部式样及其字段")
    flist.add_argument("--json", action="store_true")
    enrol = sub.add_parser("enrol", help="向省级服务器登记本站(一次性登记码)")
    enrol.add_argument("--server", required=True, metavar="URL", help="省级服务器地址")
    enrol.add_argument(
        "--code", required=True, metavar="ENROLMENT_CODE", help="省级管理员给的登记码"
    )
    enrol.add_argument("--json", action="store_true")
    stats = sub.add_parser("stats", help="统计：按结论、证明种类、民警、日期；办结期限；群众节省")
    stats.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="开始日期(默认本月1日)")
    stats.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="结束日期(默认今天)")
    stats.add_argument("--trips", type=int, default=2, help="每份不需开的证明为群众节省的往返次数")
    stats.add_argument("--fare", type=int, default=10, help="每次往返的花费(元)")
    stats.add_argument("--export", metavar="FILE", help="导出为 .csv 或 .xlsx")
    stats.add_argument("--json", action="store_true")
    oversight = sub.add_parser("oversight", help="监督提示：应开不开、不该开滥开、补打过多、作废")
    oversight.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    oversight.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    oversight.add_argument("--reprint-threshold", type=int, default=2, help="打印份数超过几份提示")
    oversight.add_argument("--export", metavar="FILE", help="导出为 .csv 或 .xlsx")
    oversight.add_argument("--json", action="store_true")
    sync = sub.add_parser("sync", help="与省级服务器同步：上报待报记录，取回目录、公钥、作废")
    sync.add_argument("--server", metavar="URL", help="省级服务器地址(默认登记时的地址)")
    sync.add_argument("--json", action="store_true")
    verify = sub.add_parser(
        "verify", help="核验证明：二维码离线核验(按已知的派出所公钥)，或按编号向省级服务器核验"
    )
    verify.add_argument("serial", nargs="?", help="证明编号(与 --server 一起：在线核验)")
    verify.add_argument("--server", metavar="URL", help="省级服务器地址")
    verify.add_argument("--qr", metavar="TEXT", help="二维码内容")
    verify.add_argument("--id", metavar="NUMBER", help="持证人公民身份号码(核对是否为同一人)")
    verify.add_argument("--json", action="store_true")
    backup = sub.add_parser("backup", help="备份数据库到文件")
    backup.add_argument("file")
    restore = sub.add_parser("restore", help="从备份文件恢复数据库(当前数据库另存一份)")
    restore.add_argument("file")
    audit = sub.add_parser("audit", help="审计记录")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=Parser)
    verify = asub.add_parser("verify", help="核对审计链和记录，指出第一处断开或被改动的地方")
    verify.add_argument("--json", action="store_true")
    serial = sub.add_parser("serial", help="证明编号")
    ssub = serial.add_subparsers(dest="serial_command", metavar="ACTION", parser_class=Parser)
    check = ssub.add_parser("check", help="校验一个证明编号")
    check.add_argument("serial")
    check.add_argument("--json", action="store_true")


def _request_args(parser: argparse.ArgumentParser) -> None:
    for name, text in REQUEST_HELP.items():
        parser.add_argument(f"--{name}", required=True, help=text)
    parser.add_argument("--officer", required=True, metavar="CODE", help="首接民警警号")
    parser.add_argument("--kind-id", metavar="ID", help="从候选中选定的证明编号")
    parser.add_argument("--unlisted", action="store_true", help="确认所要证明不在目录内")
    parser.add_argument("--book-lacks-fact", action="store_true", help="户口簿未记载该事项")
    parser.add_argument("--json", action="store_true")


COMMANDS = (
    "reprint",
    "render",
    "forms",
    "verify",
    "init",
    "officer",
    "login",
    "issue",
    "notice",
    "case",
    "list",
    "show",
    "search",
    "hand-over",
    "enrol",
    "sync",
    "stats",
    "oversight",
    "void",
    "backup",
    "restore",
    "audit",
    "serial",
)


def run(args: argparse.Namespace, ctx_factory: Any, parser: Parser) -> int:
    """Dispatch one station command; ``ctx_factory()`` opens the data dir only when needed."""
    command = args.command
    if command == "serial":
        return _serial(args, parser)
    if command == "forms":
        return forms_command(args, parser)
    handler = HANDLERS[command]
    ctx = ctx_factory()
    try:
        return handler(args, ctx, parser)
    finally:
        ctx.close()


def _password(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput("请用 --password-stdin 从标准输入提供密码", field="password")
    first = getpass.getpass("密码：")
    if confirm and getpass.getpass("再次输入密码：") != first:
        raise InvalidInput("两次输入的密码不一致", field="password")
    return first


def _request(args: argparse.Namespace, needs_investigation: bool = False) -> Any:
    from app.policy.decision import Request

    return Request(
        kind_text=args.kind,
        requester=args.requester,
        purpose=args.purpose,
        kind_id=args.kind_id,
        unlisted=args.unlisted,
        needs_investigation=needs_investigation,
        book_lacks_fact=args.book_lacks_fact,
    )


def _refused(args: argparse.Namespace, error: Any) -> int:
    decision = error.decision.to_dict()
    if args.json:
        print_json({"error": error.code, "message": error.message, "decision": decision})
    else:
        from app.cli.explain import decision_text

        sys.stderr.write(f"不予出具：{error.message}\n")
        sys.stderr.write(decision_text(error.decision))
    return EXIT_REFUSED


# ----------------------------------------------------------------------------- handlers


def _init(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.station import init_station

    info = init_station(
        ctx,
        code=args.station_code,
        name=args.station_name,
        workstation=args.workstation,
        jurisdiction=args.jurisdiction,
        phone=args.phone,
    )
    _emit(
        args,
        _asdict(info),
        f"已初始化：{info.name}({info.code}) 工作站 {info.workstation}；数据目录 {ctx.data_dir}",
    )
    return EXIT_OK


def _asdict(obj: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(obj)


def _officer(args: argparse.Namespace, ctx: Any, parser: Parser) -> int:
    from app.services import officers

    action = args.officer_command
    if action == "add":
        password = _password(args, confirm=True)
        info = officers.add_officer(
            ctx, code=args.code, name=args.name, role=args.role, password=password
        )
        _emit(args, info.to_dict(), f"已添加民警 {info.name}({info.code})，角色 {info.role}")
    elif action == "list":
        rows = officers.list_officers(ctx)
        lines = [
            f"{o.code:<12} {o.name:<8} {o.role:<10} {'在用' if o.active else '停用'}" for o in rows
        ]
        _emit(args, [o.to_dict() for o in rows], "\n".join(lines) or "(尚无民警)")
    elif action == "disable":
        info = officers.disable_officer(ctx, code=args.code)
        print(f"已停用民警 {info.name}({info.code})")
    else:
        parser.parse_args(["officer", "--help"])
    return EXIT_OK


def _login(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.officers import authenticate

    info = authenticate(ctx, code=args.officer, password=_password(args, confirm=False))
    _emit(args, info.to_dict(), f"登录成功：{info.name}({info.code})")
    return EXIT_OK


def _issue(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services import counter

    render = None
    if args.output:
        from app.records.printing import certificate_renderer

        check_output(args.output)
        render = certificate_renderer(ctx)
    try:
        result = counter.issue(
            ctx,
            request=_request(args, args.needs_investigation),
            officer=args.officer,
            values=_fields(args.field),
            approved_by=args.approved_by,
            render=render,
        )
    except counter.DecisionRefused as error:
        return _refused(args, error)
    copy_out(ctx, result.pdf_path, args.output)
    text = (
        f"已出具：编号 {result.serial}(案件 {result.case_no})"
        if result.serial
        else f"已受理，需调查核实：案件 {result.case_no}，{result.due_date} 前办结"
        + (f"。{result.due_date_note}" if result.due_date_note else "")
    )
    _emit(args, result.to_dict(), text)
    return EXIT_OK


def _notice(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services import counter

    if args.output:
        check_output(args.output)
    try:
        result = counter.record_notice(
            ctx,
            request=_request(args),
            officer=args.officer,
            missing=tuple(args.missing),
            printed=bool(args.output),
        )
    except counter.DecisionRefused as error:
        return _refused(args, error)
    copy_out(ctx, result.pdf_path, args.output)
    text = f"已出具{counter.NOTICE_NAMES[result.notice_type]}：{result.notice_no}(案件 {result.case_no})"
    if result.report_to_superior:
        text += "；该要求须报告上级公安机关"
    _emit(args, result.to_dict(), text)
    return EXIT_OK


def _case(args: argparse.Namespace, ctx: Any, parser: Parser) -> int:
    from app.services import counter

    if args.case_command in ("finish", "refuse") and args.output:
        check_output(args.output)
    if args.case_command == "finish":
        render = None
        if args.output:
            from app.records.printing import certificate_renderer

            render = certificate_renderer(ctx)
        result = counter.finish(ctx, case_ref=args.case, officer=args.officer, render=render)
        copy_out(ctx, result.pdf_path, args.output)
        _emit(args, result.to_dict(), f"已出具：编号 {result.serial}(案件 {result.case_no})")
    elif args.case_command == "refuse":
        notice = counter.refuse(
            ctx,
            case_ref=args.case,
            officer=args.officer,
            reason=args.reason,
            printed=bool(args.output),
        )
        copy_out(ctx, notice.pdf_path, args.output)
        _emit(args, notice.to_dict(), f"已不予出具并出具告知书 {notice.notice_no}")
    else:
        parser.parse_args(["case", "--help"])
    return EXIT_OK


def _list(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.certificates import list_certificates

    rows = list_certificates(ctx)
    lines = [
        f"{c.serial}  {c.status:<6} {c.kind_id or '':<28} {c.subject_name}  {c.issued_at}"
        for c in rows
    ]
    _emit(args, [c.summary() for c in rows], "\n".join(lines) or "(尚无证明)")
    return EXIT_OK


def _show(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.certificates import show

    info = show(ctx, args.serial)
    lines = [f"{k}: {v}" for k, v in info.to_dict().items()]
    _emit(args, info.to_dict(), "\n".join(lines))
    return EXIT_OK


def _search(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.certificates import search

    rows = search(ctx, args.text)
    lines = [f"{c.serial}  {c.status:<6} {c.subject_name}  {c.issued_at}" for c in rows]
    _emit(args, [c.summary() for c in rows], "\n".join(lines) or "(没有找到)")
    return EXIT_OK


def _hand_over(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.certificates import hand_over

    info = hand_over(ctx, serial=args.serial, officer=args.officer)
    _emit(args, info.to_dict(), f"已交付：{info.serial}({info.handed_over_at})")
    return EXIT_OK


def _enrol(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.sync import enrol

    done = enrol(ctx, server=args.server, code=args.code)
    data = {
        "station_code": done.station_code,
        "server": done.server,
        "province_public_key": done.province_public_key,
    }
    _emit(args, data, f"已登记：{done.station_code} → {done.server}；省级公钥已固定")
    return EXIT_OK


def _sync(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.sync import SyncUnavailable, sync

    try:
        result = sync(ctx, server=args.server)
    except SyncUnavailable as error:
        if args.json:
            print(
                json.dumps(
                    {"pushed": 0, "pulled": 0, "pending": error.pending, "error": error.message},
                    ensure_ascii=False,
                )
            )
        print(f"certdesk：{error.message}", file=sys.stderr)
        return error.exit_code
    text = f"已上报 {result.pushed} 条，取回 {result.pulled} 条，待上报 {result.pending} 条"
    for refused in result.refused:
        text += f"\n{refused}"
    _emit(args, result.to_dict(), text)
    return EXIT_OK


def _stats(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.policy.oversight import OUTCOME_SHORT_NAMES as OUTCOME_NAMES
    from app.services.supervision import Period, statistics

    period = Period.parse(args.start, args.end, ctx.today())
    result = statistics(ctx, period, trips=args.trips, fare=args.fare)
    lines = [
        f"{result.station}  {period.start} 至 {period.end}",
        f"证明要求 {result.requests} 件："
        + "，".join(f"{OUTCOME_NAMES.get(k, k)} {v}" for k, v in sorted(result.by_outcome.items())),
        f"出具：当场 {result.on_the_spot}，调查核实 {result.investigation}；"
        f"期限内办结 {result.deadlines['met']}，超期办结 {result.deadlines['late']}，"
        f"办理中 {result.deadlines['open']}，已超期 {result.deadlines['overdue']}",
        f"群众免开证明 {result.no_certificate_needed} 件，约节省 {result.savings['yuan']} 元"
        f"(每件 {args.trips} 次往返 × {args.fare} 元)",
    ]
    if args.export:
        from app.services.export import export
        from app.services.supervision import statistics_tables

        period_text = f"{period.start} 至 {period.end}"
        export(
            Path(args.export),
            station=result.station,
            period=period_text,
            tables=statistics_tables(result),
        )
        lines.append(f"已导出：{args.export}")
    _emit(args, result.to_dict(), "\n".join(lines))
    return EXIT_OK


def _oversight(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.station import station_info
    from app.services.supervision import Period, oversight

    period = Period.parse(args.start, args.end, ctx.today())
    flags = oversight(ctx, period, reprint_threshold=args.reprint_threshold)
    lines = [
        f"{f.day}  {f.title}  {f.case_no}  {f.serial or ''}  {f.kind}  {f.officer}  {f.detail}"
        for f in flags
    ]
    if args.export:
        from app.services.export import export
        from app.services.supervision import flags_table

        info = station_info(ctx)
        export(
            Path(args.export),
            station=f"{info.code} {info.name}" if info else "",
            period=f"{period.start} 至 {period.end}",
            tables=[flags_table(flags)],
        )
        lines.append(f"已导出：{args.export}")
    _emit(args, [f.__dict__ for f in flags], "\n".join(lines) or "(没有监督提示)")
    return EXIT_OK


def _void(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.certificates import void

    info = void(ctx, serial=args.serial, reason=args.reason, officer=args.officer)
    _emit(args, info.to_dict(), f"已作废：{info.serial}")
    return EXIT_OK


def _backup(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.backups import backup

    path = backup(ctx, Path(args.file))
    print(f"已备份到 {path}")
    return EXIT_OK


def _restore(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.services.backups import restore

    kept = restore(ctx, Path(args.file))
    print(f"已从 {args.file} 恢复；恢复前的数据库另存为 {kept}")
    return EXIT_OK


def _audit(args: argparse.Namespace, ctx: Any, parser: Parser) -> int:
    from app.services.backups import verify_audit

    if args.audit_command != "verify":
        parser.parse_args(["audit", "--help"])
    report = verify_audit(ctx)
    text = (
        f"审计链完整：共 {report.events} 条记录，与当前数据一致。"
        if report.ok
        else f"审计核对未通过：{report.problem}"
    )
    _emit(args, report.to_dict(), text)
    return EXIT_OK if report.ok else 1


def _serial(args: argparse.Namespace, parser: Parser) -> int:
    from app.records.numbering import parse_serial

    if args.serial_command != "check":
        parser.parse_args(["serial", "--help"])
    serial = parse_serial(args.serial)
    data = {
        "valid": True,
        "serial": str(serial),
        "station": serial.station,
        "workstation": serial.workstation,
        "year": serial.year,
        "sequence": serial.sequence,
        "check": serial.check,
    }
    _emit(
        args,
        data,
        f"编号有效：派出所 {serial.station}，工作站 {serial.workstation}，"
        f"{serial.year}年第 {serial.sequence} 号",
    )
    return EXIT_OK


Handler = Callable[[argparse.Namespace, Any, Parser], int]
HANDLERS: dict[str, Handler] = {
    "init": _init,
    "officer": _officer,
    "login": _login,
    "issue": _issue,
    "notice": _notice,
    "case": _case,
    "list": _list,
    "show": _show,
    "search": _search,
    "hand-over": _hand_over,
    "enrol": _enrol,
    "stats": _stats,
    "oversight": _oversight,
    "sync": _sync,
    "void": _void,
    "reprint": reprint_command,
    "render": render_command,
    "verify": verify_command,
    "backup": _backup,
    "restore": _restore,
    "audit": _audit,
}
