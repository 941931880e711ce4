"""Plain Chinese text for the terminal: a decision, a catalog, a kind."""

from __future__ import annotations

from typing import Any

from app.policy.catalog import (
    CONFIDENCE_NAMES,
    OUTCOME_NAMES,
    Catalog,
    Kind,
)
from app.policy.decision import Decision


def decision_text(d: Decision) -> str:
    lines: list[str] = []
    if not d.decided:
        lines.append(f"证明种类不明确：“{d.requested}”")
        lines.append("候选(按相近程度)：")
        lines += [f"  {c.kind_id:<38} {c.name}" for c in d.candidates]
        lines.append("请用 --kind-id 选定一种；若都不是，用 --unlisted 按目录外证明处理。")
        return "\n".join(lines) + "\n"
    lines.append(f"结论：{d.outcome_name}")
    name = f"{d.kind_name}({d.kind_id})" if d.kind_id else f"{d.requested}(目录外)"
    lines.append(f"证明：{name}")
    unit = f"(“{d.requester_unit}”)" if d.requester_unit else ""
    lines.append(f"要求单位：{d.requester_name}{unit}；用途：{d.purpose_name}")
    lines.append(f"理由：{d.reason}")
    lines.append(f"依据：{d.basis}")
    if d.use_instead:
        lines.append(f"请改用：{d.use_instead}")
    if d.competent_department:
        lines.append(f"主管部门：{d.competent_department}")
    if d.referred:
        lines.append(f"办理地点：{d.handled_at}(本所出具办理地点告知书)")
    elif d.handled_at:
        lines.append(f"办理地点：{d.handled_at}")
    if d.outcome == "issue" and not d.referred:
        limit = (
            "当场出具" if not d.deadline_working_days else f"{d.deadline_working_days}个工作日内"
        )
        lines.append(f"办理时限：{limit}；证明式样：{d.form}")
    if d.special_case:
        lines.append("特事特办：是(certdesk 请所领导审批确认)")
    if d.report_to_superior:
        lines.append("报告上级公安机关：是")
    lines.append(f"目录：{d.catalog_id} 版本 {d.catalog_version}")
    lines.append("办理步骤：")
    lines += [f"  {i}. {step}" for i, step in enumerate(d.steps, 1)]
    return "\n".join(lines) + "\n"


def catalog_text(c: Catalog) -> str:
    m = c.meta
    listed = c.listed_counts()
    lines = [
        f"{m.title}",
        f"  目录编号：{m.id}    版本：{m.version}    施行：{m.effective}",
        f"  发布机关：{m.authority}",
    ]
    if m.effective_note:
        lines.append(f"  说明：{m.effective_note}")
    lines.append(f"  依据：{m.basis}")
    lines.append("  各类数量(公布数 / 目录已收录)：")
    for group, title in c.data.groups.items():
        declared = m.declared_counts.get(group)
        have = listed.get(group, 0)
        if declared is None:
            lines.append(f"    {title}：已收录 {have}")
        elif declared > have:
            lines.append(
                f"    {title}：公布 {declared}，已收录 {have}，"
                f"尚有 {declared - have} 种未能从公开资料中确认，保持空缺"
            )
        else:
            lines.append(f"    {title}：公布 {declared}，已收录 {have}")
    if m.open_slots:
        lines.append("  空缺说明(不参与判断)：")
        for slot in m.open_slots:
            lines.append(f"    [{slot.group}] {slot.note}")
            if slot.candidates:
                lines.append(
                    f"      可能的候选({CONFIDENCE_NAMES[slot.confidence]})："
                    + "；".join(slot.candidates)
                )
    lines.append("  要求单位类别：" + "、".join(f"{k}={v}" for k, v in c.sectors.items()))
    return "\n".join(lines) + "\n"


def _sourced(item: Any) -> str:
    """ "可信度：推断" or "可信度：已证实；来源：S1、S3" for a sourced catalog value."""
    text = f"可信度：{CONFIDENCE_NAMES[item.confidence or 'inferred']}"
    sources = getattr(item, "sources", ())
    return text + (f"；来源：{'、'.join(sources)}" if sources else "；无资料来源")


def kind_text(c: Catalog, k: Kind) -> str:
    lines = [
        f"{k.name}({k.id})  {k.name_en}",
        f"  目录：{c.id} 版本 {c.version}；分组：{c.data.groups.get(k.group, k.group)}",
        f"  结论：{OUTCOME_NAMES[k.outcome]}",
        f"  可信度：{CONFIDENCE_NAMES[k.confidence]}({k.confidence})；来源："
        + ("、".join(k.sources) if k.sources else "无直接来源"),
    ]
    for group in k.alias_groups:
        use = "可直接识别" if group.decisive else "只作候选，不作结论"
        lines.append(f"  别名：{'、'.join(group.texts)}  [{_sourced(group)}；{use}]")
    holds = k.holds_info
    lines.append(f"  公安机关人口信息有记载：{'是' if holds.value else '否'}  [{_sourced(holds)}]")
    if k.outcome == "abolished":
        lines.append(
            f"  取消理由：{k.reason_class}"
            + (f"({k.competent_department})" if k.competent_department else "")
        )
        lines.append(f"  请改用：{k.use_instead}")
        if k.refer:
            lines.append(f"  另：{k.refer.when}({k.refer.kind})")
        if k.police_side:
            lines.append(f"  公安机关掌握的部分：{k.police_side.when}({k.police_side.kind})")
        if k.fallback_kind:
            lines.append(f"  户口簿未记载时：{k.fallback_kind}")
    if k.outcome == "exchange":
        lines.append("  交换部门：" + "、".join(c.sectors[s] for s in k.partners))
        if k.partners_unconfirmed:
            lines.append(
                "  可能的其他交换部门(推断，不参与判断)："
                + "、".join(c.sectors[s] for s in k.partners_unconfirmed)
            )
        lines.append(f"  交换的信息：{k.information_exchanged}")
        if k.replaces:
            lines.append(
                "  对交换部门替代的证明："
                + "、".join((*k.replaces.kinds, *k.replaces.names))
                + f"  [{_sourced(k.replaces)}{'' if k.replaces.decisive else '；不作结论'}]"
            )
        other = k.for_others
        if other is not None and other.kind is not None:
            lines.append(
                f"  其他单位要求的：按 {other.kind} 办理"
                f"  [{_sourced(other)}{'' if other.decisive else '；不作结论，请经办民警选定'}]"
            )
        elif other is not None:
            lines.append(
                f"  其他单位要求的：不予出具({other.reason_class})，"
                f"请改用 {other.use_instead}  [{_sourced(other)}]"
            )
    if k.outcome == "issue":
        lines.append(f"  证明式样：{k.form}；办理方式：{k.handling}")
        if k.eligible_applicants:
            lines.append(f"  申请人：{k.eligible_applicants}")
        if k.issuing_station:
            lines.append(f"  出具单位：{k.issuing_station}")
        if k.where:
            where = k.where.text + (f"；{k.where.paper_archives}" if k.where.paper_archives else "")
            decisive = "" if k.where.decisive else "；只作提示，不据以转介"
            lines.append(f"  办理地点：{where}  [{_sourced(k.where)}{decisive}]")
        if k.materials:
            lines.append("  所需材料：" + "；".join(k.materials))
        if k.validity:
            lines.append(f"  有效期：{k.validity}")
        if k.unit_route:
            lines.append(
                f"  单位查询：持{'、'.join(k.unit_route.materials)}，须写明查询依据；"
                f"答复用 {k.unit_route.form}  [{_sourced(k.unit_route)}]"
            )
        if k.refusal_form:
            lines.append(f"  不予出具时：{k.refusal_form}")
        if k.review:
            lines.append(
                f"  复查：{k.review.days}个工作日内答复，可延长至{k.review.extended_days}个工作日"
                f"  [{_sourced(k.review)}]"
            )
        if k.requires_named_law:
            lines.append("  须写明要求派出所出具的法律法规，否则不予出具并报告上级")
    if k.special_rules:
        lines.append(f"  特别规定：{k.special_rules}")
    if k.notes:
        lines.append(f"  研究备注：{k.notes}")
    cited = dict.fromkeys(
        (
            *k.sources,
            *(s for g in k.alias_groups for s in g.sources),
            *holds.sources,
            *(k.replaces.sources if k.replaces else ()),
            *(k.for_others.sources if k.for_others else ()),
        )
    )
    for key in cited:
        source = c.data.sources[key]
        lines.append(f"  [{key}] {source.url}")
    return "\n".join(lines) + "\n"
