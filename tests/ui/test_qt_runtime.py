"""The Qt runtime certdesk chose: PySide6 6.12 on Python 3.12+, where the reference PySide6
6.12 drops on ``None`` at every ``processEvents()`` cannot abort the interpreter (on 3.11 it does,
after about 5,000 calls: "Fatal Python error: none_dealloc")."""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication


def test_python_is_one_where_none_is_immortal() -> None:
    assert sys.version_info >= (3, 12), "certdesk runs on 3.12+ (see README, Python version)"


def test_ten_thousand_process_events_calls_survive(qapp: QApplication) -> None:
    before = sys.getrefcount(None)
    for _ in range(10_000):
        QCoreApplication.processEvents()
    # The interpreter is still here; on 3.12+ None's count is immortal, whatever the leak.
    assert sys.getrefcount(None) >= before


@pytest.mark.parametrize("calls", [5_000])
def test_qwait_in_a_loop_survives(qtbot, calls: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(calls):
        qtbot.wait(0)
    assert QCoreApplication.instance() is not None
