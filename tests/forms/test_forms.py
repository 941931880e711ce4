"""Every form as a PDF, checked with the real tools: pdftotext, pdffonts, pdftoppm + zbarimg."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageChops, ImageStat

from app.protocol.qr import make_payload, verify_payload
from app.protocol.signing import public_hex
from forms import specs
from forms.errors import FormError
from forms.render import Document, chinese_date, printed_values, render
from forms.samples import ISSUED, NUMBERS, VALUES, document

REFERENCE = Path(__file__).with_name("reference")
KEY = Ed25519PrivateKey.generate()
FORM_IDS = [spec.id for spec in specs.all_specs()]


def _qr_for(form_id: str) -> str | None:
    spec = specs.get(form_id)
    if spec.kind != "certificate":
        return None
    values = VALUES[form_id]
    return make_payload(
        KEY,
        serial=NUMBERS[form_id],
        kind_id=form_id,
        form_id=form_id,
        issued_on=ISSUED,
        facts={name: values.get(name, "") for name in spec.printed_fields()},
        station_name="长春市南关区民康派出所",
        station_phone="0431-88886666",
        valid_until=values.get(spec.valid_until) if spec.valid_until else None,
    )


def _pdf(tmp_path: Path, form_id: str) -> Path:
    path = tmp_path / f"{form_id}.pdf"
    path.write_bytes(render(document(form_id, qr_text=_qr_for(form_id))))
    return path


def _tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _codes(pdf: Path, tmp_path: Path, dpi: int = 200) -> dict[str, str]:
    png = tmp_path / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(png)], check=True
    )
    out = subprocess.run(
        ["zbarimg", "-q", str(png) + ".png"], capture_output=True, text=True, check=False
    ).stdout
    codes = {}
    for line in out.splitlines():
        kind, _, data = line.partition(":")
        codes[kind] = data
    return codes


def test_one_spec_for_each_issue_kind_of_the_default_catalog(jilin) -> None:  # type: ignore[no-untyped-def]
    forms = {kind.form for kind in jilin if kind.outcome == "issue"}
    assert forms <= set(FORM_IDS)
    assert {
        "population_register_facts",
        "refusal_notice",
        "exchange_notice",
        "missing_materials_notice",
        "acceptance_receipt",
    } <= set(FORM_IDS)
    assert set(VALUES) == set(FORM_IDS)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_value_fonts_and_codes(form_id: str, tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, form_id)
    text = _tool("pdftotext", str(pdf), "-")
    flat = text.replace("\n", "").replace(" ", "")
    spec = specs.get(form_id)
    for name, value in printed_values(spec, VALUES[form_id]).items():
        assert value.replace(" ", "") in flat, (name, value)
    assert spec.title in flat and "长春市南关区民康派出所" in flat
    assert chinese_date(ISSUED) in flat and "0431-88886666" in flat
    fonts = [line.split() for line in _tool("pdffonts", str(pdf)).splitlines()[2:]]
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # emb column
    codes = _codes(pdf, tmp_path)
    assert codes.get("CODE-128") == NUMBERS[form_id]
    if spec.kind == "certificate":
        check = verify_payload(codes["QR-Code"], {"220102001": [public_hex(KEY)]})
        assert check.valid and check.serial == NUMBERS[form_id] and check.version == 2
        # the QR read from the printed page certifies every printed fact, value for value
        given = VALUES[form_id]
        assert check.facts == {n: given[n] for n in spec.printed_fields() if given.get(n)}
        assert check.facts and check.issued_on == ISSUED.isoformat()
    else:
        assert "QR-Code" not in codes


def test_names_beyond_the_bmp_extract_exactly(tmp_path: Path) -> None:
    values = {**VALUES["kinship"], "applicant_name": "王𪚥", "relative_name": "𠀀𠀁明"}
    doc = Document(
        specs.get("kinship"), NUMBERS["kinship"], values, "民康派出所", "", "张伟", "220001", ISSUED
    )
    pdf = tmp_path / "bmp.pdf"
    pdf.write_bytes(render(doc))
    text = _tool("pdftotext", str(pdf), "-").replace("\n", "")
    assert "王𪚥" in text and "𠀀𠀁明" in text
    assert "王⩪" not in text  # what ReportLab's own ToUnicode map gives
    fonts = _tool("pdffonts", str(pdf))
    assert "HanaMin" in fonts  # the fallback face drew what the body face lacks


def test_a_character_no_font_has_is_refused_naming_field_and_code(tmp_path: Path) -> None:
    values = {**VALUES["kinship"], "relative_name": "王\U00031350"}  # Extension H
    doc = Document(
        specs.get("kinship"), NUMBERS["kinship"], values, "民康派出所", "", "张伟", "220001", ISSUED
    )
    with pytest.raises(FormError) as caught:
        render(doc)
    assert caught.value.field == "relative_name" and "U+31350" in caught.value.message


def test_a_value_that_does_not_fit_is_an_error_not_clipped() -> None:
    values = {**VALUES["kinship"], "relation": "父女" * 400}
    doc = Document(
        specs.get("kinship"), NUMBERS["kinship"], values, "民康派出所", "", "张伟", "220001", ISSUED
    )
    with pytest.raises(FormError) as caught:
        render(doc)
    assert caught.value.field == "relation" and "超出版面" in caught.value.message


def test_same_input_same_bytes() -> None:
    first = render(document("kinship", qr_text="CD1:X"))
    assert render(document("kinship", qr_text="CD1:X")) == first
    assert render(document("kinship", qr_text="CD1:Y")) != first


def test_specimen_is_watermarked(tmp_path: Path) -> None:
    doc = Document(
        specs.get("kinship"),
        "SPECIMEN-0000",
        VALUES["kinship"],
        "民康派出所",
        "",
        "张伟",
        "220001",
        ISSUED,
        specimen=True,
    )
    pdf = tmp_path / "specimen.pdf"
    pdf.write_bytes(render(doc))
    assert "样本" in _tool("pdftotext", str(pdf), "-")


def test_chinese_dates() -> None:
    assert chinese_date(dt.date(2026, 11, 28)) == "二〇二六年十一月二十八日"
    assert chinese_date(dt.date(2027, 1, 1)) == "二〇二七年一月一日"
    assert chinese_date(dt.date(2030, 10, 10)) == "二〇三〇年十月十日"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_pages_match_the_reference_images(form_id: str, tmp_path: Path) -> None:
    """Rendered like forms.samples (40 dpi, grey), compared with the committed picture."""
    pdf = tmp_path / f"{form_id}.pdf"
    qr = "CD2:SAMPLE" if specs.get(form_id).kind == "certificate" else None
    pdf.write_bytes(render(document(form_id, qr_text=qr)))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-png", "-singlefile", str(pdf), str(tmp_path / form_id)],
        check=True,
    )
    got = Image.open(tmp_path / f"{form_id}.png").convert("L")
    want = Image.open(REFERENCE / f"{form_id}.png").convert("L")
    assert got.size == want.size
    diff = ImageChops.difference(got, want)
    changed = sum(1 for v in diff.get_flattened_data() if v > 64) / (got.size[0] * got.size[1])
    assert ImageStat.Stat(diff).mean[0] < 2.0 and changed < 0.01, (form_id, changed)


@pytest.mark.slow
@pytest.mark.parametrize("form_id", [s.id for s in specs.all_specs() if s.kind == "certificate"])
def test_the_fullest_paper_still_has_a_qr_that_reads_back(tmp_path: Path, form_id: str) -> None:
    """Every field at its longest (distinct characters, which deflate cannot shrink): where the
    page takes it, its QR is read back at 200 dpi and verifies with every fact."""
    import random

    from app.policy.identity import NAME_MAX

    spec = specs.get(form_id)
    chars = random.Random(form_id)

    def zh(n: int) -> str:
        return "".join(chr(chars.randint(0x4E00, 0x9FA5)) for _ in range(n))

    values = {}
    for field in spec.fields:
        values[field.name] = {
            "date": "2026-11-01",
            "id_number": "22010219850715321X",
            "choice": field.choices[0] if field.choices else "",
            "name": zh(min(NAME_MAX, field.max_length) // 3),
        }.get(field.type) or zh(field.max_length)
    facts = {name: values[name] for name in spec.printed_fields()}
    text = make_payload(
        KEY,
        serial=NUMBERS[form_id],
        kind_id=form_id,
        form_id=form_id,
        issued_on=ISSUED,
        facts=facts,
        station_name="长春市南关区民康派出所",
        station_phone="0431-88886666",
        valid_until=values.get(spec.valid_until) if spec.valid_until else None,
    )
    document = Document(
        spec,
        NUMBERS[form_id],
        values,
        "长春市南关区民康派出所",
        "0431-88886666",
        "张伟",
        "220001",
        ISSUED,
        qr_text=text,
    )
    try:
        pdf_bytes = render(document)
    except FormError:
        pytest.skip("the page refuses text this long: nothing is printed, no QR to read")
    pdf = tmp_path / "full.pdf"
    pdf.write_bytes(pdf_bytes)
    read = _codes(pdf, tmp_path)["QR-Code"]  # 200 dpi
    assert read == text
    check = verify_payload(read, {"220102001": [public_hex(KEY)]})
    assert check.valid and check.facts == facts
