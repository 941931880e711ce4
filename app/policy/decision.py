"""The decision engine: (catalog, request, today) -> Decision. Pure: no I/O, the clock passed in.

Rules, in the order they apply:
0. Only what has a source decides. An exact name, id or sourced alias (or its pinyin) finds a
   kind; an inferred alias, a phrasing ("证明我奶奶是我奶奶"), a pinyin prefix or a near miss only
   proposes one, and the clerk confirms (``needs_choice``). A link between kinds (``replaces``,
   ``for_others``) or a ``police_holds_info`` value without a confirmed or seed source is shown
   as a hint and decides nothing.
1. A kind in the catalog takes its catalog outcome.
2. Special cases (特事特办): for use out of province or abroad, an abolished kind whose fact the
   police register records (sourced) is issued (special_case) when the catalog's rule is
   decisive; otherwise it stays abolished, and an issue kind that covers the police side of the
   fact (``refer``) is named.
3. Exchange first for partners: a partner department asking in province gets the fact by exchange,
   whatever the paper is called. Out of province or abroad the requesting body cannot take part
   in the exchange, so the paper is decided as for other requesters, with rule 2.
4. A kind not in the catalog: abolished, no legal basis, written notice and a report up. Every
   refusal for no legal basis or outside police duties (a competent department's matter) is
   reported up with the demanding unit's name (五个一律 rule 4).
5. A kind that needs a named law (``requires_named_law``) is issued only when the clerk names the
   law or regulation; otherwise it is refused as rule 4.
6. Issue kinds: 0 working days on the spot, the investigation limit when investigation is needed
   (None where the catalog sets no limit: the clerk tells the applicant the day).
7. Where a request may be made: an issue kind says where it is handled (``where``). Asked at a
   station that is not that place (``elsewhere``), a sourced place gives a referral — the issue
   outcome with ``referred`` and the notice naming where to go, never a refusal; an inferred place
   is told as a hint and the station serves the citizen. Where any station in the province
   handles the kind, only records held on paper send the citizen to the hukou station.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from app.errors import InvalidInput
from app.policy.catalog import (
    CONFIDENCE_NAMES,
    OUTCOME_NAMES,
    PURPOSE_NAMES,
    PURPOSES,
    Catalog,
    Commitment,
    ForOthers,
    Kind,
    Outcome,
)
from app.policy.lookup import Candidate

# refusals whose reason a station reports up (五个一律 rule 4): no legal basis, or outside police
# duties (another department is competent)
REPORTED_REASONS = frozenset({"no_legal_basis", "competent_department"})
MATCH_NAMES = {
    "tolerant": "近似匹配",
    "pinyin_prefix": "拼音前缀",
    "inferred_alias": "推断的别名",
    "phrasing": "群众常见说法",
}

Status = Literal["decided", "needs_choice"]


@dataclass(frozen=True, slots=True)
class Request:
    """What is asked, by whom, for what. ``kind_text`` is what the citizen or clerk said."""

    kind_text: str
    requester: str
    purpose: str
    kind_id: str | None = None  # a kind the clerk picked from the candidates
    unlisted: bool = False  # the clerk confirms the paper is not in the catalog
    needs_investigation: bool = False  # records not in the system: the kind needs investigation
    book_lacks_fact: bool = False  # the hukou book does not show the fact (hukou-book kinds)
    requester_unit: str = ""  # the demanding unit's name, as the citizen or its letter gives it
    statute: str = ""  # the law or regulation that requires the station to certify, if named
    # the place the kind is handled at (hukou, residence, where it happened) is not this station
    elsewhere: bool = False
    # a unit asks about a person (its staff with a letter of introduction), not the person
    by_unit: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    status: Status
    outcome: Outcome | None
    kind_id: str | None
    kind_name: str | None
    requested: str
    matched_how: str | None
    requester: str
    requester_name: str
    purpose: str
    purpose_name: str
    special_case: bool
    report_to_superior: bool
    reason: str
    reason_class: str | None
    basis: str
    use_instead: str | None
    competent_department: str | None
    deadline_working_days: int | None
    handling: str | None
    form: str | None
    exchange_kind_id: str | None
    information_exchanged: str | None
    refer_kind_id: str | None
    confidence: str | None
    catalog_id: str
    catalog_version: str
    decided_on: str
    rules: tuple[str, ...]
    steps: tuple[str, ...]
    candidates: tuple[Candidate, ...] = field(default=())
    requester_unit: str = ""
    statute: str = ""
    handled_at: str = ""  # where the kind is handled, as told to the citizen
    referred: bool = False  # asked at the wrong station: the referral notice, not a certificate
    commitment: str = ""  # the 告知承诺制 list under which the unit takes a written commitment

    @property
    def decided(self) -> bool:
        """One outcome reached (else the kind is ambiguous: ``candidates`` to choose from)."""
        return self.status == "decided"

    @property
    def outcome_name(self) -> str:
        if self.referred:
            return f"由{self.handled_at}出具，本所出具办理地点告知书"
        return OUTCOME_NAMES[self.outcome] if self.outcome else "需要确认证明种类"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["steps"] = list(self.steps)
        data["rules"] = list(self.rules)
        data["candidates"] = [asdict(c) for c in self.candidates]
        return data


def validate_request(catalog: Catalog, request: Request) -> None:
    """Raise ``InvalidInput`` naming the field for a requester or purpose the catalog lacks."""
    if request.requester not in catalog.sectors:
        valid = "、".join(f"{k}({v})" for k, v in catalog.sectors.items())
        raise InvalidInput(
            f"要求单位类别“{request.requester}”无效，可选：{valid}", field="requester"
        )
    if request.purpose not in PURPOSES:
        valid = "、".join(f"{k}({PURPOSE_NAMES[k]})" for k in PURPOSES)
        raise InvalidInput(f"用途“{request.purpose}”无效，可选：{valid}", field="purpose")
    if request.kind_id is not None and request.kind_id not in catalog.kinds:
        raise InvalidInput(f"目录中没有编号为“{request.kind_id}”的证明", field="kind")
    for name, value, label in (
        ("requester_name", request.requester_unit, "要求单位名称"),
        ("statute", request.statute, "法律法规名称"),
    ):
        if len(value.strip()) > 100 or any(ord(ch) < 32 for ch in value):
            raise InvalidInput(f"{label}应为不超过100个字的一行文字", field=name)


def decide(catalog: Catalog, request: Request, today: dt.date) -> Decision:
    validate_request(catalog, request)
    return _Engine(catalog, request, today).run()


class _Engine:
    def __init__(self, catalog: Catalog, request: Request, today: dt.date) -> None:
        self.c = catalog
        self.r = request
        self.today = today
        self.steps: list[str] = []
        self.rules: list[str] = []
        self.sector_name = catalog.sectors[request.requester]
        self.purpose_name = PURPOSE_NAMES[request.purpose]

    # ------------------------------------------------------------------ entry

    def run(self) -> Decision:
        r = self.r
        shown = r.kind_text.strip() or "(未填写)"
        if self.today < self.c.meta.effective:
            self.steps.append(
                f"注意：目录《{self.c.meta.title}》自 {self.c.meta.effective} 起适用。"
            )
        kind: Kind | None
        how: str | None
        if r.unlisted:
            kind, how = None, None
            self.steps.append(f"经办民警确认“{shown}”不在证明目录内。")
        elif r.kind_id is not None:
            kind, how = self.c.kind(r.kind_id), "chosen"
            self.steps.append(f"经办民警选定证明种类：{kind.name}({kind.id})。")
        else:
            found = self.c.lookup.find(r.kind_text)
            if found.status == "ambiguous":
                return self._needs_choice(shown, found.candidates)
            if found.status == "tolerant" and found.kind_id and found.how:
                proposed = self.c.kind(found.kind_id)
                self.steps.append(
                    f"“{shown}”按{MATCH_NAMES.get(found.how, '近似匹配')}可能是："
                    f"{proposed.name}({proposed.id})。近似的说法不作结论。"
                )
                return self._needs_choice(shown, found.candidates)
            kind = self.c.kind(found.kind_id) if found.kind_id else None
            how = found.how
            if kind is None:
                self.steps.append(f"目录中没有找到“{shown}”。")
            else:
                self.steps.append(f"识别所要证明：“{shown}” → {kind.name}({kind.id})。")
        unit = r.requester_unit.strip()
        self.steps.append(
            f"要求单位：{self.sector_name}"
            + (f"(“{unit}”)" if unit else "")
            + f"；用途：{self.purpose_name}。"
        )
        if kind is None:
            return self._unknown(shown)
        if kind.confidence == "inferred":
            self.steps.append("提示：该目录条目的依据为推断，尚待核实(见目录中该证明的资料来源)。")
        return self._kind(kind, shown, how)

    # ------------------------------------------------------------------ the rules

    def _kind(self, kind: Kind, shown: str, how: str | None) -> Decision:
        commitment = self._commitment(kind)
        if commitment is not None:
            return self._committed(kind, shown, how, commitment)
        rules = self.c.rules
        if self.r.purpose in rules.exchange_purposes:
            exchange = self._exchange_for(kind)
            if exchange is not None:
                return self._exchange(exchange, kind, shown, how)
        if kind.outcome == "exchange":
            return self._exchange_other(kind, shown, how)
        if kind.outcome == "abolished":
            if self.r.book_lacks_fact and kind.fallback_kind:
                fallback = self.c.kind(kind.fallback_kind)
                self.rules.append("hukou_book_fallback")
                self.steps.append(f"户口簿未记载该事项，转为：{fallback.name}({fallback.id})。")
                return self._kind(fallback, shown, how)
            return self._abolished(kind, shown, how)
        return self._issue(kind, shown, how)

    def _commitment(self, kind: Kind) -> Commitment | None:
        """The 告知承诺制 list by which this requester takes a commitment for this kind, if any."""
        for item in self.c.data.commitments:
            if item.kind != kind.id or self.r.requester not in item.sectors:
                continue
            if self.r.purpose != "in_province":
                self.steps.append(
                    f"提示：{self.sector_name}在本省对该证明实行告知承诺制({item.list})，"
                    f"但用途为{self.purpose_name}，本省清单不约束外省或境外单位。"
                )
            elif item.confidence == "inferred":
                self.steps.append(
                    f"提示：{self.sector_name}也许对该证明实行告知承诺制({item.list}，推断，"
                    "未见资料来源)，不作结论依据：可请群众向要求单位询问。"
                )
            else:
                return item
        return None

    def _committed(self, kind: Kind, shown: str, how: str | None, item: Commitment) -> Decision:
        self.rules.append("commitment")
        matter = f"办理{item.matter}" if item.matter else "办理该事项"
        self.steps.append(
            f"{self.sector_name}{matter}时，“{kind.name}”已纳入证明事项告知承诺制({item.list})："
            "群众以书面承诺代替该证明，无需到派出所开具。"
        )
        self.steps.append(
            "结论：不出具证明。打印告知承诺书式样(证明义务、证明内容、不实承诺的法律责任、签字栏)，"
            "由群众在要求单位签署。"
        )
        return replace(
            self._make(
                kind,
                shown,
                how,
                outcome="abolished",
                reason=(
                    f"{self.sector_name}对该证明实行证明事项告知承诺制，群众书面承诺即可，"
                    "无需开具证明。"
                ),
                reason_class="commitment",
                basis=f"国务院办公厅《关于全面推行证明事项告知承诺制的指导意见》"
                f"(国办发〔2020〕42号)；{item.list}",
                use_instead=f"到{self.sector_name}签署告知承诺书，以书面承诺代替“{kind.name}”。",
                confidence=item.confidence,
            ),
            commitment=item.list,
        )

    def _exchange_for(self, kind: Kind) -> Kind | None:
        """The exchange kind through which this requester obtains the fact, if any."""
        sector = self.r.requester
        if kind.outcome == "exchange" and sector in kind.partners:
            return kind
        for other in self.c:
            if (
                other.outcome == "exchange"
                and sector in other.partners
                and other.replaces
                and kind.id in other.replaces.kinds
            ):
                if other.replaces.decisive:
                    return other
                self.steps.append(
                    f"提示：{self.sector_name}也许可通过信息交换“{other.name}”获取该信息"
                    f"(目录推断，未见资料来源，不作结论依据)。"
                )
        return None

    def _exchange(self, exchange: Kind, kind: Kind, shown: str, how: str | None) -> Decision:
        self.rules.append("exchange_partner")
        if exchange.id != kind.id:
            self.steps.append(
                f"{self.sector_name}通过部门间信息交换“{exchange.name}”获取该信息，"
                f"不论证明名称为何，按信息交换办理。"
            )
        info = exchange.information_exchanged or ""
        self.steps.append(f"交换的信息：{info}；群众无需到派出所开具证明。")
        self.steps.append("结论：信息交换。向要求单位出具信息交换告知书，并登记交换请求。")
        return self._make(
            kind,
            shown,
            how,
            outcome="exchange",
            reason=f"{self.sector_name}通过部门间信息交换获取{info}，群众无需开具证明。",
            basis=f"{self.c.meta.basis}：部门间信息交换",
            use_instead=f"无需证明材料，由{self.sector_name}通过信息交换核查。",
            exchange_kind_id=exchange.id,
            information_exchanged=info,
            confidence=exchange.confidence,
        )

    def _exchange_other(self, kind: Kind, shown: str, how: str | None) -> Decision:
        target = kind.for_others
        assert target is not None  # validated: every exchange kind says what others get
        if self.r.purpose in self.c.rules.special_case.purposes:
            self.steps.append(f"用途为{self.purpose_name}，要求单位无法参与本省部门间信息交换。")
        else:
            self.steps.append(
                f"{self.sector_name}不是“{kind.name}”的信息交换部门，按目录对其他单位的规定办理。"
            )
        self.rules.append("exchange_other_requester")
        if target.kind is not None:
            other = self.c.kind(target.kind)
            if not target.decisive:
                self.steps.append(
                    f"目录推断其他单位可按“{other.name}”({other.id})办理，但未见资料来源，"
                    "不作结论：请经办民警核实后选定；若都不是，按目录外证明处理。"
                )
                candidate = Candidate(
                    other.id, other.name, other.outcome, 100.0, other.name, "inferred_alias"
                )
                return self._needs_choice(shown, (candidate,), listed=False)
            self.steps.append(f"对其他单位：按“{other.name}”({other.id})办理。")
            return self._kind(other, shown, how)
        if not target.decisive:
            # what other units get is only inferred: nothing is decided on it
            self.steps.append(
                f"目录推断其他单位要求的不予出具({target.use_instead})，但未见资料来源，不作结论。"
            )
            replaced = [self.c.kind(k) for k in (kind.replaces.kinds if kind.replaces else ())]
            if replaced:
                self.steps.append(
                    "请经办民警核实群众实际要开的证明后选定；若都不是，按目录外证明处理。"
                )
                return self._needs_choice(
                    shown,
                    tuple(
                        Candidate(k.id, k.name, k.outcome, 100.0, k.name, "inferred_alias")
                        for k in replaced
                    ),
                    listed=False,
                )
            return self._unknown(shown)
        return self._abolished(kind, shown, how, inline=target)

    def _abolished(
        self, kind: Kind, shown: str, how: str | None, inline: ForOthers | None = None
    ) -> Decision:
        special = self.c.rules.special_case
        if self.r.purpose in special.purposes:
            holds = kind.holds_info
            if not special.decisive:
                self.steps.append(
                    f"提示：用途为{self.purpose_name}。本目录未规定特事特办，"
                    f"所附参照规则为{CONFIDENCE_NAMES[special.confidence]}，不作结论依据：{special.basis}"
                )
            elif holds.value and holds.confidence != "inferred":
                return self._special_case(kind, shown, how)
            elif holds.value:
                self.steps.append(
                    f"虽用途为{self.purpose_name}，但“公安机关人口信息记载该事项”一说未见资料来源"
                    "(推断)，不据以出具，不按特事特办处理。"
                )
            else:
                inferred = "(推断)" if holds.confidence == "inferred" else ""
                self.steps.append(
                    f"虽用途为{self.purpose_name}，但该事项不在公安机关人口信息中{inferred}，"
                    "不属特事特办范围。"
                )
        reason_class = inline.reason_class if inline else kind.reason_class
        department = inline.competent_department if inline else kind.competent_department
        use_instead = inline.use_instead if inline else kind.use_instead
        assert reason_class is not None
        reason = self.c.rules.reason_texts[reason_class].format(department=department or "")
        report = reason_class in REPORTED_REASONS
        self.rules.append("catalog_abolished")
        self.steps.append(f"该证明已取消：{reason}")
        if inline and inline.note:
            self.steps.append(inline.note)
        self.steps.append(f"请改用：{use_instead}")
        refer = kind.refer.kind if kind.refer else kind.fallback_kind
        if kind.refer:
            self.steps.append(f"另：{kind.refer.when}")
        if kind.police_side:
            refer = refer or kind.police_side.kind
            self.steps.append(f"另：{kind.police_side.when}")
        elif kind.fallback_kind:
            self.steps.append(
                f"另：户口簿未记载该事项的，可开具“{self.c.kind(kind.fallback_kind).name}”。"
            )
        if report:
            self.steps.append(self._report_step())
        self.steps.append(
            "结论：不予出具。出具不予出具证明告知书(写明理由、依据和替代办法)"
            + ("，并报告上级公安机关。" if report else "。")
        )
        return self._make(
            kind,
            shown,
            how,
            outcome="abolished",
            reason=reason,
            reason_class=reason_class,
            basis=self.c.meta.basis,
            use_instead=use_instead,
            competent_department=department,
            refer_kind_id=refer,
            report=report,
            confidence=inline.confidence if inline else kind.confidence,
        )

    def _report_step(self) -> str:
        unit = self.r.requester_unit.strip()
        who = f"“{unit}”" if unit else f"该{self.sector_name}(请记录要求单位名称)"
        return (
            f"没有法律依据或超出公安派出所职责的要求，报告上级公安机关，"
            f"由上级公安机关与{who}沟通(五个一律第4条)。"
        )

    def _special_case(self, kind: Kind, shown: str, how: str | None) -> Decision:
        special = self.c.rules.special_case
        self.rules.append("special_case")
        investigate = self.r.needs_investigation
        deadline = self._investigation_deadline(kind) if investigate else 0
        self.steps.append(
            f"该证明在本省已取消，但用途为{self.purpose_name}，所证明事项在公安机关人口信息中有记载，"
            f"按“方便群众、特事特办”原则出具情况证明。"
        )
        if special.reach == "inferred":
            self.steps.append(
                "提示：特事特办原则见于目录，但它是否适用于已取消的证明是推断"
                "(资料未写明)；certdesk 因此请所领导审批确认，并登记为特殊情况。"
            )
        else:
            self.steps.append("certdesk 请所领导审批确认，并登记为特殊情况。")
        self.steps.append(self._deadline_step(deadline))
        return self._make(
            kind,
            shown,
            how,
            outcome="issue",
            special_case=True,
            reason=f"{kind.name}在本省已取消；用途为{self.purpose_name}，按特事特办出具情况证明。",
            basis=special.basis,
            deadline=deadline,
            form=special.form,
            handling="investigation" if investigate else "on_the_spot",
            confidence="inferred" if special.reach == "inferred" else special.confidence,
        )

    def _issue(self, kind: Kind, shown: str, how: str | None) -> Decision:
        statute = self.r.statute.strip()
        if kind.requires_named_law and not statute:
            return self._no_named_law(kind, shown, how)
        referral = self._referral(kind)
        if referral is not None:
            return self._referred(kind, shown, how, referral)
        form, materials = kind.form, kind.materials
        if self.r.by_unit:
            route = kind.unit_route
            if route is None:
                self.steps.append(
                    "该证明没有单位代为查询的途径：由本人(或持委托书的受托人)申请，出具给本人。"
                )
            elif not statute:
                return self._no_named_law(kind, shown, how, unit=True)
            else:
                self.rules.append("unit_route")
                form, materials = route.form, route.materials
                self.steps.append(
                    f"单位查询：{self.sector_name}派员持介绍信和被查询人身份信息申请，"
                    f"依据{statute}；答复单位的是查询结果告知函，不是给本人的证明。"
                    + ("" if route.confidence != "inferred" else "(推断，请核实)")
                )
        self.rules.append("catalog_issue")
        if kind.requires_named_law:
            self.steps.append(f"经办民警写明要求派出所出具该证明的法律法规：{statute}。")
        investigate = kind.handling == "investigation" or (
            kind.handling == "on_the_spot_or_investigation" and self.r.needs_investigation
        )
        deadline = self._investigation_deadline(kind) if investigate else 0
        self.steps.append(f"该证明由派出所出具。申请人：{kind.eligible_applicants or '见目录'}")
        if materials:
            self.steps.append("所需材料：" + "；".join(materials) + "。缺少的一次性告知。")
        if kind.validity:
            self.steps.append(f"有效期：{kind.validity}")
        if kind.handling == "on_the_spot_or_investigation" and not self.r.needs_investigation:
            limit = self._investigation_deadline(kind)
            later = f"{limit}个工作日内出具" if limit else "告知申请人办结日期，核实后出具"
            self.steps.append(f"系统内有记录的当场出具；需调查核实的，{later}。")
        self.steps.append(self._deadline_step(deadline))
        return self._make(
            kind,
            shown,
            how,
            outcome="issue",
            reason=f"{kind.name}属于公安派出所应当出具的证明。",
            basis=self.c.meta.basis,
            deadline=deadline,
            form=form,
            handling="investigation" if investigate else "on_the_spot",
            confidence=kind.confidence,
            basis_extra=f"；{statute}" if kind.requires_named_law or form != kind.form else "",
        )

    def _referral(self, kind: Kind) -> str | None:
        """Where to send the citizen when the request is made at the wrong station, if anywhere."""
        where = kind.where
        if where is None:
            return None
        self.steps.append(
            f"办理地点：{where.text}" + ("" if where.decisive else "(推断，未见确切资料来源)")
        )
        if not self.r.elsewhere:
            return None
        if where.place == "any_station_in_province":
            if self.r.needs_investigation and where.paper_archives:
                target = where.paper_archives
            else:
                self.steps.append("全省任一派出所均可办理，系统内有记录的，本所受理。")
                return None
        else:
            target = where.text
        if not where.decisive:
            self.steps.append(
                f"提示：资料推断该证明应由{target}办理，但未见确切资料来源，不据以转介：本所受理。"
            )
            return None
        return target

    def _referred(self, kind: Kind, shown: str, how: str | None, target: str) -> Decision:
        self.rules.append("referral")
        self.steps.append(f"申请在本所提出，但该证明由{target}办理。")
        self.steps.append(
            f"结论：不是不予出具。出具办理地点告知书，告知群众到{target}申请(首问负责，一次告知)。"
        )
        return replace(
            self._make(
                kind,
                shown,
                how,
                outcome="issue",
                reason=f"{kind.name}由{target}办理，请到该处申请。",
                basis=self.c.meta.basis,
                deadline=0,
                form=kind.form,
                handling="on_the_spot",
                confidence=kind.where.confidence if kind.where else kind.confidence,
            ),
            handled_at=target,
            referred=True,
        )

    def _no_named_law(
        self, kind: Kind, shown: str, how: str | None, *, unit: bool = False
    ) -> Decision:
        rule = self.c.rules.unknown_kind
        self.rules.append("no_named_law")
        if unit:
            self.steps.append(
                f"单位查询“{kind.name}”须有法律法规规定的查询依据(如升学、服现役、就业的资格审查)；"
                "未写明该法律法规。"
            )
        else:
            self.steps.append(
                f"“{kind.name}”只在法律法规明确规定由公安派出所出具时出具；未写明该法律法规。"
            )
        self.steps.append(self._report_step())
        self.steps.append(
            "结论：不予出具。出具书面告知书，并报告上级公安机关；能指明法律法规的，写明后重新判断。"
        )
        return self._make(
            kind,
            shown,
            how,
            outcome="abolished",
            reason=(
                "单位查询未能指明法律法规规定的查询依据，派出所不予查询。"
                if unit
                else "未能指明要求公安派出所出具该证明的法律法规，没有法律依据，派出所不予出具。"
            ),
            reason_class="no_legal_basis",
            basis=rule.basis,
            use_instead=rule.use_instead,
            report=True,
            confidence=kind.confidence,
        )

    def _unknown(self, shown: str) -> Decision:
        rule = self.c.rules.unknown_kind
        self.rules.append("unknown_kind")
        self.steps.append(f"“{shown}”不在公安派出所出具证明目录内。")
        if self.r.statute.strip():
            self.steps.append(
                f"已写明法律法规：{self.r.statute.strip()}。本目录未列“法律法规规定的由公安派出所"
                "出具证明的其他情形”：请报所领导核实该法律法规是否要求派出所出具(全国目录列有此项)。"
            )
        self.steps.append(
            "按目录规定，联系要求单位，帮助群众办理并说明情况(记录联系的单位、人员和方式)。"
        )
        self.steps.append(f"依据：{rule.basis}")
        self.steps.append(f"请改用：{rule.use_instead}")
        if rule.report_to_superior:
            self.steps.append(self._report_step())
            self.steps.append("结论：不予出具。出具书面告知书，并将该要求报告上级公安机关。")
        return self._make(
            None,
            shown,
            None,
            outcome="abolished",
            reason=rule.reason,
            reason_class="no_legal_basis",
            basis=rule.basis,
            use_instead=rule.use_instead,
            report=rule.report_to_superior,
            confidence=rule.confidence,
        )

    def _needs_choice(
        self, shown: str, candidates: tuple[Candidate, ...], *, listed: bool = True
    ) -> Decision:
        if listed:
            names = "、".join(f"{c.name}({c.kind_id})" for c in candidates)
            self.steps.append(f"“{shown}”可能是以下几种证明之一：{names}。")
        self.steps.append("请向群众核实后选定一种；若都不是，按目录外证明处理。")
        return replace(
            self._make(
                None,
                shown,
                None,
                outcome=None,
                reason="所要证明的种类不明确，需要确认。",
                basis=self.c.meta.basis,
            ),
            status="needs_choice",
            candidates=candidates,
        )

    # ------------------------------------------------------------------ helpers

    def _investigation_deadline(self, kind: Kind) -> int | None:
        """The kind's or the catalog's limit in working days; None when neither sets one."""
        return (
            kind.investigation_deadline_working_days
            or self.c.rules.investigation_deadline_working_days
        )

    @staticmethod
    def _deadline_step(deadline: int | None) -> str:
        if deadline is None:
            return (
                "结论：派出所出具，需调查核实。目录未规定办结时限：请告知申请人办结日期"
                "(五个一律第2条)，写在受理回执上。"
            )
        if deadline == 0:
            return "结论：派出所出具，当场办结。"
        return f"结论：派出所出具，需调查核实，出具受理回执，{deadline}个工作日内办结。"

    def _make(
        self,
        kind: Kind | None,
        shown: str,
        how: str | None,
        *,
        outcome: Outcome | None,
        reason: str,
        basis: str,
        reason_class: str | None = None,
        use_instead: str | None = None,
        competent_department: str | None = None,
        deadline: int | None = None,
        handling: str | None = None,
        form: str | None = None,
        special_case: bool = False,
        report: bool = False,
        exchange_kind_id: str | None = None,
        information_exchanged: str | None = None,
        refer_kind_id: str | None = None,
        confidence: str | None = None,
        basis_extra: str = "",
    ) -> Decision:
        if confidence == "inferred" and "提示：" not in "".join(self.steps):
            hint = f"提示：本结论所依据的目录规则为{CONFIDENCE_NAMES['inferred']}，请核实。"
            # before the conclusion, which stays the last step the clerk reads out
            last = len(self.steps) - 1
            at = last if last >= 0 and self.steps[last].startswith("结论") else len(self.steps)
            self.steps.insert(at, hint)
        return Decision(
            status="decided",
            outcome=outcome,
            kind_id=kind.id if kind else None,
            kind_name=kind.name if kind else None,
            requested=shown,
            matched_how=how,
            requester=self.r.requester,
            requester_name=self.sector_name,
            purpose=self.r.purpose,
            purpose_name=self.purpose_name,
            special_case=special_case,
            report_to_superior=report,
            reason=reason,
            reason_class=reason_class,
            basis=basis + basis_extra,
            use_instead=use_instead,
            competent_department=competent_department,
            deadline_working_days=deadline if outcome == "issue" else None,
            handling=handling if outcome == "issue" else None,
            form=form if outcome == "issue" else None,
            exchange_kind_id=exchange_kind_id,
            information_exchanged=information_exchanged,
            refer_kind_id=refer_kind_id,
            confidence=confidence,
            catalog_id=self.c.id,
            catalog_version=self.c.version,
            decided_on=self.today.isoformat(),
            rules=tuple(self.rules),
            steps=tuple(self.steps),
            requester_unit=self.r.requester_unit.strip(),
            statute=self.r.statute.strip()
            if kind and (kind.requires_named_law or (self.r.by_unit and kind.unit_route))
            else "",
            handled_at=kind.where.text if kind and kind.where and outcome == "issue" else "",
        )


Step = Literal["choose_kind", "notice", "issue"]


def next_step(decision: Decision) -> Step:
    """What the counter does after a decision: pick the kind among candidates, hand over a
    written notice (abolished or exchange), or fill and issue the certificate."""
    if not decision.decided:
        return "choose_kind"
    return "issue" if decision.outcome == "issue" and not decision.referred else "notice"
