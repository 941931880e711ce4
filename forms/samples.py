"""Realistic filled values for every form, and ``python -m forms.samples DIR``: PDF + PNG pages.

The samples are what a reviewer looks at and what the tests compare with the committed
reference images (``tests/forms/reference``).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from forms import specs
from forms.render import Document, render

ID_A = "220102198003150027"  # valid GB 11643 numbers (check characters computed)
ID_B = "220102195506200010"
STATION, PHONE = "长春市南关区民康派出所", "0431-88886666"
ISSUED = dt.date(2026, 11, 27)

VALUES: dict[str, dict[str, str]] = {
    "kinship": {
        "applicant_name": "王𪚥",
        "applicant_id": ID_A,
        "relative_name": "王建国",
        "relative_id": ID_B,
        "relation": "父女",
        "usage": "办理银行存款继承手续",
    },
    "unnatural_death": {
        "applicant_name": "李秀兰",
        "applicant_id": ID_A,
        "deceased_name": "赵德明",
        "deceased_id": ID_B,
        "death_date": "2026-10-03",
        "death_place": "南关区伊通河畔",
        "cause": "溺水，排除他杀",
        "usage": "办理保险理赔",
    },
    "abandoned_infant": {
        "finder_name": "长春市儿童福利院",
        "finder_id": "",
        "found_date": "2026-06-12",
        "found_place": "南关区全安广场东门",
        "child_sex": "女",
        "child_description": "约三个月大，身穿粉色棉衣",
        "report_number": "J2201020026061200031",
        "usage": "办理儿童福利机构收留抚养手续",
    },
    "hukou_item_change": {
        "applicant_name": "刘晓燕",
        "applicant_id": ID_A,
        "item": "姓名",
        "old_value": "刘小燕",
        "new_value": "刘晓燕",
        "change_date": "2019-04-22",
        "usage": "办理房屋不动产登记",
    },
    "resident_identity_info": {
        "applicant_name": "陈立军",
        "applicant_id": ID_B,
        "hukou_address": "吉林省长春市南关区民康路88号2栋3单元501室",
        "usage": "办理社会保险关系转移",
    },
    "hukou_cancellation": {
        "applicant_name": "孙丽娜",
        "applicant_id": ID_A,
        "subject_name": "孙广志",
        "subject_id": ID_B,
        "cancellation_reason": "死亡",
        "cancellation_date": "2025-12-09",
        "usage": "办理遗产继承公证",
    },
    "temporary_identity": {
        "applicant_name": "周凯",
        "applicant_id": ID_B,
        "purpose": "乘坐民航班机",
        "valid_from": "2026-11-27",
        "valid_to": "2026-11-28",
    },
    "criminal_record": {
        "applicant_name": "吴静怡",
        "applicant_id": ID_A,
        "as_of_date": "2026-11-27",
        "usage": "办理赴加拿大留学签证",
    },
    "trafficked_child_identity": {
        "child_name": "杨乐乐",
        "child_id": "",
        "case_number": "南公刑〔2026〕112号",
        "guardian": "长春市儿童福利院",
        "usage": "办理户口登记",
    },
    "other_statutory": {
        "applicant_name": "郑海涛",
        "applicant_id": ID_B,
        "legal_basis": "《中华人民共和国××法》第××条",
        "facts": "该同志户籍登记情况与所附材料一致。",
        "usage": "办理相关手续",
    },
    "population_register_facts": {
        "applicant_name": "王丽",
        "applicant_id": ID_A,
        "subject_name": "王福贵",
        "subject_id": ID_B,
        "facts": "户籍所在地为吉林省长春市南关区民康街道，1998年5月由长春市朝阳区迁入。",
        "usage": "在加拿大办理遗产继承公证",
    },
    "refusal_notice": {
        "applicant": "申请人王丽（公民身份号码：220102198003150027）",
        "requested": "无房证明",
        "requester": "银行（某某银行长春南关支行）",
        "purpose": "省内使用",
        "reason_class": "没有法律依据",
        "reason": "所要求的证明不在公安派出所出具证明目录内，没有法律法规依据，派出所不予出具。",
        "basis": "公安部等《公安派出所出具证明“五个一律”工作规定》(2018年)",
        "use_instead": "请要求单位说明法律依据；属于其他部门职责的，由该部门核实。",
        "report": "本所已于二〇二六年十一月二十七日将该要求报告上级公安机关。",
    },
    "criminal_record_letter": {
        "unit_name": "长春市某某中学",
        "subject_name": "王丽",
        "subject_id": ID_A,
        "legal_basis": "《中华人民共和国教师法》第十四条",
        "as_of_date": "2026-11-27",
    },
    "criminal_record_refusal": {
        "applicant": "申请人王丽（公民身份号码：220102198003150027）",
        "requested": "无犯罪记录证明",
        "requester": "其他单位或个人",
        "purpose": "出国(境)使用",
        "review": "如对查询结果有异议，可向本所申请复查并提交相关材料；本所自受理之日起15个工作日内答复，"
        "情况复杂的，可延长至30个工作日。",
    },
    "criminal_record_unit_reply": {
        "unit_name": "长春市某某中学",
        "subject_name": "王丽",
        "subject_id": ID_A,
        "legal_basis": "《中华人民共和国教师法》第十四条",
    },
    "inquiry_result": {
        "partner": "长春市朝阳区人民法院",
        "asked_on": "2026-11-25",
        "legal_basis": "《中华人民共和国民事诉讼法》第六十七条",
        "partner_case_no": "(2026)吉0104民初1234号",
        "subject_name": "王丽",
        "subject_id": ID_A,
        "information": "户口注销的事实和日期",
        "result": "查询结果：查有此人；户口是否注销：已注销；注销日期：2026年3月2日。",
        "signed": "本结果由第01号工作站于2026年11月27日答复，经该工作站密钥数字签名(220102001-01-1)。",
    },
    "commitment_form": {
        "requested": "亲属关系证明",
        "requester": "人力资源和社会保障部门（某某区社会保险事业管理局）",
        "purpose": "省内使用",
        "list": "《某某省证明事项告知承诺制目录》(样例)",
    },
    "referral_notice": {
        "requested": "无犯罪记录证明",
        "requester": "其他单位或个人",
        "purpose": "出国(境)使用",
        "where": "户籍地或居住地派出所",
        "basis": "公安部《公安机关办理犯罪记录查询工作规定》(2021年)",
    },
    "exchange_notice": {
        "requested": "户口注销证明",
        "requester": "人民法院",
        "purpose": "省内使用",
        "information": "户口注销的事实和日期",
        "basis": "吉林省公安厅等11个部门单位《关于改进公安派出所出具证明有关事项的通知》",
    },
    "missing_materials_notice": {
        "requested": "亲属关系证明",
        "requester": "银行",
        "purpose": "省内使用",
        "missing": "1. 居民户口簿；2. 亲属的居民身份证；3. 代办人的书面委托书",
    },
    "acceptance_receipt": {
        "requested": "非正常死亡证明",
        "case_no": "220102001-01-2026-C000104",
        "due_date": "2026-12-04",
        "working_days": "5",
        "due_date_note": "",
    },
}

NUMBERS = {
    spec.id: (
        "220102001-01-2026-000101-9"
        if spec.kind == "certificate"
        else "HC-2026-000101"
        if spec.kind == "reply"
        else "220102001-01-2026-N000101"
    )
    for spec in specs.all_specs()
}


def document(form_id: str, *, qr_text: str | None = None) -> Document:
    spec = specs.get(form_id)
    return Document(
        spec,
        NUMBERS[form_id],
        VALUES[form_id],
        STATION,
        PHONE,
        "张伟",
        "220001",
        ISSUED,
        qr_text=qr_text,
    )


def main(out: Path, dpi: int = 80, *, keep_pdf: bool = True) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for spec in specs.all_specs():
        qr = {"certificate": "CD2:SAMPLE", "reply": "HTTPS://YZ.EXAMPLE/H/HC-2026-000101"}.get(
            spec.kind
        )
        pdf = out / f"{spec.id}.pdf"
        pdf.write_bytes(render(document(spec.id, qr_text=qr)))
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",
                "-png",
                "-singlefile",
                str(pdf),
                str(out / spec.id),
            ],
            check=True,
        )
        if not keep_pdf:
            pdf.unlink()
        print(out / f"{spec.id}.png")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "out/samples")
    main(target, int(sys.argv[2]) if len(sys.argv) > 2 else 80, keep_pdf=len(sys.argv) <= 3)
