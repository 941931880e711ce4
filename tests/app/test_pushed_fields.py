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
    items |= {m.ReprintItem, m.HandOverItem}
    assert len(items) == len(m.TOPICS) and items <= set(SENT)
    for message in SENT:
        for field in message.model_fields:
            assert not any(word in field for word in PERSONAL), (message.__name__, field)
