"""One partner department's inquiry at the counter: who asks, about whom, on what legal basis, by
when; the clerk looks the person up in the register and answers in the fields the information
has (a list for each choice, YYYY-MM-DD for dates), or declines with a reason. The fields come
from ``app.services.inquiries``; the checking and signing happen there too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.records.sessions import Actor
from ui.labels import days_left, error_text
from ui.tasks import run_in_background


class InquiryDialog(QDialog):
    def __init__(
        self,
        ctx: Context,
        actor: Actor,
        inquiry: Any,
        parent: QWidget | None = None,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.inquiry, self.on_done = ctx, actor, inquiry, on_done
        self.setWindowTitle(self.tr("核查请求 {0}").format(inquiry.number))
        facts = QFormLayout()
        for label, value in (
            (self.tr("请求单位"), inquiry.partner),
            (self.tr("被核查人"), f"{inquiry.subject_name}({inquiry.subject_id})"),
            (self.tr("核查事项"), inquiry.information),
            (self.tr("法律依据"), inquiry.legal_basis),
            (self.tr("请求单位案号"), inquiry.partner_case_no),
            (
                self.tr("答复期限"),
                self.tr("{0}(剩余工作日：{1})").format(
                    inquiry.due_date, days_left(inquiry.days_left)
                ),
            ),
        ):
            shown = QLabel(value)
            shown.setTextFormat(Qt.TextFormat.PlainText)  # a partner's words, never markup
            shown.setWordWrap(True)
            facts.addRow(label, shown)
        self.inputs: dict[str, QComboBox | QLineEdit] = {}
        answer = QFormLayout()
        for field in inquiry.fields:
            widget: QComboBox | QLineEdit
            if field["type"] == "choice":
                widget = QComboBox()
                widget.addItem("", "")
                for choice in field["choices"]:
                    widget.addItem(choice, choice)
            else:
                widget = QLineEdit()
                if field["type"] == "date":
                    widget.setPlaceholderText("YYYY-MM-DD")
            widget.setAccessibleName(field["label"])
            widget.setObjectName(field["name"])
            self.inputs[field["name"]] = widget
            answer.addRow(field["label"] + ("" if field["optional"] else " *"), widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b; font-weight: bold")
        self.answer_button = QPushButton(self.tr("签名答复(&A)"))
        self.answer_button.setDefault(True)
        self.answer_button.clicked.connect(self.submit_answer)
        self.decline_button = QPushButton(self.tr("不予答复(&D)…"))
        self.decline_button.clicked.connect(self.ask_decline)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.answer_button)
        layout = QVBoxLayout(self)
        layout.addLayout(facts)
        layout.addWidget(QLabel(self.tr("查询户籍档案后，按下列字段答复(* 为查有此人时必填)：")))
        layout.addLayout(answer)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        first = self.inputs.get("found")
        if first is not None:
            first.setFocus()

    def values(self) -> dict[str, str]:
        given: dict[str, str] = {}
        for name, widget in self.inputs.items():
            text = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
            if text:
                given[name] = str(text)
        return given

    def submit_answer(self) -> None:
        from app.services import inquiries

        ctx, actor, ref, values = self.ctx, self.actor, self.inquiry.id, self.values()
        self._run(lambda: inquiries.answer(ctx, actor=actor, ref=ref, fields=values))

    def ask_decline(self) -> None:
        reason, ok = QInputDialog.getText(
            self, self.tr("不予答复"), self.tr("理由(请求单位将看到)：")
        )
        if ok:
            self.decline(reason)

    def decline(self, reason: str) -> None:
        from app.services import inquiries

        ctx, actor, ref = self.ctx, self.actor, self.inquiry.id
        self._run(lambda: inquiries.decline(ctx, actor=actor, ref=ref, reason=reason))

    def _run(self, work: Callable[[], Any]) -> None:
        self.answer_button.setEnabled(False)
        self.decline_button.setEnabled(False)
        self.message.clear()
        run_in_background(work, self._done, self._failed)

    def _done(self, _result: Any) -> None:
        if self.on_done is not None:
            self.on_done()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.answer_button.setEnabled(True)
        self.decline_button.setEnabled(True)
        self.message.setText(error_text(error))
        field = getattr(error, "field", None)
        widget = self.inputs.get(field or "")
        if widget is not None:
            widget.setFocus()
