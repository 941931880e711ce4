"""Property: any request reaches exactly one outcome, with readable steps, and never raises."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.policy.catalog import OUTCOMES, PURPOSES, Catalog, builtin_catalog_path, load_catalog
from app.policy.decision import REPORTED_REASONS, Request, decide, next_step
from app.policy.lookup import PROPOSALS

CATALOGS = {
    name: load_catalog(builtin_catalog_path(name)) for name in ("jilin-2015", "national-2016")
}
KNOWN_TEXTS = sorted({t for c in CATALOGS.values() for k in c for t in (k.name, *k.alias_texts)})

kind_texts = st.one_of(
    st.sampled_from(KNOWN_TEXTS),
    st.text(max_size=30),
    st.text(alphabet="亲属关系证明死亡户口注销出生日期婚姻无犯罪记录", max_size=10),
    st.text(alphabet="qsgxzmhkwfj", max_size=8),
    st.builds(
        "{}{}{}的关系证明".format,
        st.sampled_from(["我", "我和", "他与", ""]),
        st.sampled_from(["我", "我的", "她"]),
        st.sampled_from(["父亲", "奶奶", "姐姐", "外公", "老公"]),
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    catalog_name=st.sampled_from(sorted(CATALOGS)),
    text=kind_texts,
    requester_index=st.integers(min_value=0, max_value=100),
    purpose=st.sampled_from(PURPOSES),
    unlisted=st.booleans(),
    needs_investigation=st.booleans(),
    book_lacks_fact=st.booleans(),
    statute=st.sampled_from(["", "《某某条例》第五条"]),
    elsewhere=st.booleans(),
    today=st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2040, 12, 31)),
)
def test_any_request_reaches_exactly_one_outcome(
    catalog_name: str,
    text: str,
    requester_index: int,
    purpose: str,
    unlisted: bool,
    needs_investigation: bool,
    book_lacks_fact: bool,
    statute: str,
    elsewhere: bool,
    today: dt.date,
) -> None:
    catalog: Catalog = CATALOGS[catalog_name]
    sectors = sorted(catalog.sectors)
    request = Request(
        text,
        sectors[requester_index % len(sectors)],
        purpose,
        unlisted=unlisted,
        needs_investigation=needs_investigation,
        book_lacks_fact=book_lacks_fact,
        statute=statute,
        elsewhere=elsewhere,
    )
    d = decide(catalog, request, today)
    assert d.steps and all(isinstance(s, str) and s for s in d.steps)
    decided = d.status == "decided" and d.outcome in OUTCOMES and not d.candidates
    needs_choice = d.status == "needs_choice" and d.outcome is None and len(d.candidates) >= 1
    assert decided != needs_choice  # exactly one of the two
    if decided:
        assert d.reason and d.basis
        assert (d.kind_id is None) == ("unknown_kind" in d.rules)
        assert (d.outcome == "issue") == (d.form is not None) == (d.handling is not None)
        if d.outcome == "issue" and d.deadline_working_days is None:
            # only where the catalog sets no limit: the clerk tells the applicant the day
            assert d.handling == "investigation"
            assert catalog.rules.investigation_deadline_working_days is None
        elif d.outcome == "issue":
            assert (d.handling == "investigation") == (d.deadline_working_days > 0)
        if d.special_case:
            assert d.outcome == "issue" and purpose != "in_province"
        if d.outcome == "exchange":
            assert purpose == "in_province" and d.exchange_kind_id
        # only what has a source decides: a proposal (near miss, phrasing, inferred alias or
        # pinyin prefix) is never a decision
        assert d.matched_how not in PROPOSALS
        # every refusal for no legal basis or outside police duties is reported up
        if d.outcome == "abolished" and d.reason_class in REPORTED_REASONS:
            assert d.report_to_superior
        if d.special_case:
            kind = catalog.kind(d.kind_id or "")
            assert catalog.rules.special_case.decisive
            assert kind.holds_info.value and kind.holds_info.confidence != "inferred"
        # 告知承诺制: only for a listed unit of this province, never reported
        if d.reason_class == "commitment":
            assert d.commitment and purpose == "in_province" and not d.report_to_superior
        # a referral is an issue outcome told in a notice, only for a sourced place, asked elsewhere
        if d.referred:
            where = catalog.kind(d.kind_id or "").where
            assert d.outcome == "issue" and elsewhere and d.handled_at and "referral" in d.rules
            assert where is not None and where.decisive
            assert next_step(d) == "notice"
        if d.kind_id and catalog.kind(d.kind_id).requires_named_law and d.outcome == "issue":
            assert statute and statute in d.basis
