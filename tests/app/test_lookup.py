"""Finding a kind from what people say: names, aliases, pinyin, near misses, ambiguity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.policy.catalog import Catalog
from app.policy.lookup import KindIndex


@pytest.mark.parametrize(
    ("query", "kind_id"),
    [
        ("亲属关系证明", "jl_kinship"),
        ("jl_kinship", "jl_kinship"),
        ("证明我是我", "jl_same_person"),
        ("未婚证明", "jl_marital_status"),
        ("注销户口证明", "jl_hukou_cancellation"),
        ("死亡证明", "jl_death"),
        ("非正常死亡证明", "jl_unnatural_death"),
        ("死亡", "jl_death"),  # without the trailing 证明
        ("出生日期（年龄）证明", "jl_birth_date"),  # full-width brackets
        (" 出生日期(年龄)证明 ", "jl_birth_date"),
        ("无犯罪记录证明", "jl_criminal_record_abroad"),
    ],
)
def test_exact_names_and_aliases(jilin: Catalog, query: str, kind_id: str) -> None:
    result = jilin.lookup.find(query)
    assert (result.status, result.kind_id, result.how) == ("exact", kind_id, "exact")


def test_exact_name_wins_over_a_tolerant_match(jilin: Catalog) -> None:
    # 死亡证明 is contained in 非正常死亡证明, and both are close; the exact name decides.
    assert jilin.lookup.find("死亡证明").kind_id == "jl_death"
    assert jilin.lookup.find("非正常死亡").kind_id == "jl_unnatural_death"


@pytest.mark.parametrize(
    ("query", "kind_id", "how"),
    [
        ("qsgx", "jl_kinship", "pinyin"),
        ("QSGX", "jl_kinship", "pinyin"),
        ("qsgxzm", "jl_kinship", "pinyin"),
        ("qinshuguanxi", "jl_kinship", "pinyin"),
        ("qinshuguanxizhengming", "jl_kinship", "pinyin"),
        ("swzm", "jl_death", "pinyin"),
        ("fzcsw", "jl_unnatural_death", "pinyin"),
        ("wfzjl", "jl_criminal_record_abroad", "pinyin"),
        ("qsg", "jl_kinship", "pinyin_prefix"),
    ],
)
def test_pinyin(jilin: Catalog, query: str, kind_id: str, how: str) -> None:
    result = jilin.lookup.find(query)
    assert result.kind_id == kind_id and result.how == how


def test_pinyin_prefix_shared_by_several_kinds_is_ambiguous(jilin: Catalog) -> None:
    result = jilin.lookup.find("hk")
    assert result.status == "ambiguous" and result.kind_id is None
    ids = {c.kind_id for c in result.candidates}
    assert {"jl_hukou_cancellation", "jl_hukou_nature"} <= ids


@pytest.mark.parametrize(
    ("query", "kind_id"),
    [
        ("捡拾弃婴证名", "jl_abandoned_infant"),
        ("非正常死往证明", "jl_unnatural_death"),
        ("手机丢了证明", "jl_mobile_phone_loss"),
    ],
)
def test_near_misses(jilin: Catalog, query: str, kind_id: str) -> None:
    result = jilin.lookup.find(query)
    assert (result.status, result.kind_id, result.how) == ("tolerant", kind_id, "tolerant")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("户口证明", {"jl_hukou_cancellation", "jl_hukou_nature", "jl_hukou_location"}),
        ("户籍信息证明", {"jl_hukou_location", "jl_ex_court_hukou_info"}),
        ("出生证明", {"jl_birth_date"}),  # 出生医学证明 is a hospital's; offer, never guess
    ],
)
def test_ambiguity_returns_ranked_candidates(
    jilin: Catalog, query: str, expected: set[str]
) -> None:
    result = jilin.lookup.find(query)
    assert result.status == "ambiguous" and result.kind_id is None
    assert expected <= {c.kind_id for c in result.candidates}
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("query", ["无房证明", "收入证明", "房产证明", "xyz", "", "   "])
def test_unknown(jilin: Catalog, query: str) -> None:
    result = jilin.lookup.find(query)
    assert result.status == "none" and not result.candidates


def test_national_catalog_lookup(national: Catalog) -> None:
    assert national.lookup.find("qsgx").kind_id == "nat_issue_kinship"
    assert national.lookup.find("死亡证明").kind_id == "nat_cd_normal_death"
    assert national.lookup.find("出生证明").status == "ambiguous"


def test_live_candidates_put_the_exact_hit_first(jilin: Catalog) -> None:
    found = jilin.lookup.candidates("死亡证明")
    assert found[0].kind_id == "jl_death"
    assert [c.kind_id for c in jilin.lookup.candidates("户口")][:1] != []


def test_pinyin_cache_is_written_and_a_damaged_one_rebuilt(
    jilin: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CERTDESK_CACHE_DIR", str(tmp_path))
    index = KindIndex(jilin)
    assert index.find("qsgx").kind_id == "jl_kinship"
    [cache] = tmp_path.glob("pinyin-*.json")
    assert "qsgx" in json.loads(cache.read_text(encoding="utf-8"))
    cache.write_text("{not json", encoding="utf-8")
    assert KindIndex(jilin).find("qsgx").kind_id == "jl_kinship"
    assert "qsgx" in json.loads(cache.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("query", "kind_id"),
    [("良民证", "jl_criminal_record_abroad"), ("户口注销证明", "jl_hukou_cancellation")],
)
def test_an_unsourced_alias_only_proposes(jilin: Catalog, query: str, kind_id: str) -> None:
    result = jilin.lookup.find(query)
    assert (result.status, result.kind_id, result.how) == ("tolerant", kind_id, "inferred_alias")
    assert result.candidates[0].kind_id == kind_id


def test_the_kind_a_non_partner_may_be_served_as_is_offered_next(jilin: Catalog) -> None:
    # 户口注销信息 for a non-partner is an unsourced link to 注销户口证明: the clerk must confirm
    # it, so the live list offers it right after the exchange kind
    ids = [c.kind_id for c in jilin.lookup.candidates("户口注销信息")]
    assert ids[:2] == ["jl_ex_hukou_cancellation_info", "jl_hukou_cancellation"]


def test_a_phrasing_proposes_kinship_first(jilin: Catalog) -> None:
    result = jilin.lookup.find("证明我奶奶是我奶奶")
    assert (result.status, result.how) == ("tolerant", "phrasing")
    assert [c.kind_id for c in result.candidates][:2] == ["jl_kinship", "jl_same_person"]
