"""The PyInstaller one-folder bundle (build.spec): built here, then started as a station would
start it — the counter window offscreen (--selftest), a new station set up (the migrations run
from the bundle), a certificate issued and printed with its fonts embedded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ADMIN, CLERK, KINSHIP, PASSWORD, field_args

ROOT = Path(__file__).resolve().parents[1]
MAX_BUNDLE_MB = 320  # README states the size; 72 MB of it are the CJK fonts


SERVER_STACK = ("fastapi", "starlette", "uvicorn", "uvloop", "psycopg", "pydantic_settings")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    pyinstaller = str(Path(sys.executable).parent / "pyinstaller")
    places = ["--distpath", str(out / "dist"), "--workpath", str(out / "work")]
    subprocess.run(
        [pyinstaller, "--noconfirm", "--log-level", "ERROR", *places, "build.spec"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return out / "dist" / "certdesk"


def start(
    bundle: Path, data: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CERTDESK_DATA_DIR": str(data),
        "CERTDESK_CACHE_DIR": str(data / "cache"),
    }
    return subprocess.run(
        [str(bundle / "certdesk"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        input=stdin,
    )


@pytest.mark.slow
def test_bundle_starts_sets_up_and_prints(bundle: Path, station_dir: Path, tmp_path: Path) -> None:
    files = [f for f in bundle.rglob("*") if f.is_file() and not f.is_symlink()]
    size_mb = sum(f.stat().st_size for f in files) / 2**20
    assert size_mb < MAX_BUNDLE_MB, size_mb
    names = {f.name for f in bundle.rglob("*")}
    assert not any("WebEngine" in n or "Qt6Qml" in n or "Qt6Quick" in n for n in names)
    assert "certdesk_en.qm" in names and "qtbase_zh_CN.qm" in names and "uming.ttc" in names
    # the modules PyInstaller put in (its analysis, beside the bundle): none of the server's stack
    [toc] = (bundle.parents[1] / "work").rglob("Analysis-00.toc")
    modules = {
        entry.split("'")[1].split(".")[0]
        for entry in toc.read_text().split("(")[1:]
        if "'" in entry
    }
    assert "app" in modules and not modules & {*SERVER_STACK, "server"}, modules & {
        *SERVER_STACK,
        "server",
    }

    assert start(bundle, station_dir, "gui", "--selftest").returncode == 0
    new = tmp_path / "new-station"
    made = start(
        bundle,
        new,
        "init",
        "--station-code",
        "220102002",
        "--station-name",
        "长春市南关区测试派出所",
        "--workstation",
        "01",
        "--admin-code",
        ADMIN,
        "--admin-name",
        "赵管理",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert start(bundle, new, "gui", "--selftest").returncode == 0

    pdf = tmp_path / "kinship.pdf"
    signed_in = start(
        bundle, station_dir, "login", "--officer", CLERK, "--password-stdin", stdin=PASSWORD
    )
    assert signed_in.returncode == 0, signed_in.stderr
    issued = start(
        bundle,
        station_dir,
        "issue",
        "--kind",
        "qsgx",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        "--output",
        str(pdf),
        *field_args(KINSHIP),
    )
    assert issued.returncode == 0, issued.stderr
    # the bundle opened an encrypted station: its database is no SQLite file in the clear
    assert (station_dir / "certdesk.keys").exists() and "sqlcipher3" in modules
    assert not (station_dir / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    assert not (new / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    embedded = [line for line in fonts.stdout.splitlines()[2:] if line.strip()]
    assert embedded and all(" yes " in line for line in embedded), fonts.stdout
