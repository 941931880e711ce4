"""One certificate: its details, reprint (with a reason, counted) and void (supervisors)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout

if TYPE_CHECKING:
    from app.context import Context
    from app.services.certificates import CertificateInfo, Reprint
    from app.services.officers import OfficerInfo


from app.protocol.status import CertificateStatus
from ui import dialogs
from ui.labels import error_text
from ui.tasks import Task, run_in_background


class CertificateView(QDialog):
    def __init__(self, ctx: Context, officer: OfficerInfo, serial: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.officer, self.serial = ctx, officer, serial
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

        ctx, serial = self.ctx, self.serial
        self._run(lambda: show(ctx, serial), self._shown)

    def _shown(self, info: CertificateInfo) -> None:
        self.info = info
        lines = [f"{k}: {v}" for k, v in info.to_dict().items() if k != "form_values"]
        lines += [f"  {k}: {v}" for k, v in (info.form_values or {}).items()]
        self.details.setPlainText("\n".join(lines))
        self.void_button.setEnabled(info.status != CertificateStatus.VOID)

    def reprint(self) -> None:
        reason = dialogs.ask_text(self, self.tr("补打"), self.tr("补打理由"))
        if reason is None:
            return
        ctx, serial, officer = self.ctx, self.serial, self.officer.code

        def work() -> tuple[Reprint, str]:
            from app.services.certificates import reprint

            copy = reprint(ctx, serial=serial, reason=reason, officer=officer)
            target = ctx.data_dir / "prints" / f"{serial}-{copy.print_count}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(copy.pdf)
            return copy, str(target)

        self._run(work, self._reprinted)

    def _reprinted(self, result: tuple[Reprint, str]) -> None:
        copy, path = result
        self.status.setText(self.tr("已补打第 {0} 份：{1}").format(copy.print_count, path))
        self.load()

    def void(self) -> None:
        reason = dialogs.ask_text(self, self.tr("作废"), self.tr("作废理由"))
        if reason is None:
            return
        from app.services.certificates import void

        ctx, serial, officer = self.ctx, self.serial, self.officer.code
        self._run(lambda: void(ctx, serial=serial, reason=reason, officer=officer), self._voided)

    def _voided(self, info: CertificateInfo) -> None:
        self.status.setText(self.tr("已作废"))
        self._shown(info)

    def _run(self, fn: Any, done: Any) -> None:
        self.task = run_in_background(fn, done, self._failed)

    def _failed(self, error: Exception) -> None:
        self.status.setText(error_text(error))
