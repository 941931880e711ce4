"""Every modal question the GUI asks goes through here, so tests can answer it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget


class _Session:
    """What the counter chose once in this session: the printer (a counter has one), unless the
    station's administrator set this PC's printer (``preferred``, its system name)."""

    printer: QPrinter | None = None
    preferred: str | None = None


SESSION = _Session()


class CounterDialog(QDialog):
    """A dialog at the counter that, once closed either way, hands the keyboard back to the
    window it came from (the clerk's next key must not land nowhere)."""

    def done(self, result: int) -> None:
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            parent.window().activateWindow()


def ask_text(parent: QWidget, title: str, label: str, *, secret: bool = False) -> str | None:
    """A line of text from the officer (``secret``: typed unseen, kept as typed), or None when
    cancelled."""
    from PySide6.QtWidgets import QLineEdit

    echo = QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
    text, ok = QInputDialog.getText(parent, title, label, echo)
    if secret:
        return text if ok and text else None
    return text.strip() if ok and text.strip() else None


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes-or-no question about an act that changes records (Enter: yes, Esc: no)."""
    from PySide6.QtWidgets import QMessageBox

    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, yes | no, yes) == yes


def ask_choice(
    parent: QWidget, title: str, label: str, items: list[str], current: int
) -> int | None:
    """Which of ``items`` the officer picks (arrows, Enter), or None when cancelled."""
    chosen, ok = QInputDialog.getItem(parent, title, label, items, current, False)
    return items.index(chosen) if ok else None


def ask_open_path(parent: QWidget, title: str, patterns: str) -> Path | None:
    """A file the officer chooses to open (a backup, a catalog), or None when cancelled."""
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), patterns)
    return Path(name) if name else None


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
    if not ask and SESSION.printer is None and SESSION.preferred:
        from PySide6.QtPrintSupport import QPrinterInfo

        if SESSION.preferred in QPrinterInfo.availablePrinterNames():
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPrinterName(SESSION.preferred)
            SESSION.printer = printer
    if ask or SESSION.printer is None:
        chosen = choose_printer(parent)
        if chosen is None:
            return None
        SESSION.printer = chosen
    return SESSION.printer
