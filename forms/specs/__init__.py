"""One spec per certificate form. ``get(form_id)`` finds it; ``all_specs()`` lists them."""

from __future__ import annotations

from forms.fields import DateOrder, FieldSpec, FormSpec

APPLICANT = (
    FieldSpec("applicant_name", "申请人姓名", "name"),
    FieldSpec("applicant_id", "申请人公民身份号码", "id_number"),
)
USAGE = FieldSpec("usage", "用途", "text", max_length=40, help="证明交哪个单位、办什么事")

_SPECS = (
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
    ),
    FormSpec(
        "abandoned_infant",
        "捡拾弃婴(儿童)报案证明",
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
    ),
    FormSpec(
        "resident_identity_info",
        "居民身份信息证明",
        (*APPLICANT, FieldSpec("hukou_address", "户籍地址", "text", max_length=50), USAGE),
        subject_name="applicant_name",
        subject_id="applicant_id",
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
        date_orders=(DateOrder("valid_from", "valid_to", "有效期至不能早于有效期自"),),
    ),
    FormSpec(
        "criminal_record",
        "有无违法犯罪记录证明",
        (*APPLICANT, FieldSpec("as_of_date", "查询截止日期", "date"), USAGE),
        subject_name="applicant_name",
        subject_id="applicant_id",
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
    ),
)

_BY_ID = {spec.id: spec for spec in _SPECS}


def get(form_id: str) -> FormSpec:
    return _BY_ID[form_id]


def all_specs() -> tuple[FormSpec, ...]:
    return _SPECS
