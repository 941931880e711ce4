"""The counter window: a large search field, today's cases, pending investigations (overdue in
red), recent certificates, and a status bar with the officer (and since when), the catalog and
the sync state.

Every list is loaded in the background (ui.tasks) through the services of ``app``, as the
signed-in officer. After the station's idle minutes without a key or a click the window locks:
its contents are hidden until the same officer types their password, or another officer signs
in (the first is signed out). Sign-out is in the menu.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.context import Context
    from app.records.sessions import Actor
    from app.services.cardreader import CardReader
    from ui.admin import AdministrationWindow
    from ui.audit_view import AuditWindow
    from ui.certificate_view import CertificateView
    from ui.sign_in import SignInDialog
    from ui.supervision import SupervisionWindow
    from ui.sync_view import PendingDialog
    from ui.wizard.decision_wizard import DecisionWizard

from app.errors import NotSignedIn
from app.policy.lookup import route_search
from app.policy.roles import ADMINISTRATION, AUDIT, COUNTER, SUPERVISION
from app.policy.workdays import CHINA
from ui.labels import case_status_name, certificate_status_name, days_left, error_text, outcome_name
from ui.models import RowsModel
from ui.sync_view import SyncState
from ui.tasks import run_in_background

IDLE_LOCK_MINUTES = 10  # unless the station sets its own
KEEP_ALIVE_SECONDS = 60  # while the officer types, their session is marked used this often
WATCHERS = (*COUNTER, *SUPERVISION)  # who sees the counter's lists
USER_INPUT = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)


class MainWindow(QMainWindow):
    def __init__(
        self, ctx: Context, actor: Actor | None = None, reader: CardReader | None = None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = actor
        self.reader = reader
        self.sign_in_dialog: SignInDialog | None = None
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
                (self.tr("式样"), lambda r: r.title or r.kind),
                (self.tr("证明对象"), lambda r: r.subject),
                (self.tr("状态"), lambda r: certificate_status_name(r.status)),
                (self.tr("出具时间"), lambda r: r.issued_at),
            ]
        )

        self.inquiries_model = RowsModel(
            [
                (self.tr("核查编号"), lambda r: r.number),
                (self.tr("请求单位"), lambda r: r.partner),
                (self.tr("被核查人"), lambda r: r.subject_name),
                (self.tr("核查事项"), lambda r: r.information),
                (self.tr("答复期限"), lambda r: r.due_date),
                (self.tr("剩余工作日"), lambda r: days_left(r.days_left)),
            ],
            highlight=lambda r: r.overdue,
        )

        self.views: list[QTableView] = []
        self.cases_box = self._table_box(self.cases_model)
        self.pending_box = self._table_box(self.pending_model)
        self.certificates_box = self._table_box(self.certificates_model)
        self.views[-1].activated.connect(self._open_certificate)
        self.inquiries_box = self._table_box(self.inquiries_model)
        self.inquiries_view = self.views[-1]
        self.inquiries_view.activated.connect(self._open_inquiry)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for box in (self.cases_box, self.pending_box, self.inquiries_box, self.certificates_box):
            splitter.addWidget(box)
        self.work = QWidget()
        layout = QVBoxLayout(self.work)
        layout.addWidget(self.search)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.work)
        self.pages.addWidget(self._lock_page())
        self.setCentralWidget(self.pages)
        self._held: tuple[bool, bool] | None = None  # the timers held during long work
        self._holds = 0  # how many pieces of long work hold them
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_LOCK_MINUTES * 60_000)
        self.idle.timeout.connect(self.lock)
        self._kept_alive = time.monotonic()
        self.station: Any = None  # this PC's station, once loaded
        self.station_label = QLabel()
        self.officer_label = QLabel()
        self.catalog_label = QLabel()
        self.sync_label = QLabel()
        for label in (self.station_label, self.officer_label, self.catalog_label, self.sync_label):
            self.statusBar().addPermanentWidget(label)
        self.sync_state = SyncState(ctx, lambda: None if self.locked else self.actor, self)
        self.sync_state.changed.connect(self.sync_label.setText)
        self.sync_state.received.connect(lambda _count: self.refresh())
        self.pending_dialog: PendingDialog | None = None
        self._menus()
        self.translate_ui()
        self.resize(1280, 720)
        self.search.setFocus()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # any key or click anywhere restarts the idle clock
        if self.actor is not None:
            self.idle.start()

    # ------------------------------------------------------------------ who is at the counter

    def _lock_page(self) -> QWidget:
        page = QWidget()
        self.lock_label = QLabel()
        self.lock_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button, self.switch_button = QPushButton(), QPushButton()
        self.unlock_button.clicked.connect(lambda: self.ask_sign_in(same_officer=True))
        self.switch_button.clicked.connect(lambda: self.ask_sign_in(same_officer=False))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.lock_label)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    @property
    def locked(self) -> bool:
        return self.pages.currentIndex() == 1

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle.setInterval(minutes * 60_000)

    def hold_timers(self, held: bool) -> None:
        """Long work under way (a backup, a restore): neither the idle lock nor a sync round
        cuts into it; both resume as they were once it is done."""
        self._holds += 1 if held else -1
        if held and self._holds == 1:
            self._held = (self.idle.isActive(), self.sync_state.timer.isActive())
            self.idle.stop()
            self.sync_state.timer.stop()
        if held or self._holds > 0:
            return  # (still held by other work)
        self._holds = 0
        idle, sync = self._held or (False, False)
        self._held = None
        if idle and not self.locked:
            self.idle.start()
        if sync:
            self.sync_state.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in USER_INPUT and self._held is not None:
            return False  # (held: a key during a restore does not restart the idle clock)
        if event.type() in USER_INPUT and self.actor is not None and not self.locked:
            self.idle.start()
            if time.monotonic() - self._kept_alive > KEEP_ALIVE_SECONDS:
                self._keep_alive(self.actor)
        return False

    def _keep_alive(self, actor: Actor) -> None:
        """A form typed for a long while without a service call keeps its session."""
        from app.services import auth

        self._kept_alive = time.monotonic()
        ctx = self.ctx
        run_in_background(lambda: auth.keep_alive(ctx, actor), lambda _: None, self._session_lost)

    def _session_lost(self, error: Exception) -> None:
        if isinstance(error, NotSignedIn) and not self.locked:
            self.lock()

    def _own_windows(self) -> list[QWidget]:
        """Every window this one opened (the wizard, a certificate, an approval or a reason
        asked, supervision, the waiting list …), however deep."""
        found = []
        for widget in QApplication.topLevelWidgets():
            parent = widget.parentWidget()
            while parent is not None and parent is not self:
                parent = parent.parentWidget()
            if parent is self and widget.isVisible():
                found.append(widget)
        return found

    def lock(self) -> None:
        """Hide everything this officer had open until they (or another officer) sign in. Their
        session ends now: what a locked window holds is of no use to anyone."""
        for window in self._own_windows():
            window.close()
        if self.actor is not None:
            try:  # at once, not in the background: nothing may act on it after this
                self._end_session(self.actor.token, "locked")
            except Exception as error:  # the lock holds all the same; say why
                self.message.setText(error_text(error))
        self.idle.stop()
        self.search.clear()
        self._show_lists(([], [], [], []))
        self.pages.setCurrentIndex(1)
        self.menuBar().setEnabled(False)
        for action in self.actions():  # no key reaches the work behind the lock
            action.setEnabled(False)
        self.translate_ui()
        self.ask_sign_in(same_officer=self.actor is not None)

    def ask_sign_in(self, *, same_officer: bool) -> None:
        from ui.sign_in import SignInDialog

        code = self.actor.code if same_officer and self.actor is not None else None
        self.sign_in_dialog = SignInDialog(self.ctx, self, fixed_code=code)
        self.sign_in_dialog.accepted.connect(self._signed_in)
        self.sign_in_dialog.open()

    def _signed_in(self) -> None:
        assert self.sign_in_dialog is not None and self.sign_in_dialog.actor is not None
        previous, self.actor = self.actor, self.sign_in_dialog.actor
        if previous is not None:  # the officer before is signed out (their session ends)
            token = previous.token
            run_in_background(
                lambda: self._end_session(token, "replaced"), lambda _: None, lambda _: None
            )
        self.pages.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        for action in self.actions():
            action.setEnabled(True)
        self._enable_for_role()
        self.translate_ui()
        self.idle.start()
        self.refresh()
        self.search.setFocus()

    def _end_session(self, token: str, reason: str) -> None:
        from app.services import auth

        auth.sign_out(self.ctx, token, reason=reason)

    def sign_out(self) -> None:
        """End this officer's session; the window locks for the next one to sign in."""
        if self.actor is not None:
            self._end_session(self.actor.token, "logout")
        self.actor = None
        self.lock()

    def closeEvent(self, event: Any) -> None:
        """Closing the window signs its officer out (should that fail, the session still ends
        by itself after its idle minutes)."""
        if self.actor is not None and not self.locked:
            with contextlib.suppress(Exception):
                self._end_session(self.actor.token, "closed")
        super().closeEvent(event)

    def shortcuts(self) -> list[tuple[str, str]]:
        """Every key the counter uses, as the Help menu lists them."""
        return [
            ("F2", self.tr("新的证明要求")),
            ("F3", self.tr("协作部门核查请求(回车答复)")),
            ("Ctrl+L", self.tr("回到搜索框")),
            ("F5", self.tr("刷新列表")),
            ("F6", self.tr("待上报省级的记录")),
            ("F7", self.tr("监督与统计(所领导)")),
            ("F8", self.tr("本站管理(管理员)")),
            ("F10", self.tr("审计记录(审计员、所领导)")),
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
        self.inquiries_action = QAction(self)
        self.inquiries_action.setShortcut(QKeySequence("F3"))
        self.inquiries_action.triggered.connect(self.inquiries_view.setFocus)
        self.search_action = QAction(self)
        self.search_action.setShortcut(QKeySequence("Ctrl+L"))
        self.search_action.triggered.connect(self.search.setFocus)
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh)
        self.supervision_action = QAction(self)
        self.supervision_action.setShortcut(QKeySequence("F7"))
        self.supervision_action.triggered.connect(self.open_supervision)
        self.supervision: SupervisionWindow | None = None
        self.admin_action = QAction(self)
        self.admin_action.setShortcut(QKeySequence("F8"))
        self.admin_action.triggered.connect(self.open_administration)
        self.audit_action = QAction(self)
        self.audit_action.setShortcut(QKeySequence("F10"))
        self.audit_action.triggered.connect(self.open_audit)
        self.administration: AdministrationWindow | None = None
        self.audit_window: AuditWindow | None = None
        self.pending_action = QAction(self)
        self.pending_action.setShortcut(QKeySequence("F6"))
        self.pending_action.triggered.connect(self.show_pending)
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence("F9"))
        self.sync_action.triggered.connect(self.sync_state.sync_now)
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.sign_out_action = QAction(self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.work_menu = self.menuBar().addMenu("")
        for action in (
            self.new_action,
            self.inquiries_action,
            self.search_action,
            self.refresh_action,
            self.pending_action,
            self.sync_action,
            self.supervision_action,
            self.sign_out_action,
        ):
            self.work_menu.addAction(action)
            self.addAction(action)  # shortcuts work wherever the focus is in the window
        self.station_menu = self.menuBar().addMenu("")
        for action in (self.admin_action, self.audit_action):
            self.station_menu.addAction(action)
            self.addAction(action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.shortcuts_action)
        self._enable_for_role()

    def _enable_for_role(self) -> None:
        """The window offers only what the officer's role may use (the services check again)."""
        role = self.actor.role if self.actor is not None else None
        self.supervision_action.setEnabled(role in SUPERVISION)
        self.admin_action.setEnabled(role in ADMINISTRATION)
        self.audit_action.setEnabled(role in AUDIT)
        for action in (self.new_action, self.pending_action):
            action.setEnabled(role in COUNTER)

    def shortcuts_text(self) -> str:
        return "\n".join(f"{key:<8} {text}" for key, text in self.shortcuts())

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("快捷键"), self.shortcuts_text())

    # ------------------------------------------------------------------ texts

    def translate_ui(self) -> None:
        station = self.station
        if station is not None and station.name:
            self.setWindowTitle(
                self.tr("certdesk 证明工作台 — {0} 第 {1} 号工作站").format(
                    station.name, station.workstation
                )
            )
            self.station_label.setText(
                self.tr("{0}({1}) 第 {2} 号工作站").format(
                    station.name, station.code, station.workstation
                )
            )
        else:
            self.setWindowTitle(self.tr("certdesk 证明工作台"))
        self.work_menu.setTitle(self.tr("办理(&W)"))
        self.station_menu.setTitle(self.tr("本站(&T)"))
        self.admin_action.setText(self.tr("本站管理…"))
        self.audit_action.setText(self.tr("审计记录…"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.new_action.setText(self.tr("新的证明要求"))
        self.search_action.setText(self.tr("回到搜索框"))
        self.inquiries_action.setText(self.tr("协作部门核查请求"))
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
        self.inquiries_box.setTitle(self.tr("协作部门核查请求(回车答复，逾期标红)"))
        actor = self.actor
        self.officer_label.setText(
            self.tr("民警：{0}({1})，{2} 登录").format(
                actor.name, actor.code, actor.since.astimezone(CHINA).strftime("%H:%M")
            )
            if actor and not self.locked
            else self.tr("已锁定")
            if actor
            else self.tr("未登录")
        )
        self.sign_out_action.setText(self.tr("退出登录"))
        self.unlock_button.setText(self.tr("解锁(&U)"))
        self.switch_button.setText(self.tr("换人登录(&S)"))
        self.lock_label.setText(
            self.tr("已锁定：{0}({1})。输入本人密码解锁，或由其他民警登录").format(
                actor.name, actor.code
            )
            if actor
            else self.tr("请民警登录")
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
        """Load the three lists in the background as the signed-in officer (with nobody signed
        in: only the station, which opens the database); ``on_loaded`` runs once shown."""
        ctx, actor = self.ctx, self.actor

        def load() -> tuple[Any, Any, Any, Any, Any]:
            from app.services import inquiries, worklists  # database code loads off the GUI thread
            from app.services.station import station_info

            station = station_info(ctx)
            if actor is None or actor.role not in WATCHERS:
                return [], [], [], [], station
            return (
                worklists.today_cases(ctx, actor=actor),
                worklists.pending_investigations(ctx, actor=actor),
                inquiries.list_inquiries(ctx, actor=actor) if actor.role in COUNTER else [],
                worklists.recent_certificates(ctx, actor=actor),
                station,
            )

        def show(lists: tuple[Any, Any, Any, Any, Any]) -> None:
            *rows, station = lists
            self._show_lists(tuple(rows))
            if station is not None:
                self.station_changed(station)
            if on_loaded is not None:
                on_loaded()

        self._background(load, show, on_failed)

    def _show_lists(self, lists: tuple[Any, Any, Any, Any]) -> None:
        cases, pending, inquiries, recent = lists
        self.cases_model.set_rows(cases)
        self.pending_model.set_rows(pending)
        self.inquiries_model.set_rows(inquiries)
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

        actor = self.actor

        def find() -> list[Any]:
            from app.services import worklists

            if actor is None:
                raise NotSignedIn("请先登录")
            return worklists.found_certificates(ctx, text, actor=actor)

        self._background(find, self._show_found)

    def open_wizard(self, kind_text: str = "") -> None:
        if self.actor is None or self.actor.role not in COUNTER:
            self.message.setText(self.tr("证明要求由窗口民警或所领导办理"))
            return
        from ui.wizard.decision_wizard import DecisionWizard  # loaded on first use: faster start

        self.wizard = DecisionWizard(self.ctx, self.actor, kind_text, self, self.reader)
        self.wizard.finished.connect(lambda _: self.refresh())
        self.wizard.show()
        self.wizard.activateWindow()
        if kind_text and self.ctx.catalog.lookup.find(kind_text).kind_id is not None:
            self.wizard.next()  # the search named one kind: on to who asks (Back returns)

    def _show_found(self, rows: list[Any]) -> None:
        self.certificates_model.set_rows(rows)
        self.message.setText(self.tr("找到 {0} 份证明").format(len(rows)))
        if len(rows) == 1 and self.actor is not None:
            self.open_certificate(rows[0].serial)  # a scanned serial opens its certificate

    def _open_inquiry(self, index: Any) -> None:
        """The inquiry's dialog: the register looked up, the answer given in its fields."""
        from ui.inquiry_dialog import InquiryDialog

        if self.actor is None or not index.isValid():
            return
        self.inquiry_dialog = InquiryDialog(
            self.ctx, self.actor, self.inquiries_model.rows[index.row()], self, self.refresh
        )
        self.inquiry_dialog.open()

    def _open_certificate(self, index: Any) -> None:
        row = self.certificates_model.rows[index.row()]
        self.open_certificate(row.serial)

    def open_certificate(self, serial: str) -> None:
        if self.actor is None or self.actor.role not in COUNTER:
            self.message.setText(self.tr("证明由窗口民警或所领导查看"))
            return
        from ui.certificate_view import CertificateView

        self.certificate_view = CertificateView(self.ctx, self.actor, serial, self)
        self.certificate_view.finished.connect(lambda _: self.refresh())
        self.certificate_view.show()

    def open_supervision(self) -> None:
        if self.actor is None or self.actor.role not in SUPERVISION:
            self.message.setText(self.tr("监督与统计限所领导使用"))
            return
        from ui.supervision import SupervisionWindow  # QtCharts loads only when it is opened

        self.supervision = SupervisionWindow(self.ctx, self.actor, self)
        self.supervision.show()
        self.supervision.activateWindow()

    def remind_deadlines(self) -> None:
        """At sign-in, a supervisor is told what is due today or overdue."""
        if self.actor is None or self.actor.role not in SUPERVISION:
            return
        ctx, actor = self.ctx, self.actor

        def count() -> tuple[int, int]:
            from app.services.supervision import due_reminder

            return due_reminder(ctx, actor=actor)

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

    def station_changed(self, station: Any) -> None:
        """This PC's station as loaded or as its administrator just set it: title, status bar,
        the idle lock and the printer."""
        from ui import dialogs

        if not station.code:
            return  # (a locked station knows its header only; keep what was shown)
        self.station = station
        self.set_idle_minutes(station.idle_lock_minutes or IDLE_LOCK_MINUTES)
        if station.printer != dialogs.SESSION.preferred:
            dialogs.SESSION.preferred = station.printer
            dialogs.SESSION.printer = None  # the administrator's choice from the next print
        self.translate_ui()

    def open_administration(self) -> None:
        if self.actor is None or self.actor.role not in ADMINISTRATION:
            self.message.setText(self.tr("本站管理限管理员使用"))
            return
        from ui.admin import AdministrationWindow

        self.administration = AdministrationWindow(self.ctx, self.actor, self)
        self.administration.show()
        self.administration.activateWindow()

    def open_audit(self) -> None:
        if self.actor is None or self.actor.role not in AUDIT:
            self.message.setText(self.tr("审计记录限审计员和所领导查看"))
            return
        from ui.audit_view import AuditWindow

        self.audit_window = AuditWindow(self.ctx, self.actor, self)
        self.audit_window.show()
        self.audit_window.activateWindow()

    def after_restore(self) -> None:
        """A restore ended every session: the window locks for the next sign-in."""
        self.actor = None
        self.lock()

    def show_pending(self) -> None:
        from ui.sync_view import PendingDialog

        self.pending_dialog = PendingDialog(self.ctx, self.sync_state, self)
        self.pending_dialog.show()
        self.pending_dialog.activateWindow()

    def show_error(self, error: Exception) -> None:
        self.message.setText(error_text(error))
