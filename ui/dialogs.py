"""Every modal question the GUI asks goes through here, so tests can answer it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget


class _Session:
    """What the counter chose once in this session: the printer (a counter has one)."""

    printer: QPrinter | None = None


SESSION = _Session()


class CounterDialog(QDialog):
    """A dialog at the counter that, once closed either way, hands the keyboard back to the
    window it came from (the clerk's next key must not land nowhere)."""

    def done(self, result: int) -> None:
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            parent.window().activateWindow()


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """A line of text from the officer, or None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text.strip() if ok and text.strip() else None


def ask_save_path(parent: QWidget, title: str, default: str, suffix: str) -> Path | None:
    """Where to save an export, or None when cancelled (the suffix is added when missing)."""
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / default), f"*{suffix}")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_suffix(suffix)


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
