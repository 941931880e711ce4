"""Signing in: police number and password, checked in the background (Argon2 takes a moment);
an error is shown under the fields and the dialog stays open. Five wrong passwords lock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from app.context import Context
    from app.services.officers import OfficerInfo


from ui.labels import error_text
from ui.tasks import Task, run_in_background


class SignInDialog(QDialog):
    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.officer: OfficerInfo | None = None
        self.task: Task | None = None
        self.code = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        self.code_label, self.password_label = QLabel(), QLabel()
        form.addRow(self.code_label, self.code)
        form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.code, self.password)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("民警登录"))
        self.code_label.setText(self.tr("警号"))
        self.password_label.setText(self.tr("密码"))

    def submit(self) -> None:
        code, password = self.code.text().strip(), self.password.text()
        if not code:
            self.error.setText(self.tr("请输入警号"))
            self.code.setFocus()
            return
        self.buttons.setEnabled(False)
        self.error.setText(self.tr("正在核对…"))
        from app.services.officers import authenticate

        ctx = self.ctx
        self.task = run_in_background(
            lambda: authenticate(ctx, code=code, password=password), self._signed_in, self._failed
        )

    def _signed_in(self, officer: OfficerInfo) -> None:
        self.officer = officer
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_text(error))
        self.password.clear()
        self.password.setFocus()
