"""Page 4 (issue outcomes): the form's fields, generated from its spec, each validated as it is
left with the error beside it; "read ID card" fills the applicant (and ticks the material the
card is); the kind's other materials start unticked — the clerk ticks each paper seen, or
confirms them all at once (Alt+K) — and a request with a required one unticked is not issued
(``app.policy.materials``: the ones for some requests only, "代办的：…", never block); materials
not brought give the one-time notice; "issue" records, renders and archives the certificate in
the background."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.context import Context
from app.errors import CertdeskError
from app.policy import materials as material_rules
from app.policy.catalog import Catalog
from app.policy.decision import Decision, Request
from app.records.form_values import clean_field
from app.records.printing import certificate_renderer
from app.services.cardreader import CardReader
from forms import specs
from forms.fields import FieldSpec
from ui.approval import ApprovalDialog
from ui.labels import error_text
from ui.preview import PreviewDialog, printed_before
from ui.tasks import Task, run_in_background

if TYPE_CHECKING:
    from app.records.sessions import Actor, Approval
    from app.services.issuing import IssueResult, NoticeResult

FieldWidget = QLineEdit | QComboBox


class FormPage(QWizardPage):
    def __init__(
        self,
        ctx: Context,
        catalog: Catalog,
        actor: Actor,
        request: Callable[[], Request],
        decision: Callable[[], Decision | None],
        reader: CardReader | None,
    ) -> None:
        super().__init__()
        self.ctx, self.actor, self.request, self.decision = (
            ctx,
            actor,
            request,
            decision,
        )
        self.catalog = catalog
        self.reader = reader
        self.inputs: dict[str, FieldWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.materials: list[QCheckBox] = []
        # the day told to the applicant, where the catalog sets no investigation limit
        self.due_input: QLineEdit | None = None
        self.result: IssueResult | None = None
        self.notice: NoticeResult | None = None
        self.task: Task | None = None
        self.fields_box = QWidget()
        self.form = QFormLayout(self.fields_box)
        self.approval_dialog: ApprovalDialog | None = None
        self.read_card = QPushButton()
        self.issue_button = QPushButton()
        self.missing_button = QPushButton()
        self.all_present = QPushButton()
        self.preview_button = QPushButton()
        self.preview: PreviewDialog | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (
            self.read_card,
            self.all_present,
            self.issue_button,
            self.missing_button,
            self.preview_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields_box, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.read_card.clicked.connect(self.fill_from_card)
        self.issue_button.clicked.connect(self.issue)
        self.missing_button.clicked.connect(self.one_time_notice)
        self.all_present.clicked.connect(self.tick_all_materials)
        self.preview_button.clicked.connect(self.open_preview)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.setTitle(self.tr("填写证明"))
        self.read_card.setText(self.tr("读取身份证(&R)"))
        self.issue_button.setText(self.tr("出具证明并存档(&I)"))
        self.missing_button.setText(self.tr("缺少材料：出具一次性告知书(&M)"))
        self.all_present.setText(self.tr("材料齐全(&K)"))
        self.preview_button.setText(self.tr("预览并打印(&V)"))

    # ------------------------------------------------------------------ building

    def initializePage(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs.clear()
        self.errors.clear()
        self.materials.clear()
        self.result = self.notice = None
        decision = self.decision()
        assert decision is not None and decision.form is not None
        spec = specs.get(decision.form)
        self.setSubTitle(spec.title)
        for field in spec.fields:
            widget: FieldWidget
            if field.type == "choice":
                widget = QComboBox()
                widget.addItems(list(field.choices))
            else:
                widget = QLineEdit()
                widget.setPlaceholderText("YYYY-MM-DD" if field.type == "date" else field.help)
                widget.editingFinished.connect(lambda f=field: self.check(f))
            error = QLabel()
            error.setStyleSheet("color: #c0392b")
            column = QVBoxLayout()
            column.addWidget(widget)
            column.addWidget(error)
            self.form.addRow(field.label + ("" if field.required else self.tr("(可不填)")), column)
            self.inputs[field.name], self.errors[field.name] = widget, error
        self.due_input = None
        if decision.handling == "investigation" and decision.deadline_working_days is None:
            self.due_input = QLineEdit()
            self.due_input.setPlaceholderText("YYYY-MM-DD")
            error = QLabel()
            error.setStyleSheet("color: #c0392b")
            column = QVBoxLayout()
            column.addWidget(self.due_input)
            column.addWidget(error)
            self.form.addRow(self.tr("告知申请人的办结日期(目录未规定时限)"), column)
            self.errors["due_date"] = error
        kind = self.catalog.kinds.get(decision.kind_id or "")
        for material in kind.materials if kind else ():
            box = QCheckBox(self.tr("已提供：{0}").format(material))
            box.setProperty("material", material)  # the catalog's words, whatever the label says
            box.setChecked(False)  # ticked by the clerk who has seen the paper, not in advance
            self.form.addRow(box)
            self.materials.append(box)
        self.read_card.setEnabled(self.reader is not None and "applicant_id" in self.inputs)
        self.all_present.setEnabled(bool(self.materials))
        self.issue_button.setEnabled(True)
        self.preview_button.setEnabled(False)
        self.status.clear()
        self.completeChanged.emit()
        first = next(iter(self.inputs.values()), None)
        if first is not None:
            first.setFocus()  # the clerk types at once (or Alt+R reads the card)

    def value(self, name: str) -> str:
        widget = self.inputs[name]
        return widget.currentText() if isinstance(widget, QComboBox) else widget.text()

    def check(self, field: FieldSpec) -> bool:
        try:
            clean_field(field, self.value(field.name))
        except CertdeskError as error:
            self.errors[field.name].setText(error.message)
            return False
        self.errors[field.name].clear()
        return True

    # ------------------------------------------------------------------ actions

    def fill_from_card(self) -> None:
        assert self.reader is not None
        try:
            card = self.reader.read()
        except CertdeskError as error:
            self.status.setText(error.message)
            return
        for name, value in (("applicant_name", card.name), ("applicant_id", card.id_number)):
            widget = self.inputs.get(name)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
        self.status.setText(self.tr("已读取身份证：{0}").format(card.name))
        for box in self.materials:  # the card on the reader is that paper, seen
            if material_rules.shown_by_card(str(box.property("material"))):
                box.setChecked(True)
        empty = [w for w in self.inputs.values() if isinstance(w, QLineEdit) and not w.text()]
        if empty:
            empty[0].setFocus()  # the clerk types on where the card left off

    def _unseen(self) -> list[str]:
        listed = [str(box.property("material")) for box in self.materials]
        seen = {str(box.property("material")) for box in self.materials if box.isChecked()}
        return material_rules.missing(listed, seen)

    def tick_all_materials(self) -> None:
        """The clerk has seen every paper every applicant brings: those ticked at once (the ones
        for some requests only are ticked by hand when they apply)."""
        for box in self.materials:
            if not material_rules.conditional(str(box.property("material"))):
                box.setChecked(True)
        self.status.setText(self.tr("材料已核对齐全"))
        self.issue_button.setFocus()

    def issue(self) -> None:
        decision = self.decision()
        assert decision is not None and decision.form is not None
        spec = specs.get(decision.form)
        if not all([self.check(field) for field in spec.fields]):
            self.status.setText(self.tr("请先改正标红的内容"))
            return
        unseen = self._unseen()
        if unseen:
            self.status.setText(
                self.tr(
                    "请核对材料：群众已带的逐项勾选(空格键)，或按 Alt+K 确认材料齐全；"
                    "缺少的，按 Alt+M 出具一次性告知书"
                )
            )
            first = next(b for b in self.materials if b.property("material") == unseen[0])
            first.setFocus()
            return
        values = {name: self.value(name) for name in self.inputs}
        due_date = None
        if self.due_input is not None:
            import datetime as dt

            try:
                due_date = dt.date.fromisoformat(self.due_input.text().strip())
            except ValueError:
                message = self.tr("办结日期应为 YYYY-MM-DD")
                self.errors["due_date"].setText(message)
                self.status.setText(message)
                self.due_input.setFocus()
                return
            self.errors["due_date"].clear()
        ctx, catalog, request, officer = self.ctx, self.catalog, self.request(), self.actor
        from app.services.counter import issue

        def work(approval: Approval | None) -> IssueResult:
            return issue(
                ctx,
                request=request,
                officer=officer,
                values=values,
                approval=approval,
                render=certificate_renderer(ctx),
                catalog=catalog,
                due_date=due_date,
            )

        if (
            decision.special_case
        ):  # 特事特办: a supervisor approves at the counter, and it is issued
            self.approval_dialog = ApprovalDialog(
                ctx, officer, self.tr("特事特办：{0}").format(decision.kind_name), work, self
            )
            self.approval_dialog.acted.connect(self._issued)
            self.approval_dialog.failed.connect(self._failed)
            self.approval_dialog.open()
            return
        self.issue_button.setEnabled(False)
        self.status.setText(self.tr("正在出具…"))
        self.task = run_in_background(lambda: work(None), self._issued, self._failed)

    def _issued(self, result: IssueResult) -> None:
        self.result = result
        if result.serial:
            text = self.tr("已出具：编号 {0}").format(result.serial)
        else:
            text = self.tr("已受理，需调查核实：{0} 前办结；已出具受理回执").format(result.due_date)
        self.status.setText(text)
        self.preview_button.setEnabled(bool(result.pdf_path))
        self.completeChanged.emit()
        self.open_preview()

    def one_time_notice(self) -> None:
        missing = tuple(self._unseen())
        if not missing:
            self.status.setText(self.tr("所列材料都已勾选：没有缺少的材料"))
            return
        ctx, catalog, request, officer = self.ctx, self.catalog, self.request(), self.actor
        from app.services.counter import record_notice

        self.task = run_in_background(
            lambda: record_notice(
                ctx,
                request=request,
                officer=officer,
                missing=missing,
                printed=True,
                catalog=catalog,
            ),
            self._noticed,
            self._failed,
        )

    def _noticed(self, notice: NoticeResult) -> None:
        self.notice = notice
        self.status.setText(self.tr("已出具一次性告知书 {0}").format(notice.notice_no))
        self.preview_button.setEnabled(bool(notice.pdf_path))
        self.completeChanged.emit()
        self.open_preview()

    def open_preview(self) -> None:
        printed = self.result.pdf_path if self.result else None
        printed = printed or (self.notice.pdf_path if self.notice else None)
        if not printed:
            return
        hand_over = None
        serial = self.result.serial if self.result else None
        if serial:
            ctx, officer = self.ctx, self.actor

            def hand_over() -> object:
                from app.services.certificates import hand_over as record

                return record(ctx, serial=serial, officer=officer)

        from app.services.certificates import open_printed

        name = (serial or (self.notice.notice_no if self.notice else "")) + ".pdf"
        self.preview = PreviewDialog(
            name,
            open_printed(self.ctx, printed),
            self,
            hand_over,
            printable=not printed_before(self.preview),
        )
        self.preview.show()
        self.preview.activateWindow()

    def _failed(self, error: Exception) -> None:
        self.issue_button.setEnabled(True)
        field = getattr(error, "field", None)
        message = error_text(error)
        if field in self.errors:
            self.errors[field].setText(message)
        self.status.setText(message)

    def isComplete(self) -> bool:
        return self.result is not None or self.notice is not None
