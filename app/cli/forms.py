"""``certdesk render`` and ``certdesk forms list``: specimens of any form and the forms' fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.parser import EXIT_OK, Invocation, check_output, parse_fields, subcommands


def register(sub: Any) -> None:
    render = sub.add_parser("render", help="按式样生成样本(水印“样本”，不记录、不签名)")
    render.add_argument("form", help="式样编号，见 certdesk forms list")
    render.add_argument("--field", action="append", default=[], metavar="NAME=VALUE")
    render.add_argument("--output", required=True, metavar="FILE.pdf")
    render.set_defaults(handler=render_specimen)
    forms = sub.add_parser("forms", help="证明和告知书式样")
    actions = subcommands(forms, "forms_command", "ACTION")
    listing = actions.add_parser("list", help="列出全部式样及其字段")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_forms)


def render_specimen(inv: Invocation) -> int:
    from app.records.archive import write_output
    from app.services.specimens import specimen

    output = check_output(inv.args.output)
    made = specimen(inv.ctx, inv.args.form, parse_fields(inv.args.field))
    write_output(Path(output), made.pdf)
    print(f"已生成样本：{made.title} → {inv.args.output}")
    return EXIT_OK


def list_forms(inv: Invocation) -> int:
    from forms import specs

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
    inv.emit(rows, "\n".join(lines))
    return EXIT_OK
