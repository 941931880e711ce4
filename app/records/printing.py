"""From records to paper: the renderers the services call, with the signed QR.

ReportLab and the fonts are imported on first use, so commands that print nothing start fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.errors import InvalidInput

if TYPE_CHECKING:
    from app.context import Context
    from forms.render import Document


@dataclass(frozen=True, slots=True)
class CertificateDraft:
    """What a renderer needs to print a certificate."""

    serial: str
    form_id: str
    kind_id: str | None
    values: Mapping[str, str]
    station_code: str
    station_name: str
    station_phone: str
    officer_name: str
    officer_code: str
    issued_on: dt.date
    kind_name: str | None
    special_case: bool


Renderer = Callable[[CertificateDraft], bytes]


def _render(document: Document) -> bytes:
    from forms.errors import FormError
    from forms.render import render

    try:
        return render(document)
    except FormError as error:
        raise InvalidInput(error.message, field=error.field) from error


def certificate_renderer(ctx: Context) -> Renderer:
    """Renders certificates with a QR signed by this station's key."""
    from app.protocol.qr import make_payload, qr_address
    from app.protocol.signing import load_key
    from app.sync.enrolment import load_enrolment
    from forms import specs
    from forms.render import Document

    key = load_key(ctx.data_dir, ctx.vault.unseal)
    enrolment = load_enrolment(ctx)
    public_url = enrolment.public_url if enrolment else ""

    def make(draft: CertificateDraft) -> bytes:
        spec = specs.get(draft.form_id)
        # the QR signs what the paper prints, value for value (a receiving unit compares them)
        payload = make_payload(
            key,
            serial=draft.serial,
            kind_id=draft.kind_id or draft.form_id,
            form_id=draft.form_id,
            issued_on=draft.issued_on,
            facts={name: draft.values.get(name, "") for name in spec.printed_fields()},
            station_name=draft.station_name,
            station_phone=draft.station_phone,
            valid_until=draft.values.get(spec.valid_until) if spec.valid_until else None,
        )
        return _render(
            Document(
                spec,
                draft.serial,
                draft.values,
                draft.station_name,
                draft.station_phone,
                draft.officer_name,
                draft.officer_code,
                draft.issued_on,
                qr_text=qr_address(public_url, payload),
            )
        )

    return make


def notice_pdf(
    *,
    notice_type: str,
    number: str,
    values: Mapping[str, str],
    station_name: str,
    station_phone: str,
    officer_name: str,
    officer_code: str,
    issued_on: dt.date,
) -> bytes:
    from forms import specs
    from forms.render import Document

    spec = specs.get(specs.NOTICE_FORMS[notice_type])
    return _render(
        Document(
            spec, number, values, station_name, station_phone, officer_name, officer_code, issued_on
        )
    )


def specimen_pdf(
    form_id: str,
    values: Mapping[str, str],
    *,
    station_name: str,
    station_phone: str,
    today: dt.date,
) -> bytes:
    """A specimen watermarked 样本, recording nothing and signing nothing."""
    from forms import specs
    from forms.render import Document

    return _render(
        Document(
            specs.get(form_id),
            "SPECIMEN-0000",
            values,
            station_name,
            station_phone,
            "(经办民警)",
            "000000",
            today,
            specimen=True,
        )
    )
