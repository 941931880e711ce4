"""Validating the values a clerk enters against a form's field specs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.errors import InvalidInput
from app.policy.identity import clean_name, parse_id_number
from forms.fields import FieldSpec, FormSpec


def clean_reason(raw: str, *, what: str) -> str:
    """A reason an officer types (a void's, a reprint's, a refusal's): 2 to 200 characters, no
    control characters (the province's text cannot hold them; a line break is one)."""
    reason = raw.strip()
    if not 2 <= len(reason) <= 200:
        raise InvalidInput(f"{what}应为2至200个字", field="reason")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in reason):
        raise InvalidInput(f"{what}不能含控制字符(如换行)", field="reason")
    return reason


def clean_field(spec: FieldSpec, raw: str) -> str:
    """The value as it will be stored and printed, or ``InvalidInput`` naming the field."""
    value = raw.strip()
    where = f"{spec.label}({spec.name})"
    if not value:
        if spec.required:
            raise InvalidInput(f"{where}为必填项", field=spec.name)
        return ""
    try:
        if spec.type == "name":
            return clean_name(value, field=where)
        if spec.type == "id_number":
            return parse_id_number(value, field=where).number
    except InvalidInput as error:
        raise InvalidInput(error.message, field=spec.name) from error
    if spec.type == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError as exc:
            raise InvalidInput(f"{where}应为日期 YYYY-MM-DD", field=spec.name) from exc
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise InvalidInput(f"{where}含有控制字符", field=spec.name)
    if len(value) > spec.max_length:
        raise InvalidInput(f"{where}最长{spec.max_length}个字，现为{len(value)}个", field=spec.name)
    if spec.type == "choice" and value not in spec.choices:
        raise InvalidInput(f"{where}应为：{'、'.join(spec.choices)}", field=spec.name)
    return value


def clean_values(form: FormSpec, values: Mapping[str, str]) -> dict[str, str]:
    """Validate every field of a form; an unknown field name is an error too."""
    known = [f.name for f in form.fields]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InvalidInput(
            f"“{form.title}”没有字段 {'、'.join(unknown)}；可用字段：{'、'.join(known)}",
            field=unknown[0],
        )
    cleaned = {spec.name: clean_field(spec, values.get(spec.name, "")) for spec in form.fields}
    for order in form.date_orders:
        first, second = cleaned.get(order.earlier), cleaned.get(order.later)
        if first and second and second < first:
            raise InvalidInput(order.message, field=order.later)
    return cleaned
