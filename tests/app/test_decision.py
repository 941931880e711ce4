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
    # ... a link without a source is offered for the clerk to confirm, never followed
    ("jl_ex_court_hukou_info", "choose", None, None, "jl_hukou_location"),
    ("jl_ex_court_criminal_record", "choose", None, None, "jl_criminal_record_abroad"),
    # a school or exam status is not a police fact; the identity card proves identity
    ("jl_ex_education_identity", "abolished", None, None, "jl_ex_education_identity"),
    ("jl_ex_hukou_cancellation_info", "choose", None, None, "jl_hukou_cancellation"),
    ("jl_ex_hukou_migration_info", "abolished", None, None, "jl_ex_hukou_migration_info"),
    ("jl_ex_identity_verification", "choose", None, None, "jl_same_person"),
    ("jl_ex_procuratorate_hukou_info", "choose", None, None, "jl_hukou_location"),
    ("jl_ex_procuratorate_criminal_record", "choose", None, None, "jl_criminal_record_abroad"),
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
    if outcome == "choose":
        assert d.status == "needs_choice" and d.outcome is None
        assert [c.kind_id for c in d.candidates] == [decided]
        assert any("未见资料来源" in step for step in d.steps)
        return
    assert d.status == "decided"
    assert (d.outcome, d.deadline_working_days, d.form, d.kind_id) == (
        outcome,
        deadline,
        form,
        decided,
    )
    assert not d.special_case
    # a refusal for no legal basis or outside police duties is reported up (五个一律 rule 4)
    assert d.report_to_superior == (d.reason_class in ("no_legal_basis", "competent_department"))
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
    court = run(jilin, "注销户口证明", "court")
    assert (court.outcome, court.kind_id, court.exchange_kind_id) == (
        "exchange",
        "jl_hukou_cancellation",
        "jl_ex_hukou_cancellation_info",
    )
    assert "exchange_partner" in court.rules
    bank = run(jilin, "注销户口证明", "bank")
    assert (bank.outcome, bank.form) == ("issue", "hukou_cancellation")
    # the same paper for a body out of province cannot go by exchange
    away = run(jilin, "注销户口证明", "court", "out_of_province")
    assert (away.outcome, away.special_case) == ("issue", False)
    # 证明我是我 for a court: that identity verification replaces it is not in the sources (the
    # seed lists 同一人 among the abolished kinds): refused, with the hint of the exchange
    court_same = run(jilin, "证明我是我", "court")
    assert court_same.outcome == "abolished" and not court_same.exchange_kind_id
    assert any("公民身份核查" in step and "不作结论" in step for step in court_same.steps)
    assert run(jilin, "证明我是我", "bank").outcome == "abolished"


def test_inferred_partners_do_not_drive_decisions(jilin: Catalog) -> None:
    # civil affairs is only an inferred partner of 户口注销信息: served as any other unit, and
    # what other units get is itself an unsourced link: offered for the clerk to confirm
    d = run(jilin, "户口注销信息", "civil_affairs")
    assert d.status == "needs_choice" and d.exchange_kind_id is None
    assert [c.kind_id for c in d.candidates] == ["jl_hukou_cancellation"]
    chosen = run(jilin, "户口注销信息", "civil_affairs", kind_id="jl_hukou_cancellation")
    assert (chosen.outcome, chosen.form) == ("issue", "hukou_cancellation")


def test_an_unsourced_replaces_link_is_shown_not_followed(jilin: Catalog) -> None:
    # S3 names the education exchange but not which certificates it replaces: an education
    # office asking for 出生日期证明 is refused (the identity card proves it), with the hint
    d = run(jilin, "出生日期证明", "education")
    assert (d.outcome, d.kind_id, d.exchange_kind_id) == ("abolished", "jl_birth_date", None)
    assert any("考生/学生身份信息核查" in step and "不作结论" in step for step in d.steps)
    # the court's criminal-record check (S3, confirmed) is followed; its household-data check
    # is confirmed as an exchange item, but which certificates it replaces is not: a hint
    assert run(jilin, "有无违法犯罪记录证明", "court").outcome == "exchange"
    hukou = run(jilin, "户籍所在地证明", "court")
    assert hukou.outcome == "abolished" and any("不作结论" in step for step in hukou.steps)


def test_a_school_status_is_not_issued_as_a_police_fact(jilin: Catalog) -> None:
    d = run(jilin, "考生/学生身份信息核查(教育)", "bank")
    assert (d.outcome, d.reason_class) == ("abolished", "proven_by_id_card")
    assert "居民身份证" in (d.use_instead or "") and d.form is None
    # its unsourced aliases only propose it
    assert run(jilin, "学生身份证明", "education").status == "needs_choice"


# Rule 2 — special cases out of province and abroad.
@pytest.mark.parametrize("purpose", ["out_of_province", "abroad"])
def test_special_case_for_facts_the_police_hold(jilin: Catalog, purpose: str) -> None:
    # the hukou book proves the hukou location, so the register holds it (S9, confirmed)
    d = run(jilin, "户籍所在地证明", "other", purpose)
    assert (d.outcome, d.special_case, d.kind_id) == ("issue", True, "jl_hukou_location")
    assert d.form == "population_register_facts" and d.deadline_working_days == 0
    assert "特事特办" in d.basis and "special_case" in d.rules
    # the seed states the rule, not its reach to abolished kinds, nor an approval
    assert d.confidence == "inferred"
    assert any("推断" in step and "审批确认" in step for step in d.steps)
    assert not any("须经所领导审批" in step for step in d.steps)


@pytest.mark.parametrize("purpose", ["out_of_province", "abroad"])
def test_death_and_alive_are_not_special_cases(jilin: Catalog, purpose: str) -> None:
    # a death is a medical fact; the police hold the hukou cancellation, and say where to get it
    death = run(jilin, "死亡证明", "other", purpose)
    assert (death.outcome, death.special_case) == ("abolished", False)
    assert any("注销户口证明" in step for step in death.steps)
    alive = run(jilin, "健在证明", "other", purpose)
    assert (alive.outcome, alive.special_case) == ("abolished", False)


def test_an_unsourced_holds_info_never_leads_to_issuing(jilin: Catalog) -> None:
    from dataclasses import replace

    from app.policy.catalog import Catalog as CatalogClass
    from app.policy.model import HoldsInfo

    kinds = tuple(
        replace(k, police_holds_info=HoldsInfo(True, "inferred")) if k.id == "jl_alive" else k
        for k in jilin.data.kinds
    )
    changed = CatalogClass(replace(jilin.data, kinds=kinds), path=jilin.path, digest="x")
    d = run(changed, "健在证明", "other", "abroad")
    assert (d.outcome, d.special_case) == ("abolished", False)
    assert any("未见资料来源" in step for step in d.steps)


def test_national_special_case_is_shown_never_applied(national: Catalog) -> None:
    d = run(national, "公民户籍所在地住址", "other", "abroad")
    assert (d.outcome, d.special_case) == ("abolished", False)
    assert any("不作结论依据" in step for step in d.steps)


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


def test_a_near_miss_is_a_candidate_never_a_decision(jilin: Catalog) -> None:
    d = run(jilin, "捡拾弃婴证名")
    assert (d.status, d.outcome) == ("needs_choice", None)
    assert d.candidates[0].kind_id == "jl_abandoned_infant" and d.candidates[0].how == "tolerant"
    assert "近似匹配" in d.steps[0]
    # an unsourced alias, and the pinyin of one, only propose too
    for text in ("良民证", "lmz"):
        proposed = run(jilin, text)
        assert proposed.status == "needs_choice", text
        assert proposed.candidates[0].kind_id == "jl_criminal_record_abroad"
    # a sourced alias decides (S1, S3 report the colloquial 我是我 certificate)
    assert run(jilin, "证明我是我").kind_id == "jl_same_person"


RELATIVES = [
    "父亲",
    "母亲",
    "爸爸",
    "妈",
    "儿子",
    "女儿",
    "奶奶",
    "爷爷",
    "外婆",
    "姥爷",
    "孙子",
    "哥哥",
    "妹妹",
    "丈夫",
    "妻子",
    "老公",
    "爱人",
    "养母",
]
SUBJECTS = ["我", "我的", "他", "她的", "本人", "张三"]
TEMPLATES = [
    "证明{s}{r}是{s}{r}",
    "证明{s}是{s2}{r}",
    "{s}和{s2}{r}的关系证明",
    "{s}与{s2}{r}关系证明",
    "开个{s}跟{s2}{r}的关系证明",
    "{s}和{s2}是{r}关系",
    "要证明{s}{r}是{s}的{r}",
]


@pytest.mark.parametrize("catalog_name", ["jilin", "national"])
def test_kinship_phrasings_are_offered_never_refused(
    request: pytest.FixtureRequest, catalog_name: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    kinship = "jl_kinship" if catalog_name == "jilin" else "nat_issue_kinship"
    seen = 0
    for template in TEMPLATES:
        for s in SUBJECTS:
            for r in RELATIVES:
                text = template.format(s=s, s2="我" if s != "我" else "他", r=r)
                d = run(catalog, text)
                assert d.status == "needs_choice", text
                assert d.candidates[0].kind_id == kinship, text
                assert d.candidates[0].how == "phrasing", text
                seen += 1
    assert seen == len(TEMPLATES) * len(SUBJECTS) * len(RELATIVES)
    # the source of the phrasings is said in the catalog, and it is not a published one
    [phrasing] = catalog.data.phrasings
    assert phrasing.confidence == "inferred" and phrasing.sources == ("counter",)


@pytest.mark.parametrize("text", ["证明我是我", "劳动关系证明", "户口关系证明", "无上访记录证明"])
def test_phrasings_do_not_catch_other_requests(jilin: Catalog, text: str) -> None:
    d = run(jilin, text)
    assert not d.candidates or d.candidates[0].how != "phrasing"


# Rule 4 — refusals for no legal basis or outside police duties are reported up, with the unit.
@pytest.mark.parametrize("text", ["无上访记录证明", "婚姻状况证明", "无房证明", "手机遗失证明"])
def test_refusals_without_legal_basis_are_reported_with_the_unit(jilin: Catalog, text: str) -> None:
    d = run(jilin, text, "bank", requester_unit="某某银行长春分行")
    assert d.outcome == "abolished" and d.report_to_superior
    assert d.requester_unit == "某某银行长春分行"
    assert any("“某某银行长春分行”" in step and "上级公安机关" in step for step in d.steps)
    # proven by the identity card: refused, not reported (the unit need only see the card)
    card = run(jilin, "公民姓名证明", "bank", requester_unit="某某银行长春分行")
    assert card.outcome == "abolished" and not card.report_to_superior


def test_the_unit_name_is_checked(jilin: Catalog) -> None:
    with pytest.raises(InvalidInput) as caught:
        run(jilin, "无上访记录证明", "bank", requester_unit="甲" * 101)
    assert caught.value.field == "requester_name" and "要求单位名称" in str(caught.value)


def test_other_statutory_needs_the_law_named(national: Catalog) -> None:
    name = "法律法规规定的由公安派出所出具证明的其他情形"
    refused = run(national, name, "bank")
    assert (refused.outcome, refused.reason_class) == ("abolished", "no_legal_basis")
    assert refused.report_to_superior and "no_named_law" in refused.rules
    issued = run(national, name, "bank", statute="《某某条例》第十二条")
    assert issued.outcome == "issue" and "《某某条例》第十二条" in issued.basis
    assert issued.statute == "《某某条例》第十二条"


def test_the_national_catalog_sets_no_limit_but_for_criminal_records(national: Catalog) -> None:
    d = run(national, "亲属关系证明", needs_investigation=True)
    assert (d.outcome, d.handling, d.deadline_working_days) == ("issue", "investigation", None)
    assert "目录未规定办结时限" in d.steps[-1] and "告知申请人办结日期" in d.steps[-1]
    assert run(national, "亲属关系证明").deadline_working_days == 0  # records in the system
    unnatural = run(national, "非正常死亡证明")
    assert (unnatural.handling, unnatural.deadline_working_days) == ("investigation", None)
    record = run(national, "无犯罪记录证明", needs_investigation=True)
    assert record.deadline_working_days == 3


# Rule 7 — where a request may be made.
def test_asked_at_the_wrong_station_the_citizen_is_told_where_to_go(national: Catalog) -> None:
    # criminal records: the hukou or residence station since 2021 (C2, confirmed)
    here = run(national, "无犯罪记录证明")
    assert (here.referred, here.handled_at) == (False, "户籍地或居住地派出所")
    assert any(step == "办理地点：户籍地或居住地派出所" for step in here.steps)
    away = run(national, "无犯罪记录证明", elsewhere=True)
    assert (away.outcome, away.referred, away.handled_at) == ("issue", True, "户籍地或居住地派出所")
    assert "referral" in away.rules and "不是不予出具" in away.steps[-1]
    assert "户籍地或居住地派出所" in away.outcome_name
    # the other national places are known from Ningxia's rules only (N7): a hint, never a referral
    kin = run(national, "亲属关系证明", elsewhere=True)
    assert kin.outcome == "issue" and not kin.referred
    assert any("不据以转介" in step for step in kin.steps)
    travel = run(national, "临时身份证明", elsewhere=True)
    assert not travel.referred  # a traveller who lost the card is never sent away


def test_jilin_2018_any_station_unless_only_paper_archives_hold_it(jilin: Catalog) -> None:
    # S7: four kinds at any station in the province when the data is in the police system
    anywhere = run(jilin, "亲属关系证明", elsewhere=True)
    assert anywhere.outcome == "issue" and not anywhere.referred
    assert any("全省任一派出所均可办理" in step for step in anywhere.steps)
    paper = run(jilin, "亲属关系证明", elsewhere=True, needs_investigation=True)
    assert paper.referred and paper.handled_at == "户籍地派出所(资料仅存于纸质户籍档案的)"


def test_an_inferred_place_never_turns_the_citizen_away(jilin: Catalog) -> None:
    # the Jilin station for an unnatural death is inferred (from Ningxia's rules): a hint only
    d = run(jilin, "非正常死亡证明", elsewhere=True)
    assert d.outcome == "issue" and not d.referred
    assert any("不据以转介" in step for step in d.steps)


def test_criminal_record_takes_three_working_days_in_jilin_too(jilin: Catalog) -> None:
    d = run(jilin, "有无违法犯罪记录证明", needs_investigation=True)
    assert d.deadline_working_days == 3


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
        statute = "《某某条例》第三条" if kind.requires_named_law else ""
        d = run(national, kind.name, statute=statute)
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
