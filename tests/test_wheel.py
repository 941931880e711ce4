"""The wheel, as a station or the province would install it: it carries the catalogs, fonts,
translations and both sets of migrations; a regular (not editable) install runs a decision, opens
a station database and renders from its own package data; and the counter PC does not get the
server's stack unless asked for (``certdesk[server]``)."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import KINSHIP

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [built] = out.glob("certdesk-*.whl")
    return built


def test_the_wheel_carries_its_resources_and_migrations(wheel: Path) -> None:
    from app import __version__

    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "resources/catalog/jilin-2015.yaml",
        "resources/catalog/national-2016.yaml",
        "resources/fonts/uming.ttc",
        "resources/fonts/HanaMinB.ttf",
        "resources/fonts/licenses/ARPHICPL.txt",
        "resources/translations/certdesk_en.qm",
        "app/records/db/migrations/env.py",
        "app/records/db/migrations/versions/0007_decisions_outbox_digest.py",
        "server/migrations/env.py",
    ):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    assert wheel.name.startswith(f"certdesk-{__version__}-")
    [meta] = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = email.message_from_bytes(zipfile.ZipFile(wheel).read(meta))
    requires = metadata.get_all("Requires-Dist") or []
    server_stack = ("fastapi", "uvicorn", "psycopg", "pydantic-settings")
    for line in requires:
        if line.split()[0].split("[")[0].lower() in server_stack:
            assert 'extra == "server"' in line, line  # not on a counter PC by default
    assert "server" in (metadata.get_all("Provides-Extra") or [])


def test_a_regular_install_runs_from_its_own_package_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "-t", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    script = (
        "import app.paths, json, sys\n"
        "from ui.launcher import main\n"
        "from app.context import Context\n"
        "from app.services.station import FirstAdmin, init_station\n"
        f"ctx = Context(__import__('pathlib').Path({str(tmp_path / 'data')!r}))\n"
        "init_station(ctx, code='220102001', name='测试派出所', workstation='01',"
        " admin=FirstAdmin('300001', '赵管理', 'admin-pass-1'))\n"
        "ctx.close()\n"
        "from app.services.specimens import specimen\n"
        f"pdf = specimen(Context(ctx.data_dir), 'kinship', {KINSHIP!r}).pdf\n"
        "print(json.dumps({'resources': str(app.paths.resources_dir()),"
        " 'app': app.paths.__file__, 'pdf': pdf[:5].decode()}))\n"
        "sys.exit(main(['decide', '--kind', 'qsgx', '--requester', 'bank',"
        " '--purpose', 'in_province']))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "CERTDESK_CACHE_DIR": str(tmp_path / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(  # from elsewhere: the source tree is not on the path
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    seen = json.loads(first)
    assert seen["resources"].startswith(str(target)) and seen["app"].startswith(str(target))
    assert seen["pdf"] == "%PDF-"
    assert "结论：派出所出具" in "\n".join(rest)
