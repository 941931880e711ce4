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
    "proven_by_id_card",
    "proven_by_hukou_book",
    "competent_department",
    "no_legal_basis",
    "commitment",  # the demanding unit accepts a written commitment (证明事项告知承诺制)
]
Confidence = Literal["confirmed", "seed", "inferred"]
Handling = Literal["on_the_spot", "investigation", "on_the_spot_or_investigation"]
Purpose = Literal["in_province", "out_of_province", "abroad"]
Place = Literal[
    "hukou_station",  # the station of the applicant's (or the person's) hukou
    "hukou_or_residence_station",  # hukou or residence station (criminal records since 2021)
    "any_station_in_province",  # any station in the province (Jilin 2018, four kinds)
    "event_station",  # where it happened or was found
    "case_station",  # the station of the unit handling the case
    "jurisdiction_station",  # the station covering the airport, station, hotel or exam site
]
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


def _check_sourced(field: str, confidence: str | None, sources: tuple[str, ...]) -> None:
    if confidence in ("confirmed", "seed") and not sources:
        raise ValueError(f"{field} 可信度为 {confidence} 时须写明 sources")


@dataclass(frozen=True, slots=True)
class Aliases:
    """Other names of a kind, with their own source: only a confirmed or seed alias decides a
    kind; an inferred one (or a bare string, which has no source) is offered as a candidate."""

    __pydantic_config__ = STRICT
    texts: tuple[str, ...]
    confidence: Confidence
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.texts:
            raise ValueError("aliases.texts 不能为空")
        for text in self.texts:
            _check_text("aliases", text, low=2, high=64)
        _check_sourced("aliases", self.confidence, self.sources)

    @property
    def decisive(self) -> bool:
        return self.confidence != "inferred"


@dataclass(frozen=True, slots=True)
class HoldsInfo:
    """Whether the police population register records the fact, with its source. Only a
    confirmed or seed "yes" lets the special-case rule issue."""

    __pydantic_config__ = STRICT
    value: bool
    confidence: Confidence
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_sourced("police_holds_info", self.confidence, self.sources)


@dataclass(frozen=True, slots=True)
class Phrasing:
    """How people ask for a kind in their own words ("证明我奶奶是我奶奶"): regular expressions
    over the normalised request, ``{word}`` standing for any of ``words``. A phrasing only ever
    proposes its kind as a candidate for the clerk to confirm."""

    __pydantic_config__ = STRICT
    kind: str
    patterns: tuple[str, ...]
    confidence: Confidence
    words: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str | None = None

    def __post_init__(self) -> None:
        _check_ident("phrasings.kind", self.kind)
        if not self.patterns:
            raise ValueError("phrasings.patterns 不能为空")
        for pattern in self.patterns:
            try:
                re.compile(self.expand(pattern))
            except re.error as exc:
                raise ValueError(
                    f"phrasings.patterns 中的正则表达式“{pattern}”有误：{exc}"
                ) from exc
        _check_sourced("phrasings", self.confidence, self.sources)

    def expand(self, pattern: str) -> str:
        words = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        return pattern.replace("{word}", f"(?:{words})" if words else "")


@dataclass(frozen=True, slots=True)
class Where:
    """Where an issue kind is handled. ``text`` is what the clerk tells the citizen;
    ``paper_archives`` where to go when only paper archives hold the fact (Jilin 2018: the hukou
    station). A place without a confirmed or seed source is told as a hint and never turns a
    citizen away."""

    __pydantic_config__ = STRICT
    place: Place
    text: str
    confidence: Confidence
    sources: tuple[str, ...] = ()
    paper_archives: str | None = None

    def __post_init__(self) -> None:
        _check_text("where.text", self.text, low=2, high=80)
        _check_sourced("where", self.confidence, self.sources)

    @property
    def decisive(self) -> bool:
        return self.confidence != "inferred"


@dataclass(frozen=True, slots=True)
class Commitment:
    """证明事项告知承诺制 (国办发〔2020〕42号): a published list by which the demanding units of
    ``sectors`` accept the applicant's written commitment instead of the certificate ``kind``.
    Only a confirmed or seed pair decides (no certificate needed; the station prints the
    告知承诺书 for the citizen to sign at that unit); an inferred one is told as a hint."""

    __pydantic_config__ = STRICT
    kind: str
    sectors: tuple[str, ...]
    list: str  # the published list, as titled
    confidence: Confidence
    sources: tuple[str, ...] = ()
    matter: str | None = None  # the matter the unit handles, as the list names it

    def __post_init__(self) -> None:
        _check_ident("commitments.kind", self.kind)
        _check_text("commitments.list", self.list, low=4, high=100)
        if not self.sectors:
            raise ValueError("commitments.sectors 不能为空")
        _check_sourced("commitments", self.confidence, self.sources)


@dataclass(frozen=True, slots=True)
class UnitRoute:
    """A unit asks about a person (criminal records, 2021 rules): its staff bring a letter of
    introduction (介绍信) and the person's identity details, and name the law that requires the
    check; the unit gets ``form`` (犯罪记录查询结果告知函), not the person's certificate."""

    __pydantic_config__ = STRICT
    materials: tuple[str, ...]
    form: str
    confidence: Confidence
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_ident("unit_route.form", self.form)
        _check_sourced("unit_route", self.confidence, self.sources)


@dataclass(frozen=True, slots=True)
class Review:
    """复查: the applicant may ask the station to review a refusal; it answers within ``days``
    working days, extendable (a supervisor approves) to ``extended_days``."""

    __pydantic_config__ = STRICT
    days: int
    extended_days: int
    confidence: Confidence
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_days("review.days", self.days)
        _check_days("review.extended_days", self.extended_days)
        if self.extended_days < self.days:
            raise ValueError("review.extended_days 不能少于 review.days")
        _check_sourced("review", self.confidence, self.sources)


@dataclass(frozen=True, slots=True)
class Refer:
    __pydantic_config__ = STRICT
    kind: str
    when: str


@dataclass(frozen=True, slots=True)
class Replaces:
    """The certificates a partner no longer asks for because it gets the fact by this exchange.
    A link without a confirmed or seed source is shown to the clerk but decides nothing."""

    __pydantic_config__ = STRICT
    kinds: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    confidence: Confidence = "inferred"
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_sourced("replaces", self.confidence, self.sources)

    @property
    def decisive(self) -> bool:
        return self.confidence != "inferred"


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
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        inline = (self.outcome, self.reason_class, self.use_instead)
        if self.kind is not None:
            extra = [v for v in (*inline, self.competent_department, self.note) if v is not None]
            if extra:
                raise ValueError("for_others 写了 kind 时不能再写 outcome、reason_class 等")
        elif any(v is None for v in (*inline, self.confidence)):
            raise ValueError(
                "for_others 须写明 kind，或写明 outcome、reason_class、use_instead 和 confidence"
            )
        _check_sourced("for_others", self.confidence, self.sources)

    @property
    def decisive(self) -> bool:
        """A link to another kind decides only with a confirmed or seed source."""
        return self.confidence in ("confirmed", "seed")

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
    police_holds_info: bool | HoldsInfo
    confidence: Confidence
    aliases: tuple[str | Aliases, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str | None = None
    special_rules: str | None = None
    # abolished
    reason_class: ReasonClass | None = None
    competent_department: str | None = None
    use_instead: str | None = None
    refer: Refer | None = None
    # an issue kind that certifies what the police do hold of this fact (a death: the hukou
    # cancellation), named whenever the kind is refused
    police_side: Refer | None = None
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
    # issued only when the clerk names the law or regulation that requires the station to certify
    requires_named_law: bool = False
    where: Where | None = None
    unit_route: UnitRoute | None = None
    refusal_form: str | None = None  # the refusal after the check (不予出具无犯罪记录证明通知书)
    review: Review | None = None

    def __post_init__(self) -> None:
        _check_ident("id", self.id)
        _check_ident("form", self.form)
        _check_text("name", self.name, low=2, high=64)
        for alias in self.aliases:
            if isinstance(alias, str):
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
        if self.outcome != "issue" and (
            self.form or self.handling or self.unit_route or self.refusal_form or self.review
        ):
            raise ValueError(
                "只有派出所出具的证明才有 form、handling、unit_route、refusal_form 和 review"
            )

    @property
    def alias_groups(self) -> tuple[Aliases, ...]:
        """Every alias with its source; a bare string has none and counts as inferred."""
        return tuple(
            a if isinstance(a, Aliases) else Aliases(texts=(a,), confidence="inferred")
            for a in self.aliases
        )

    @property
    def alias_texts(self) -> tuple[str, ...]:
        return tuple(t for group in self.alias_groups for t in group.texts)

    @property
    def holds_info(self) -> HoldsInfo:
        """``police_holds_info`` with its source; a bare true/false has none (inferred)."""
        value = self.police_holds_info
        return value if isinstance(value, HoldsInfo) else HoldsInfo(value, "inferred")


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
    """特事特办. ``confidence`` is the rule's own; ``reach`` how sure it is that the rule reaches
    kinds the catalog abolishes (Jilin: the seed states the rule, its reach is inferred).
    A rule that is not ``decisive`` (copied into a catalog by analogy) is shown, never applied."""

    __pydantic_config__ = STRICT
    purposes: tuple[Purpose, ...]
    form: str
    basis: str
    confidence: Confidence
    reach: Confidence = "inferred"
    decisive: bool = True
    sources: tuple[str, ...] = ()

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
    # None: the catalog sets no limit (the national rules set none but for criminal records);
    # the clerk then tells the applicant the day (五个一律 rule 2) and it is recorded
    investigation_deadline_working_days: int | None
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
    phrasings: tuple[Phrasing, ...] = ()
    commitments: tuple[Commitment, ...] = ()

    def __post_init__(self) -> None:
        if not self.kinds:
            raise ValueError("kinds 不能为空")
