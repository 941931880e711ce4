"""证明事项告知承诺制 (国办发〔2020〕42号): a catalog lists (kind, demanding sectors) pairs from a
published list; asked by such a unit in the province, no certificate is needed and the station
prints the 告知承诺书 for the citizen to sign at that unit. An inferred pair is a hint only."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from support import ADMIN, CLERK, js, login, make_station, run

from app.errors import CatalogError
from app.policy.catalog import builtin_catalog_path, parse_catalog
from app.policy.decision import Request, decide, next_step

LISTED = """
commitments:
  - kind: jl_kinship
    sectors: [human_resources]
    list: 《某某省证明事项告知承诺制目录》(2021年)
    matter: 社会保险待遇领取
    sources: [seed]
    confidence: seed
  - kind: jl_hukou_cancellation
    sectors: [civil_affairs]
    list: 《某某市证明事项告知承诺制目录》
    confidence: inferred
"""
TODAY = dt.date(2026, 12, 1)


def catalog_text(extra: str = LISTED) -> str:
    return builtin_catalog_path().read_text(encoding="utf-8") + extra


def test_a_listed_pair_needs_no_certificate() -> None:
    catalog = parse_catalog(catalog_text().encode(), file="listed.yaml")
    d = decide(catalog, Request("亲属关系证明", "human_resources", "in_province"), TODAY)
    assert (d.outcome, d.reason_class, d.report_to_superior) == ("abolished", "commitment", False)
    assert d.commitment == "《某某省证明事项告知承诺制目录》(2021年)"
    assert "国办发〔2020〕42号" in d.basis and "告知承诺书" in (d.use_instead or "")
    assert next_step(d) == "notice" and "commitment" in d.rules
    # the same paper for another unit, or for a unit out of the province, is issued
    bank = decide(catalog, Request("亲属关系证明", "bank", "in_province"), TODAY)
    assert bank.outcome == "issue"
    away = decide(catalog, Request("亲属关系证明", "human_resources", "out_of_province"), TODAY)
    assert away.outcome == "issue" and any("本省清单不约束" in s for s in away.steps)
    # an inferred pair is told, never decided on
    hint = decide(catalog, Request("注销户口证明", "civil_affairs", "in_province"), TODAY)
    assert hint.outcome == "issue" and any("告知承诺制" in s and "推断" in s for s in hint.steps)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("kind: jl_kinship\n", "kind: jl_nobody\n", "jl_nobody"),
        ("sectors: [human_resources]", "sectors: [tax]", "tax"),
        ("sources: [seed]\n    confidence: seed", "confidence: seed", "须写明 sources"),
    ],
)
def test_a_bad_list_entry_is_refused_naming_it(old: str, new: str, words: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(catalog_text(LISTED.replace(old, new)).encode(), file="bad.yaml")
    assert words in caught.value.message and "bad.yaml:" in caught.value.message


def test_the_station_prints_the_commitment_form(tmp_path: Path) -> None:
    data = tmp_path / "station"
    make_station(data)
    listed = tmp_path / "listed.yaml"
    listed.write_text(catalog_text(), encoding="utf-8")
    login(data, ADMIN)
    assert run(data, "catalog", "use", str(listed)).returncode == 0
    login(data, CLERK)
    pdf = tmp_path / "commitment.pdf"
    result = js(
        run(
            data, "notice", "--kind", "亲属关系证明", "--requester", "human_resources",
            "--purpose", "in_province", "--requester-name", "某某区社会保险事业管理局",
            "--output", str(pdf), "--json",
        )
    )  # fmt: skip
    assert result["notice_type"] == "commitment" and not result["report_to_superior"]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")
    for words in (
        "证明事项告知承诺书",
        "人力资源和社会保障部门（某某区社会保险事业管理局）",
        "《某某省证明事项告知承诺制目录》(2021年)",
        "证明义务",
        "证明内容",
        "不实承诺",
        "承诺人（签字）",
    ):
        assert words in text, words
    # the clerk cannot issue the certificate instead
    refused = run(
        data, "issue", "--kind", "亲属关系证明", "--requester", "human_resources",
        "--purpose", "in_province", "--json",
    )  # fmt: skip
    assert refused.returncode == 3
