"""A clerk at the counter, for the GUI tests: every key goes to the window that has the focus
(so shortcuts, mnemonics and default buttons work as on a real screen), Chinese text arrives as
an input method commits it, and each key press or click is counted (typed text is counted apart:
the goals in the issue are about keys and clicks, not the letters of a name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from support import ime_commit


class Clerk:
    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.actions = 0  # key presses and clicks
        self.typed = 0  # characters typed into fields
        self.log: list[str] = []

    def window(self) -> QWidget:
        window = QApplication.activeWindow()
        assert window is not None, "no window has the focus"
        return window

    def wait_active(self, widget: QWidget, timeout: int = 20_000) -> None:
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=timeout)

    def press(self, keys: str) -> None:
        """One key or chord, as written on a keyboard: "Return", "Tab", "Alt+P", "Esc", "F2"."""
        combination = QKeySequence(keys)[0]
        handle = self.window().windowHandle()
        assert handle is not None
        QTest.keyClick(handle, combination.key(), combination.keyboardModifiers())
        self.actions += 1
        self.log.append(keys)

    def type(self, text: str) -> None:
        """Text into the field that has the focus."""
        focus = QApplication.focusWidget()
        assert focus is not None, "no field has the focus"
        if text.isascii():
            QTest.keyClicks(focus, text)
        else:
            ime_commit(focus, text)
        self.typed += len(text)
        self.log.append(f"«{text}»")

    def click(self, widget: QWidget) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget
        # near the left edge: a check box's label may end well before the middle of its row
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
        self.actions += 1
        self.log.append(f"click {widget.objectName() or type(widget).__name__}")


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(300)  # a common office printer
    return printer


def at_the_counter(
    qtbot: Any,
    station_dir: Path,
    code: str = "",
    reader: Any = None,
    size: tuple[int, int] | None = None,
) -> tuple[Any, Any, Clerk]:
    """The counter window on ``station_dir`` with ``code`` (default: the clerk) signed in, shown
    and active, and a clerk at its keyboard: (window, context, clerk)."""
    from support import CLERK, signed_in

    from app.context import Context
    from ui.app import build_application
    from ui.main_window import MainWindow

    build_application([])
    ctx = Context(station_dir)
    window = MainWindow(ctx, signed_in(ctx, code or CLERK), reader)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    window.activateWindow()
    clerk = Clerk(qtbot)
    clerk.wait_active(window)
    return window, ctx, clerk
