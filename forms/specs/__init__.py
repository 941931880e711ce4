"""One spec per certificate and notice. ``get(form_id)`` finds it; ``all_specs()`` lists them.

The printed wording follows the manner of official documents: a statement of the facts found in
the police records, the use, and 特此证明. The layout (A4, in mm) is the one renderer's: see forms.render.
"""

from __future__ import annotations

from forms.fields import DateOrder, FieldSpec, FormSpec

APPLICANT = (
    FieldSpec("applicant_name", "申请人姓名", "name"),
    FieldSpec("applicant_id", "申请人公民身份号码", "id_number"),
)
USAGE = FieldSpec("usage", "用途", "text", max_length=40, help="证明交哪个单位、办什么事")
CLOSING = "特此证明。"

_CERTIFICATES = (
    FormSpec(
        "kinship",
        "亲属关系证明",
        (
            *APPLICANT,
            FieldSpec("relative_name", "亲属姓名", "name"),
            FieldSpec("relative_id", "亲属公民身份号码", "id_number"),
            FieldSpec("relation", "亲属关系", "text", max_length=10, help="如：父子、母女、祖孙"),
            USAGE,
        ),
        subject_name="applicant_name",
        subject_id="applicant_id",
        wording=(
            "经查户籍档案，{applicant_name}（公民身份号码：{applicant_id}）与{relative_name}"
            "（公民身份号码：{relative_id}）系{relation}关系。",
            "此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "unnatural_death",
        "非正常死亡证明",
        (
            *APPLICANT,
            FieldSpec("deceased_name", "死者姓名", "name"),
            FieldSpec("deceased_id", "死者公民身份号码", "id_number", required=False),
            FieldSpec("death_date", "死亡日期", "date"),
            FieldSpec("death_place", "死亡地点", "text", max_length=40),
            FieldSpec("cause", "死亡原因(调查结论)", "text", max_length=60),
            USAGE,
        ),
        subject_name="deceased_name",
        subject_id="deceased_id",
        wording=(
            "{deceased_name}（公民身份号码：{deceased_id}）于{death_date}在{death_place}死亡，"
            "经公安机关调查，死亡原因为：{cause}。",
            "申请人：{applicant_name}（公民身份号码：{applicant_id}）。此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "abandoned_infant",
        "捡拾弃婴（儿童）报案证明",
        (
            FieldSpec("finder_name", "捡拾人(单位)", "text", max_length=30),
            FieldSpec("finder_id", "捡拾人公民身份号码", "id_number", required=False),
            FieldSpec("found_date", "捡拾日期", "date"),
            FieldSpec("found_place", "捡拾地点", "text", max_length=40),
            FieldSpec("child_sex", "儿童性别", "choice", choices=("男", "女")),
            FieldSpec("child_description", "儿童体貌特征", "text", max_length=60),
            FieldSpec("report_number", "接报警记录编号", "text", max_length=30),
            USAGE,
        ),
        subject_name="finder_name",
        subject_id="finder_id",
        wording=(
            "{found_date}，{finder_name}在{found_place}捡拾一名{child_sex}性儿童"
            "（体貌特征：{child_description}），并向我所报案（接报警记录编号：{report_number}）。",
            "经查找，未能找到该儿童的生父母或其他监护人。此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "hukou_item_change",
        "户口登记项目变更更正证明",
        (
            *APPLICANT,
            FieldSpec(
                "item",
                "变更更正项目",
                "choice",
                choices=("姓名", "性别", "民族", "出生日期", "公民身份号码", "出生地", "其他"),
            ),
            FieldSpec("old_value", "变更前", "text", max_length=30),
            FieldSpec("new_value", "变更后", "text", max_length=30),
            FieldSpec("change_date", "变更日期", "date"),
            USAGE,
        ),
        subject_name="applicant_name",
        subject_id="applicant_id",
        wording=(
            "经查户籍档案，{applicant_name}（公民身份号码：{applicant_id}）的户口登记项目"
            "“{item}”于{change_date}由“{old_value}”变更更正为“{new_value}”，"
            "变更前后系同一人。",
            "此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "resident_identity_info",
        "居民身份信息证明",
        (*APPLICANT, FieldSpec("hukou_address", "户籍地址", "text", max_length=50), USAGE),
        subject_name="applicant_name",
        subject_id="applicant_id",
        wording=(
            "经查，{applicant_name}，公民身份号码{applicant_id}，户籍地址：{hukou_address}。",
            "此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "hukou_cancellation",
        "注销户口证明",
        (
            *APPLICANT,
            FieldSpec("subject_name", "被注销人姓名", "name"),
            FieldSpec("subject_id", "被注销人公民身份号码", "id_number"),
            FieldSpec(
                "cancellation_reason",
                "注销原因",
                "choice",
                choices=("死亡", "出国(境)定居", "服现役", "其他"),
            ),
            FieldSpec("cancellation_date", "注销日期", "date"),
            USAGE,
        ),
        subject_name="subject_name",
        subject_id="subject_id",
        wording=(
            "经查户籍档案，{subject_name}（公民身份号码：{subject_id}）的户口已于"
            "{cancellation_date}因{cancellation_reason}注销。",
            "申请人：{applicant_name}（公民身份号码：{applicant_id}）。此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "temporary_identity",
        "临时身份证明",
        (
            *APPLICANT,
            FieldSpec("purpose", "用途(乘机、住宿、考试、婚姻登记等)", "text", max_length=30),
            FieldSpec("valid_from", "有效期自", "date"),
            FieldSpec("valid_to", "有效期至", "date"),
        ),
        subject_name="applicant_name",
        subject_id="applicant_id",
        wording=(
            "兹有{applicant_name}，公民身份号码{applicant_id}，经全国人口信息系统核实，身份属实。",
            "此证明仅用于{purpose}。",
            CLOSING,
        ),
        validity="有效期：{valid_from}至{valid_to}",
        valid_until="valid_to",
        date_orders=(DateOrder("valid_from", "valid_to", "有效期至不能早于有效期自"),),
    ),
    FormSpec(
        "criminal_record",
        "有无违法犯罪记录证明",
        (*APPLICANT, FieldSpec("as_of_date", "查询截止日期", "date"), USAGE),
        subject_name="applicant_name",
        subject_id="applicant_id",
        wording=(
            "经查询，截至{as_of_date}，未发现{applicant_name}（公民身份号码：{applicant_id}）"
            "有犯罪记录。",
            "此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "criminal_record_letter",
        "犯罪记录查询结果告知函",
        (
            FieldSpec("unit_name", "查询单位", "text", max_length=40),
            FieldSpec("subject_name", "被查询人姓名", "name"),
            FieldSpec("subject_id", "被查询人公民身份号码", "id_number"),
            FieldSpec("legal_basis", "查询依据", "text", max_length=60),
            FieldSpec("as_of_date", "查询截止日期", "date"),
        ),
        subject_name="subject_name",
        subject_id="subject_id",
        wording=(
            "{unit_name}：",
            "你单位依据{legal_basis}，派员持介绍信申请查询{subject_name}"
            "（公民身份号码：{subject_id}）的犯罪记录。经查询，截至{as_of_date}，"
            "未发现其有犯罪记录。",
            "本函仅用于上述查询事由。",
            "特此函告。",
        ),
    ),
    FormSpec(
        "trafficked_child_identity",
        "被拐儿童身份证明",
        (
            FieldSpec("child_name", "儿童姓名", "name"),
            FieldSpec("child_id", "儿童公民身份号码", "id_number", required=False),
            FieldSpec("case_number", "案件编号", "text", max_length=30),
            FieldSpec("guardian", "监护人(机构)", "text", max_length=30),
            USAGE,
        ),
        subject_name="child_name",
        subject_id="child_id",
        wording=(
            "经查，{child_name}（公民身份号码：{child_id}）系我所办理的案件（{case_number}）"
            "中解救的被拐儿童，现由{guardian}监护。",
            "此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "other_statutory",
        "证明",
        (
            *APPLICANT,
            FieldSpec("legal_basis", "法律法规依据", "text", max_length=60),
            FieldSpec("facts", "证明事项", "text", max_length=120),
            USAGE,
        ),
        subject_name="applicant_name",
        subject_id="applicant_id",
        wording=(
            "根据{legal_basis}，经查：{facts}",
            "申请人：{applicant_name}（公民身份号码：{applicant_id}）。此证明用于{usage}。",
            CLOSING,
        ),
    ),
    FormSpec(
        "population_register_facts",
        "情况证明",
        (
            *APPLICANT,
            FieldSpec("subject_name", "被证明人姓名", "name"),
            FieldSpec("subject_id", "被证明人公民身份号码", "id_number"),
            FieldSpec("facts", "人口信息记载的事项", "text", max_length=120),
            USAGE,
        ),
        subject_name="subject_name",
        subject_id="subject_id",
        wording=(
            "经查公安机关人口信息，{subject_name}（公民身份号码：{subject_id}）：{facts}",
            "申请人：{applicant_name}（公民身份号码：{applicant_id}）。此证明用于{usage}"
            "（省外或出国（境）办理事项，按特事特办出具）。",
            CLOSING,
        ),
    ),
)

_NOTICE_COMMON = (
    FieldSpec("requested", "所要证明", "text", max_length=60),
    FieldSpec("requester", "要求单位", "text", max_length=130),
    FieldSpec("purpose", "用途", "text", max_length=20),
)

_NOTICES = (
    FormSpec(
        "refusal_notice",
        "不予出具证明告知书",
        (
            *_NOTICE_COMMON,
            FieldSpec("applicant", "申请人", "text", max_length=70, required=False),
            FieldSpec("reason_class", "理由类别", "text", max_length=20),
            FieldSpec("reason", "理由", "text", max_length=200),
            FieldSpec("basis", "依据", "text", max_length=200),
            FieldSpec("use_instead", "请改用", "text", max_length=200),
            FieldSpec("report", "报告上级", "text", max_length=80, required=False),
        ),
        subject_name=None,
        subject_id=None,
        kind="notice",
        copies=("第一联 申请人留存", "第二联 存根(派出所留存)"),
        wording=(
            "{applicant}因{requester}要求（{purpose}）申请开具“{requested}”。经审查，不予出具。",
            "理由（{reason_class}）：{reason}",
            "依据：{basis}",
            "请改用：{use_instead}",
            "要求单位应当认可上述材料或通过部门间信息共享核查，不得再要求群众开具该证明。{report}",
            "特此告知。",
        ),
    ),
    FormSpec(
        "criminal_record_refusal",
        "不予出具无犯罪记录证明通知书",
        (
            *_NOTICE_COMMON,
            FieldSpec("applicant", "申请人", "text", max_length=70),
            FieldSpec("review", "复查", "text", max_length=160),
        ),
        subject_name=None,
        subject_id=None,
        kind="notice",
        wording=(
            "{applicant}因{requester}要求（{purpose}）申请开具“{requested}”。",
            "经查询，发现申请人有犯罪记录。根据《公安机关办理犯罪记录查询工作规定》，"
            "不予出具无犯罪记录证明。",
            "{review}",
            "特此通知。",
        ),
    ),
    FormSpec(
        "criminal_record_unit_reply",
        "犯罪记录查询结果告知函",
        (
            FieldSpec("unit_name", "查询单位", "text", max_length=40),
            FieldSpec("subject_name", "被查询人姓名", "name"),
            FieldSpec("subject_id", "被查询人公民身份号码", "id_number"),
            FieldSpec("legal_basis", "查询依据", "text", max_length=60),
        ),
        subject_name=None,
        subject_id=None,
        kind="notice",
        wording=(
            "{unit_name}：",
            "你单位依据{legal_basis}，派员持介绍信申请查询{subject_name}"
            "（公民身份号码：{subject_id}）的犯罪记录。经查询，发现其有犯罪记录。",
            "本函仅用于上述查询事由。",
            "特此函告。",
        ),
    ),
    FormSpec(
        "inquiry_result",
        "核查结果",
        (
            FieldSpec("partner", "请求单位", "text", max_length=80),
            FieldSpec("asked_on", "请求日期", "date"),
            FieldSpec("legal_basis", "核查依据", "text", max_length=240),
            FieldSpec("partner_case_no", "请求单位案号", "text", max_length=60),
            FieldSpec("subject_name", "被核查人姓名", "name"),
            FieldSpec("subject_id", "被核查人公民身份号码", "id_number"),
            FieldSpec("information", "核查事项", "text", max_length=240),
            FieldSpec("result", "核查结果", "text", max_length=600),
            FieldSpec("signed", "签名", "text", max_length=120),
        ),
        subject_name=None,
        subject_id=None,
        kind="reply",
        wording=(
            "{partner}：",
            "你单位于{asked_on}依据{legal_basis}（案号：{partner_case_no}），请求核查"
            "{subject_name}（公民身份号码：{subject_id}）的{information}。经本所查询，"
            "答复如下（截至答复之日）：",
            "{result}",
            "{signed}",
            "本结果仅用于上述核查事由。特此函复。",
        ),
    ),
    FormSpec(
        "commitment_form",
        "证明事项告知承诺书",
        (
            *_NOTICE_COMMON,
            FieldSpec("list", "告知承诺制目录", "text", max_length=100),
        ),
        subject_name=None,
        subject_id=None,
        kind="notice",
        wording=(
            "申请人：____________　公民身份号码：______________________",
            "一、证明义务：申请人向{requester}申请办理事项（{purpose}），原须提交“{requested}”。"
            "该证明已列入{list}，实行证明事项告知承诺制：申请人可自愿选择以书面承诺代替提交该证明。",
            "二、证明内容：申请人承诺“{requested}”所要证明的事项真实、准确、完整。",
            "三、法律责任：申请人作出不实承诺的，要求单位将依法撤销相关决定或终止办理，"
            "依法追究相应法律责任，并将不实承诺记入信用记录。要求单位将依法进行事中事后核查。",
            "四、申请人已知晓上述内容，自愿作出承诺。本承诺书由申请人在要求单位签署，"
            "派出所仅提供式样。",
            "承诺人（签字）：____________　　日期：______年____月____日",
        ),
    ),
    FormSpec(
        "referral_notice",
        "办理地点告知书",
        (
            *_NOTICE_COMMON,
            FieldSpec("where", "办理地点", "text", max_length=80),
            FieldSpec("basis", "依据", "text", max_length=200),
        ),
        subject_name=None,
        subject_id=None,
        kind="notice",
        wording=(
            "您因{requester}要求（{purpose}）申请开具“{requested}”。",
            "该证明由{where}办理，请持本人居民身份证或居民户口簿到该处申请；"
            "本所已一次告知，您无需再到本所。这不是不予出具。",
            "依据：{basis}",
            "特此告知。",
        ),
    ),
    FormSpec(
        "exchange_notice",
        "信息交换告知书",
        (
            *_NOTICE_COMMON[:2],
            FieldSpec("information", "交换的信息", "text", max_length=200),
            FieldSpec("basis", "依据", "text", max_length=200),
        ),
        subject_name=None,
        subject_id=None,
        kind="notice",
        wording=(
            "{requester}：",
            "贵单位要求当事人开具的“{requested}”所涉信息（{information}），"
            "已纳入部门间信息交换，由贵单位通过批量信息核查获取，当事人无需到派出所开具证明。",
            "依据：{basis}",
            "特此告知。",
        ),
    ),
    FormSpec(
        "missing_materials_notice",
        "一次性告知书",
        (*_NOTICE_COMMON[:2], FieldSpec("missing", "缺少的材料", "text", max_length=300)),
        subject_name=None,
        subject_id=None,
        kind="notice",
        wording=(
            "您因{requester}要求申请开具的“{requested}”，尚缺少以下材料，现一次性告知如下：",
            "{missing}",
            "请补齐上述材料后再来办理。特此告知。",
        ),
    ),
    FormSpec(
        "acceptance_receipt",
        "受理回执",
        (
            FieldSpec("requested", "所要证明", "text", max_length=60),
            FieldSpec("case_no", "案件编号", "text", max_length=40),
            FieldSpec("due_date", "办结日期", "date"),
            FieldSpec("working_days", "工作日", "text", max_length=3),
            FieldSpec("due_date_note", "说明", "text", max_length=80, required=False),
        ),
        subject_name=None,
        subject_id=None,
        kind="notice",
        wording=(
            "您申请开具的“{requested}”已受理（案件编号：{case_no}）。",
            "因需调查核实，将在{working_days}个工作日内，即{due_date}前办结。{due_date_note}",
            "请凭本回执领取证明。",
        ),
    ),
)

_SPECS = _CERTIFICATES + _NOTICES
_BY_ID = {spec.id: spec for spec in _SPECS}
NOTICE_FORMS = {
    "refusal": "refusal_notice",
    "exchange": "exchange_notice",
    "missing_materials": "missing_materials_notice",
    "acceptance_receipt": "acceptance_receipt",
    "referral": "referral_notice",
    "commitment": "commitment_form",
    "criminal_record_refusal": "criminal_record_refusal",
    "criminal_record_unit_reply": "criminal_record_unit_reply",
}


def get(form_id: str) -> FormSpec:
    return _BY_ID[form_id]


def all_specs() -> tuple[FormSpec, ...]:
    return _SPECS
