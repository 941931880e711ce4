"""The decision engine: every catalog entry decided, every rule, one row per path."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import InvalidInput
from app.policy.catalog import Catalog
from app.policy.decision import Decision, Request, decide

TODAY = dt.date(2026, 11, 28)


def run(
    catalog: Catalog,
    kind: str,
    requester: str = "other",
    purpose: str = "in_province",
    **flags: object,
) -> Decision:
    return decide(catalog, Request(kind, requester, purpose, **flags), TODAY)  # type: ignore[arg-type]


# Rule 1 — every Jilin entry by its own name, asked by an ordinary unit in the province.
# (id, outcome, deadline, form, decided kind id)
JILIN = [
    ("jl_kinship", "issue", 0, "kinship", "jl_kinship"),
    ("jl_unnatural_death", "issue", 5, "unnatural_death", "jl_unnatural_death"),
    ("jl_abandoned_infant", "issue", 5, "abandoned_infant", "jl_abandoned_infant"),
    ("jl_hukou_item_change", "issue", 0, "hukou_item_change", "jl_hukou_item_change"),
    (
        "jl_resident_identity_info",
        "issue",
        0,
        "resident_identity_info",
        "jl_resident_identity_info",
    ),
    ("jl_hukou_cancellation", "issue", 0, "hukou_cancellation", "jl_hukou_cancellation"),
    ("jl_temporary_identity", "issue", 0, "temporary_identity", "jl_temporary_identity"),
    ("jl_criminal_record_abroad", "issue", 0, "criminal_record", "jl_criminal_record_abroad"),
    # exchange kinds asked by a non-partner: the outcome declared for other requesters
    ("jl_ex_court_hukou_info", "abolished", None, None, "jl_hukou_location"),
    ("jl_ex_court_criminal_record", "issue", 0, "criminal_record", "jl_criminal_record_abroad"),
    ("jl_ex_education_identity", "issue", 0, "resident_identity_info", "jl_resident_identity_info"),
    ("jl_ex_hukou_cancellation_info", "issue", 0, "hukou_cancellation", "jl_hukou_cancellation"),
    ("jl_ex_hukou_migration_info", "abolished", None, None, "jl_ex_hukou_migration_info"),
    ("jl_ex_identity_verification", "abolished", None, None, "jl_same_person"),
    ("jl_ex_procuratorate_hukou_info", "abolished", None, None, "jl_hukou_location"),
    (
        "jl_ex_procuratorate_criminal_record",
        "issue",
        0,
        "criminal_record",
        "jl_criminal_record_abroad",
    ),
    ("jl_citizen_name", "abolished", None, None, "jl_citizen_name"),
    ("jl_citizen_sex", "abolished", None, None, "jl_citizen_sex"),
    ("jl_birth_date", "abolished", None, None, "jl_birth_date"),
    ("jl_hukou_location", "abolished", None, None, "jl_hukou_location"),
    ("jl_death", "abolished", None, None, "jl_death"),
    ("jl_alive", "abolished", None, None, "jl_alive"),
    ("jl_actual_residence", "abolished", None, None, "jl_actual_residence"),
    ("jl_same_person", "abolished", None, None, "jl_same_person"),
    ("jl_education_level", "abolished", None, None, "jl_education_level"),
    ("jl_marital_status", "abolished", None, None, "jl_marital_status"),
    ("jl_hukou_nature", "abolished", None, None, "jl_hukou_nature"),
    ("jl_no_petition_record", "abolished", None, None, "jl_no_petition_record"),
    ("jl_mental_illness", "abolished", None, None, "jl_mental_illness"),
    ("jl_mobile_phone_loss", "abolished", None, None, "jl_mobile_phone_loss"),
    ("jl_poverty", "abolished", None, None, "jl_poverty"),
]


def test_the_table_covers_every_jilin_entry(jilin: Catalog) -> None:
    assert {row[0] for row in JILIN} == set(jilin.kinds)


@pytest.mark.parametrize(("kind_id", "outcome", "deadline", "form", "decided"), JILIN)
def test_every_jilin_entry_by_name(
    jilin: Catalog, kind_id: str, outcome: str, deadline: int | None, form: str | None, decided: str
) -> None:
    d = run(jilin, jilin.kind(kind_id).name)
    assert d.status == "decided"
    assert (d.outcome, d.deadline_working_days, d.form, d.kind_id) == (
        outcome,
        deadline,
        form,
        decided,
    )
    assert not d.special_case and not d.report_to_superior
    assert d.catalog_id == "jilin_2015" and d.catalog_version == "2015.1"
    assert d.steps and d.steps[0].startswith("识别所要证明")
    if outcome == "abolished":
        assert d.reason and d.use_instead and d.basis
        assert "不予出具" in d.steps[-1] or "请核实" in d.steps[-1]


# Rule 3 — exchange kinds asked by their partner departments.
@pytest.mark.parametrize(
    ("kind_id", "partner"),
    [
        ("jl_ex_court_hukou_info", "court"),
        ("jl_ex_court_criminal_record", "court"),
        ("jl_ex_education_identity", "education"),
        ("jl_ex_hukou_cancellation_info", "court"),
        ("jl_ex_hukou_cancellation_info", "procuratorate"),
        ("jl_ex_hukou_migration_info", "procuratorate"),
        ("jl_ex_identity_verification", "court"),
        ("jl_ex_procuratorate_hukou_info", "procuratorate"),
        ("jl_ex_procuratorate_criminal_record", "procuratorate"),
    ],
)
def test_exchange_kinds_for_partners(jilin: Catalog, kind_id: str, partner: str) -> None:
    d = run(jilin, jilin.kind(kind_id).name, partner)
    assert (d.outcome, d.exchange_kind_id, d.kind_id) == ("exchange", kind_id, kind_id)
    assert d.information_exchanged and "无需" in d.reason
    assert d.deadline_working_days is None and d.form is None


def test_exchange_first_whatever_the_paper_is_called(jilin: Catalog) -> None:
    court = run(jilin, "户口注销证明", "court")
    assert (court.outcome, court.kind_id, court.exchange_kind_id) == (
        "exchange",
        "jl_hukou_cancellation",
        "jl_ex_hukou_cancellation_info",
    )
    assert "exchange_partner" in court.rules
    bank = run(jilin, "户口注销证明", "bank")
    assert (bank.outcome, bank.form) == ("issue", "hukou_cancellation")
    # the same paper for a body out of province cannot go by exchange
    away = run(jilin, "户口注销证明", "court", "out_of_province")
    assert (away.outcome, away.special_case) == ("issue", False)
    # a court asking for 证明我是我 gets identity verification by exchange; a bank is told no
    assert run(jilin, "证明我是我", "court").outcome == "exchange"
    assert run(jilin, "证明我是我", "bank").outcome == "abolished"


def test_inferred_partners_do_not_drive_decisions(jilin: Catalog) -> None:
    # civil affairs is only an inferred partner of 户口注销信息: served as any other unit
    d = run(jilin, "户口注销信息", "civil_affairs")
    assert d.outcome == "issue" and d.kind_id == "jl_hukou_cancellation"


# Rule 2 — special cases out of province and abroad.
@pytest.mark.parametrize("purpose", ["out_of_province", "abroad"])
def test_special_case_for_facts_the_police_hold(jilin: Catalog, purpose: str) -> None:
    d = run(jilin, "死亡证明", "other", purpose)
    assert (d.outcome, d.special_case, d.kind_id) == ("issue", True, "jl_death")
    assert d.form == "population_register_facts" and d.deadline_working_days == 0
    assert "特事特办" in d.basis and "special_case" in d.rules
    assert any("审批" in step for step in d.steps)


@pytest.mark.parametrize(
    ("kind", "department"),
    [
        ("未婚证明", "民政"),
        ("文化程度证明", "教育"),
        ("精神病证明", "卫生计生"),
        ("贫困证明", "民政"),
        ("手机遗失证明", None),
    ],
)
def test_special_case_never_for_facts_the_police_do_not_hold(
    jilin: Catalog, kind: str, department: str | None
) -> None:
    d = run(jilin, kind, "other", "abroad")
    assert (d.outcome, d.special_case) == ("abolished", False)
    if department:
        assert department in (d.competent_department or "")
    assert any("不属特事特办" in step for step in d.steps)


def test_special_case_for_an_exchange_kind_abroad(jilin: Catalog) -> None:
    d = run(jilin, "户口迁移证明", "bank", "abroad")
    assert (d.outcome, d.special_case, d.form) == ("issue", True, "population_register_facts")


def test_issue_kinds_abroad_are_ordinary_issues(jilin: Catalog) -> None:
    d = run(jilin, "亲属关系证明", "other", "abroad")
    assert (d.outcome, d.special_case, d.form) == ("issue", False, "kinship")


# Rule 4 — a kind not in the catalog.
@pytest.mark.parametrize("text", ["无房证明", "收入证明", "宠物证明"])
def test_unknown_kind(jilin: Catalog, text: str) -> None:
    d = run(jilin, text, "bank")
    assert (d.outcome, d.kind_id, d.kind_name) == ("abolished", None, None)
    assert d.report_to_superior and d.reason_class == "no_legal_basis"
    assert "五个一律" in d.basis and "上级公安机关" in d.steps[-1]


def test_unlisted_confirmed_by_the_clerk_after_candidates(jilin: Catalog) -> None:
    assert run(jilin, "户口证明").status == "needs_choice"
    d = run(jilin, "户口证明", unlisted=True)
    assert d.outcome == "abolished" and d.report_to_superior
    chosen = run(jilin, "户口证明", kind_id="jl_hukou_location")
    assert (chosen.outcome, chosen.kind_id, chosen.matched_how) == (
        "abolished",
        "jl_hukou_location",
        "chosen",
    )


def test_ambiguous_kind_needs_a_choice(jilin: Catalog) -> None:
    d = run(jilin, "户口证明")
    assert d.status == "needs_choice" and d.outcome is None
    assert len(d.candidates) >= 2 and d.steps
    assert d.to_dict()["candidates"][0]["kind_id"]


# Rule 5 — working-day deadlines.
def test_deadlines(jilin: Catalog, national: Catalog) -> None:
    assert run(jilin, "亲属关系证明").deadline_working_days == 0
    assert run(jilin, "亲属关系证明", needs_investigation=True).deadline_working_days == 5
    assert run(jilin, "非正常死亡证明").deadline_working_days == 5
    assert run(jilin, "临时身份证明", needs_investigation=True).deadline_working_days == 0
    # the national criminal-record rules (2021) allow 3 working days
    assert run(national, "无犯罪记录证明", needs_investigation=True).deadline_working_days == 3


def test_tolerant_match_is_decided_but_said(jilin: Catalog) -> None:
    d = run(jilin, "亲属关系证名")
    assert (d.outcome, d.kind_id, d.matched_how) == ("issue", "jl_kinship", "tolerant")
    assert "近似匹配" in d.steps[0]


def test_inferred_entry_is_flagged(jilin: Catalog) -> None:
    d = run(jilin, "注销户口证明")
    assert any("推断" in step for step in d.steps)


def test_refer_to_the_issue_kind(jilin: Catalog) -> None:
    d = run(jilin, "死亡证明")
    assert d.refer_kind_id == "jl_unnatural_death"
    assert any("非正常死亡证明" in step for step in d.steps)


# National catalog: every entry, and the hukou-book fallback.
@pytest.mark.parametrize("group_outcome", ["abolished", "issue"])
def test_every_national_entry(national: Catalog, group_outcome: str) -> None:
    for kind in national:
        if kind.outcome != group_outcome:
            continue
        d = run(national, kind.name)
        assert (d.outcome, d.kind_id) == (group_outcome, kind.id), kind.id
        if group_outcome == "issue":
            assert d.form == kind.form


def test_hukou_book_fallback(national: Catalog) -> None:
    shown = run(national, "注销户口情况")
    assert shown.outcome == "abolished" and shown.refer_kind_id == "nat_issue_hukou_cancellation"
    lacking = run(national, "注销户口情况", book_lacks_fact=True)
    assert (lacking.outcome, lacking.kind_id) == ("issue", "nat_issue_hukou_cancellation")
    assert "hukou_book_fallback" in lacking.rules


def test_national_has_no_exchange_and_refuses_unknown(national: Catalog) -> None:
    assert all(k.outcome != "exchange" for k in national)
    d = run(national, "无房证明")
    assert d.report_to_superior and d.catalog_id == "national_2016"


# Bad requests name the field.
def test_bad_requester_lists_valid_sectors(jilin: Catalog) -> None:
    with pytest.raises(InvalidInput) as caught:
        run(jilin, "死亡证明", "bnk")
    assert caught.value.field == "requester"
    assert "court" in caught.value.message and "bank(银行)" in caught.value.message


def test_bad_purpose_and_kind_id(jilin: Catalog) -> None:
    with pytest.raises(InvalidInput) as caught:
        run(jilin, "死亡证明", "bank", "mars")
    assert caught.value.field == "purpose" and "abroad" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        run(jilin, "死亡证明", kind_id="jl_nothing")
    assert caught.value.field == "kind"


def test_decision_is_pure_and_dated(jilin: Catalog) -> None:
    a = run(jilin, "亲属关系证明", "bank")
    b = run(jilin, "亲属关系证明", "bank")
    assert a == b and a.decided_on == "2026-11-28"
    early = decide(jilin, Request("亲属关系证明", "bank", "in_province"), dt.date(2015, 1, 1))
    assert "起适用" in early.steps[0]
