"""Page 3: the outcome in plain Chinese — reason, basis, what to use instead — and, for an
abolished or exchange outcome, the written notice recorded, printed to PDF and archived."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWizardPage,
)

from app.context import Context
from app.policy.catalog import Catalog
from app.policy.decision import Decision, Request, decide, next_step
from ui.labels import error_text
from ui.preview import PreviewDialog, printed_before
from ui.tasks import Task, run_in_background

if TYPE_CHECKING:
    from app.records.sessions import Actor
    from app.services.issuing import NoticeResult


class OutcomePage(QWizardPage):
    def __init__(
        self, ctx: Context, catalog: Catalog, actor: Actor, request: Callable[[], Request]
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.catalog = catalog
        self.actor = actor
        self.request = request
        self.decision: Decision | None = None
        self.notice: NoticeResult | None = None
        self.task: Task | None = None
        self.summary = QTextBrowser()
        self.print_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        # outside the list the station contacts the demanding unit and explains (seed): who, how
        self.contact_label = QLabel()
        self.contact = QLineEdit()
        self.contact.setMaxLength(100)
        self.contact_label.setBuddy(self.contact)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.contact_label)
        layout.addWidget(self.contact)
        layout.addWidget(self.print_button)
        self.preview_button = QPushButton()
        self.preview: PreviewDialog | None = None
        layout.addWidget(self.preview_button)
        self.preview_button.clicked.connect(self.open_preview)
        layout.addWidget(self.status)
        self.print_button.clicked.connect(self.record_notice)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.setTitle(self.tr("判断结果"))
        self.print_button.setText(self.tr("出具书面告知书并存档(&P)"))
        self.preview_button.setText(self.tr("预览并打印(&V)"))
        self.contact_label.setText(self.tr("已联系要求单位(&L)：单位、人员和方式(可不填)"))
        self.contact.setPlaceholderText(
            self.tr("如：电话联系某某银行信贷部李经理，说明不再出具的原因")
        )

    def initializePage(self) -> None:
        self.notice = None
        self.status.clear()
        self.decision = decide(self.catalog, self.request(), self.ctx.today())
        self.summary.setPlainText(self._text(self.decision))
        step = next_step(self.decision)
        refusal = self.decision.decided and self.decision.outcome == "abolished"
        for widget in (self.contact_label, self.contact):
            widget.setVisible(refusal and self.decision.report_to_superior)
        self.print_button.setVisible(step == "notice")
        self.preview_button.setVisible(False)
        self.print_button.setEnabled(True)
        if step == "choose_kind":
            self.status.setText(self.tr("证明种类不明确：请返回上一步从候选中选定。"))
        elif step == "issue":
            self.status.setText(self.tr("按回车进入下一步：填写表式，出具证明。"))
        elif step == "notice":
            self.status.setText(self.tr("按 Alt+P 出具书面告知书，预览后打印。"))
        self.completeChanged.emit()

    def _text(self, d: Decision) -> str:
        lines = [self.tr("结论：{0}").format(d.outcome_name)]
        if d.kind_name:
            lines.append(self.tr("证明：{0}").format(d.kind_name))
        lines.append(self.tr("理由：{0}").format(d.reason))
        lines.append(self.tr("依据：{0}").format(d.basis))
        if d.use_instead:
            lines.append(self.tr("请改用：{0}").format(d.use_instead))
        if d.competent_department:
            lines.append(self.tr("主管部门：{0}").format(d.competent_department))
        if d.handled_at:
            lines.append(self.tr("办理地点：{0}").format(d.handled_at))
        if d.report_to_superior:
            lines.append(self.tr("须报告上级公安机关。"))
        lines.append("")
        lines += [f"{i}. {step}" for i, step in enumerate(d.steps, 1)]
        return "\n".join(lines)

    def record_notice(self) -> None:
        self.print_button.setEnabled(False)
        self.status.setText(self.tr("正在出具…"))
        ctx, catalog, request, officer = self.ctx, self.catalog, self.request(), self.actor
        contacted = self.contact.text() if self.contact.isVisible() else ""
        from app.services.counter import record_notice

        self.task = run_in_background(
            lambda: record_notice(
                ctx,
                request=request,
                officer=officer,
                printed=True,
                catalog=catalog,
                contacted=contacted,
            ),
            self._recorded,
            self._failed,
        )

    def _recorded(self, notice: NoticeResult) -> None:
        self.notice = notice
        self.status.setText(self.tr("已出具 {0}").format(notice.notice_no))
        self.preview_button.setVisible(bool(notice.pdf_path))
        self.completeChanged.emit()
        self.open_preview()  # preview first; Enter there prints

    def open_preview(self) -> None:
        if self.notice and self.notice.pdf_path:
            from app.services.certificates import open_printed

            self.preview = PreviewDialog(
                f"{self.notice.notice_no}.pdf",
                open_printed(self.ctx, self.notice.pdf_path),
                self,
                printable=not printed_before(self.preview),
            )
            self.preview.show()
            self.preview.activateWindow()

    def _failed(self, error: Exception) -> None:
        self.print_button.setEnabled(True)
        self.status.setText(error_text(error))

    def isComplete(self) -> bool:
        if self.decision is None:
            return False
        step = next_step(self.decision)
        return step == "issue" or (step == "notice" and self.notice is not None)

    def cleanupPage(self) -> None:
        self.decision = None
