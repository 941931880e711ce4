"""The decision engine: (catalog, request, today) -> Decision. Pure: no I/O, the clock passed in.

Rules, in the order they apply:
1. A kind in the catalog takes its catalog outcome.
2. Special cases (特事特办): for use out of province or abroad, an abolished kind whose fact the
   police hold is issued (special_case); one whose fact they do not hold stays abolished.
3. Exchange first for partners: a partner department asking in province gets the fact by exchange,
   whatever the paper is called. Out of province or abroad the requesting body cannot take part
   in the exchange, so the paper is decided as for other requesters, with rule 2.
4. A kind not in the catalog: abolished, no legal basis, written notice and a report up.
5. Issue kinds: 0 working days on the spot, the investigation limit when investigation is needed.
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
    ForOthers,
    Kind,
    Outcome,
)
from app.policy.lookup import Candidate

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

    @property
    def decided(self) -> bool:
        """One outcome reached (else the kind is ambiguous: ``candidates`` to choose from)."""
        return self.status == "decided"

    @property
    def outcome_name(self) -> str:
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
            kind = self.c.kind(found.kind_id) if found.kind_id else None
            how = found.how
            if kind is None:
                self.steps.append(f"目录中没有找到“{shown}”。")
            elif found.how == "tolerant" or found.how == "pinyin_prefix":
                self.steps.append(
                    f"“{shown}”按近似匹配识别为：{kind.name}({kind.id})，请向群众核对。"
                )
            else:
                self.steps.append(f"识别所要证明：“{shown}” → {kind.name}({kind.id})。")
        self.steps.append(f"要求单位：{self.sector_name}；用途：{self.purpose_name}。")
        if kind is None:
            return self._unknown(shown)
        if kind.confidence == "inferred":
            self.steps.append("提示：该目录条目的依据为推断，尚待核实(见目录中该证明的资料来源)。")
        return self._kind(kind, shown, how)

    # ------------------------------------------------------------------ the rules

    def _kind(self, kind: Kind, shown: str, how: str | None) -> Decision:
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
                return other
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
            self.steps.append(f"对其他单位：按“{other.name}”({other.id})办理。")
            return self._kind(other, shown, how)
        return self._abolished(kind, shown, how, inline=target)

    def _abolished(
        self, kind: Kind, shown: str, how: str | None, inline: ForOthers | None = None
    ) -> Decision:
        special = self.c.rules.special_case
        if self.r.purpose in special.purposes:
            if kind.police_holds_info:
                return self._special_case(kind, shown, how)
            self.steps.append(
                f"虽用途为{self.purpose_name}，但该事项不在公安机关人口信息中，不属特事特办范围。"
            )
        reason_class = inline.reason_class if inline else kind.reason_class
        department = inline.competent_department if inline else kind.competent_department
        use_instead = inline.use_instead if inline else kind.use_instead
        assert reason_class is not None
        reason = self.c.rules.reason_texts[reason_class].format(department=department or "")
        self.rules.append("catalog_abolished")
        self.steps.append(f"该证明已取消：{reason}")
        if inline and inline.note:
            self.steps.append(inline.note)
        self.steps.append(f"请改用：{use_instead}")
        refer = kind.refer.kind if kind.refer else kind.fallback_kind
        if kind.refer:
            self.steps.append(f"另：{kind.refer.when}")
        elif kind.fallback_kind:
            self.steps.append(
                f"另：户口簿未记载该事项的，可开具“{self.c.kind(kind.fallback_kind).name}”。"
            )
        self.steps.append("结论：不予出具。出具不予出具证明告知书(写明理由、依据和替代办法)。")
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
            confidence=inline.confidence if inline else kind.confidence,
        )

    def _special_case(self, kind: Kind, shown: str, how: str | None) -> Decision:
        special = self.c.rules.special_case
        self.rules.append("special_case")
        deadline = self._investigation_deadline(kind) if self.r.needs_investigation else 0
        self.steps.append(
            f"该证明在本省已取消，但用途为{self.purpose_name}，所证明事项在公安机关人口信息中有记载，"
            f"按“方便群众、特事特办”原则出具情况证明。"
        )
        self.steps.append("特事特办须经所领导审批，并登记为特殊情况。")
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
            handling="investigation" if deadline else "on_the_spot",
            confidence=special.confidence,
        )

    def _issue(self, kind: Kind, shown: str, how: str | None) -> Decision:
        self.rules.append("catalog_issue")
        if kind.handling == "investigation" or (
            kind.handling == "on_the_spot_or_investigation" and self.r.needs_investigation
        ):
            deadline = self._investigation_deadline(kind)
        else:
            deadline = 0
        self.steps.append(f"该证明由派出所出具。申请人：{kind.eligible_applicants or '见目录'}")
        if kind.materials:
            self.steps.append("所需材料：" + "；".join(kind.materials) + "。缺少的一次性告知。")
        if kind.validity:
            self.steps.append(f"有效期：{kind.validity}")
        if kind.handling == "on_the_spot_or_investigation" and not self.r.needs_investigation:
            self.steps.append(
                f"系统内有记录的当场出具；需调查核实的，{self._investigation_deadline(kind)}个工作日内出具。"
            )
        self.steps.append(self._deadline_step(deadline))
        return self._make(
            kind,
            shown,
            how,
            outcome="issue",
            reason=f"{kind.name}属于公安派出所应当出具的证明。",
            basis=self.c.meta.basis,
            deadline=deadline,
            form=kind.form,
            handling="investigation" if deadline else "on_the_spot",
            confidence=kind.confidence,
        )

    def _unknown(self, shown: str) -> Decision:
        rule = self.c.rules.unknown_kind
        self.rules.append("unknown_kind")
        self.steps.append(f"“{shown}”不在公安派出所出具证明目录内。")
        self.steps.append(f"依据：{rule.basis}")
        self.steps.append(f"请改用：{rule.use_instead}")
        if rule.report_to_superior:
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

    def _needs_choice(self, shown: str, candidates: tuple[Candidate, ...]) -> Decision:
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

    def _investigation_deadline(self, kind: Kind) -> int:
        return (
            kind.investigation_deadline_working_days
            or self.c.rules.investigation_deadline_working_days
        )

    @staticmethod
    def _deadline_step(deadline: int) -> str:
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
    ) -> Decision:
        if confidence == "inferred" and "提示：" not in "".join(self.steps):
            self.steps.append(
                f"提示：本结论所依据的目录规则为{CONFIDENCE_NAMES['inferred']}，请核实。"
            )
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
            basis=basis,
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
        )


Step = Literal["choose_kind", "notice", "issue"]


def next_step(decision: Decision) -> Step:
    """What the counter does after a decision: pick the kind among candidates, hand over a
    written notice (abolished or exchange), or fill and issue the certificate."""
    if not decision.decided:
        return "choose_kind"
    return "issue" if decision.outcome == "issue" else "notice"
