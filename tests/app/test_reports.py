"""五个一律 rule 4 at the counter: every refusal for no legal basis or outside police duties is
reported up with the demanding unit's name, and ``certdesk reports`` lists them per unit."""

from __future__ import annotations

from pathlib import Path

from support import CLERK, SUPERVISOR, js, login, make_station, run


def notice(data: Path, kind: str, requester: str, *extra: str) -> dict:
    return js(
        run(
            data,
            "notice",
            "--kind",
            kind,
            "--requester",
            requester,
            "--purpose",
            "in_province",
            *extra,
            "--json",
        )
    )


def test_refusals_are_reported_per_demanding_unit(tmp_path: Path) -> None:
    data = tmp_path / "station"
    make_station(data)
    login(data, CLERK)
    bank = ("--requester-name", "某某银行长春分行")
    first = notice(data, "无上访记录证明", "bank", *bank)
    assert first["report_to_superior"] is True
    assert first["decision"]["requester_unit"] == "某某银行长春分行"
    notice(data, "婚姻状况证明", "bank", *bank)  # a competent department's matter: reported too
    contact = "电话联系某某物业公司王经理，说明派出所不出具无房证明"
    notice(
        data, "无房证明", "other", "--unlisted", "--requester-name", "某某物业公司",
        "--contacted", contact,
    )  # fmt: skip
    notice(data, "手机遗失证明", "telecom")  # no name recorded: still listed, as unnamed
    card = notice(data, "公民姓名证明", "bank", *bank)  # the identity card proves it
    assert card["report_to_superior"] is False
    exchange = notice(data, "注销户口证明", "court", "--requester-name", "南关区人民法院")
    assert exchange["report_to_superior"] is False
    # a clerk may not read the list; a supervisor may
    refused = run(data, "reports", "--json")
    assert refused.returncode != 0 and "supervisor" not in refused.stdout
    login(data, SUPERVISOR)
    rows = js(run(data, "reports", "--json"))
    by_unit = {(r["unit"], r["sector"]): r for r in rows}
    assert set(by_unit) == {
        ("某某银行长春分行", "bank"),
        ("某某物业公司", "other"),
        ("", "telecom"),
    }
    assert by_unit["某某物业公司", "other"]["contacted"] == [contact]
    bank_row = by_unit["某某银行长春分行", "bank"]
    assert bank_row["contacted"] == []
    assert bank_row["count"] == 2 and rows[0] == bank_row  # most first
    assert bank_row["requested"] == ["婚姻状况证明", "无上访记录证明"]
    assert bank_row["cases"][0] == first["case_no"]
    text = run(data, "reports").stdout
    assert "某某银行长春分行(银行)  2 件" in text and "(未记录单位名称)" in text
    # a period without any
    empty = run(data, "reports", "--from", "2020-01-01", "--to", "2020-01-31")
    assert "本期没有须报告的要求" in empty.stdout


def test_a_bad_unit_name_is_refused_and_nothing_is_recorded(tmp_path: Path) -> None:
    data = tmp_path / "station"
    make_station(data)
    login(data, CLERK)
    bad = run(
        data,
        "notice",
        "--kind",
        "无上访记录证明",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--requester-name",
        "甲" * 101,
    )
    assert bad.returncode == 2 and "要求单位名称" in bad.stderr
    exchange = run(
        data, "notice", "--kind", "注销户口证明", "--requester", "court", "--purpose",
        "in_province", "--contacted", "电话联系法院",
    )  # fmt: skip
    assert exchange.returncode == 2 and "已联系要求单位" in exchange.stderr
    login(data, SUPERVISOR)
    assert js(run(data, "reports", "--json")) == []
