"""What a station sends the province is README's table, field by field: a field added to a
message the province receives fails here until the table (and the reason for it) says so."""

from __future__ import annotations

from pydantic import BaseModel

from app.protocol import models as m

# message -> its fields, as README's "What the province receives" table lists them
SENT: dict[type[BaseModel], set[str]] = {
    m.PushBatch: {"station", "workstation", "sent_at", "records"},
    m.PushRecord: {"id", "seq", "item"},
    m.CaseItem: {
        "topic", "id", "case_no", "kind_id", "requester", "purpose", "outcome", "status",
        "special_case", "approved", "report_to_superior", "catalog_id", "catalog_version",
        "created_at", "ended_at", "due_date", "requester_unit",
    },
    m.CertificateItem: {
        "topic", "serial", "case_id", "kind_id", "form_id", "issued_at", "print_count", "status",
    },
    m.NoticeItem: {"topic", "notice_no", "case_id", "type", "created_at", "printed"},
    m.ExchangeItem: {
        "topic", "id", "case_id", "exchange_kind_id", "requester", "status", "created_at",
    },
    m.VoidItem: {"topic", "serial", "case_id", "voided_at"},
    m.ReprintItem: {"topic", "serial", "print_count", "printed_at"},
    m.HandOverItem: {"topic", "serial", "handed_over_at"},
    m.InquiryAnswerItem: {
        "topic", "id", "inquiry_id", "status", "answer", "reason", "answered_at", "officer",
        "officer_name", "signature",
    },
    m.EnrolRequest: {"enrol_code", "station_code", "workstation", "public_key"},
    m.AnchorRequest: {"links", "head", "local_problem"},
    m.ChainLink: {"seq", "hash", "prev"},
}  # fmt: skip
PERSONAL = ("name", "id_number", "applicant", "relative", "subject", "officer", "reason", "values")


def test_every_message_a_station_sends_has_exactly_the_listed_fields() -> None:
    for message, fields in SENT.items():
        assert set(message.model_fields) == fields, message.__name__


def test_every_push_item_is_listed_and_none_names_a_person() -> None:
    items = {m.CaseItem, m.CertificateItem, m.NoticeItem, m.ExchangeItem, m.VoidItem}
    items |= {m.ReprintItem, m.HandOverItem, m.InquiryAnswerItem}
    assert len(items) == len(m.TOPICS) and items <= set(SENT)
    for message in SENT:
        for field in message.model_fields:
            if message is m.InquiryAnswerItem and field in ANSWER_PERSONAL:
                continue
            assert not any(word in field for word in PERSONAL), (message.__name__, field)


# The one exception, and only these fields: an answer to a partner department's inquiry carries
# what the partner asked under its legal basis (sealed at the province, never in its records
# table) and the officer who answered (named on the printed 核查结果: the real actor).
ANSWER_PERSONAL = {"answer", "reason", "officer", "officer_name"}


def test_only_an_inquiry_answer_carries_personal_data_and_only_in_its_listed_fields() -> None:
    named = {
        field
        for field in m.InquiryAnswerItem.model_fields
        if any(word in field for word in PERSONAL) or field == "answer"
    }
    assert named == ANSWER_PERSONAL
