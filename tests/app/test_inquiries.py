"""Partners' inquiries at the station, without the province: the fields each information has,
every wrong value named and refused with nothing answered, the answer signed over the question
(another subject or another answer breaks it), overdue counted in working days, and who may
answer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support import ADMIN, AUDITOR, CLERK, as_officer

from app.context import Context
from app.errors import CertdeskError, InvalidInput
from app.policy import inquiries as policy
from app.policy.identity import check_character
from app.protocol.models import InquiryAnswerItem, inquiry_signed_bytes
from app.protocol.signing import load_key, public_hex, verify_signature
from app.records.db.models import Inquiry, OutboxPayload
from app.services import inquiries
from app.services.inquiries import _wire

FIRST = "22010219800315002"
SUBJECT = FIRST + check_character(FIRST)
NOW = dt.datetime.now(dt.UTC)  # (the station was set up now: its clock may not go back)


def received(
    ctx: Context,
    *,
    kind: str = "jl_ex_hukou_cancellation_info",
    due: str = "2026-12-08",
    number: str = "HC-2026-000001",
) -> str:
    """An inquiry as the sync keeps it."""
    row_id = f"0190a1b2-0000-7000-8000-{int(number[-6:]):012d}"
    with ctx.change(as_officer(ctx, CLERK)) as change:
        change.add(
            Inquiry(
                id=row_id,
                number=number,
                partner="长春市南关区人民法院",
                sector="court",
                kind_id=kind,
                information="户口注销的事实和日期",
                subject_name="王丽",
                subject_id=SUBJECT,
                legal_basis="《中华人民共和国民事诉讼法》第六十七条",
                partner_case_no="(2026)吉0102民初1234号",
                asked_at=NOW,
                due_date=due,
                status="open",
                answered_elsewhere=False,
            ),
            action="inquiry.receive",
        )
    return row_id


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({}, "found", "查有此人 或 本所未查到此人"),
        ({"found": "有"}, "found", "查有此人"),
        ({"found": "查有此人"}, "cancelled", "不能为空"),
        ({"found": "查有此人", "cancelled": "注销了"}, "cancelled", "已注销 或 未注销"),
        ({"found": "查有此人", "cancelled": "已注销"}, "date", "不能为空"),
        (
            {"found": "查有此人", "cancelled": "已注销", "date": "2026/03/02", "reason": "死亡"},
            "date",
            "YYYY-MM-DD",
        ),
        (
            {"found": "查有此人", "cancelled": "已注销", "date": "2099-01-01", "reason": "死亡"},
            "date",
            "不能晚于今天",
        ),
        (
            {"found": "查有此人", "cancelled": "已注销", "date": "2026-03-02", "reason": "失踪"},
            "reason",
            "死亡",
        ),
        (
            {"found": "本所未查到此人", "cancelled": "已注销"},
            "cancelled",
            "本所未查到此人时不应填写",
        ),
        ({"found": "查有此人", "cancelled": "未注销", "colour": "红"}, "colour", "没有字段"),
        ({"found": "查有此人", "cancelled": "未注销", "note": "a\nb"}, "note", "控制字符"),
    ],
)
def test_every_wrong_answer_is_named(given: dict[str, str], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        policy.check_answer("jl_ex_hukou_cancellation_info", given)
    assert caught.value.field == field and words in caught.value.message


def test_each_exchange_kind_has_its_fields_and_only_listed_partners_may_ask() -> None:
    from app.policy.catalog import builtin_catalog_path, load_catalog

    catalog = load_catalog(builtin_catalog_path("jilin-2015"))
    exchange = [k for k in catalog if k.outcome == "exchange"]
    assert exchange and all(policy.answer_type(k.id) != "general" for k in exchange)
    for kind in exchange:
        for sector in catalog.sectors:
            expected = sector in kind.partners and kind.confidence != "inferred"
            assert policy.may_ask(kind, sector) == expected, (kind.id, sector)
        for sector in kind.partners_unconfirmed:  # a lead to check, never a right to the data
            assert not policy.may_ask(kind, sector)
    # an exchange the research only infers opens nobody's personal data (the procuratorate's two)
    inferred = [k.id for k in exchange if k.confidence == "inferred"]
    assert inferred == ["jl_ex_procuratorate_hukou_info", "jl_ex_procuratorate_criminal_record"]
    assert not any(policy.may_ask(catalog.kind(k), "procuratorate") for k in inferred)
    # a research note at the end of what an exchange gives is not printed
    shown = policy.printable_information(
        catalog.kind("jl_ex_education_identity").information_exchanged or ""
    )
    assert shown.endswith("等信息") and "资料" not in shown
    # criminal records: the 2021 rules' 3 working days; others certdesk's 5; the province's own
    assert policy.answer_days("jl_ex_court_criminal_record", {}) == 3
    assert policy.answer_days("jl_ex_hukou_cancellation_info", {}) == 5
    assert (
        policy.answer_days("jl_ex_hukou_cancellation_info", {"jl_ex_hukou_cancellation_info": 2})
        == 2
    )
    assert policy.check_answer("jl_ex_hukou_cancellation_info", {"found": "本所未查到此人"}) == {
        "found": "本所未查到此人"
    }


def test_exchanges_are_counted_in_time_late_open_overdue_and_declined() -> None:
    today = "2026-12-10"
    rows: list[tuple[str, str, str, str, str | None]] = [
        ("a", "甲法院", "answered", "2026-12-08", "2026-12-08"),  # on the due date: in time
        ("a", "甲法院", "answered", "2026-12-08", "2026-12-09"),  # a day late
        ("a", "甲法院", "declined", "2026-12-08", "2026-12-01"),  # declined in time
        ("b", "乙检察院", "open", "2026-12-10", None),  # due today: still open
        ("b", "乙检察院", "open", "2026-12-09", None),  # past due
    ]
    counts = policy.counted(rows, today)
    assert counts[""] == {
        "key": "",
        "name": "",
        "asked": 5,
        "in_time": 2,
        "late": 1,
        "open": 1,
        "overdue": 1,
        "declined": 1,
    }
    assert (
        counts["a"]["asked"] == 3
        and counts["b"]["overdue"] == 1
        and counts["b"]["name"] == "乙检察院"
    )


def test_an_answer_is_signed_over_the_question_and_queued(station_dir: Path) -> None:
    ctx = Context(station_dir)
    ref = received(ctx)
    done = inquiries.answer(
        ctx,
        actor=as_officer(ctx, CLERK),
        ref="hc-2026-000001",
        fields={"found": "查有此人", "cancelled": "已注销", "date": "2026-03-02", "reason": "死亡"},
    )
    assert done.status == "answered" and done.status_name == "已答复"
    with ctx.db.reading() as session:
        row = session.get(Inquiry, ref)
        assert row is not None and row.signature is not None
        [payload] = [p.payload for p in session.query(OutboxPayload)]
        wire = _wire(row, "220102001")
    item = InquiryAnswerItem.model_validate(payload.get("item", payload))
    assert item.officer == CLERK and item.answer["date"] == "2026-03-02"
    key = public_hex(load_key(ctx.data_dir, ctx.vault.unseal))

    def signed(**changes: object) -> bytes:
        values = {
            "workstation": "01",
            "status": "answered",
            "answer": dict(item.answer),
            "reason": "",
            "answered_at": item.answered_at,
            "officer": CLERK,
            "officer_name": item.officer_name,
            **changes,
        }
        return inquiry_signed_bytes(wire, **values)  # type: ignore[arg-type]

    assert verify_signature(key, signed(), item.signature)
    assert not verify_signature(
        key, signed(answer={**item.answer, "cancelled": "未注销"}), item.signature
    )
    assert not verify_signature(key, signed(officer_name="李四"), item.signature)
    for changed in (  # another person, another unit, another basis: the signature breaks
        {"subject_id": "11010519491231002X"},
        {"partner": "某某人民检察院"},
        {"legal_basis": "伪造的依据"},
        {"asked_at": wire.asked_at - dt.timedelta(days=1)},
    ):
        moved = wire.model_copy(update=changed)
        assert not verify_signature(
            key,
            inquiry_signed_bytes(
                moved,
                workstation="01",
                status="answered",
                answer=dict(item.answer),
                reason="",
                answered_at=item.answered_at,
                officer=CLERK,
                officer_name=item.officer_name,
            ),
            item.signature,
        ), changed
    # the trail (which an auditor exports) holds the subject and the answer only by a salted
    # digest: the plain digest of the number or of the answer is nowhere in it
    from app.records.audit import sha256
    from app.records.db.models import AuditEvent

    with ctx.db.reading() as session:
        trail = json.dumps([e.after for e in session.query(AuditEvent)], ensure_ascii=False)
    for value in (SUBJECT, "王丽", dict(item.answer)):
        assert sha256(value) not in trail
    assert SUBJECT not in trail and "salted_sha256" in trail
    # answered once: a second answer or a refusal is refused, naming the state
    with pytest.raises(InvalidInput, match="已由本站已答复"):
        inquiries.decline(ctx, actor=as_officer(ctx, CLERK), ref=ref, reason="重复")
    ctx.close()


def test_overdue_in_working_days_and_who_may_answer(station_dir: Path) -> None:
    late = Context(station_dir)
    week_ago = late.today() - dt.timedelta(days=7)
    received(late, due=week_ago.isoformat())
    [row] = inquiries.list_inquiries(late, actor=as_officer(late, CLERK))
    assert row.overdue and row.days_left <= -3  # a week past: at least three working days late
    assert row.days_left == -late.calendar().working_days_between(week_ago, late.today())
    for code in (ADMIN, AUDITOR):  # neither reads the register nor answers for the station
        with pytest.raises(CertdeskError, match="窗口民警"):
            inquiries.list_inquiries(late, actor=as_officer(late, code))
    with pytest.raises(InvalidInput, match="理由"):
        inquiries.decline(late, actor=as_officer(late, CLERK), ref=row.id, reason="  ")
    declined = inquiries.decline(
        late, actor=as_officer(late, CLERK), ref=row.number, reason="查无户籍档案"
    )
    assert declined.status == "declined" and declined.reason == "查无户籍档案"
    assert inquiries.list_inquiries(late, actor=as_officer(late, CLERK)) == []
    late.close()
