"""Export any supervision view to CSV (UTF-8 with BOM, so Excel reads the Chinese) or XLSX
(openpyxl): each table under its title, with the station and the period at the top.

An export is the one file certdesk writes in the clear, because the officer asked for a file to
take elsewhere: the window and the command line say that it holds personal data, and
``export_recorded`` puts who exported what, where to, in the audit trail."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import InvalidInput

if TYPE_CHECKING:
    from app.context import Context
    from app.records.sessions import Actor

PERSONAL_DATA = (
    "导出文件未加密，含有个人信息(姓名、身份号码等)：请只存放在单位配发的加密介质上，用毕删除"
)


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def export(path: Path, *, station: str, period: str, tables: Sequence[Table]) -> Path:
    """Write ``tables`` to ``path`` (.csv or .xlsx) atomically; returns the path."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput(f"导出文件应以 .csv 或 .xlsx 结尾：{path}", field="export")
    if path.is_dir():
        raise InvalidInput(f"{path} 是目录", field="export")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=suffix)
    os.close(fd)
    try:
        if suffix == ".csv":
            _csv(Path(tmp), station, period, tables)
        else:
            _xlsx(Path(tmp), station, period, tables)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def _csv(path: Path, station: str, period: str, tables: Sequence[Table]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["派出所", station])
        writer.writerow(["统计期间", period])
        for table in tables:
            writer.writerow([])
            writer.writerow([table.title])
            writer.writerow(list(table.headers))
            writer.writerows([list(row) for row in table.rows])


def _xlsx(path: Path, station: str, period: str, tables: Sequence[Table]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(["派出所", station])
        sheet.append(["统计期间", period])
        sheet.append([])
        sheet.append(list(table.headers))
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for column, header in zip(sheet.columns, table.headers, strict=False):
            width = max([len(str(header))] + [len(str(c.value or "")) for c in column[3:]])
            sheet.column_dimensions[column[0].column_letter].width = min(60, 2 + width * 2)
    book.save(path)


def export_recorded(
    ctx: Context,
    path: Path,
    *,
    actor: Actor,
    what: str,
    station: str,
    period: str,
    tables: Sequence[Table],
) -> Path:
    """``export``, then recorded in the audit trail: the officer, what (``what``), the file's
    name and how many rows left the station."""
    written = export(path, station=station, period=period, tables=tables)
    with ctx.change(actor) as change:
        change.update(
            change.station,
            action="station.export",
            note={
                "what": what,
                "file": path.name,
                "rows": sum(len(t.rows) for t in tables),
            },
        )
    return written
