"""The printing commands: reprint, render (specimens), forms list, verify a QR."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.parser import EXIT_OK, Parser
from app.cli.parser import emit as _emit
from app.cli.parser import parse_fields as _fields
from app.errors import InvalidInput


def check_output(output: str) -> None:
    path = Path(output)
    if path.suffix.lower() != ".pdf":
        raise InvalidInput(f"输出文件应以 .pdf 结尾：{output}", field="output")
    if path.exists() and path.is_dir():
        raise InvalidInput(f"{output} 是目录", field="output")


def copy_out(ctx: Any, relative: str | None, output: str | None) -> None:
    """Hand over the archived bytes (the document is recorded and archived by now)."""
    if not output or not relative:
        return
    from app.records.archive import write_output

    write_output(Path(output), (ctx.data_dir / relative).read_bytes())


def reprint_command(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.records.archive import write_output
    from app.services.certificates import reprint

    check_output(args.output)
    copy = reprint(ctx, serial=args.serial, reason=args.reason, officer=args.officer)
    write_output(Path(args.output), copy.pdf)
    _emit(
        args,
        {"serial": copy.serial, "print_count": copy.print_count, "output": args.output},
        f"已补打：{copy.serial}(第 {copy.print_count} 份)，文件 {args.output}",
    )
    return EXIT_OK


def render_command(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.records.archive import write_output
    from app.records.form_values import clean_values
    from app.records.printing import specimen_pdf
    from app.services.station import station_info
    from forms import specs

    check_output(args.output)
    try:
        spec = specs.get(args.form)
    except KeyError:
        names = "、".join(s.id for s in specs.all_specs())
        raise InvalidInput(f"没有式样“{args.form}”，可选：{names}", field="form") from None
    values = _fields(args.field)
    if spec.kind == "certificate":
        values = clean_values(spec, values)
    info = station_info(ctx) if (ctx.data_dir / "certdesk.db").exists() else None
    pdf = specimen_pdf(
        spec.id,
        values,
        station_name=info.name if info else "××派出所",
        station_phone=info.phone if info else "",
        today=ctx.today(),
    )
    write_output(Path(args.output), pdf)
    print(f"已生成样本：{spec.title} → {args.output}")
    return EXIT_OK


def forms_command(args: argparse.Namespace, parser: Parser) -> int:
    from forms import specs

    if args.forms_command != "list":
        parser.parse_args(["forms", "--help"])
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "kind": s.kind,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "type": f.type,
                    "required": f.required,
                    "max_length": f.max_length,
                    "choices": list(f.choices),
                }
                for f in s.fields
            ],
        }
        for s in specs.all_specs()
    ]
    lines = [
        f"{s.id:<28} {s.title}  字段：" + " ".join(f.name for f in s.fields)
        for s in specs.all_specs()
    ]
    _emit(args, rows, "\n".join(lines))
    return EXIT_OK


def verify_command(args: argparse.Namespace, ctx: Any, _p: Parser) -> int:
    from app.records.qr import verify_payload

    if args.serial and args.server:  # online, by serial: valid | void | unknown
        from app.records.numbering import parse_serial
        from app.sync import verify_online

        serial = str(parse_serial(args.serial))
        answer = verify_online(args.server, serial)
        names = {"valid": "有效", "void": "已作废", "unknown": "省级服务器没有这个编号"}
        text = f"{serial}：{names.get(answer['status'], answer['status'])}"
        if answer.get("issued_on"):
            text += (
                f"，{answer.get('kind_id')}，{answer['issued_on']} 由 {answer.get('station')} 出具"
            )
        _emit(args, answer, text)
        return EXIT_OK if answer["status"] == "valid" else 1
    if not args.qr:
        raise InvalidInput(
            "请给出 --qr 二维码内容(离线核验)，或 编号 与 --server(在线核验)", field="qr"
        )
    keys: dict[str, list[str]] = {}
    voids: set[str] = set()
    if (ctx.data_dir / "certdesk.db").exists():
        from app.sync import known_keys

        keys, voids = known_keys(ctx)
    id_number = None
    if args.id:
        from app.records.identity import parse_id_number

        id_number = parse_id_number(args.id).number
    check = verify_payload(args.qr, keys, id_number=id_number)
    if check.valid and check.serial in voids:
        import dataclasses

        check = dataclasses.replace(
            check, valid=False, reason=f"证明 {check.serial} 已作废(省级通报)"
        )
    text = (
        f"有效：编号 {check.serial}，{check.kind_id}，{check.issued_on} 由 {check.station} 出具"
        f"。{check.reason}"
        if check.valid
        else f"无效：{check.reason}"
    )
    _emit(args, check.to_dict(), text)
    return EXIT_OK if check.valid else 1
