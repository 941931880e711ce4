"""One certificate: its details, reprint and void (each with a reason, approved at the counter by\na supervisor with their own password)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout

if TYPE_CHECKING:
    from app.context import Context
    from app.records.sessions import Actor, Approval
    from app.services.certificates import CertificateInfo, Reprint


from app.protocol.status import CertificateStatus
from ui import dialogs
from ui.approval import ApprovalDialog
from ui.labels import error_text
from ui.tasks import Task, run_in_background


class CertificateView(QDialog):
    def __init__(self, ctx: Context, actor: Actor, serial: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.serial = ctx, actor, serial
        self.approval_dialog: ApprovalDialog | None = None
        self.info: CertificateInfo | None = None
        self.task: Task | None = None
        self.details = QTextBrowser()
        self.reprint_button, self.void_button = QPushButton(), QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.void_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.reprint_button.clicked.connect(self.reprint)
        self.void_button.clicked.connect(self.void)
        self.translate_ui()
        self.resize(640, 520)
        self.load()

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("证明 {0}").format(self.serial))
        self.reprint_button.setText(self.tr("补打(&R)"))
        self.void_button.setText(self.tr("作废(&V)"))

    def load(self) -> None:
        from app.services.certificates import show

        ctx, serial, actor = self.ctx, self.serial, self.actor
        self._run(lambda: show(ctx, serial, actor=actor), self._shown)

    def _shown(self, info: CertificateInfo) -> None:
        self.info = info
        lines = [f"{k}: {v}" for k, v in info.to_dict().items() if k != "form_values"]
        lines += [f"  {k}: {v}" for k, v in (info.form_values or {}).items()]
        self.details.setPlainText("\n".join(lines))
        self.void_button.setEnabled(info.status != CertificateStatus.VOID)

    def _approve(self, what: str, act: Callable[[Approval], Any], then: Any) -> None:
        """A supervisor other than the officer approves at the counter (双人复核) and ``act``
        runs with their approval; ``then`` receives its result."""
        self.approval_dialog = ApprovalDialog(self.ctx, self.actor, what, act, self)
        self.approval_dialog.acted.connect(then)
        self.approval_dialog.failed.connect(self._failed)
        self.approval_dialog.open()

    def reprint(self) -> None:
        reason = dialogs.ask_text(self, self.tr("补打"), self.tr("补打理由"))
        if reason is None:
            return
        ctx, serial, officer = self.ctx, self.serial, self.actor

        def work(approval: Approval) -> Reprint:
            from app.services.certificates import reprint

            return reprint(ctx, serial=serial, reason=reason, officer=officer, approval=approval)

        what = self.tr("补打证明 {0}：{1}").format(self.serial, reason)
        self._approve(what, work, self._reprinted)

    def _reprinted(self, copy: Reprint) -> None:
        from ui.preview import PreviewDialog

        self.status.setText(self.tr("已补打第 {0} 份：请在预览中打印").format(copy.print_count))
        # the copy goes to the printer from memory (the station's sealed copy is in the data dir)
        self.preview = PreviewDialog(f"{copy.serial}-{copy.print_count}.pdf", copy.pdf, self)
        self.preview.show()
        self.load()

    def void(self) -> None:
        reason = dialogs.ask_text(self, self.tr("作废"), self.tr("作废理由"))
        if reason is None:
            return
        ctx, serial, officer = self.ctx, self.serial, self.actor

        def work(approval: Approval) -> CertificateInfo:
            from app.services.certificates import void

            return void(ctx, serial=serial, reason=reason, officer=officer, approval=approval)

        what = self.tr("作废证明 {0}：{1}").format(self.serial, reason)
        self._approve(what, work, self._voided)

    def _voided(self, info: CertificateInfo) -> None:
        self.status.setText(self.tr("已作废"))
        self._shown(info)

    def _run(self, fn: Any, done: Any) -> None:
        self.task = run_in_background(fn, done, self._failed)

    def _failed(self, error: Exception) -> None:
        self.status.setText(error_text(error))
