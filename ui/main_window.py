"""The counter window: a large search field, today's cases, pending investigations (overdue in
red), recent certificates, and a status bar with the officer, the catalog and the sync state.

Every list is loaded in the background (ui.tasks) through the services of ``app``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.context import Context
    from app.services.cardreader import CardReader
    from app.services.officers import OfficerInfo
    from ui.certificate_view import CertificateView
    from ui.supervision import SupervisionWindow
    from ui.sync_view import PendingDialog
    from ui.wizard.decision_wizard import DecisionWizard

from app.policy.lookup import route_search
from ui.labels import case_status_name, certificate_status_name, days_left, error_text, outcome_name
from ui.models import RowsModel
from ui.sync_view import SyncState
from ui.tasks import run_in_background


class MainWindow(QMainWindow):
    def __init__(
        self, ctx: Context, officer: OfficerInfo | None = None, reader: CardReader | None = None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.officer = officer
        self.reader = reader
        self.wizard: DecisionWizard | None = None
        self.certificate_view: CertificateView | None = None
        self.search = QLineEdit()
        search_font = QFont(self.search.font())
        search_font.setPointSize(16)
        self.search.setFont(search_font)
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.run_search)
        self.message = QLabel()

        self.cases_model = RowsModel(
            [
                (self.tr("案件编号"), lambda r: r.case_no),
                (self.tr("所要证明"), lambda r: r.kind),
                (self.tr("结论"), lambda r: outcome_name(r.outcome)),
                (self.tr("状态"), lambda r: case_status_name(r.status)),
                (self.tr("首接民警"), lambda r: r.officer),
                (self.tr("时间"), lambda r: r.created_at),
            ]
        )
        self.pending_model = RowsModel(
            [
                (self.tr("案件编号"), lambda r: r.case_no),
                (self.tr("所要证明"), lambda r: r.kind),
                (self.tr("办结期限"), lambda r: r.due_date),
                (self.tr("剩余工作日"), lambda r: days_left(r.working_days_left)),
                (self.tr("首接民警"), lambda r: r.officer),
            ],
            highlight=lambda r: r.overdue,
        )
        self.certificates_model = RowsModel(
            [
                (self.tr("编号"), lambda r: r.serial),
                (self.tr("式样"), lambda r: r.kind),
                (self.tr("证明对象"), lambda r: r.subject),
                (self.tr("状态"), lambda r: certificate_status_name(r.status)),
                (self.tr("出具时间"), lambda r: r.issued_at),
            ]
        )

        self.views: list[QTableView] = []
        self.cases_box = self._table_box(self.cases_model)
        self.pending_box = self._table_box(self.pending_model)
        self.certificates_box = self._table_box(self.certificates_model)
        self.views[-1].activated.connect(self._open_certificate)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for box in (self.cases_box, self.pending_box, self.certificates_box):
            splitter.addWidget(box)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.search)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.officer_label = QLabel()
        self.catalog_label = QLabel()
        self.sync_label = QLabel()
        for label in (self.officer_label, self.catalog_label, self.sync_label):
            self.statusBar().addPermanentWidget(label)
        self.sync_state = SyncState(ctx, self)
        self.sync_state.changed.connect(self.sync_label.setText)
        self.pending_dialog: PendingDialog | None = None
        self._menus()
        self.translate_ui()
        self.resize(1280, 720)
        self.search.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        """Every key the counter uses, as the Help menu lists them."""
        return [
            ("F2", self.tr("新的证明要求")),
            ("Ctrl+L", self.tr("回到搜索框")),
            ("F5", self.tr("刷新列表")),
            ("F6", self.tr("待上报省级的记录")),
            ("F7", self.tr("监督与统计(所领导)")),
            ("F9", self.tr("立即与省级同步")),
            ("Enter", self.tr("搜索 / 下一步")),
            ("Esc", self.tr("取消")),
            ("Alt+P", self.tr("出具书面告知书")),
            ("Alt+R", self.tr("读取身份证 / 补打")),
            ("Alt+I", self.tr("出具证明")),
            ("Alt+M", self.tr("出具一次性告知书")),
            ("Alt+V", self.tr("作废(所领导) / 预览并打印")),
            ("Alt+S", self.tr("选择打印机(预览中)")),
            ("Alt+C", self.tr("已交付，关闭(预览中)")),
        ]

    def _menus(self) -> None:
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence("F2"))
        self.new_action.triggered.connect(lambda: self.open_wizard(""))
        self.search_action = QAction(self)
        self.search_action.setShortcut(QKeySequence("Ctrl+L"))
        self.search_action.triggered.connect(self.search.setFocus)
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh)
        self.supervision_action = QAction(self)
        self.supervision_action.setShortcut(QKeySequence("F7"))
        self.supervision_action.triggered.connect(self.open_supervision)
        self.supervision_action.setEnabled(self.officer is not None and self.officer.supervises)
        self.supervision: SupervisionWindow | None = None
        self.pending_action = QAction(self)
        self.pending_action.setShortcut(QKeySequence("F6"))
        self.pending_action.triggered.connect(self.show_pending)
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence("F9"))
        self.sync_action.triggered.connect(self.sync_state.sync_now)
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.work_menu = self.menuBar().addMenu("")
        for action in (
            self.new_action,
            self.search_action,
            self.refresh_action,
            self.pending_action,
            self.sync_action,
            self.supervision_action,
        ):
            self.work_menu.addAction(action)
            self.addAction(action)  # shortcuts work wherever the focus is in the window
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.shortcuts_action)

    def shortcuts_text(self) -> str:
        return "\n".join(f"{key:<8} {text}" for key, text in self.shortcuts())

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("快捷键"), self.shortcuts_text())

    # ------------------------------------------------------------------ texts

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("certdesk 证明工作台"))
        self.work_menu.setTitle(self.tr("办理(&W)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.new_action.setText(self.tr("新的证明要求"))
        self.search_action.setText(self.tr("回到搜索框"))
        self.refresh_action.setText(self.tr("刷新列表"))
        self.shortcuts_action.setText(self.tr("快捷键"))
        self.pending_action.setText(self.tr("待上报省级的记录"))
        self.supervision_action.setText(self.tr("监督与统计(所领导)"))
        self.sync_action.setText(self.tr("立即与省级同步"))
        self.search.setPlaceholderText(
            self.tr("输入证明名称、拼音首字母，扫描证明编号，或输入公民身份号码，按回车")
        )
        self.cases_box.setTitle(self.tr("今日案件"))
        self.pending_box.setTitle(self.tr("调查中(逾期标红)"))
        self.certificates_box.setTitle(self.tr("最近出具的证明"))
        officer = self.officer
        self.officer_label.setText(
            self.tr("民警：{0}({1})").format(officer.name, officer.code)
            if officer
            else self.tr("未登录")
        )
        catalog = self.ctx.catalog
        self.catalog_label.setText(self.tr("目录 {0} 版本 {1}").format(catalog.id, catalog.version))
        self.sync_label.setText(self.sync_state.text())

    # ------------------------------------------------------------------ data

    def _table_box(self, model: RowsModel) -> QGroupBox:
        box = QGroupBox()
        view = QTableView()
        view.setModel(model)
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().setVisible(False)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        layout = QVBoxLayout(box)
        layout.addWidget(view)
        self.views.append(view)
        model.modelReset.connect(view.resizeColumnsToContents)
        return box

    def _background(self, fn: Any, done: Any, failed: Any = None) -> None:
        run_in_background(fn, done, failed or self.show_error)

    def refresh(self, on_loaded: Any = None, on_failed: Any = None) -> None:
        """Load the three lists in the background; ``on_loaded`` runs once they are shown."""
        ctx = self.ctx

        def load() -> tuple[Any, Any, Any]:
            from app.services import worklists  # database code loads off the GUI thread

            return (
                worklists.today_cases(ctx),
                worklists.pending_investigations(ctx),
                worklists.recent_certificates(ctx),
            )

        def show(lists: tuple[Any, Any, Any]) -> None:
            self._show_lists(lists)
            if on_loaded is not None:
                on_loaded()

        self._background(load, show, on_failed)

    def _show_lists(self, lists: tuple[Any, Any, Any]) -> None:
        cases, pending, recent = lists
        self.cases_model.set_rows(cases)
        self.pending_model.set_rows(pending)
        self.certificates_model.set_rows(recent)

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.refresh()
            return
        if route_search(self.ctx.catalog, text) == "kind":
            self.open_wizard(text)
            return
        ctx = self.ctx

        def find() -> list[Any]:
            from app.services import worklists

            return worklists.found_certificates(ctx, text)

        self._background(find, self._show_found)

    def open_wizard(self, kind_text: str = "") -> None:
        if self.officer is None:
            self.message.setText(self.tr("请先登录"))
            return
        from ui.wizard.decision_wizard import DecisionWizard  # loaded on first use: faster start

        self.wizard = DecisionWizard(self.ctx, self.officer.code, kind_text, self, self.reader)
        self.wizard.finished.connect(lambda _: self.refresh())
        self.wizard.show()
        self.wizard.activateWindow()
        if kind_text and self.ctx.catalog.lookup.find(kind_text).kind_id is not None:
            self.wizard.next()  # the search named one kind: on to who asks (Back returns)

    def _show_found(self, rows: list[Any]) -> None:
        self.certificates_model.set_rows(rows)
        self.message.setText(self.tr("找到 {0} 份证明").format(len(rows)))
        if len(rows) == 1 and self.officer is not None:
            self.open_certificate(rows[0].serial)  # a scanned serial opens its certificate

    def _open_certificate(self, index: Any) -> None:
        row = self.certificates_model.rows[index.row()]
        self.open_certificate(row.serial)

    def open_certificate(self, serial: str) -> None:
        if self.officer is None:
            self.message.setText(self.tr("请先登录"))
            return
        from ui.certificate_view import CertificateView

        self.certificate_view = CertificateView(self.ctx, self.officer, serial, self)
        self.certificate_view.finished.connect(lambda _: self.refresh())
        self.certificate_view.show()

    def open_supervision(self) -> None:
        if self.officer is None or not self.officer.supervises:
            self.message.setText(self.tr("监督与统计限所领导使用"))
            return
        from ui.supervision import SupervisionWindow  # QtCharts loads only when it is opened

        self.supervision = SupervisionWindow(self.ctx, self)
        self.supervision.show()
        self.supervision.activateWindow()

    def remind_deadlines(self) -> None:
        """At sign-in, a supervisor is told what is due today or overdue."""
        if self.officer is None or not self.officer.supervises:
            return
        ctx = self.ctx

        def count() -> tuple[int, int]:
            from app.services.supervision import due_reminder

            return due_reminder(ctx)

        self._background(count, self._show_reminder)

    def _show_reminder(self, counts: tuple[int, int]) -> None:
        due, overdue = counts
        if due or overdue:
            self.message.setText(
                self.tr("提醒：调查核实今日到期 {0} 件，已超期 {1} 件(F7 查看)").format(
                    due, overdue
                )
            )
            self.message.setStyleSheet("color: #c0392b")

    def show_pending(self) -> None:
        from ui.sync_view import PendingDialog

        self.pending_dialog = PendingDialog(self.ctx, self.sync_state, self)
        self.pending_dialog.show()
        self.pending_dialog.activateWindow()

    def show_error(self, error: Exception) -> None:
        self.message.setText(error_text(error))
