"""A partner department's inquiry (核查请求) and the station's answer: which information each
exchange kind of the catalog gives, the fields an answer has, and how a filled answer is checked.

The catalog says who may ask for what (an exchange kind's ``partners`` and
``information_exchanged``); this module says what an answer to it holds, in fields a clerk fills
from the register and a partner reads without interpretation. An exchange kind the module does
not know (a province's own) is answered in the general fields: found or not, and the items asked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.errors import InvalidInput
from app.policy.model import Kind
from app.protocol.status import InquiryStatus

# Working days a station has to answer. Neither the seed nor the research sets a time limit for
# exchange (the seed's 5 working days are for certificates needing investigation, and it puts
# the burden of fetching on the departments): 5 is certdesk's default, a province setting per
# kind (CERTDESK_INQUIRY_DAYS) — except criminal records, which the 2021 rules answer within 3
# working days of receipt (research C1), as the catalog's criminal-record kinds do.
DEFAULT_DAYS = 5
CRIMINAL_RECORD_DAYS = 3
# "not found" says what one station's search shows, never that no such person exists: the
# number's region code is where it was issued, not necessarily where the person is registered
FOUND = ("查有此人", "本所未查到此人")


@dataclass(frozen=True, slots=True)
class AnswerField:
    name: str
    label: str
    type: str  # choice | date | text
    choices: tuple[str, ...] = ()
    max_length: int = 60
    # required when the subject is found, and (if given) when this other field has this value
    when: tuple[str, str] | None = None
    optional: bool = False


_FOUND = AnswerField("found", "查询结果", "choice", FOUND)
_NOTE = AnswerField("note", "备注", "text", max_length=200, optional=True)

ANSWERS: dict[str, tuple[AnswerField, ...]] = {
    "hukou_info": (
        _FOUND,
        AnswerField("name", "姓名", "text", max_length=30),
        AnswerField("sex", "性别", "choice", ("男", "女")),
        AnswerField("ethnicity", "民族", "text", max_length=10),
        AnswerField("birth_date", "出生日期", "date"),
        AnswerField("address", "户籍地址", "text", max_length=80),
        AnswerField("status", "户籍状态", "choice", ("正常", "已迁出", "已注销")),
        _NOTE,
    ),
    # 有无 only (the research: "当事人有无违法犯罪记录"); what the record is stays with the police
    "criminal_record": (
        _FOUND,
        AnswerField("record", "违法犯罪记录", "choice", ("无", "有")),
        _NOTE,
    ),
    "identity_items": (
        _FOUND,
        AnswerField("name", "姓名", "text", max_length=30),
        AnswerField("sex", "性别", "choice", ("男", "女")),
        AnswerField("ethnicity", "民族", "text", max_length=10),
        AnswerField("birth_date", "出生日期", "date"),
        _NOTE,
    ),
    "cancellation": (
        _FOUND,
        AnswerField("cancelled", "户口是否注销", "choice", ("已注销", "未注销")),
        AnswerField("date", "注销日期", "date", when=("cancelled", "已注销")),
        AnswerField(
            "reason",
            "注销原因",
            "choice",
            ("死亡", "出国(境)定居", "入伍", "其他"),
            when=("cancelled", "已注销"),
            optional=True,  # the exchange gives "户口注销的事实和日期"; the reason if asked
        ),
        _NOTE,
    ),
    "migration": (
        _FOUND,
        AnswerField("migrated", "户口是否迁移", "choice", ("已迁出", "未迁移")),
        AnswerField("date", "迁移日期", "date", when=("migrated", "已迁出")),
        AnswerField("destination", "迁往地址", "text", max_length=80, when=("migrated", "已迁出")),
        _NOTE,
    ),
    # the partner sends a name and a number, no photo: the answer says what can be checked
    "identity_match": (
        _FOUND,
        AnswerField("match", "姓名与公民身份号码(未核相片)", "choice", ("一致", "不一致")),
        _NOTE,
    ),
    "general": (
        _FOUND,
        AnswerField("items", "所查信息", "text", max_length=200),
        _NOTE,
    ),
}

# an exchange kind's id ends in what it gives (the built-in catalogs' naming)
_BY_SUFFIX = (
    ("hukou_cancellation_info", "cancellation"),
    ("hukou_migration_info", "migration"),
    ("hukou_info", "hukou_info"),
    ("criminal_record", "criminal_record"),
    ("education_identity", "identity_items"),
    ("identity_verification", "identity_match"),
)


def answer_type(kind_id: str) -> str:
    for suffix, name in _BY_SUFFIX:
        if kind_id.endswith(suffix):
            return name
    return "general"


def answer_fields(kind_id: str) -> tuple[AnswerField, ...]:
    return ANSWERS[answer_type(kind_id)]


def may_ask(kind: Kind, sector: str) -> bool:
    """Whether a partner of ``sector`` may ask for ``kind``'s information: only the partners the
    catalog lists as confirmed, of a kind the research does not merely infer (an unconfirmed
    partner, or an inferred exchange, is a lead for the province to check, not a right to
    personal data)."""
    return kind.outcome == "exchange" and kind.confidence != "inferred" and sector in kind.partners


def answer_days(kind_id: str, settings: Mapping[str, int]) -> int:
    """Working days to answer an inquiry of ``kind_id``: the province's setting, else the
    default (criminal records: the 2021 rules' 3)."""
    if kind_id in settings:
        return settings[kind_id]
    return CRIMINAL_RECORD_DAYS if answer_type(kind_id) == "criminal_record" else DEFAULT_DAYS


_NOTE_IN_TEXT = re.compile(r"\s*[(（](资料|注)[^)）]*[)）]\s*$")


def printable_information(text: str) -> str:
    """What an exchange gives, as a page or a paper states it (a research note in brackets at its
    end, such as "(资料所列字段不全)", is for the catalog's readers only)."""
    return _NOTE_IN_TEXT.sub("", text)


_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# control characters, and the invisible and bidirectional ones that would make a legal basis or a
# reason read otherwise on the counter's screen or on paper than it is stored
CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_CONTROL = CONTROL


def check_answer(kind_id: str, given: Mapping[str, str]) -> dict[str, str]:
    """The answer's fields, trimmed and checked: every field named, choices among theirs, dates
    real and not in the future, what the result requires present. A wrong field raises
    ``InvalidInput`` naming it; nothing is half-kept."""
    fields = answer_fields(kind_id)
    known = {f.name for f in fields}
    unknown = sorted(set(given) - known)
    if unknown:
        names = "、".join(f"{f.name}({f.label})" for f in fields)
        raise InvalidInput(f"此类核查没有字段 {unknown[0]}；可填：{names}", field=unknown[0])
    values = {name: str(value).strip() for name, value in given.items()}
    found = values.get("found", "")
    if found not in FOUND:
        raise InvalidInput("查询结果(found)应为：查有此人 或 本所未查到此人", field="found")
    answer: dict[str, str] = {"found": found}
    for spec in fields[1:]:
        value = values.get(spec.name, "")
        needed = found == "查有此人" and not spec.optional
        if spec.when is not None:
            needed = needed and answer.get(spec.when[0]) == spec.when[1]
        if not value:
            if needed:
                raise InvalidInput(f"{spec.label}({spec.name})不能为空", field=spec.name)
            continue
        if found == "本所未查到此人" and not spec.optional:
            raise InvalidInput(
                f"本所未查到此人时不应填写{spec.label}({spec.name})", field=spec.name
            )
        if _CONTROL.search(value) or len(value) > spec.max_length:
            raise InvalidInput(
                f"{spec.label}({spec.name})至多{spec.max_length}字，且不能含控制字符或不可见字符",
                field=spec.name,
            )
        if spec.type == "choice" and value not in spec.choices:
            raise InvalidInput(
                f"{spec.label}({spec.name})应为：{' 或 '.join(spec.choices)}", field=spec.name
            )
        if spec.type == "date":
            try:
                day = dt.date.fromisoformat(value) if _DAY.match(value) else None
            except ValueError:
                day = None
            if day is None:
                raise InvalidInput(
                    f"{spec.label}({spec.name})应为 YYYY-MM-DD 格式的日期，现为“{value}”",
                    field=spec.name,
                )
            if day > dt.date.today():
                raise InvalidInput(f"{spec.label}({spec.name})不能晚于今天", field=spec.name)
        answer[spec.name] = value
    return answer


def answer_lines(kind_id: str, answer: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, value) in the fields' order, for a page or a printed result."""
    return [(f.label, answer[f.name]) for f in answer_fields(kind_id) if answer.get(f.name)]


def counted(
    rows: list[tuple[str, str, str, str, str | None]], today: str
) -> dict[str, dict[str, int | str]]:
    """Counts per group from (group key, group name, status, due date, answered on) rows: asked,
    closed in time or late, open before or past due, declined; "" is the total."""
    totals: dict[str, dict[str, int | str]] = {}
    for key, name, status, due, answered in rows:
        for group, label in (("", ""), (key, name)):
            count = totals.setdefault(
                group,
                {
                    "key": group,
                    "name": label,
                    "asked": 0,
                    "in_time": 0,
                    "late": 0,
                    "open": 0,
                    "overdue": 0,
                    "declined": 0,
                },
            )
            count["asked"] = int(count["asked"]) + 1
            if status == InquiryStatus.OPEN:
                slot = "open" if due >= today else "overdue"
            else:
                slot = "in_time" if (answered or "") <= due else "late"
            count[slot] = int(count[slot]) + 1
            if status == InquiryStatus.DECLINED:
                count["declined"] = int(count["declined"]) + 1
    return totals


def check_reason(text: str) -> str:
    reason = text.strip()
    if not reason or len(reason) > 200 or _CONTROL.search(reason):
        raise InvalidInput(
            "不予答复的理由(reason)应为1至200字，不能含控制字符或不可见字符", field="reason"
        )
    return reason
