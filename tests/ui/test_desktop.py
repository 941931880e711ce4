"""The counter window on a real X server (Qt's xcb platform under Xvfb), as a station PC runs it:
it starts, and the first-start and counter paths work there with keys as they do offscreen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import CERTDESK
from xvfb import xvfb

ROOT = Path(__file__).resolve().parents[2]


def on_xcb(display: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return {**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display, **extra}


def test_window_starts_on_xcb(station_dir: Path) -> None:
    with xvfb() as display:
        started = subprocess.run(
            [str(CERTDESK), "--data-dir", str(station_dir), "gui", "--selftest", "--json"],
            env=on_xcb(display),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert started.returncode == 0, started.stderr
    assert "Could not load the Qt platform plugin" not in started.stderr
    assert json.loads(started.stdout)["maximized"] is True  # maximised on a real X server too


@pytest.mark.slow
def test_first_start_and_counter_paths_on_xcb(tmp_path: Path) -> None:
    """The set-up wizard (workstation 01 as pre-filled), the clerk's keyboard paths, the
    station's administration and a new station set up, staffed, enrolled, backed up and restored
    from the window, run by pytest-qt on the xcb platform: shortcuts, mnemonics and focus as on
    a desktop."""
    tests = [
        "tests/ui/test_sign_in_and_setup.py",
        "tests/ui/test_counter_paths.py",
        "tests/ui/test_administration.py",
        "tests/server/test_window_station.py",
    ]
    with xvfb() as display:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
            cwd=ROOT,
            env=on_xcb(display),
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout
