"""Every modal question the GUI asks goes through here, so tests can answer it."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QInputDialog, QWidget


class _Session:
    """What the counter chose once in this session: the printer (a counter has one)."""

    printer: QPrinter | None = None


SESSION = _Session()


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """A line of text from the officer, or None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text.strip() if ok and text.strip() else None


def choose_printer(parent: QWidget) -> QPrinter | None:
    """The printer the officer picks in Qt's print dialog, or None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


def station_printer(parent: QWidget, *, ask: bool = False) -> QPrinter | None:
    """The printer chosen earlier in this session; Qt's print dialog the first time (or when
    ``ask``), so that printing at a busy counter is one key, not a dialog every time."""
    if ask or SESSION.printer is None:
        chosen = choose_printer(parent)
        if chosen is None:
            return None
        SESSION.printer = chosen
    return SESSION.printer
