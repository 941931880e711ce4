"""The certdesk command through a real subprocess, as a clerk or a script would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.policy.catalog import builtin_catalog_path

CERTDESK = Path(sys.executable).parent / "certdesk"


def certdesk(
    *args: str, data_dir: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    if data_dir is not None:
        full_env["CERTDESK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [str(CERTDESK), *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = certdesk("--help")
    assert result.returncode == 0
    # (certdesk with no command at all opens the counter window: tests/ui/test_main_window.py)
    for word in ("decide", "catalog", "sync", "enrol", "--data-dir", "--catalog"):
        assert word in result.stdout
    assert "用法" in result.stdout


def test_decide_json(tmp_path: Path) -> None:
    result = certdesk(
        "decide",
        "--kind",
        "户籍所在地证明",
        "--requester",
        "bank",
        "--purpose",
        "abroad",
        "--json",
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    d = json.loads(result.stdout)
    for key in (
        "outcome",
        "kind_id",
        "kind_name",
        "special_case",
        "report_to_superior",
        "reason",
        "basis",
        "use_instead",
        "deadline_working_days",
        "form",
        "catalog_version",
        "steps",
    ):
        assert key in d
    assert (d["outcome"], d["kind_id"], d["special_case"], d["form"]) == (
        "issue",
        "jl_hukou_location",
        True,
        "population_register_facts",
    )
    assert d["catalog_version"] == "2015.1" and d["steps"]


def test_decide_plain_text_in_chinese() -> None:
    result = certdesk(
        "decide", "--kind", "未婚证明", "--requester", "other", "--purpose", "in_province"
    )
    assert result.returncode == 0
    out = result.stdout
    assert "结论：已取消，不予出具" in out
    assert "民政部门(婚姻登记机关)" in out and "请改用：结婚证" in out and "依据：" in out


def test_exchange_for_a_court() -> None:
    result = certdesk(
        "decide",
        "--kind",
        "注销户口证明",
        "--requester",
        "court",
        "--purpose",
        "in_province",
        "--json",
    )
    d = json.loads(result.stdout)
    assert d["outcome"] == "exchange" and d["exchange_kind_id"] == "jl_ex_hukou_cancellation_info"


def test_unknown_kind_is_reported_up() -> None:
    result = certdesk(
        "decide", "--kind", "无房证明", "--requester", "bank", "--purpose", "in_province", "--json"
    )
    d = json.loads(result.stdout)
    assert result.returncode == 0
    assert (d["outcome"], d["kind_id"], d["report_to_superior"]) == ("abolished", None, True)


def test_unknown_sector_exits_2_listing_valid_ones() -> None:
    result = certdesk(
        "decide", "--kind", "死亡证明", "--requester", "bnk", "--purpose", "in_province"
    )
    assert result.returncode == 2
    assert "requester" in result.stderr and "bank(银行)" in result.stderr
    assert "court(人民法院)" in result.stderr and not result.stdout


def test_bad_purpose_and_missing_argument_exit_2() -> None:
    result = certdesk("decide", "--kind", "死亡证明", "--requester", "bank", "--purpose", "moon")
    assert result.returncode == 2 and "用途" in result.stderr and "abroad" in result.stderr
    result = certdesk("decide", "--kind", "死亡证明")
    assert result.returncode == 2 and "缺少必填参数" in result.stderr
    result = certdesk(
        "decide",
        "--kind",
        "死亡证明",
        "--requester",
        "bank",
        "--purpose",
        "abroad",
        "--today",
        "2026-13-01",
    )
    assert result.returncode == 2 and "today" in result.stderr


def test_ambiguous_kind_exits_3_listing_candidates() -> None:
    result = certdesk(
        "decide", "--kind", "户口证明", "--requester", "bank", "--purpose", "in_province"
    )
    assert result.returncode == 3
    assert "jl_hukou_cancellation" in result.stderr and "--kind-id" in result.stderr
    as_json = certdesk(
        "decide", "--kind", "户口证明", "--requester", "bank", "--purpose", "in_province", "--json"
    )
    assert as_json.returncode == 3
    d = json.loads(as_json.stdout)
    assert d["status"] == "needs_choice" and len(d["candidates"]) >= 2
    chosen = certdesk(
        "decide",
        "--kind",
        "户口证明",
        "--kind-id",
        "jl_hukou_location",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--json",
    )
    assert chosen.returncode == 0 and json.loads(chosen.stdout)["kind_id"] == "jl_hukou_location"


def test_pinyin_from_the_command_line() -> None:
    result = certdesk(
        "decide", "--kind", "qsgx", "--requester", "bank", "--purpose", "in_province", "--json"
    )
    assert json.loads(result.stdout)["kind_id"] == "jl_kinship"


def test_catalog_list_and_show() -> None:
    listed = certdesk("catalog", "list", "--json")
    data = json.loads(listed.stdout)
    assert data["catalog"] == "jilin_2015" and len(data["kinds"]) == 31
    shown = certdesk("catalog", "show")
    assert "尚有 15 种未能从公开资料中确认" in shown.stdout
    assert "尚有 1 种" in shown.stdout and "尚有 4 种" in shown.stdout
    kind = certdesk("catalog", "show", "jl_same_person")
    assert "证明我是我" in kind.stdout and "seed" in kind.stdout
    as_json = json.loads(certdesk("catalog", "show", "--json").stdout)
    assert as_json["open_counts"] == {"issue": 1, "exchange": 4, "abolished_local": 15}
    missing = certdesk("catalog", "show", "jl_nothing")
    assert missing.returncode == 2 and "jl_nothing" in missing.stderr


def test_catalog_option_picks_the_national_catalog() -> None:
    result = certdesk(
        "--catalog",
        "national-2016",
        "decide",
        "--kind",
        "正常死亡证明",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--json",
    )
    assert json.loads(result.stdout)["kind_id"] == "nat_cd_normal_death"


def test_catalog_validate(tmp_path: Path) -> None:
    good = certdesk("catalog", "validate", str(builtin_catalog_path("national-2016")))
    assert good.returncode == 0 and "有效" in good.stdout
    bad = tmp_path / "bad.yaml"
    text = builtin_catalog_path().read_text(encoding="utf-8")
    bad.write_text(
        text.replace(
            "outcome: abolished\n    aliases:\n      - {texts: [性别证明]",
            "outcome: gone\n    aliases:\n      - {texts: [性别证明]",
        ),
        encoding="utf-8",
    )
    line = next(
        i for i, row in enumerate(bad.read_text("utf-8").splitlines(), 1) if "outcome: gone" in row
    )
    result = certdesk("catalog", "validate", str(bad))
    assert result.returncode == 2
    assert f"{bad}:{line}:" in result.stderr and "gone" in result.stderr


def test_catalog_use_keeps_the_last_good_one(tmp_path: Path) -> None:
    from support import ADMIN, CLERK, login, make_station

    data = tmp_path / "data"
    make_station(data)
    login(data, CLERK)  # a clerk may not change the station's catalog
    refused_clerk = certdesk("catalog", "use", "--default", data_dir=data)
    assert refused_clerk.returncode == 5 and "管理员" in refused_clerk.stderr
    login(data, ADMIN)
    assert (
        certdesk(
            "catalog", "use", str(builtin_catalog_path("national-2016")), data_dir=data
        ).returncode
        == 0
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: 1\ncatalog: {}\n", encoding="utf-8")
    refused = certdesk("catalog", "use", str(bad), data_dir=data)
    assert refused.returncode == 2 and "bad.yaml" in refused.stderr
    shown = json.loads(certdesk("catalog", "show", "--json", data_dir=data).stdout)
    assert shown["id"] == "national_2016"
    # --data-dir wins over the environment
    other = tmp_path / "other"
    flag = certdesk("--data-dir", str(other), "catalog", "show", "--json", data_dir=data)
    assert json.loads(flag.stdout)["id"] == "jilin_2015"
    assert certdesk("catalog", "use", "--default", data_dir=data).returncode == 0
    assert json.loads(certdesk("catalog", "show", "--json", data_dir=data).stdout)["id"] == (
        "jilin_2015"
    )


@pytest.mark.parametrize("script", ["certdesk", "certdesk-server"])
def test_console_scripts_installed(script: str) -> None:
    path = Path(sys.executable).parent / script
    result = subprocess.run(
        [str(path), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and script in result.stdout
