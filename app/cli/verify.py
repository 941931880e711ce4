"""``certdesk verify``: a certificate's QR checked offline (against the station keys known here),
or its serial asked of the province online; and ``certdesk serial check``."""

from __future__ import annotations

from typing import Any

from app.cli.parser import EXIT_OK, Invocation, subcommands
from app.errors import InvalidInput
from app.protocol.status import VerifyStatus

STATUS_NAMES = {
    VerifyStatus.VALID: "有效",
    VerifyStatus.VOID: "已作废",
    VerifyStatus.UNKNOWN: "省级服务器没有这个编号",
}


def register(sub: Any) -> None:
    verify = sub.add_parser(
        "verify", help="核验证明：二维码离线核验(按已知的派出所公钥)，或按编号向省级服务器核验"
    )
    verify.add_argument("serial", nargs="?", help="证明编号(与 --server 一起：在线核验)")
    verify.add_argument("--server", metavar="URL", help="省级服务器地址")
    verify.add_argument("--qr", metavar="TEXT", help="二维码内容")
    verify.add_argument("--id", metavar="NUMBER", help="持证人公民身份号码(核对是否为同一人)")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=verify_certificate)
    serial = sub.add_parser("serial", help="证明编号")
    actions = subcommands(serial, "serial_command", "ACTION")
    check = actions.add_parser("check", help="校验一个证明编号")
    check.add_argument("serial")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=check_serial)


def verify_certificate(inv: Invocation) -> int:
    args = inv.args
    if args.qr and args.server:  # online, by the signed QR: status and the signed facts
        from app.sync.online import verify_qr_online

        answer = verify_qr_online(args.server, args.qr)
        head = f"{answer.serial or '(编号不明)'}：{STATUS_NAMES.get(answer.status, answer.status)}"
        text = "\n".join([f"{head}。{answer.reason}", *_fact_text(answer.form_id, answer.facts)])
        inv.emit(answer.model_dump(mode="json"), text)
        genuine = answer.signature == "valid" and answer.status == VerifyStatus.VALID
        return EXIT_OK if genuine and answer.matches_record is not False else 1
    if args.serial and args.server:  # online, by serial: valid | void | unknown, nothing else
        from app.protocol.numbering import parse_serial
        from app.sync.online import verify_online

        status = verify_online(args.server, str(parse_serial(args.serial)))
        inv.emit(
            status.model_dump(mode="json"),
            f"{status.serial}：{STATUS_NAMES.get(status.status, status.status)}",
        )
        return EXIT_OK if status.status == VerifyStatus.VALID else 1
    if not args.qr:
        raise InvalidInput(
            "请给出 --qr 二维码内容(离线核验；加 --server 则在线核验)，或 编号 与 --server",
            field="qr",
        )
    from app.services.verification import check_qr

    check = check_qr(inv.ctx, args.qr, id_number=args.id)
    by = check.station_name or check.station
    phone = f"(电话 {check.station_phone})" if check.station_phone else ""
    text = (
        f"有效：编号 {check.serial}，{check.kind_id}，{check.issued_on} 由 {by}{phone} 出具"
        f"。{check.reason}"
        if check.valid
        else f"无效：{check.reason}"
    )
    lines = _fact_text(check.form_id, dict(check.facts)) if check.valid else []
    inv.emit(check.to_dict(), "\n".join([text, *lines]))
    return EXIT_OK if check.valid and not check.expired else 1


def _fact_text(form_id: str | None, facts: dict[str, str]) -> list[str]:
    """The signed facts, one per line, labelled as the paper labels them: to compare with it."""
    if not facts:
        return []
    from forms import specs
    from forms.fields import fact_lines

    try:
        form = specs.get(form_id or "")
    except KeyError:
        return [f"  {name}：{value}" for name, value in facts.items()]
    return [
        "二维码所载事项(请与纸面逐项核对)：",
        *(f"  {k}：{v}" for k, v in fact_lines(form, facts)),
    ]


def check_serial(inv: Invocation) -> int:
    from app.protocol.numbering import parse_serial

    serial = parse_serial(inv.args.serial)
    inv.emit(
        {
            "valid": True,
            "serial": str(serial),
            "station": serial.station,
            "workstation": serial.workstation,
            "year": serial.year,
            "sequence": serial.sequence,
            "check": serial.check,
        },
        f"编号有效：派出所 {serial.station}，工作站 {serial.workstation}，"
        f"{serial.year}年第 {serial.sequence} 号",
    )
    return EXIT_OK
