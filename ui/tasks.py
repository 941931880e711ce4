"""Background work: a function runs on QThreadPool; its result or error comes back by signal on
the GUI thread. Worker functions take plain data and open their own database session.

A task is kept here while it runs (its signals must outlive the caller's reference) and let go
when it has reported, so a window that starts tasks all day holds none of the finished ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as error:  # delivered to the GUI, which shows it next to the field
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


_running: set[Task] = set()


def running() -> int:
    """How many tasks have not reported yet."""
    return len(_running)


def run_in_background(
    fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[Exception], None]
) -> Task:
    task = Task(fn)
    _running.add(task)
    task.signals.done.connect(lambda _result: _running.discard(task))
    task.signals.failed.connect(lambda _error: _running.discard(task))
    task.signals.done.connect(on_done)
    task.signals.failed.connect(on_failed)
    QThreadPool.globalInstance().start(task)
    return task
