"""Form fields as data: type, label, required, limits. ``app.records.form_values`` validates values
against them (identity numbers and names are domain rules and live in ``app``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

FieldType = Literal["name", "id_number", "text", "choice", "date"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    type: FieldType = "text"
    required: bool = True
    max_length: int = 60
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True, slots=True)
class DateOrder:
    """``later`` may not be before ``earlier``; ``message`` says so to the clerk."""

    earlier: str
    later: str
    message: str


@dataclass(frozen=True, slots=True)
class FormSpec:
    """One document: its fields, its printed wording and where things go on the page.

    ``wording`` is the body, one paragraph per item, with ``{field}`` placeholders; every field
    a paragraph names must fit the body box, or nothing is printed.
    """

    id: str
    title: str
    fields: tuple[FieldSpec, ...]
    subject_name: str | None  # the field naming the person the paper is about (search, QR)
    subject_id: str | None
    wording: tuple[str, ...] = ()
    # a reply (核查结果) answers a department, not a person: no receipt line, its own QR footer
    kind: Literal["certificate", "notice", "reply"] = "certificate"
    validity: str | None = None  # printed under the body, e.g. "有效期：{valid_from}至{valid_to}"
    date_orders: tuple[DateOrder, ...] = ()
    valid_until: str | None = None  # the field holding the validity period's last day
    # printed once per copy, each page marked (a refusal notice: the applicant's and the stub)
    copies: tuple[str, ...] = ()

    def printed_fields(self) -> tuple[str, ...]:
        """The fields the paper prints (named in its wording or validity line), in field order:
        the facts a certificate's QR signs."""
        text = "".join(self.wording) + (self.validity or "")
        return tuple(spec.name for spec in self.fields if "{" + spec.name + "}" in text)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


def printed_value(spec: FieldSpec, value: str) -> str:
    """A value as the paper prints it: dates written 2026年11月1日, the rest as given."""
    if spec.type == "date" and value:
        day = dt.date.fromisoformat(value)
        return f"{day.year}年{day.month}月{day.day}日"
    return value


def fact_lines(form: FormSpec, facts: dict[str, str]) -> list[tuple[str, str]]:
    """A signed QR's facts as a receiving unit compares them with the paper: (label, value as
    printed) for every field the paper prints, in the form's order — one the QR does not carry
    was left empty, and the paper must not show it filled in; a field this version does not
    know keeps its name."""
    lines: list[tuple[str, str]] = []
    for name in form.printed_fields():
        spec = form.field(name)
        if name not in facts:
            lines.append((spec.label, "(空：纸面此项应为空)"))
            continue
        try:
            lines.append((spec.label, printed_value(spec, facts[name])))
        except ValueError:
            lines.append((spec.label, facts[name]))
    known = set(form.printed_fields())
    lines += [(name, value) for name, value in facts.items() if name not in known]
    return lines
