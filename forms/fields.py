"""Form fields as data: type, label, required, limits. ``app.records.form_values`` validates values
against them (identity numbers and names are domain rules and live in ``app``)."""

from __future__ import annotations

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
    kind: Literal["certificate", "notice"] = "certificate"
    validity: str | None = None  # printed under the body, e.g. "有效期：{valid_from}至{valid_to}"
    date_orders: tuple[DateOrder, ...] = ()

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)
