"""Materials at the counter: which ones a request needs, and which ones a read card shows."""

from __future__ import annotations

from pathlib import Path

import yaml

from app.policy import materials

ROOT = Path(__file__).resolve().parents[2]


def test_every_catalog_material_is_either_required_or_conditional_as_worded() -> None:
    found = {
        m
        for name in ("jilin-2015.yaml", "national-2016.yaml")
        for kind in yaml.safe_load((ROOT / "resources" / "catalog" / name).read_text())["kinds"]
        for m in kind.get("materials") or []
    }
    assert {m for m in found if materials.conditional(m)} == {
        "代办的：双方身份证件及书面委托书",
        "代办的：双方身份证件及复印件、书面委托书",
        "个人：本人身份证件",
        "单位：介绍信及被查询人身份信息",
    }
    assert {m for m in found if materials.shown_by_card(m)} == {
        "本人居民身份证",
        "本人居民身份证或居民户口簿",
        "申请人居民身份证",
        "本人居民身份证等法定身份证件",
    }  # never a deceased's, a finder's or a guardian's papers, nor a letter


def test_missing_are_the_required_materials_not_seen() -> None:
    listed = [
        "本人居民身份证或居民户口簿",
        "代办的：双方身份证件及书面委托书",
        "亲属关系或权利证明材料",
    ]
    assert materials.missing(listed, set()) == [listed[0], listed[2]]
    assert materials.missing(listed, {listed[0]}) == [listed[2]]
    assert materials.missing(listed, {listed[0], listed[2]}) == []
