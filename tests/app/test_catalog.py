"""The catalog files: what they hold, and how a bad file is refused."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.errors import CatalogError
from app.policy.catalog import (
    BASE_SECTORS,
    Catalog,
    CatalogStore,
    builtin_catalog_path,
    load_catalog,
    parse_catalog,
)

RESEARCH = Path(__file__).resolve().parents[3] / "shared" / "policy" / "catalog.yaml"


def test_jilin_counts_stay_open_where_sources_are_silent(jilin: Catalog) -> None:
    assert jilin.listed_counts() == {
        "issue": 8,
        "exchange": 8,
        "abolished_provincial": 11,
        "abolished_local": 4,
    }
    assert jilin.meta.declared_counts == {
        "issue": 9,
        "exchange": 12,
        "abolished_provincial": 11,
        "abolished_local": 19,
    }
    assert jilin.open_counts() == {"issue": 1, "exchange": 4, "abolished_local": 15}
    assert sum(jilin.meta.declared_counts.values()) == 51


def test_national_counts(national: Catalog) -> None:
    assert national.listed_counts() == {
        "abolished_id_documents": 9,
        "abolished_hukou_book": 5,
        "abolished_competent_department": 4,
        "issue": 9,
    }
    assert national.open_counts() == {"abolished_competent_department": 2}


def test_metadata(jilin: Catalog, national: Catalog) -> None:
    assert jilin.id == "jilin_2015" and jilin.version == "2015.1"
    assert "吉林省公安厅" in jilin.meta.authority
    assert jilin.meta.title == "关于改进公安派出所出具证明有关事项的通知"
    assert str(jilin.meta.effective) == "2015-10-21"
    assert national.meta.effective.isoformat() == "2016-09-01"
    assert "公通字〔2016〕21号" in national.meta.title


@pytest.mark.skipif(not RESEARCH.exists(), reason="the policy research is beside the repo")
@pytest.mark.parametrize("name", ["jilin-2015", "national-2016"])
def test_every_research_entry_kept_with_its_confidence(name: str) -> None:
    research = yaml.safe_load(RESEARCH.read_text(encoding="utf-8"))
    catalog = load_catalog(builtin_catalog_path(name))
    wanted = "jilin_2015" if name == "jilin-2015" else "national_2016"
    entries = [e for e in research["entries"] if e["catalog"] == wanted]
    assert {e["id"] for e in entries} == set(catalog.kinds), "no entry lost, none invented"
    for entry in entries:
        kind = catalog.kind(entry["id"])
        assert kind.confidence == entry["confidence"], kind.id
        assert kind.outcome == entry["outcome"], kind.id
        assert kind.group == entry["group"], kind.id
        for source in entry.get("sources", []):
            assert source in kind.sources, (kind.id, source)


def test_kinds_carry_what_their_outcome_needs(jilin: Catalog, national: Catalog) -> None:
    for catalog in (jilin, national):
        assert set(BASE_SECTORS) <= set(catalog.sectors)
        for kind in catalog:
            if kind.outcome == "issue":
                assert kind.form and kind.handling and kind.materials, kind.id
            if kind.outcome == "abolished":
                assert kind.reason_class and kind.use_instead, kind.id
            if kind.outcome == "exchange":
                assert kind.partners and kind.for_others and kind.information_exchanged, kind.id


def test_police_holds_info_matches_the_register(jilin: Catalog) -> None:
    held = {k.id for k in jilin if k.holds_info.value}
    assert {
        "jl_citizen_name",
        "jl_citizen_sex",
        "jl_birth_date",
        "jl_hukou_location",
        "jl_hukou_nature",
        "jl_same_person",
    } <= held
    # a death is a medical fact (the police hold the hukou cancellation); being alive is not
    # recorded anywhere: neither is a special case abroad
    assert not held & {"jl_alive", "jl_death"}
    # every value says how sure it is; a "yes" that can issue has a source
    for kind in jilin:
        holds = kind.holds_info
        assert isinstance(kind.police_holds_info, type(holds)), kind.id
        if holds.confidence != "inferred":
            assert holds.sources, kind.id
    assert not held & {
        "jl_education_level",
        "jl_marital_status",
        "jl_mental_illness",
        "jl_poverty",
        "jl_mobile_phone_loss",
        "jl_actual_residence",
    }


# ------------------------------------------------------------------ refusing a bad file


def _default_text() -> str:
    return builtin_catalog_path().read_text(encoding="utf-8")


def _line_of(text: str, pattern: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.search(pattern, line):
            return number
    raise AssertionError(pattern)


def _refuse(text: str) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.encode("utf-8"), file="bad.yaml")
    return caught.value


def test_wrong_outcome_names_file_line_and_field() -> None:
    text = _default_text().replace(
        "    outcome: abolished\n    aliases:\n      - {texts: [性别证明]",
        "    outcome: cancelled\n    aliases:\n      - {texts: [性别证明]",
    )
    error = _refuse(text)
    assert error.file == "bad.yaml"
    assert error.line == _line_of(text, "outcome: cancelled")
    assert "outcome" in error.reason and "cancelled" in error.reason
    assert f"bad.yaml:{error.line}:" in error.message


def test_missing_field_is_named() -> None:
    text = _default_text().replace("    use_instead: 居民户口簿\n", "\n", 1)
    error = _refuse(text)
    assert "use_instead" in error.reason
    assert error.line is not None and error.line > 1


def test_duplicate_alias_across_kinds_is_refused() -> None:
    text = _default_text().replace("{texts: [性别证明]", "{texts: [性别证明, 未婚证明]")
    error = _refuse(text)
    # reported where the second kind claims it, naming both kinds
    assert "未婚证明" in error.reason
    assert "jl_marital_status" in error.reason and "jl_citizen_sex" in error.reason
    assert error.line == _line_of(text, r"{texts: \[未婚证明, 婚前未结婚证明") - 1  # the list
    assert len(error.problems) == 1


def test_unknown_reference_and_source_are_refused() -> None:
    text = _default_text().replace(
        "for_others: {kind: jl_same_person,", "for_others: {kind: jl_nobody,"
    )
    assert "jl_nobody" in _refuse(text).reason
    text = _default_text().replace(
        "    sources: [S3]\n    confidence: confirmed\n\n  - id: jl_citizen_sex",
        "    sources: [S99]\n    confidence: confirmed\n\n  - id: jl_citizen_sex",
    )
    assert "S99" in _refuse(text).reason


def test_yaml_syntax_error_gives_its_line() -> None:
    text = _default_text().replace("  - id: jl_poverty\n", "  - id: [jl_poverty\n")
    error = _refuse(text)
    assert error.line is not None
    assert abs(error.line - _line_of(text, r"id: \[jl_poverty")) <= 2
    assert "YAML" in error.reason


def test_not_a_mapping_and_not_utf8() -> None:
    assert _refuse("- a\n- b\n").line == 1
    with pytest.raises(CatalogError, match="UTF-8"):
        parse_catalog("名称".encode("gbk"), file="gbk.yaml")


def test_store_keeps_the_last_good_catalog(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path / "data")
    first = store.current
    assert first.id == "jilin_2015"
    good = tmp_path / "national.yaml"
    good.write_bytes(builtin_catalog_path("national-2016").read_bytes())
    assert store.replace(good).id == "national_2016"
    bad = tmp_path / "bad.yaml"
    bad.write_text(_default_text().replace('version: "2015.1"', 'version: ""'), "utf-8")
    with pytest.raises(CatalogError) as caught:
        store.replace(bad)
    assert caught.value.file.endswith("bad.yaml") and "version" in caught.value.reason
    assert store.current.id == "national_2016"
    # a new process (a new store on the same data dir) finds the installed good catalog
    assert CatalogStore(tmp_path / "data").current.id == "national_2016"
    assert store.reset().id == "jilin_2015"
    assert CatalogStore(tmp_path / "data").current.id == "jilin_2015"


def test_validated_catalog_cache_round_trip_and_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CERTDESK_CACHE_DIR", str(tmp_path))
    fresh = load_catalog(builtin_catalog_path())
    [cache] = tmp_path.glob("catalog-*.json")
    cached = load_catalog(builtin_catalog_path())
    assert cached.data == fresh.data and cached.digest == fresh.digest
    cache.write_bytes(b"garbage")
    assert load_catalog(builtin_catalog_path()).data == fresh.data
    # a changed file is a new digest: validated again, never served from the old cache
    changed = tmp_path / "changed.yaml"
    changed.write_text(_default_text().replace('version: "2015.1"', 'version: "2015.2"'), "utf-8")
    assert load_catalog(changed).version == "2015.2"
    broken = tmp_path / "broken.yaml"
    broken.write_text(_default_text().replace("outcome: exchange", "outcome: swap", 1), "utf-8")
    with pytest.raises(CatalogError):
        load_catalog(broken)


def test_a_planted_cache_file_is_data_never_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is decoded as typed JSON and checked like the file: a pickle planted in its
    place runs nothing, a document of the wrong shape or with broken references is refused,
    and the catalog is read from the file again."""
    import pickle

    monkeypatch.setenv("CERTDESK_CACHE_DIR", str(tmp_path))
    fresh = load_catalog(builtin_catalog_path())
    [cache] = tmp_path.glob("catalog-*.json")
    marker = tmp_path / "planted-code-ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (Path.touch, (str(marker),))  # type: ignore[return-value]

    cache.write_bytes(pickle.dumps(Payload()))
    assert load_catalog(builtin_catalog_path()).data == fresh.data
    assert not marker.exists()
    document = json.loads(cache.read_text(encoding="utf-8"))  # rebuilt as JSON
    document["kinds"][0]["outcome"] = "forged"  # not a value the schema allows
    cache.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert load_catalog(builtin_catalog_path()).data == fresh.data
    document = json.loads(cache.read_text(encoding="utf-8"))
    issue = next(k for k in document["kinds"] if k["outcome"] == "issue")
    issue["form"] = None  # an issue kind without its form: refused by the kind's own check
    cache.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert load_catalog(builtin_catalog_path()).data == fresh.data
    document = json.loads(cache.read_text(encoding="utf-8"))
    document["kinds"][1]["id"] = document["kinds"][0]["id"]  # a duplicate id: cross-checked
    cache.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert load_catalog(builtin_catalog_path()).data == fresh.data


def test_a_sector_code_must_be_an_identifier(tmp_path: Path) -> None:
    """Sector codes are recorded with every case and sent to the province as they are: one the
    protocol could not carry is refused when the catalog is read, not when a case is issued."""
    bad = tmp_path / "sectors.yaml"
    bad.write_text(
        _default_text().replace("  bank: 银行", "  bank: 银行\n  Community-Office: 社区居委会", 1),
        "utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(bad)
    assert "Community-Office" in caught.value.reason and caught.value.line


def test_an_enrolled_station_installs_the_provinces_signed_catalog_and_asks_for_the_rest(
    ctx: Any, tmp_path: Path
) -> None:
    """On an enrolled station a catalog file from a medium is checked against the pinned
    province key: signed, it goes in; altered after signing, it is refused; unsigned (or the
    built-in default), only with a supervisor's approval — and each is recorded as such."""
    import datetime as dt
    from contextlib import closing

    from support import ADMIN, SUPERVISOR, as_officer, sql

    from app.errors import ApprovalRequired, InvalidInput
    from app.protocol import crypto
    from app.records.sessions import Approval
    from app.services.catalogs import install
    from app.sync.enrolment import Enrolment, _save

    province = crypto.new_signing_key()
    admin = as_officer(ctx, ADMIN)
    _save(  # (as enrolment pins it: the province key, in the sealed enrolment file)
        ctx,
        Enrolment(
            server="https://province.example",
            station_code="220102001",
            token="t" * 32,
            province_public_key=crypto.public_bytes(province).hex(),
            enrolled_at=dt.datetime.now(dt.UTC).isoformat(),
        ),
    )
    source = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "national-2016.yaml"
    signed = tmp_path / "national.yaml"
    signed.write_bytes(source.read_bytes())
    (tmp_path / "national.yaml.sig").write_text(crypto.sign(province, signed.read_bytes()).hex())
    catalog, how = install(ctx, actor=admin, path=signed)
    assert how == "signed" and ctx.catalog.id == catalog.id != "jilin_2015"

    signed.write_bytes(signed.read_bytes() + b"\n# edited after signing\n")
    with pytest.raises(InvalidInput, match="省级签名不对"):
        install(ctx, actor=admin, path=signed)
    unsigned = tmp_path / "other" / "national.yaml"
    unsigned.parent.mkdir()
    unsigned.write_bytes(source.read_bytes())
    for path in (unsigned, None):  # an unsigned file, or the built-in default
        with pytest.raises(ApprovalRequired):
            install(ctx, actor=admin, path=path)
    assert ctx.catalog.id == catalog.id  # nothing changed
    _, how = install(ctx, actor=admin, path=None, approval=Approval(SUPERVISOR, "counter-pass-1"))
    assert how == "built-in" and ctx.catalog.id == "jilin_2015"
    with closing(sql(ctx.data_dir / "certdesk.db")) as conn:
        notes = [
            json.loads(after)
            for (after,) in conn.execute(
                "SELECT \"after\" FROM audit_events WHERE action = 'station.catalog' ORDER BY seq"
            )
        ]
    assert [n["note"]["signature"] for n in notes] == ["signed", "built-in"]
    assert notes[-1]["approver"] == SUPERVISOR and notes[-1]["note"]["province_key"]


def test_a_link_alias_or_value_claiming_a_source_must_cite_one() -> None:
    # confirmed without a source is refused, naming the field
    text = _default_text().replace(
        "{texts: [性别证明], sources: [S3], confidence: confirmed}",
        "{texts: [性别证明], confidence: confirmed}",
    )
    assert "aliases 可信度为 confirmed 时须写明 sources" in _refuse(text).reason
    text = _default_text().replace(
        "for_others: {kind: jl_same_person, confidence: inferred}",
        "for_others: {kind: jl_same_person, confidence: seed, sources: [S77]}",
    )
    assert "S77" in _refuse(text).reason
    text = _default_text().replace('"{word}.*关系"', '"{word}.*(关系"')
    assert "正则表达式" in _refuse(text).reason
