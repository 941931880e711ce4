"""Plain Chinese text for the terminal: a decision, a catalog, a kind."""

from __future__ import annotations

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
    lines.append(f"要求单位：{d.requester_name}；用途：{d.purpose_name}")
    lines.append(f"理由：{d.reason}")
    lines.append(f"依据：{d.basis}")
    if d.use_instead:
        lines.append(f"请改用：{d.use_instead}")
    if d.competent_department:
        lines.append(f"主管部门：{d.competent_department}")
    if d.outcome == "issue":
        limit = (
            "当场出具" if not d.deadline_working_days else f"{d.deadline_working_days}个工作日内"
        )
        lines.append(f"办理时限：{limit}；证明式样：{d.form}")
    if d.special_case:
        lines.append("特事特办：是(须所领导审批)")
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


def kind_text(c: Catalog, k: Kind) -> str:
    lines = [
        f"{k.name}({k.id})  {k.name_en}",
        f"  目录：{c.id} 版本 {c.version}；分组：{c.data.groups.get(k.group, k.group)}",
        f"  结论：{OUTCOME_NAMES[k.outcome]}",
        f"  可信度：{CONFIDENCE_NAMES[k.confidence]}({k.confidence})；来源："
        + ("、".join(k.sources) if k.sources else "无直接来源"),
    ]
    if k.aliases:
        lines.append("  别名：" + "、".join(k.aliases))
    lines.append(f"  公安机关人口信息有记载：{'是' if k.police_holds_info else '否'}")
    if k.outcome == "abolished":
        lines.append(
            f"  取消理由：{k.reason_class}"
            + (f"({k.competent_department})" if k.competent_department else "")
        )
        lines.append(f"  请改用：{k.use_instead}")
        if k.refer:
            lines.append(f"  另：{k.refer.when}({k.refer.kind})")
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
                "  对交换部门替代的证明：" + "、".join((*k.replaces.kinds, *k.replaces.names))
            )
        if k.for_others is not None and k.for_others.kind is not None:
            lines.append(f"  其他单位要求的：按 {k.for_others.kind} 办理")
        elif k.for_others is not None:
            lines.append(
                f"  其他单位要求的：不予出具({k.for_others.reason_class})，"
                f"请改用 {k.for_others.use_instead}"
            )
    if k.outcome == "issue":
        lines.append(f"  证明式样：{k.form}；办理方式：{k.handling}")
        if k.eligible_applicants:
            lines.append(f"  申请人：{k.eligible_applicants}")
        if k.issuing_station:
            lines.append(f"  出具单位：{k.issuing_station}")
        if k.materials:
            lines.append("  所需材料：" + "；".join(k.materials))
        if k.validity:
            lines.append(f"  有效期：{k.validity}")
    if k.special_rules:
        lines.append(f"  特别规定：{k.special_rules}")
    if k.notes:
        lines.append(f"  研究备注：{k.notes}")
    for key in k.sources:
        source = c.data.sources[key]
        lines.append(f"  [{key}] {source.url}")
    return "\n".join(lines) + "\n"
