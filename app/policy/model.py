"""The catalog schema: frozen standard-library dataclasses that pydantic validates on load.

Plain dataclasses rather than ``BaseModel`` so that a catalog already validated once (same bytes)
loads from the cache without importing pydantic: ``certdesk decide`` starts in a fraction of the
time. pydantic reads ``__pydantic_config__`` and runs ``__post_init__``; checks that need more than
a type live there and raise ``ValueError`` with a Chinese message naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

Outcome = Literal["abolished", "exchange", "issue"]
ReasonClass = Literal[
    "proven_by_id_card", "proven_by_hukou_book", "competent_department", "no_legal_basis"
]
Confidence = Literal["confirmed", "seed", "inferred"]
Handling = Literal["on_the_spot", "investigation", "on_the_spot_or_investigation"]
Purpose = Literal["in_province", "out_of_province", "abroad"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)

STRICT: Any = {"extra": "forbid"}  # a pydantic ConfigDict, spelt as the plain dict it is
IDENT = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # ids, forms, sector codes


def _check_ident(field: str, value: str | None) -> None:
    if value is not None and not IDENT.match(value):
        raise ValueError(f"{field}“{value}”格式不对(只能用小写字母、数字和下划线，以字母开头)")


def _check_text(field: str, value: str, *, low: int = 1, high: int = 2000) -> None:
    if not low <= len(value.strip()) <= high:
        raise ValueError(f"{field} 的长度应在 {low} 到 {high} 个字之间")


def _check_days(field: str, value: int | None) -> None:
    if value is not None and not 1 <= value <= 60:
        raise ValueError(f"{field} 应在 1 到 60 个工作日之间")


@dataclass(frozen=True, slots=True)
class Refer:
    __pydantic_config__ = STRICT
    kind: str
    when: str


@dataclass(frozen=True, slots=True)
class Replaces:
    __pydantic_config__ = STRICT
    kinds: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForOthers:
    """What an exchange kind gives a requester that is not one of its partners: either another
    kind of the catalog (``kind``) or, inline, an abolished outcome with its reason. One class,
    not a union of two: the cache (``loading``) decodes it without guessing which."""

    __pydantic_config__ = STRICT
    kind: str | None = None
    outcome: Literal["abolished"] | None = None
    reason_class: ReasonClass | None = None
    use_instead: str | None = None
    confidence: Confidence | None = None
    competent_department: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        inline = (self.outcome, self.reason_class, self.use_instead, self.confidence)
        if self.kind is not None:
            extra = [v for v in (*inline, self.competent_department, self.note) if v is not None]
            if extra:
                raise ValueError("for_others 写了 kind 时不能再写 outcome、reason_class 等")
        elif any(v is None for v in inline):
            raise ValueError(
                "for_others 须写明 kind，或写明 outcome、reason_class、use_instead 和 confidence"
            )

    @property
    def inline(self) -> bool:
        return self.kind is None


@dataclass(frozen=True, slots=True)
class Kind:
    __pydantic_config__ = STRICT
    id: str
    name: str
    name_en: str
    group: str
    outcome: Outcome
    police_holds_info: bool
    confidence: Confidence
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str | None = None
    special_rules: str | None = None
    # abolished
    reason_class: ReasonClass | None = None
    competent_department: str | None = None
    use_instead: str | None = None
    refer: Refer | None = None
    fallback_kind: str | None = None
    # exchange
    partners: tuple[str, ...] = ()
    partners_unconfirmed: tuple[str, ...] = ()
    information_exchanged: str | None = None
    replaces: Replaces | None = None
    for_others: ForOthers | None = None
    # issue
    form: str | None = None
    handling: Handling | None = None
    investigation_deadline_working_days: int | None = None
    eligible_applicants: str | None = None
    issuing_station: str | None = None
    materials: tuple[str, ...] = ()
    validity: str | None = None

    def __post_init__(self) -> None:
        _check_ident("id", self.id)
        _check_ident("form", self.form)
        _check_text("name", self.name, low=2, high=64)
        for alias in self.aliases:
            _check_text("aliases", alias, low=2, high=64)
        _check_days("investigation_deadline_working_days", self.investigation_deadline_working_days)
        if self.outcome == "abolished":
            if self.reason_class is None or not self.use_instead:
                raise ValueError("已取消的证明须写明 reason_class 和 use_instead")
            if (self.reason_class == "competent_department") != bool(self.competent_department):
                raise ValueError(
                    "reason_class 为 competent_department 时须且仅须写明 competent_department"
                )
        elif self.outcome == "exchange":
            if not self.partners or not self.information_exchanged or self.for_others is None:
                raise ValueError(
                    "信息交换的证明须写明 partners、information_exchanged 和 for_others"
                )
        elif self.form is None or self.handling is None:
            raise ValueError("派出所出具的证明须写明 form 和 handling")
        if self.outcome != "issue" and (self.form or self.handling):
            raise ValueError("只有派出所出具的证明才有 form 和 handling")


@dataclass(frozen=True, slots=True)
class OpenSlot:
    __pydantic_config__ = STRICT
    group: str
    note: str
    confidence: Confidence
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Meta:
    __pydantic_config__ = STRICT
    id: str
    authority: str
    title: str
    version: str
    effective: dt.date
    basis: str
    declared_counts: dict[str, int]
    effective_note: str | None = None
    open_slots: tuple[OpenSlot, ...] = ()

    def __post_init__(self) -> None:
        _check_ident("catalog.id", self.id)
        _check_text("version", self.version, high=32)


@dataclass(frozen=True, slots=True)
class SpecialCaseRule:
    __pydantic_config__ = STRICT
    purposes: tuple[Purpose, ...]
    form: str
    basis: str
    confidence: Confidence

    def __post_init__(self) -> None:
        _check_ident("form", self.form)


@dataclass(frozen=True, slots=True)
class UnknownKindRule:
    __pydantic_config__ = STRICT
    reason: str
    use_instead: str
    basis: str
    report_to_superior: bool
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class Rules:
    __pydantic_config__ = STRICT
    investigation_deadline_working_days: int
    exchange_purposes: tuple[Purpose, ...]
    special_case: SpecialCaseRule
    unknown_kind: UnknownKindRule
    reason_texts: dict[ReasonClass, str]

    def __post_init__(self) -> None:
        _check_days("investigation_deadline_working_days", self.investigation_deadline_working_days)


@dataclass(frozen=True, slots=True)
class Source:
    __pydantic_config__ = STRICT
    url: str
    supports: str


@dataclass(frozen=True, slots=True)
class CatalogFile:
    __pydantic_config__ = STRICT
    schema: Literal[1]
    catalog: Meta
    groups: dict[str, str]
    sectors: dict[str, str]
    rules: Rules
    sources: dict[str, Source]
    kinds: tuple[Kind, ...]

    def __post_init__(self) -> None:
        if not self.kinds:
            raise ValueError("kinds 不能为空")
