"""``certdesk decide``: one request decided — abolished, exchange or issue — with its reason, basis,
what to use instead and the steps a clerk reads out. Exit 3 when the kind is ambiguous."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from app.cli.parser import EXIT_OK, EXIT_REFUSED, Invocation, print_json
from app.errors import InvalidInput

SECTORS_HELP = (
    "要求单位类别：court procuratorate education civil_affairs justice "
    "human_resources housing health telecom bank public_security other"
)
PURPOSE_HELP = "用途：in_province(省内) out_of_province(省外) abroad(出国境)"


def register(sub: Any) -> None:
    decide = sub.add_parser(
        "decide",
        help="判断一项证明要求：取消、信息交换或出具",
        description="判断一项证明要求。退出码：0 已判断；2 参数错误；3 证明种类不明确。",
    )
    decide.add_argument(
        "--kind",
        required=True,
        metavar="TEXT",
        help="所要证明，按群众或单位的说法(名称、别名、拼音或拼音首字母)",
    )
    decide.add_argument("--requester", required=True, metavar="SECTOR", help=SECTORS_HELP)
    decide.add_argument("--purpose", required=True, metavar="PURPOSE", help=PURPOSE_HELP)
    decide.add_argument("--kind-id", metavar="ID", help="直接指定目录中的证明编号(从候选中选定)")
    decide.add_argument("--unlisted", action="store_true", help="确认所要证明不在目录内")
    decide.add_argument(
        "--needs-investigation", action="store_true", help="系统内无记录，需要调查核实"
    )
    decide.add_argument(
        "--book-lacks-fact",
        action="store_true",
        help="户口簿未记载该事项(适用于凭户口簿证明的事项)",
    )
    request_detail_args(decide)
    decide.add_argument("--today", metavar="YYYY-MM-DD", help="判断日期(默认今天)")
    decide.add_argument("--json", action="store_true", help="以 JSON 输出")
    decide.set_defaults(handler=run)


def request_detail_args(parser: Any) -> None:
    """The request's details beyond kind, requester and purpose (``decide`` and the counter)."""
    parser.add_argument(
        "--requester-name",
        metavar="NAME",
        help="要求单位名称(不予出具并报告上级的，按此名称报告)",
    )
    parser.add_argument(
        "--elsewhere",
        action="store_true",
        help="该证明的办理地(户籍地、居住地或事发地)不在本所：由该处办理的，出具办理地点告知书",
    )
    parser.add_argument(
        "--by-unit",
        action="store_true",
        help="单位派员持介绍信代为查询(如犯罪记录查询)：须用 --statute 写明查询依据",
    )
    parser.add_argument(
        "--statute",
        metavar="LAW",
        help="要求派出所出具该证明的法律法规(法律法规规定的其他情形须写明)",
    )


def run(inv: Invocation) -> int:
    from app.cli.explain import decision_text
    from app.policy.decision import Request, decide

    args = inv.args
    today = parse_day(args.today) if args.today else dt.date.today()
    request = Request(
        kind_text=args.kind,
        requester=args.requester,
        purpose=args.purpose,
        kind_id=args.kind_id,
        unlisted=args.unlisted,
        needs_investigation=args.needs_investigation,
        book_lacks_fact=args.book_lacks_fact,
        requester_unit=args.requester_name or "",
        statute=args.statute or "",
        elsewhere=args.elsewhere,
        by_unit=args.by_unit,
    )
    decision = decide(inv.chosen_catalog(), request, today)
    if inv.json:
        print_json(decision.to_dict())
    else:
        stream = sys.stdout if decision.decided else sys.stderr
        stream.write(decision_text(decision))
    return EXIT_OK if decision.decided else EXIT_REFUSED


def parse_day(text: str, *, field: str = "today", what: str = "日期") -> dt.date:
    """A YYYY-MM-DD option, or bad input naming the field."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{what}“{text}”格式不对，应为 YYYY-MM-DD", field=field) from exc
