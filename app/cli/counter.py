"""``certdesk issue``, ``certdesk notice`` and ``certdesk case finish|refuse``: requests at the
counter and the investigations they open."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.decide import parse_day, request_detail_args
from app.cli.parser import (
    EXIT_OK,
    EXIT_REFUSED,
    HINTS,
    Invocation,
    add_approval_args,
    check_output,
    parse_fields,
    print_json,
    read_approval,
    subcommands,
)

if TYPE_CHECKING:
    from app.policy.decision import Request
    from app.records.printing import Renderer
    from app.services.issuing import DecisionRefused

REQUEST_HELP = {
    "kind": "所要证明(名称、别名或拼音)",
    "requester": "要求单位类别，如 bank、court、other",
    "purpose": "用途：in_province、out_of_province、abroad",
}


def register(sub: Any) -> None:
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
    add_approval_args(issue, "特事特办")
    issue.add_argument("--needs-investigation", action="store_true", help="需要调查核实")
    issue.add_argument(
        "--due-date",
        metavar="YYYY-MM-DD",
        help="告知申请人的办结日期(仅用于目录未规定调查时限的证明)",
    )
    issue.add_argument(
        "--output", metavar="FILE.pdf", help="打印文件：证明(需调查的为受理回执)，同时存档"
    )
    issue.set_defaults(handler=issue_certificate)

    notice = sub.add_parser("notice", help="记录不予出具告知书、信息交换告知书或一次性告知书")
    _request_args(notice)
    notice.add_argument(
        "--contacted",
        metavar="TEXT",
        help="已联系要求单位并说明情况：单位、人员和方式(目录外的要求)",
    )
    notice.add_argument(
        "--applicant-name", metavar="NAME", help="申请人姓名(群众愿意提供的，写在不予出具告知书上)"
    )
    notice.add_argument(
        "--applicant-id", metavar="NUMBER", help="申请人公民身份号码(同上，须与姓名一起写)"
    )
    notice.add_argument(
        "--missing",
        action="append",
        default=[],
        metavar="ITEM",
        help="缺少的材料(一次性告知书)，可多次使用",
    )
    notice.add_argument("--output", metavar="FILE.pdf", help="打印文件，同时存档")
    notice.set_defaults(handler=record_notice)

    case = sub.add_parser("case", help="调查中的案件：办结出具或不予出具")
    actions = subcommands(case, "case_command", "ACTION")
    finish = actions.add_parser("finish", help="调查核实完毕，出具证明")
    finish.add_argument("case", help="案件编号或案件ID")
    finish.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    finish.add_argument("--output", metavar="FILE.pdf", help="打印文件，同时存档")
    finish.add_argument("--json", action="store_true")
    finish.set_defaults(handler=finish_case)
    refuse = actions.add_parser("refuse", help="调查未能核实，不予出具")
    refuse.add_argument("case", help="案件编号或案件ID")
    refuse.add_argument("--reason", required=True)
    refuse.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    add_approval_args(refuse, "调查后不予出具")
    refuse.add_argument("--output", metavar="FILE.pdf", help="打印告知书，同时存档")
    refuse.add_argument("--json", action="store_true")
    refuse.set_defaults(handler=refuse_case)
    review = actions.add_parser(
        "review", help="复查：对不予出具(如犯罪记录查询)有异议的申请，另立案件限期答复"
    )
    review.add_argument("case", help="不予出具的案件编号或案件ID")
    review.add_argument("--reason", required=True, help="申请人提出的异议")
    review.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    review.add_argument("--output", metavar="FILE.pdf", help="打印受理回执，同时存档")
    review.add_argument("--json", action="store_true")
    review.set_defaults(handler=review_case)
    extend = actions.add_parser("extend", help="情况复杂的复查：经所领导批准延长答复期限")
    extend.add_argument("case", help="复查案件编号或案件ID")
    extend.add_argument("--reason", required=True)
    extend.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    add_approval_args(extend, "延长复查期限")
    extend.add_argument("--json", action="store_true")
    extend.set_defaults(handler=extend_case)


def _request_args(parser: Any) -> None:
    for name, text in REQUEST_HELP.items():
        parser.add_argument(f"--{name}", required=True, help=text)
    parser.add_argument("--officer", metavar="CODE", help="首接民警(本人)警号，须为登录者")
    parser.add_argument("--kind-id", metavar="ID", help="从候选中选定的证明编号")
    parser.add_argument("--unlisted", action="store_true", help="确认所要证明不在目录内")
    parser.add_argument("--book-lacks-fact", action="store_true", help="户口簿未记载该事项")
    request_detail_args(parser)
    parser.add_argument("--json", action="store_true")


def _request(inv: Invocation, needs_investigation: bool = False) -> Request:
    from app.policy.decision import Request

    args = inv.args
    return Request(
        kind_text=args.kind,
        requester=args.requester,
        purpose=args.purpose,
        kind_id=args.kind_id,
        unlisted=args.unlisted,
        needs_investigation=needs_investigation,
        book_lacks_fact=args.book_lacks_fact,
        requester_unit=args.requester_name or "",
        statute=args.statute or "",
        elsewhere=args.elsewhere,
        by_unit=args.by_unit,
    )


def _refused(inv: Invocation, error: DecisionRefused) -> int:
    """The decision does not allow what was asked: say so, with the decision (exit 3)."""
    hint = HINTS.get(error.reason, "")
    if inv.json:
        print_json(
            {
                "error": error.code,
                "reason": error.reason,
                "message": error.message,
                "hint": hint,
                "decision": error.decision.to_dict(),
            }
        )
    else:
        from app.cli.explain import decision_text

        lead = "不在本所出具" if error.reason == "referred" else "不予出具"
        sys.stderr.write(f"{lead}：{error.message}\n")
        if hint:
            sys.stderr.write(f"提示：{hint}\n")
        sys.stderr.write(decision_text(error.decision))
    return EXIT_REFUSED


def _copy_out(inv: Invocation, relative: str | None, output: str | None) -> None:
    """Hand over the archived bytes (the document is recorded and archived by now)."""
    if output and relative:
        from app.records.archive import write_output
        from app.services.certificates import open_printed

        write_output(Path(output), open_printed(inv.ctx, relative))  # decrypted, as asked


def _renderer(inv: Invocation) -> Renderer | None:
    """With --output, the certificate is rendered, signed and archived as it is recorded."""
    if not inv.args.output:
        return None
    from app.records.printing import certificate_renderer

    check_output(inv.args.output)
    return certificate_renderer(inv.ctx)


def issue_certificate(inv: Invocation) -> int:
    from app.services import counter
    from app.services.issuing import DecisionRefused

    args = inv.args
    render = _renderer(inv)
    try:
        result = counter.issue(
            inv.ctx,
            request=_request(inv, args.needs_investigation),
            officer=inv.actor,
            values=parse_fields(args.field),
            approval=read_approval(args),
            render=render,
            due_date=parse_day(args.due_date, field="due_date", what="办结日期")
            if args.due_date
            else None,
        )
    except DecisionRefused as error:
        return _refused(inv, error)
    _copy_out(inv, result.pdf_path, args.output)
    text = (
        f"已出具：编号 {result.serial}(案件 {result.case_no})"
        if result.serial
        else f"已受理，需调查核实：案件 {result.case_no}，{result.due_date} 前办结"
        + (f"。{result.due_date_note}" if result.due_date_note else "")
    )
    inv.emit(result.to_dict(), text)
    return EXIT_OK


def record_notice(inv: Invocation) -> int:
    from app.services import counter
    from app.services.issuing import NOTICE_NAMES, DecisionRefused

    args = inv.args
    if args.output:
        check_output(args.output)
    try:
        result = counter.record_notice(
            inv.ctx,
            request=_request(inv),
            officer=inv.actor,
            missing=tuple(args.missing),
            printed=bool(args.output),
            applicant_name=args.applicant_name or "",
            applicant_id=args.applicant_id or "",
            contacted=args.contacted or "",
        )
    except DecisionRefused as error:
        return _refused(inv, error)
    _copy_out(inv, result.pdf_path, args.output)
    text = f"已出具{NOTICE_NAMES[result.notice_type]}：{result.notice_no}(案件 {result.case_no})"
    if result.report_to_superior:
        text += "；该要求须报告上级公安机关"
    inv.emit(result.to_dict(), text)
    return EXIT_OK


def finish_case(inv: Invocation) -> int:
    from app.services.investigations import finish

    args = inv.args
    result = finish(inv.ctx, case_ref=args.case, officer=inv.actor, render=_renderer(inv))
    _copy_out(inv, result.pdf_path, args.output)
    inv.emit(result.to_dict(), f"已出具：编号 {result.serial}(案件 {result.case_no})")
    return EXIT_OK


def refuse_case(inv: Invocation) -> int:
    from app.services.investigations import refuse

    args = inv.args
    if args.output:
        check_output(args.output)
    notice = refuse(
        inv.ctx,
        case_ref=args.case,
        officer=inv.actor,
        reason=args.reason,
        approval=read_approval(args),
        printed=bool(args.output),
    )
    _copy_out(inv, notice.pdf_path, args.output)
    inv.emit(notice.to_dict(), f"已不予出具并出具告知书 {notice.notice_no}")
    return EXIT_OK


def review_case(inv: Invocation) -> int:
    from app.services.investigations import review

    args = inv.args
    if args.output:
        check_output(args.output)
    result = review(
        inv.ctx,
        case_ref=args.case,
        officer=inv.actor,
        reason=args.reason,
        printed=bool(args.output),
    )
    _copy_out(inv, result.pdf_path, args.output)
    inv.emit(
        result.to_dict(),
        f"已受理复查：案件 {result.case_no}，{result.due_date} 前答复(回执 {result.notice_no})",
    )
    return EXIT_OK


def extend_case(inv: Invocation) -> int:
    from app.services.investigations import extend

    args = inv.args
    result = extend(
        inv.ctx,
        case_ref=args.case,
        officer=inv.actor,
        reason=args.reason,
        approval=read_approval(args),
    )
    inv.emit(result.to_dict(), f"复查案件 {result.case_no} 延长至 {result.due_date} 前答复")
    return EXIT_OK
