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
    if args.serial and args.server:  # online, by serial: valid | void | unknown
        from app.records.numbering import parse_serial
        from app.sync.online import verify_online

        answer = verify_online(args.server, str(parse_serial(args.serial)))
        text = f"{answer.serial}：{STATUS_NAMES.get(answer.status, answer.status)}"
        if answer.issued_on:
            text += f"，{answer.kind_id}，{answer.issued_on} 由 {answer.station} 出具"
        inv.emit(answer.model_dump(mode="json"), text)
        return EXIT_OK if answer.status == VerifyStatus.VALID else 1
    if not args.qr:
        raise InvalidInput(
            "请给出 --qr 二维码内容(离线核验)，或 编号 与 --server(在线核验)", field="qr"
        )
    from app.services.verification import check_qr

    check = check_qr(inv.ctx, args.qr, id_number=args.id)
    text = (
        f"有效：编号 {check.serial}，{check.kind_id}，{check.issued_on} 由 {check.station} 出具"
        f"。{check.reason}"
        if check.valid
        else f"无效：{check.reason}"
    )
    inv.emit(check.to_dict(), text)
    return EXIT_OK if check.valid else 1


def check_serial(inv: Invocation) -> int:
    from app.records.numbering import parse_serial

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
