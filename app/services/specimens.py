"""Specimens (样本) of any form: filled with the values given, watermarked, recording nothing and
signing nothing — for training and for showing a receiving unit what a certificate looks like."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.context import Context
from app.errors import InvalidInput
from app.records.form_values import clean_values
from app.records.printing import specimen_pdf
from forms import specs


@dataclass(frozen=True, slots=True)
class Specimen:
    form_id: str
    title: str
    pdf: bytes


def specimen(ctx: Context, form_id: str, values: Mapping[str, str]) -> Specimen:
    """A specimen of ``form_id``; certificate values are checked as for a real one. The station's
    name and phone are printed when this data dir has a station."""
    from app.services.station import station_info

    try:
        spec = specs.get(form_id)
    except KeyError:
        names = "、".join(s.id for s in specs.all_specs())
        raise InvalidInput(f"没有式样“{form_id}”，可选：{names}", field="form") from None
    cleaned = clean_values(spec, values) if spec.kind == "certificate" else dict(values)
    info = station_info(ctx) if ctx.has_database() else None
    pdf = specimen_pdf(
        spec.id,
        cleaned,
        station_name=info.name if info else "××派出所",
        station_phone=info.phone if info else "",
        today=ctx.today(),
    )
    return Specimen(spec.id, spec.title, pdf)
