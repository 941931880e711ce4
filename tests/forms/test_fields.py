"""Each form's fields validate what a clerk types, naming the field."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput
from app.records.form_values import clean_values
from forms import specs
from forms.samples import VALUES

CERTIFICATES = [s.id for s in specs.all_specs() if s.kind == "certificate"]


@pytest.mark.parametrize("form_id", CERTIFICATES)
def test_sample_values_are_valid_and_each_field_is_checked(form_id: str) -> None:
    spec = specs.get(form_id)
    cleaned = clean_values(spec, VALUES[form_id])
    assert set(cleaned) == {f.name for f in spec.fields}
    for field in spec.fields:
        bad = {
            "name": "Bob",
            "id_number": "123",
            "date": "2026-02-30",
            "choice": "不在选项里",
            "text": "字" * (field.max_length + 1),
        }[field.type]
        with pytest.raises(InvalidInput) as caught:
            clean_values(spec, {**VALUES[form_id], field.name: bad})
        assert caught.value.field == field.name and field.label in caught.value.message
        if field.required:
            with pytest.raises(InvalidInput, match="必填"):
                clean_values(spec, {**VALUES[form_id], field.name: " "})


def test_unknown_field_and_date_order() -> None:
    with pytest.raises(InvalidInput, match="没有字段 colour"):
        clean_values(specs.get("kinship"), {**VALUES["kinship"], "colour": "red"})
    values = {**VALUES["temporary_identity"], "valid_to": "2026-11-01"}
    with pytest.raises(InvalidInput) as caught:
        clean_values(specs.get("temporary_identity"), values)
    assert caught.value.field == "valid_to"
