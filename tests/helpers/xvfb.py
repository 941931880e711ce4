"""A real X server for the tests that must see Qt's xcb platform, not offscreen: Debian's Xvfb on
a display number it picks itself (``-displayfd``), stopped when the test ends."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def xvfb(size: str = "1366x768x24") -> Iterator[str]:
    """Start Xvfb; yield its DISPLAY (``:N``)."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: make test installs Debian's xvfb")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as handle:
            number = handle.readline().strip()
        assert number.isdigit(), "Xvfb did not report its display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
