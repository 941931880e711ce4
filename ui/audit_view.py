"""The audit trail for the station's auditor (and its supervisors), F10: the newest events first,
filtered by date, officer and action; the chain checked on request; the selection exported to
CSV or XLSX (the export itself is recorded). Reading changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import dialogs
from ui.admin import ERROR_STYLE, table
from ui.dialogs import CounterDialog
from ui.labels import error_text
from ui.models import RowsModel
from ui.progress import run_with_progress
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from app.context import Context
    from app.records.sessions import Actor

SHOWN = 1000  # the newest events shown; the export holds every match
ACTIONS = ("", "officer.", "session.", "station.", "certificate.", "case.", "sync.", "notice.")


class AuditWindow(CounterDialog):
    def __init__(self, ctx: Context, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        today = QDate.fromString(ctx.today().isoformat(), Qt.DateFormat.ISODate)
        self.since, self.until = QDateEdit(today.addDays(-30)), QDateEdit(today)
        for field in (self.since, self.until):
            field.setCalendarPopup(True)
            field.setDisplayFormat("yyyy-MM-dd")
        self.officer = QLineEdit()
        self.action = QComboBox()
        self.action.setEditable(True)
        self.action.addItems(list(ACTIONS))
        self.query_button, self.verify_button, self.export_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        self.query_button.setDefault(True)
        self.query_button.clicked.connect(self.query)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        self.model = RowsModel(
            [
                (self.tr("序号"), lambda r: str(r.seq)),
                (self.tr("时间"), lambda r: r.at),
                (self.tr("经办民警"), lambda r: r.officer),
                (self.tr("审批人"), lambda r: r.approver),
                (self.tr("操作"), lambda r: r.action),
                (self.tr("对象"), lambda r: f"{r.entity} {r.entity_id}"),
                (self.tr("改动"), lambda r: r.changes),
            ]
        )
        self.view = table(self.model)
        self.count, self.message = QLabel(), QLabel()
        self.message.setWordWrap(True)
        self.labels = [QLabel() for _ in range(4)]
        fields: tuple[QWidget, ...] = (self.since, self.until, self.officer, self.action)
        for label, buddy in zip(self.labels, fields, strict=True):
            label.setBuddy(buddy)
        filters = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(self.labels[1])
        dates.addWidget(self.until)
        dates.addStretch(1)
        filters.addRow(self.labels[0], dates)
        filters.addRow(self.labels[2], self.officer)
        filters.addRow(self.labels[3], self.action)
        buttons = QHBoxLayout()
        for button in (self.query_button, self.verify_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.setTabOrder(self.since, self.until)
        self.setTabOrder(self.until, self.officer)
        self.setTabOrder(self.officer, self.action)
        self.resize(1100, 640)
        self.translate_ui()
        self.query()
        self.since.setFocus()

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("审计记录"))
        for label, text in zip(
            self.labels,
            (self.tr("日期(&D)"), self.tr("至"), self.tr("经办民警警号(&O)"), self.tr("操作(&A)")),
            strict=True,
        ):
            label.setText(text)
        self.action.setToolTip(self.tr("操作名称的开头，如 officer. 为民警账号的所有改动"))
        self.query_button.setText(self.tr("查询(&Q)"))
        self.verify_button.setText(self.tr("核对审计链(&V)"))
        self.export_button.setText(self.tr("导出(&E)…"))

    def where(self) -> Any:
        from app.services.integrity import AuditFilter

        return AuditFilter(
            since=dt.date.fromisoformat(self.since.date().toString(Qt.DateFormat.ISODate)),
            until=dt.date.fromisoformat(self.until.date().toString(Qt.DateFormat.ISODate)),
            officer=self.officer.text(),
            action=self.action.currentText(),
        )

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def failed(self, error: Exception) -> None:
        self.say(error_text(error), error=True)

    def query(self) -> None:
        from app.services.integrity import audit_events

        if self.since.date() > self.until.date():
            self.say(self.tr("起始日期晚于截止日期"), error=True)
            self.since.setFocus()
            return
        ctx, actor, where = self.ctx, self.actor, self.where()

        def show(found: tuple[list[Any], int]) -> None:
            rows, total = found
            self.model.set_rows(rows)
            self.count.setText(
                self.tr("共 {0} 条，显示最新的 {1} 条").format(total, len(rows))
                if total > len(rows)
                else self.tr("共 {0} 条").format(total)
            )
            self.say("")

        run_in_background(
            lambda: audit_events(ctx, actor=actor, where=where, limit=SHOWN), show, self.failed
        )

    def verify(self) -> None:
        from app.services.integrity import verify_audit

        ctx, actor = self.ctx, self.actor

        def done(report: Any) -> None:
            if report.ok:
                self.say(self.tr("审计链完整：共核对 {0} 条").format(report.events))
            else:
                self.say(self.tr("审计核对未通过：{0}").format(report.problem), error=True)

        started = run_with_progress(
            self,
            "audit-verify",
            self.tr("核对审计链"),
            self.tr("正在逐条核对审计记录…"),
            lambda _report: verify_audit(ctx, actor=actor),
            done,
            self.failed,
        )
        if started is None:
            self.say(self.tr("正在核对审计链，请稍候"))

    def export(self) -> None:
        from app.services.integrity import export_audit

        stamp = self.ctx.today().strftime("%Y%m%d")
        target = dialogs.ask_save_path(self, self.tr("导出审计记录"), f"审计记录-{stamp}", ".xlsx")
        if target is None:
            return
        ctx, actor, where = self.ctx, self.actor, self.where()

        def done(count: int) -> None:
            self.say(
                self.tr(
                    "已导出 {0} 条：{1}。该文件未加密，含有个人信息：请妥善保管，用毕删除"
                ).format(count, target.name)
            )

        started = run_with_progress(
            self,
            "audit-export",
            self.tr("导出审计记录"),
            self.tr("正在导出…"),
            lambda _report: export_audit(ctx, target, actor=actor, where=where),
            done,
            self.failed,
        )
        if started is None:
            self.say(self.tr("导出正在进行，请稍候"))
