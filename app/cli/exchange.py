"""``certdesk exchange``: partner departments' inquiries (信息核查) addressed to this station —
list them with their due dates, answer one in its fields, or decline it with a reason. The answer
is signed with this workstation's key and goes to the province with the next sync."""

from __future__ import annotations

from typing import Any

from app.cli.parser import EXIT_OK, Invocation, parse_fields, subcommands
from app.protocol.status import InquiryStatus


def register(sub: Any) -> None:
    exchange = sub.add_parser("exchange", help="协作部门的信息核查请求：列出、答复、不予答复")
    actions = subcommands(exchange, "exchange_command", "ACTION")
    listing = actions.add_parser("list", help="待答复的核查请求(最早到期的在前)")
    listing.add_argument("--all", action="store_true", help="连同已答复的")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_inquiries)
    answer = actions.add_parser("answer", help="答复核查请求(按该类信息的字段填写)")
    answer.add_argument("inquiry", help="核查请求编号(HC-…)或ID")
    answer.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="答复字段，可重复；先写 found=查有此人|本所未查到此人；exchange list --json 列出各字段",
    )
    answer.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    answer.add_argument("--json", action="store_true")
    answer.set_defaults(handler=answer_inquiry)
    decline = actions.add_parser("decline", help="不予答复，并写明理由")
    decline.add_argument("inquiry", help="核查请求编号(HC-…)或ID")
    decline.add_argument("--reason", required=True, help="请求单位将看到的理由")
    decline.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    decline.add_argument("--json", action="store_true")
    decline.set_defaults(handler=decline_inquiry)


def list_inquiries(inv: Invocation) -> int:
    from app.services import inquiries

    rows = inquiries.list_inquiries(inv.ctx, actor=inv.actor, everything=inv.args.all)
    lines = []
    for r in rows:
        when = (
            f"已逾期 {-r.days_left} 个工作日"
            if r.overdue
            else f"还有 {r.days_left} 个工作日"
            if r.status == InquiryStatus.OPEN
            else r.status_name
        )
        lines.append(
            f"{r.number}  {r.partner}  {r.subject_name}  {r.information}  期限 {r.due_date}({when})"
        )
    inv.emit([r.to_dict() for r in rows], "\n".join(lines) or "(没有待答复的核查请求)")
    return EXIT_OK


def answer_inquiry(inv: Invocation) -> int:
    from app.services import inquiries

    done = inquiries.answer(
        inv.ctx, actor=inv.actor, ref=inv.args.inquiry, fields=parse_fields(inv.args.field)
    )
    inv.emit(done.to_dict(), f"已答复核查请求 {done.number}(已签名，下次同步时上报)")
    return EXIT_OK


def decline_inquiry(inv: Invocation) -> int:
    from app.services import inquiries

    done = inquiries.decline(inv.ctx, actor=inv.actor, ref=inv.args.inquiry, reason=inv.args.reason)
    inv.emit(done.to_dict(), f"已不予答复核查请求 {done.number}(理由已签名，下次同步时上报)")
    return EXIT_OK
