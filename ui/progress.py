"""Long work (a backup, a restore, an export, a sync of many records, the first start after an
upgrade) runs in the background behind a progress dialog: the officer sees that it runs and what
it is, and cannot start the same work a second time while it does (a second press says so).

The dialog shows the work's own count when the work reports one (``report(done, total)``, called
from the worker thread; delivered to the dialog on the GUI thread), else a moving bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.tasks import run_in_background

Report = Callable[[int, int], None]

_running: dict[str, ProgressDialog] = {}  # the work under way, by name


class _Progress(QObject):
    moved = Signal(int, int)


class ProgressDialog(QProgressDialog):
    def __init__(self, parent: QWidget | None, title: str, label: str) -> None:
        super().__init__(label, "", 0, 0, parent)
        self.setWindowTitle(title)
        self.setCancelButton(None)  # half a backup or half a restore is worse than waiting
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        self.progress = _Progress()
        self.progress.moved.connect(self._moved)

    def _moved(self, done: int, total: int) -> None:
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))

    def report(self, done: int, total: int) -> None:
        """From the worker thread: how far the work is."""
        self.progress.moved.emit(done, total)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:  # no cancel: the work finishes or fails whole
            return
        super().keyPressEvent(event)


def is_running(name: str) -> bool:
    return name in _running


def run_with_progress(
    parent: QWidget | None,
    name: str,
    title: str,
    label: str,
    work: Callable[[Report], Any],
    done: Callable[[Any], None],
    failed: Callable[[Exception], None],
) -> ProgressDialog | None:
    """Run ``work(report)`` in the background behind a progress dialog. None, and nothing
    started, when work of this ``name`` is still running."""
    if name in _running:
        _running[name].raise_()
        return None
    dialog = ProgressDialog(parent, title, label)
    _running[name] = dialog

    def finish() -> None:
        _running.pop(name, None)
        dialog.close()
        dialog.deleteLater()
        if parent is not None:  # the keyboard back to the window the work came from
            parent.window().activateWindow()

    def on_done(result: Any) -> None:
        finish()
        done(result)

    def on_failed(error: Exception) -> None:
        finish()
        failed(error)

    dialog.show()
    run_in_background(lambda: work(dialog.report), on_done, on_failed)
    return dialog
