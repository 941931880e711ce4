"""What the province publishes for every station to install: catalog versions (only when the
province's signature over the exact bytes checks against the key pinned at enrolment; a bad
signature or an invalid file is refused, said, and the old catalog stays) and the holiday table
(checked, then written to ``holidays.json``, which the working-day calendar prefers)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from app.context import Context
from app.errors import CertdeskError
from app.policy.catalog import CatalogStore
from app.policy.workdays import HolidayTable
from app.protocol.models import CatalogEvent, HolidaysEvent
from app.protocol.signing import verify_signature
from app.sync import state


def install_catalog(ctx: Context, province_key: str, event: CatalogEvent) -> str | None:
    """Install a pulled catalog version if the province signed it; else refuse and say why."""
    raw = event.text.encode("utf-8")
    name = f"目录 {event.catalog_id} 版本 {event.version}"
    if not verify_signature(province_key, raw, event.signature):
        message = f"{name} 的省级签名不对，已拒绝，继续使用原目录"
        state.put(ctx, catalog_refused=message)
        return message
    with tempfile.NamedTemporaryFile("wb", suffix=".yaml", delete=False) as handle:
        handle.write(raw)
    try:
        CatalogStore(ctx.data_dir).replace(Path(handle.name))
    except CertdeskError as error:
        message = f"{name} 未通过校验，已拒绝：{error.message}"
        state.put(ctx, catalog_refused=message)
        return message
    finally:
        os.unlink(handle.name)
    ctx.reload_catalog()
    state.put(ctx, catalog_version=f"{event.catalog_id} {event.version}")
    return None


def install_holidays(ctx: Context, event: HolidaysEvent) -> None:
    table = event.table()
    HolidayTable.from_mapping(table)  # refuses a malformed table before it is written
    target = ctx.data_dir / "holidays.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    tmp.replace(target)
