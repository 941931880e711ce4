"""The province sync as the counter sees it: a background round every minute when the station is
enrolled (never blocking the window), the state in the status bar, and the list of items waiting
for the province with their last error and a retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout

from app.context import Context
from app.policy.oversight import CLOCK_TOLERANCE_SECONDS
from app.records.sessions import Actor
from ui.labels import error_text
from ui.models import RowsModel
from ui.tasks import Task, run_in_background

SYNC_INTERVAL_MS = 60_000


class SyncState(QObject):
    """Runs rounds in the background, one at a time; ``changed`` carries the new state text."""

    changed = Signal(str)
    received = Signal(int)  # partners' inquiries newly received: the counter's list reloads

    def __init__(
        self, ctx: Context, actor: Callable[[], Actor | None], parent: QObject | None = None
    ) -> None:
        """``actor``: who the rounds run as (None while nobody is signed in, or the window is
        locked: the rounds wait)."""
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.task: Task | None = None
        self.running = False
        self.online: bool | None = None
        self.pending = 0
        self.enrolled = False
        self.last_error = ""
        self.clock_offset = 0  # this PC's clock minus the province's, at the last round
        self.chain_problem: str | None = None  # the province found the audit chain changed
        self.new_inquiries = 0
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_INTERVAL_MS)
        self.timer.timeout.connect(self.sync_now)

    def start(self) -> None:
        self.timer.start()
        self.sync_now()

    def sync_now(self) -> None:
        if self.running:
            return
        actor = self.actor()
        if actor is None:
            return
        self.running = True
        self.changed.emit(self.text())  # the status bar says a round runs (never a modal box:
        ctx = self.ctx  # the counter goes on while the records go up)

        def round_() -> tuple[bool, bool, int, str, int | None]:
            from app.sync.enrolment import load_enrolment
            from app.sync.round import sync
            from app.sync.state import chain_problem, clock, pending_count
            from app.sync.transport import SyncUnavailable

            if load_enrolment(ctx) is None:
                return False, False, pending_count(ctx), "", None
            try:
                result = sync(ctx, actor=actor, attempts=2)
                self.new_inquiries = result.inquiries
            except SyncUnavailable as error:
                return True, False, error.pending, error.message, None
            checked = clock(ctx)
            # kept until the next week's rounds: the supervisors see it in oversight for good
            self.chain_problem = chain_problem(ctx, days=7)
            return True, True, result.pending, "", checked.offset_seconds if checked else None

        self.task = run_in_background(round_, self._done, self._failed)

    def _done(self, outcome: tuple[bool, bool, int, str, int | None]) -> None:
        self.running = False
        self.enrolled, online, self.pending, self.last_error, offset = outcome
        self.online = online if self.enrolled else None
        if offset is not None:
            self.clock_offset = offset
        self.changed.emit(self.text())
        if self.new_inquiries:
            self.received.emit(self.new_inquiries)
            self.new_inquiries = 0

    def _failed(self, error: Exception) -> None:
        self.running = False
        self.online = False
        self.last_error = error_text(error)
        self.changed.emit(self.text())

    def text(self) -> str:
        if self.running and self.enrolled:
            return self.tr("正在与省级同步… · 待上报 {0}").format(self.pending)
        if not self.enrolled:
            return self.tr("未登记省级服务器 · 待上报 {0}").format(self.pending)
        text = (
            self.tr("在线 · 待上报 {0}") if self.online else self.tr("离线 · 待上报 {0}")
        ).format(self.pending)
        if self.chain_problem:
            text += " · " + self.tr("审计链与省级不衔接，请所领导查看监督提示")
        if abs(self.clock_offset) > CLOCK_TOLERANCE_SECONDS:
            text += " · " + self.tr("本机时钟与省级相差 {0} 分钟，请校正").format(
                round(abs(self.clock_offset) / 60)
            )
        return text


class PendingDialog(QDialog):
    """Items waiting for the province, oldest first, with their attempts and last error."""

    def __init__(self, ctx: Context, state: SyncState, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.state = ctx, state
        self.task: Task | None = None
        topics = {
            "case": self.tr("案件"),
            "certificate": self.tr("证明"),
            "notice": self.tr("告知书"),
            "void": self.tr("作废"),
            "reprint": self.tr("补打"),
            "hand_over": self.tr("交付"),
            "exchange_request": self.tr("信息交换"),
        }
        topic: Callable[[Any], str] = lambda r: topics.get(r.topic, r.topic)  # noqa: E731
        self.model = RowsModel(
            [
                (self.tr("序号"), lambda r: str(r.seq)),
                (self.tr("内容"), topic),
                (self.tr("产生时间"), lambda r: r.created_at.replace("T", " ")),
                (self.tr("尝试次数"), lambda r: str(r.attempts)),
                (self.tr("上次错误"), lambda r: r.last_error or ""),
            ],
            highlight=lambda r: bool(r.last_error),
        )
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setVisible(False)
        self.status = QLabel()
        self.retry_button, self.close_button = QPushButton(), QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.retry)
        self.close_button.clicked.connect(self.accept)
        self.retry_button.setDefault(True)
        state.changed.connect(lambda _text: self.reload())
        self.setWindowTitle(self.tr("待上报省级的记录"))
        self.retry_button.setText(self.tr("立即重试(&R)"))
        self.close_button.setText(self.tr("关闭(&C)"))
        self.resize(900, 480)
        self.reload()

    def reload(self) -> None:
        ctx = self.ctx

        def load() -> list[Any]:
            from app.sync.state import pending_items

            return pending_items(ctx)

        self.task = run_in_background(load, self._show, self._failed)

    def _show(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        text = self.state.text()
        if self.state.last_error:
            text += "\n" + self.state.last_error
        self.status.setText(text)

    def retry(self) -> None:
        self.status.setText(self.tr("正在同步…"))
        self.state.sync_now()

    def _failed(self, error: Exception) -> None:
        self.status.setText(error_text(error))
