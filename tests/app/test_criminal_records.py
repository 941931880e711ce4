"""Criminal-record certificates under the 2021 rules (research C1–C7), through the command line:
3 working days; the individual's route and the unit's (a letter of introduction and the law that
requires the check, answered by 犯罪记录查询结果告知函); a refusal with its own notice telling of
the review; the review (复查) as a case of its own, due in 15 working days, extendable to 30."""

from __future__ import annotations

import datetime as dt
import subprocess
from contextlib import closing
from pathlib import Path

from support import APPROVED, CLERK, PASSWORD, js, login, make_station, run, sql

from app.policy.catalog import builtin_catalog_path, load_catalog
from app.policy.decision import Request, decide

NATIONAL = load_catalog(builtin_catalog_path("national-2016"))
JILIN = load_catalog(builtin_catalog_path("jilin-2015"))
TODAY = dt.date(2026, 12, 1)
TEACHERS = "《中华人民共和国教师法》第十四条"
PERSON = [
    "--field", "applicant_name=王丽", "--field", "applicant_id=220102198003150027",
    "--field", "as_of_date=2026-12-01", "--field", "usage=出国留学",
]  # fmt: skip


def test_the_unit_route_needs_the_law_and_answers_with_a_letter() -> None:
    for catalog in (NATIONAL, JILIN):
        name = catalog.kind(
            "nat_issue_no_criminal_record" if catalog is NATIONAL else "jl_criminal_record_abroad"
        ).name
        without = decide(catalog, Request(name, "education", "in_province", by_unit=True), TODAY)
        assert (without.outcome, without.reason_class) == ("abolished", "no_legal_basis")
        assert without.report_to_superior and "单位查询" in without.reason
        unit = decide(
            catalog,
            Request(name, "education", "in_province", by_unit=True, statute=TEACHERS),
            TODAY,
        )
        assert (unit.outcome, unit.form) == ("issue", "criminal_record_letter")
        assert TEACHERS in unit.basis and unit.statute == TEACHERS and "unit_route" in unit.rules
        assert any("介绍信" in step for step in unit.steps)
        person = decide(catalog, Request(name, "other", "abroad"), TODAY)
        assert person.form == "criminal_record" and "unit_route" not in person.rules
    # a kind without a unit route is the person's own: the unit's flag changes nothing
    kin = decide(NATIONAL, Request("亲属关系证明", "bank", "in_province", by_unit=True), TODAY)
    assert kin.form == "kinship" and any("没有单位代为查询的途径" in s for s in kin.steps)


def pdftext(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.replace("\n", "")


def test_refusal_review_and_extension_through_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "station"
    make_station(data)
    login(data, CLERK)
    # a unit with its letter and the law: the letter, printed, names unit, person and basis
    letter = tmp_path / "letter.pdf"
    unit = js(
        run(
            data, "issue", "--kind", "有无违法犯罪记录证明", "--requester", "education",
            "--purpose", "in_province", "--by-unit", "--statute", TEACHERS,
            "--field", "unit_name=长春市某某中学", "--field", "subject_name=王丽",
            "--field", "subject_id=220102198003150027", "--field", "legal_basis=" + TEACHERS,
            "--field", "as_of_date=2026-12-01", "--output", str(letter), "--json",
        )
    )  # fmt: skip
    assert unit["status"] == "issued" and unit["serial"]
    text = pdftext(letter)
    assert "犯罪记录查询结果告知函" in text and "长春市某某中学：" in text and TEACHERS in text
    # the person's own request needs checks: accepted, due in 3 working days
    accepted = js(
        run(
            data, "issue", "--kind", "有无违法犯罪记录证明", "--requester", "other",
            "--purpose", "abroad", "--needs-investigation", *PERSON, "--json",
        )
    )  # fmt: skip
    assert accepted["status"] == "pending_investigation"
    from app.context import Context

    ctx = Context(data)
    three = ctx.calendar().add_working_days(ctx.today(), 3).due.isoformat()
    ctx.close()
    assert accepted["due_date"] == three
    # a record found: refused with the dedicated notice, which tells of the review
    notice = tmp_path / "refusal.pdf"
    refused = run(
        data, "case", "refuse", accepted["case_no"], "--reason", "经查询有犯罪记录",
        *APPROVED, "--output", str(notice), "--json", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert refused.returncode == 0, refused.stderr
    assert js(refused)["notice_type"] == "criminal_record_refusal"
    text = pdftext(notice)
    assert "不予出具无犯罪记录证明通知书" in text and "申请人王丽" in text
    assert "15个工作日内答复" in text and "30个工作日" in text
    # the review: a case of its own, 15 working days, with its receipt
    review = js(
        run(
            data, "case", "review", accepted["case_no"], "--reason", "申请人称系同名同姓",
            "--json",
        )
    )  # fmt: skip
    assert review["status"] == "pending_investigation" and review["case_no"] != accepted["case_no"]
    assert "15个工作日内答复" in review["due_date_note"] and review["notice_no"]
    twice = run(data, "case", "review", accepted["case_no"], "--reason", "再次", "--json")
    assert twice.returncode == 2 and "已申请复查" in js(twice)["message"]
    # complex: extended once, with a supervisor, to 30 working days from acceptance
    extended = run(
        data, "case", "extend", review["case_no"], "--reason", "需向原审法院核实",
        *APPROVED, "--json", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert extended.returncode == 0, extended.stderr
    assert js(extended)["due_date"] > review["due_date"]
    again = run(
        data, "case", "extend", review["case_no"], "--reason", "再延", *APPROVED, "--json",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert again.returncode == 2 and "已延长过" in js(again)["message"]
    # upheld: the review's refusal says so and points to the legal remedies
    upheld = tmp_path / "upheld.pdf"
    done = run(
        data, "case", "refuse", review["case_no"], "--reason", "复查确认有犯罪记录",
        *APPROVED, "--output", str(upheld), "--json", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "经复查，维持原查询结果" in pdftext(upheld)
    with closing(sql(data / "certdesk.db")) as conn:
        rows = conn.execute(
            "SELECT case_no, status, review_of IS NOT NULL FROM cases ORDER BY created_at"
        ).fetchall()
    assert [r[1:] for r in rows] == [("issued", 0), ("refused", 0), ("refused", 1)]


def test_a_unit_is_answered_by_its_letter_when_a_record_is_found(tmp_path: Path) -> None:
    data = tmp_path / "station"
    make_station(data)
    login(data, CLERK)
    pending = js(
        run(
            data, "issue", "--kind", "有无违法犯罪记录证明", "--requester", "education",
            "--purpose", "in_province", "--by-unit", "--statute", TEACHERS,
            "--needs-investigation",
            "--field", "unit_name=长春市某某中学", "--field", "subject_name=王丽",
            "--field", "subject_id=220102198003150027", "--field", "legal_basis=" + TEACHERS,
            "--field", "as_of_date=2026-12-01", "--json",
        )
    )  # fmt: skip
    assert pending["status"] == "pending_investigation"
    reply = tmp_path / "reply.pdf"
    done = run(
        data, "case", "refuse", pending["case_no"], "--reason", "经查询有犯罪记录",
        *APPROVED, "--output", str(reply), "--json", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert js(done)["notice_type"] == "criminal_record_unit_reply"
    text = pdftext(reply)
    assert "犯罪记录查询结果告知函" in text and "长春市某某中学：" in text
    assert "发现其有犯罪记录" in text and "不予出具无犯罪记录证明" not in text
