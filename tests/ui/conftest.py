"""GUI test fixtures: a printer writing PDF files, chosen once per test as a counter does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from clerk import pdf_printer

from ui import dialogs


@pytest.fixture(autouse=True)
def fresh_session() -> Iterator[None]:
    """Each test starts as a new counter session: no printer chosen yet."""
    dialogs.SESSION.printer = dialogs.SESSION.preferred = None
    yield
    dialogs.SESSION.printer = dialogs.SESSION.preferred = None


@pytest.fixture
def printed(tmp_path: Path) -> Path:
    """The counter's printer for this test (already chosen), writing to the returned PDF path."""
    out = tmp_path / "printer-output.pdf"
    dialogs.SESSION.printer = pdf_printer(out)
    return out
