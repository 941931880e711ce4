"""The approval at the counter (双人复核): the approving supervisor picks their name and types
their own password, then and there. Keyboard only: arrows choose the name, Tab to the password,
Enter approves, Esc cancels.

The dialog runs the act it approves (``act(approval)``, in the background) and stays open until
it is done: the password is checked by the service that acts (a wrong one counts toward that
supervisor's lockout), and a refused approval is shown here to try again, with nothing the clerk
typed lost. Any other outcome closes the dialog and is reported by ``acted`` or ``failed``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from ui.dialogs import CounterDialog
from ui.labels import error_text
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from app.context import Context
    from app.records.sessions import Actor, Approval


class ApprovalDialog(CounterDialog):
    acted = Signal(object)  # what the act returned
    failed = Signal(object)  # the error that ended it (other than a refused approval)

    def __init__(
        self,
        ctx: Context,
        actor: Actor,
        what: str,
        act: Callable[[Approval], Any],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.what, self.act = what, act
        self.task: Any = None
        self.approver = QComboBox()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.buttons.setEnabled(False)
        self.approver_label, self.password_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.approver_label, self.approver)
        form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(what))
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.approver, self.password)
        self.setMinimumWidth(440)
        self.translate_ui()
        self.note.setText(self.tr("正在载入所领导名单…"))

        def load() -> list[Any]:
            from app.services.officers import approvers

            return approvers(ctx, actor=actor)

        run_in_background(load, self._loaded, lambda error: self.note.setText(error_text(error)))

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("所领导审批"))
        self.approver_label.setText(self.tr("审批的所领导"))
        self.password_label.setText(self.tr("所领导本人密码"))

    def _loaded(self, officers: list[Any]) -> None:
        for officer in officers:
            self.approver.addItem(f"{officer.name}({officer.code})", officer.code)
        if not officers:
            self.note.setText(self.tr("本站没有可审批的所领导"))
            return
        self.note.setText(self.tr("由所领导本人选择姓名并输入密码"))
        self.buttons.setEnabled(True)
        self.approver.setFocus()

    def submit(self) -> None:
        if not self.password.text():
            self.note.setText(self.tr("请所领导输入本人密码"))
            self.password.setFocus()
            return
        approval, act = self.approval(), self.act
        self.buttons.setEnabled(False)
        self.note.setText(self.tr("正在核验…"))
        self.task = run_in_background(lambda: act(approval), self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.accept()
        self.acted.emit(result)

    def _failed(self, error: Exception) -> None:
        from app.errors import ApprovalRefused

        if isinstance(error, ApprovalRefused):  # try again: another name, or the right password
            self.note.setText(error_text(error))
            self.password.clear()
            self.buttons.setEnabled(True)
            self.password.setFocus()
            return
        self.reject()
        self.failed.emit(error)

    def approval(self) -> Approval:
        from app.records.sessions import Approval

        return Approval(str(self.approver.currentData()), self.password.text())
