"""docs/decision-table.md is the decision table of the built-in catalogs as the engine decides
today: a change of policy shows there, in review, or this test fails."""

from __future__ import annotations

from pathlib import Path

from app.policy.catalog import builtin_catalog_names, builtin_catalog_path, load_catalog
from app.policy.table import document

DOC = Path(__file__).resolve().parents[2] / "docs" / "decision-table.md"


def test_the_decision_table_in_docs_is_current() -> None:
    catalogs = [load_catalog(builtin_catalog_path(n)) for n in builtin_catalog_names()]
    assert DOC.read_text(encoding="utf-8") == document(catalogs), "run: make decision-table"


def test_the_table_reads_the_policy(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = {
        line.split(" | ")[0].split("`")[1]: line
        for line in text.splitlines()
        if line.startswith("| ") and "`" in line
    }
    assert len(rows) == sum(
        len(load_catalog(builtin_catalog_path(n)).kinds) for n in builtin_catalog_names()
    )
    # a few rows a reviewer would check first
    assert "人民法院：交换(jl_ex_court_criminal_record)" in rows["jl_criminal_record_abroad"]
    assert "交换" not in rows["jl_hukou_location"]  # an unsourced link decides nothing
    assert rows["jl_no_petition_record"].count("不予出具，报告上级") == 3
    assert "特事特办" not in rows["jl_death"] and "特事特办" not in rows["jl_alive"]
    assert "需确认：jl_hukou_cancellation" in rows["jl_ex_hukou_cancellation_info"]
    assert "当场/3日" in rows["nat_issue_no_criminal_record"]
    assert "写明法律法规的：出具" in rows["nat_issue_other_statutory"]
