"""Printing through the certdesk command: issue, notice, reprint, render, forms, verify."""

from __future__ import annotations

import hashlib
import subprocess
from contextlib import closing
from pathlib import Path

from support import (
    APPROVED,
    AUDITOR,
    CLERK,
    KINSHIP,
    PASSWORD,
    UNNATURAL,
    altered_qr,
    field_args,
    js,
    login,
    qr_body,
    run,
    sql,
    station_key,
)

from app.records.vault import open_for


def kinship(out: Path, **override: str) -> list[str]:
    args = [
        "issue",
        "--kind",
        "亲属关系证明",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        "--output",
        str(out),
        "--json",
    ]
    for name, value in {**KINSHIP, **override}.items():
        args += ["--field", f"{name}={value}"]
    return args


def codes(pdf: Path) -> dict[str, str]:
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )
    out = subprocess.run(
        ["zbarimg", "-q", str(pdf.with_suffix(".png"))], capture_output=True, text=True, check=False
    ).stdout
    return dict(line.partition(":")[::2] for line in out.splitlines())


def test_issue_prints_archives_and_the_qr_verifies(station_dir: Path, tmp_path: Path) -> None:
    login(station_dir, CLERK)
    out = tmp_path / "cert.pdf"
    result = run(station_dir, *kinship(out))
    assert result.returncode == 0, result.stderr
    serial = js(result)["serial"]
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")
    assert "王𪚥" in text and serial in text and "亲属关系证明" in text
    found = codes(out)
    assert found["CODE-128"] == serial
    with closing(sql(station_dir / "certdesk.db")) as conn:
        path, digest, count = conn.execute(
            "SELECT pdf_path, pdf_sha256, print_count FROM certificates"
        ).fetchone()
    archived = station_dir / path  # kept sealed; opened with the key, the very bytes printed
    assert not archived.read_bytes().startswith(b"%PDF")
    assert open_for(station_key(station_dir), station_dir, archived) == out.read_bytes()
    assert count == 1
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    check = js(
        run(
            station_dir,
            "verify",
            "--qr",
            found["QR-Code"],
            "--id",
            KINSHIP["applicant_id"],
            "--json",
        )
    )
    # version 2: the QR certifies every printed fact; the verifier shows them to compare
    assert check["valid"] is True and check["version"] == 2 and check["holder_matches"] is True
    assert (check["serial"], check["kind_id"], check["form_id"]) == (
        serial,
        "jl_kinship",
        "kinship",
    )
    assert check["station"] == "220102001" and "请核对纸面内容" in check["reason"]
    assert set(check["facts"]) == set(KINSHIP)
    assert check["facts"]["applicant_name"] == "王𪚥" and check["facts"]["relation"] == "父子"
    # what a scanner reads: the printed facts and the metadata, no holder hash
    carried = set(qr_body(found["QR-Code"]))
    assert (
        {"v", "s", "k", "f", "d", "key", "n", "x"}
        <= carried
        <= {"v", "s", "k", "f", "d", "key", "n", "t", "x"}
    )
    shown = run(station_dir, "verify", "--qr", found["QR-Code"]).stdout
    assert "亲属关系：父子" in shown and "亲属姓名：王小明" in shown and "请与纸面逐项核对" in shown
    # the paper's relation changed and the QR re-encoded to match: the signature no longer holds
    changed = altered_qr(found["QR-Code"], relation="祖孙")
    bad = run(station_dir, "verify", "--qr", changed, "--json")
    assert bad.returncode == 1 and js(bad)["valid"] is False and "签名无效" in js(bad)["reason"]
    assert js(bad)["facts"] == {}  # unsigned text is never shown as a fact
    other = run(tmp_path / "elsewhere", "verify", "--qr", found["QR-Code"], "--json")
    assert js(other)["valid"] is False and "不认识" in js(other)["reason"]

    again = tmp_path / "again.pdf"
    copy = run(
        station_dir,
        "reprint",
        serial,
        "--reason",
        "原件遗失",
        "--officer",
        CLERK,
        "--output",
        str(again),
        "--json",
        *APPROVED,
        stdin=PASSWORD,
    )
    assert js(copy)["print_count"] == 2 and again.read_bytes() == out.read_bytes()
    login(station_dir, AUDITOR)
    assert run(station_dir, "audit", "verify").returncode == 0
    login(station_dir, CLERK)
    sealed = archived.read_bytes()
    archived.write_bytes(out.read_bytes() + b"%tampered")  # a plain file slipped in: refused
    slipped = run(
        station_dir, "reprint", serial, "--reason", "再次补打", "--output",
        str(tmp_path / "x.pdf"), *APPROVED, stdin=PASSWORD,
    )  # fmt: skip
    assert slipped.returncode == 2 and "未加密" in slipped.stderr
    archived.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))  # one bit changed
    broken = run(
        station_dir,
        "reprint",
        serial,
        "--reason",
        "再次补打",
        "--officer",
        CLERK,
        "--output",
        str(tmp_path / "x.pdf"),
        *APPROVED,
        stdin=PASSWORD,
    )
    assert broken.returncode == 2 and "被改动" in broken.stderr


def test_rendering_failure_records_nothing_and_uses_no_serial(
    station_dir: Path, tmp_path: Path
) -> None:
    login(station_dir, CLERK)
    out = tmp_path / "cert.pdf"
    failed = run(station_dir, *kinship(out, relative_name="王\U00031350"))
    assert failed.returncode == 2
    assert js(failed)["field"] == "relative_name" and "U+31350" in js(failed)["message"]
    assert not out.exists() and not (station_dir / "archive").exists()
    with closing(sql(station_dir / "certdesk.db")) as conn:
        assert conn.execute("SELECT count(*) FROM certificates").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM counters").fetchone()[0] == 0
    assert js(run(station_dir, *kinship(out)))["sequence"] == 1


def test_notices_print(station_dir: Path, tmp_path: Path) -> None:
    login(station_dir, CLERK)
    cases = {
        "refusal": ["--kind", "无房证明", "--requester", "bank"],
        "exchange": ["--kind", "注销户口证明", "--requester", "court"],
        "missing": ["--kind", "亲属关系证明", "--requester", "bank", "--missing", "居民户口簿"],
    }
    titles = {
        "refusal": "不予出具证明告知书",
        "exchange": "信息交换告知书",
        "missing": "一次性告知书",
    }
    for name, args in cases.items():
        out = tmp_path / f"{name}.pdf"
        result = run(
            station_dir,
            "notice",
            *args,
            "--purpose",
            "in_province",
            "--officer",
            CLERK,
            "--output",
            str(out),
            "--json",
        )
        assert result.returncode == 0, result.stderr
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.replace("\n", "")
        assert titles[name] in text and js(result)["notice_no"] in text
        assert codes(out)["CODE-128"] == js(result)["notice_no"]
    refusal = subprocess.run(
        ["pdftotext", str(tmp_path / "refusal.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "报告上级公安机关" in refusal.replace("\n", "")


def test_investigation_receipt_prints_its_due_date(station_dir: Path, tmp_path: Path) -> None:
    login(station_dir, CLERK)
    out = tmp_path / "receipt.pdf"
    result = run(
        station_dir,
        "issue",
        "--kind",
        "非正常死亡证明",
        "--requester",
        "other",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        "--output",
        str(out),
        *field_args(UNNATURAL),
        "--json",
    )
    data = js(result)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")
    year, month, day = (int(x) for x in data["due_date"].split("-"))
    assert "受理回执" in text and f"{year}年{month}月{day}日" in text
    assert data["case_no"] in text


def test_render_specimen_and_forms_list(tmp_path: Path) -> None:
    out = tmp_path / "specimen.pdf"
    args = ["render", "kinship", "--output", str(out)]
    for name, value in KINSHIP.items():
        args += ["--field", f"{name}={value}"]
    result = run(tmp_path / "nowhere", *args)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "样本" in text and "王𪚥" in text.replace("\n", "")
    assert not (tmp_path / "nowhere" / "certdesk.db").exists()  # nothing recorded
    bad = run(
        tmp_path / "nowhere",
        "render",
        "kinship",
        "--field",
        "applicant_id=123",
        "--output",
        str(out),
    )
    assert bad.returncode == 2
    listed = js(run(tmp_path, "forms", "list", "--json"))
    ids = {form["id"] for form in listed}
    assert {"kinship", "refusal_notice", "acceptance_receipt"} <= ids


def test_finishing_an_investigation_prints_the_certificate(
    station_dir: Path, tmp_path: Path
) -> None:
    login(station_dir, CLERK)
    accepted = js(
        run(
            station_dir,
            "issue",
            "--kind",
            "非正常死亡证明",
            "--requester",
            "other",
            "--purpose",
            "in_province",
            "--officer",
            CLERK,
            *field_args(UNNATURAL),
            "--json",
        )
    )
    out = tmp_path / "finished.pdf"
    finished = js(
        run(
            station_dir,
            "case",
            "finish",
            accepted["case_no"],
            "--officer",
            CLERK,
            "--output",
            str(out),
            "--json",
        )
    )
    assert finished["serial"] and out.exists()
    assert codes(out)["CODE-128"] == finished["serial"]


def test_hand_over_after_printing_is_recorded_once(station_dir: Path, tmp_path: Path) -> None:
    login(station_dir, CLERK)
    printed = js(run(station_dir, *kinship(tmp_path / "a.pdf")))["serial"]
    args = kinship(tmp_path / "b.pdf")
    del args[args.index("--output") : args.index("--output") + 2]  # issued, not printed
    unprinted = js(run(station_dir, *args))["serial"]
    refused = run(station_dir, "hand-over", unprinted, "--officer", CLERK)
    assert refused.returncode == 2 and "尚未打印" in refused.stderr
    handed = js(run(station_dir, "hand-over", printed, "--officer", CLERK, "--json"))
    assert handed["handed_over_at"] and handed["handed_over_by"] == f"张警官({CLERK})"
    again = js(run(station_dir, "hand-over", printed, "--officer", CLERK, "--json"))
    assert again["handed_over_at"] == handed["handed_over_at"]
    with closing(sql(station_dir / "certdesk.db")) as conn:
        actions = [a for (a,) in conn.execute("SELECT action FROM audit_events ORDER BY seq")]
        topics = [t for (t,) in conn.execute("SELECT topic FROM outbox ORDER BY seq")]
    assert actions.count("certificate.hand_over") == 1 and topics.count("hand_over") == 1
    assert (
        js(run(station_dir, "show", printed, "--json"))["handed_over_at"]
        == handed["handed_over_at"]
    )


def test_the_refusal_notice_names_applicant_unit_reason_and_report_with_a_stub(
    station_dir: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from app.policy.workdays import CHINA
    from forms.render import chinese_date

    login(station_dir, CLERK)
    out = tmp_path / "refusal.pdf"
    request = ["--kind", "无上访记录证明", "--requester", "bank", "--purpose", "in_province"]
    result = run(
        station_dir,
        "notice",
        *request,
        "--requester-name",
        "某某银行长春南关支行",
        "--applicant-name",
        "王丽",
        "--applicant-id",
        "220102198003150027",
        "--output",
        str(out),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert "Pages:           2" in info.stdout
    pages = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.replace("\n", "")
        for n in (1, 2)
    ]
    today = chinese_date(dt.datetime.now(CHINA).date())
    for page, copy in zip(pages, ("第一联 申请人留存", "第二联 存根(派出所留存)"), strict=True):
        assert copy in page
        assert "申请人王丽（公民身份号码：220102198003150027）" in page
        assert "银行（某某银行长春南关支行）" in page and "“无上访记录证明”" in page
        assert "理由（没有法律依据）" in page
        assert f"本所已于{today}将该要求报告上级公安机关" in page
        assert "首接民警" in page and "当事人签收" in page
    # an identity number without a name, or a wrong one, is refused and nothing is recorded
    for extra, field in (
        (["--applicant-id", "220102198003150027"], "申请人姓名"),
        (
            ["--applicant-name", "王丽", "--applicant-id", "220102198003150028"],
            "申请人公民身份号码",
        ),
    ):
        bad = run(station_dir, "notice", *request, *extra, "--json")
        assert bad.returncode == 2 and field in js(bad)["message"], bad.stdout
    with closing(sql(station_dir / "certdesk.db")) as conn:
        assert conn.execute("SELECT count(*) FROM notices").fetchone()[0] == 1


def test_a_request_at_the_wrong_station_gets_the_referral_notice(
    station_dir: Path, tmp_path: Path
) -> None:
    """Criminal records are handled at the hukou or residence station (2021 rules, C2): asked
    elsewhere, the citizen is told where to go in writing — not refused, not flagged."""
    from support import SUPERVISOR

    login(station_dir, CLERK)
    request = [
        "--kind", "有无违法犯罪记录证明", "--requester", "other", "--purpose", "abroad",
        "--elsewhere",
    ]  # fmt: skip
    refused = run(station_dir, "issue", *request, "--field", "applicant_name=王一", "--json")
    assert refused.returncode == 3
    out = js(refused)
    assert out["reason"] == "referred" and "户籍地或居住地派出所" in out["message"]
    assert "办理地点告知书" in out["hint"] and out["decision"]["referred"] is True
    pdf = tmp_path / "referral.pdf"
    done = run(station_dir, "notice", *request, "--output", str(pdf), "--json")
    assert done.returncode == 0, done.stderr
    result = js(done)
    assert result["notice_type"] == "referral" and not result["report_to_superior"]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")
    assert "办理地点告知书" in text and "户籍地或居住地派出所办理" in text
    assert "这不是不予出具" in text and result["notice_no"] in text
    with closing(sql(station_dir / "certdesk.db")) as conn:
        assert conn.execute("SELECT outcome, status FROM cases").fetchall() == [
            ("issue", "referred")
        ]
    login(station_dir, SUPERVISOR)
    flags = js(run(station_dir, "oversight", "--json"))
    assert not [f for f in flags if f["flag"] == "issue_not_issued"]  # not 应开不开
