"""``certdesk list|show|search|hand-over|void|reprint``: the certificates this workstation issued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.parser import EXIT_OK, Invocation, add_approval_args, check_output, read_approval


def register(sub: Any) -> None:
    listing = sub.add_parser("list", help="列出本工作站出具的证明")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    listing.set_defaults(handler=list_certificates)
    show = sub.add_parser("show", help="按编号显示一份证明")
    show.add_argument("serial")
    show.add_argument("--json", action="store_true")
    show.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    show.set_defaults(handler=show_certificate)
    search = sub.add_parser("search", help="按编号、公民身份号码、姓名或拼音查找证明")
    search.add_argument("text")
    search.add_argument("--json", action="store_true")
    search.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    search.set_defaults(handler=search_certificates)
    hand_over = sub.add_parser("hand-over", help="记录证明已打印并交付群众")
    hand_over.add_argument("serial")
    hand_over.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    hand_over.add_argument("--json", action="store_true")
    hand_over.set_defaults(handler=hand_over_certificate)
    void = sub.add_parser("void", help="作废证明(须另一位所领导当场审批)")
    void.add_argument("serial")
    void.add_argument("--reason", required=True)
    void.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    add_approval_args(void, "作废")
    void.add_argument("--json", action="store_true")
    void.set_defaults(handler=void_certificate)
    reprint = sub.add_parser("reprint", help="补打存档的证明(写明理由，计入打印次数)")
    reprint.add_argument("serial")
    reprint.add_argument("--reason", required=True)
    reprint.add_argument("--officer", metavar="CODE", help="本人警号，须为登录者")
    add_approval_args(reprint, "补打")
    reprint.add_argument("--output", required=True, metavar="FILE.pdf")
    reprint.add_argument("--json", action="store_true")
    reprint.set_defaults(handler=reprint_certificate)


def list_certificates(inv: Invocation) -> int:
    from app.services.certificates import list_certificates

    rows = list_certificates(inv.ctx, actor=inv.actor)
    lines = [
        f"{c.serial}  {c.status:<6} {c.kind_id or '':<28} {c.subject_name}  {c.issued_at}"
        for c in rows
    ]
    inv.emit([c.summary() for c in rows], "\n".join(lines) or "(尚无证明)")
    return EXIT_OK


def show_certificate(inv: Invocation) -> int:
    from app.services.certificates import show

    info = show(inv.ctx, inv.args.serial, actor=inv.actor)
    inv.emit(info.to_dict(), "\n".join(f"{k}: {v}" for k, v in info.to_dict().items()))
    return EXIT_OK


def search_certificates(inv: Invocation) -> int:
    from app.services.certificates import search

    rows = search(inv.ctx, inv.args.text, actor=inv.actor)
    lines = [f"{c.serial}  {c.status:<6} {c.subject_name}  {c.issued_at}" for c in rows]
    inv.emit([c.summary() for c in rows], "\n".join(lines) or "(没有找到)")
    return EXIT_OK


def hand_over_certificate(inv: Invocation) -> int:
    from app.services.certificates import hand_over

    info = hand_over(inv.ctx, serial=inv.args.serial, officer=inv.actor)
    inv.emit(info.to_dict(), f"已交付：{info.serial}({info.handed_over_at})")
    return EXIT_OK


def void_certificate(inv: Invocation) -> int:
    from app.services.certificates import void

    args = inv.args
    info = void(
        inv.ctx,
        serial=args.serial,
        reason=args.reason,
        officer=inv.actor,
        approval=read_approval(args),
    )
    inv.emit(info.to_dict(), f"已作废：{info.serial}")
    return EXIT_OK


def reprint_certificate(inv: Invocation) -> int:
    from app.records.archive import write_output
    from app.services.certificates import reprint

    args = inv.args
    output = check_output(args.output)
    copy = reprint(
        inv.ctx,
        serial=args.serial,
        reason=args.reason,
        officer=inv.actor,
        approval=read_approval(args),
    )
    write_output(Path(output), copy.pdf)
    inv.emit(
        {"serial": copy.serial, "print_count": copy.print_count, "output": args.output},
        f"已补打：{copy.serial}(第 {copy.print_count} 份)，文件 {args.output}",
    )
    return EXIT_OK
