"""``certdesk stats`` and ``certdesk oversight``: the station's figures and oversight flags for a
period, printed, as JSON, or exported to CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from app.cli.parser import EXIT_OK, Invocation


def register(sub: Any) -> None:
    stats = sub.add_parser("stats", help="统计：按结论、证明种类、民警、日期；办结期限；群众节省")
    stats.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="开始日期(默认本月1日)")
    stats.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="结束日期(默认今天)")
    stats.add_argument("--trips", type=int, default=2, help="每份不需开的证明为群众节省的往返次数")
    stats.add_argument("--fare", type=int, default=10, help="每次往返的花费(元)")
    stats.add_argument("--export", metavar="FILE", help="导出为 .csv 或 .xlsx")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=show_statistics)
    oversight = sub.add_parser("oversight", help="监督提示：应开不开、不该开滥开、补打过多、作废")
    oversight.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    oversight.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    oversight.add_argument("--reprint-threshold", type=int, default=2, help="打印份数超过几份提示")
    oversight.add_argument("--export", metavar="FILE", help="导出为 .csv 或 .xlsx")
    oversight.add_argument("--json", action="store_true")
    oversight.set_defaults(handler=show_oversight)
    register_reports(sub)


def show_statistics(inv: Invocation) -> int:
    from app.policy.oversight import OUTCOME_SHORT_NAMES
    from app.services.supervision import Period, statistics

    args, ctx = inv.args, inv.ctx
    period = Period.parse(args.start, args.end, ctx.today())
    result = statistics(ctx, period, actor=inv.actor, trips=args.trips, fare=args.fare)
    lines = [
        f"{result.station}  {period.start} 至 {period.end}",
        f"证明要求 {result.requests} 件："
        + "，".join(
            f"{OUTCOME_SHORT_NAMES.get(k, k)} {v}" for k, v in sorted(result.by_outcome.items())
        ),
        f"出具：当场 {result.on_the_spot}，调查核实 {result.investigation}；"
        f"期限内办结 {result.deadlines.met}，超期办结 {result.deadlines.late}，"
        f"办理中 {result.deadlines.open}，已超期 {result.deadlines.overdue}",
        f"协作部门核查 {result.inquiries.asked} 件：按期答复 {result.inquiries.in_time}，"
        f"超期答复 {result.inquiries.late}，待答复 {result.inquiries.open}，"
        f"已逾期 {result.inquiries.overdue}，不予答复 {result.inquiries.declined}",
        f"群众免开证明 {result.no_certificate_needed} 件，部门间核查代替 {result.savings.exchanges} 件，"
        f"约节省 {result.savings.yuan} 元(每件 {args.trips} 次往返 × {args.fare} 元；每件核查 1 次往返)",
    ]
    if args.export:
        from app.services.export import PERSONAL_DATA, export_recorded
        from app.services.supervision import statistics_tables

        export_recorded(
            inv.ctx,
            Path(args.export),
            actor=inv.actor,
            what="stats",
            station=result.station,
            period=f"{period.start} 至 {period.end}",
            tables=statistics_tables(result),
        )
        lines.append(f"已导出：{args.export}")
        sys.stderr.write(f"注意：{PERSONAL_DATA}\n")
    inv.emit(result.to_dict(), "\n".join(lines))
    return EXIT_OK


def show_oversight(inv: Invocation) -> int:
    from app.services.station import station_info
    from app.services.supervision import Period, flags_table, oversight

    args, ctx = inv.args, inv.ctx
    period = Period.parse(args.start, args.end, ctx.today())
    flags = oversight(ctx, period, actor=inv.actor, reprint_threshold=args.reprint_threshold)
    lines = [
        f"{f.day}  {f.title}  {f.case_no}  {f.serial or ''}  {f.kind}  {f.officer}  {f.detail}"
        for f in flags
    ]
    if args.export:
        from app.services.export import PERSONAL_DATA, export_recorded

        info = station_info(ctx)
        export_recorded(
            ctx,
            Path(args.export),
            actor=inv.actor,
            what="oversight",
            station=f"{info.code} {info.name}" if info else "",
            period=f"{period.start} 至 {period.end}",
            tables=[flags_table(flags)],
        )
        lines.append(f"已导出：{args.export}")
        sys.stderr.write(f"注意：{PERSONAL_DATA}\n")
    inv.emit([f.model_dump(mode="json") for f in flags], "\n".join(lines) or "(没有监督提示)")
    return EXIT_OK


def register_reports(sub: Any) -> None:
    reports = sub.add_parser(
        "reports",
        help="报告上级：没有法律依据或超出职责而不予出具的要求，按要求单位列出(五个一律第4条)",
    )
    reports.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="开始日期(默认本月1日)")
    reports.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="结束日期(默认今天)")
    reports.add_argument("--json", action="store_true")
    reports.set_defaults(handler=show_reports)


def show_reports(inv: Invocation) -> int:
    from app.services.supervision import Period, reported_demands

    args, ctx = inv.args, inv.ctx
    period = Period.parse(args.start, args.end, ctx.today())
    rows = reported_demands(ctx, period, actor=inv.actor)
    lines = [f"报告上级公安机关的证明要求  {period.start} 至 {period.end}"]
    for r in rows:
        unit = r.unit or "(未记录单位名称)"
        lines.append(
            f"{unit}({r.sector_name})  {r.count} 件  {r.first_day} 至 {r.last_day}  "
            f"要求：{'、'.join(r.requested)}  案件：{'、'.join(r.cases)}"
            + (f"  已联系说明：{'；'.join(r.contacted)}" if r.contacted else "")
        )
    if not rows:
        lines.append("(本期没有须报告的要求)")
    inv.emit([r.to_dict() for r in rows], "\n".join(lines))
    return EXIT_OK
