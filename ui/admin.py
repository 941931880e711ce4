"""The station's administration, for its administrator (F8): officers, enrolment with the
province, backup and restore, the catalog, this PC's settings, sync conflicts and the recovery
key. Every act goes through the services of ``app``, which check the role themselves; a change
to a supervisor's or an administrator's account opens the approval dialog, as at the counter.

Keyboard first: Ctrl+Tab / Ctrl+Shift+Tab (or Alt+1…7) move between the tabs, Alt+letter presses
a tab's buttons, Enter in a dialog accepts, Esc closes."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.policy.roles import ROLES
from ui import dialogs
from ui.dialogs import CounterDialog
from ui.labels import error_text, role_name
from ui.models import RowsModel
from ui.progress import run_with_progress
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from app.context import Context
    from app.records.sessions import Actor

ERROR_STYLE = "color: #c0392b"


def table(model: RowsModel) -> QTableView:
    """A list sized to its content (every column as wide as its longest cell, the last one
    taking what is left)."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    model.modelReset.connect(view.resizeColumnsToContents)
    return view


def _china_time(stamp: str) -> str:
    """An ISO time as the station's clock shows it (China time), to the minute."""
    import datetime as dt

    from app.policy.workdays import CHINA

    try:
        return dt.datetime.fromisoformat(stamp).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def password_rules() -> str:
    return QCoreApplication.translate(
        "Admin", "密码至少8位，同时含有字母和数字；两次输入须一致。民警首次登录时须改为自己的密码"
    )


class Tab(QWidget):
    """One tab: a message line under its contents, and the window's acts."""

    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__()
        self.window_ = window
        self.ctx, self.actor = window.ctx, window.actor
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def load(self) -> None:
        """What the tab shows, loaded as it is entered."""

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def failed(self, error: Exception) -> None:
        self.say(error_text(error), error=True)

    def act(self, what: str, fn: Callable[..., Any], done: Callable[[Any], None]) -> None:
        """Run ``fn(approval=None)`` in the background; when the service asks for a supervisor's
        approval, the approval dialog runs ``fn(approval=…)`` instead."""
        from app.errors import ApprovalRequired

        def failed(error: Exception) -> None:
            if isinstance(error, ApprovalRequired):
                self.approve(what, fn, done)
            else:
                self.failed(error)

        self.say(QCoreApplication.translate("Tab", "正在办理…"))
        run_in_background(lambda: fn(approval=None), done, failed)

    def approve(self, what: str, fn: Callable[..., Any], done: Callable[[Any], None]) -> None:
        from ui.approval import ApprovalDialog

        self.say(
            QCoreApplication.translate(
                "Tab", "须经所领导审批：请所领导在审批窗口中选择本人姓名并输入密码"
            )
        )
        dialog = ApprovalDialog(
            self.ctx, self.actor, what, lambda approval: fn(approval=approval), self
        )
        dialog.acted.connect(done)
        dialog.failed.connect(self.failed)
        dialog.rejected.connect(
            lambda: self.say(QCoreApplication.translate("Tab", "已取消：未经审批，没有改动"))
        )
        self.window_.approval = dialog
        dialog.open()


# ---------------------------------------------------------------------------------- officers


class OfficerDialog(CounterDialog):
    """A new officer (code, name, role, a first password typed twice), or a new password for
    one (``code`` given: only the password)."""

    def __init__(self, parent: QWidget, code: str | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.code, self.name = QLineEdit(code or ""), QLineEdit(name)
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_name(role), role)
        self.password, self.repeat = QLineEdit(), QLineEdit()
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.rules, self.error = QLabel(password_rules()), QLabel()
        self.rules.setWordWrap(True)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        self.resetting = code is not None
        if self.resetting:
            self.setWindowTitle(self.tr("重置密码"))
            form.addRow(QLabel(self.tr("{0}({1})的新密码").format(name, code)))
        else:
            self.setWindowTitle(self.tr("添加民警"))
            form.addRow(self.tr("警号 *"), self.code)
            form.addRow(self.tr("姓名 *"), self.name)
            form.addRow(self.tr("角色 *"), self.role)
        form.addRow(self.tr("初始密码 *"), self.password)
        form.addRow(self.tr("再次输入 *"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rules)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        (self.password if self.resetting else self.code).setFocus()

    def check(self) -> None:
        """What can be checked before the service is asked (which checks it all again)."""
        from app.errors import InvalidInput
        from app.services.auth import check_password_rules

        missing = [
            label
            for label, field in (
                (self.tr("警号"), self.code),
                (self.tr("姓名"), self.name),
                (self.tr("初始密码"), self.password),
            )
            if not field.text().strip()
        ]
        if missing:
            self.error.setText(self.tr("请填写：{0}").format("、".join(missing)))
            return
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("两次输入的密码不一致"))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        try:
            check_password_rules(self.password.text())
        except InvalidInput as error:
            self.error.setText(error.message)
            self.password.setFocus()
            return
        self.accept()


class OfficersTab(Tab):
    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__(window)
        self.model = RowsModel(
            [
                (self.tr("警号"), lambda r: r.code),
                (self.tr("姓名"), lambda r: r.name),
                (self.tr("角色"), lambda r: role_name(r.role)),
                (self.tr("状态"), self.state),
            ],
            highlight=lambda r: not r.active or r.locked_until is not None,
        )
        self.view = table(self.model)
        self.buttons = {
            name: QPushButton() for name in ("add", "disable", "reset", "unlock", "role", "refresh")
        }
        self.buttons["add"].clicked.connect(self.add)
        self.buttons["disable"].clicked.connect(self.disable)
        self.buttons["reset"].clicked.connect(self.reset)
        self.buttons["unlock"].clicked.connect(self.unlock)
        self.buttons["role"].clicked.connect(self.change_role)
        self.buttons["refresh"].clicked.connect(lambda: self.load())
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.dialog: OfficerDialog | None = None
        self.translate_ui()

    def translate_ui(self) -> None:
        texts = {
            "add": self.tr("添加民警(&A)…"),
            "disable": self.tr("停用(&D)"),
            "reset": self.tr("重置密码(&R)…"),
            "unlock": self.tr("解除锁定(&U)"),
            "role": self.tr("更改角色(&O)…"),
            "refresh": self.tr("刷新(&F)"),
        }
        for name, text in texts.items():
            self.buttons[name].setText(text)

    def state(self, row: Any) -> str:
        if not row.active:
            return self.tr("已停用")
        if row.locked_until:
            return self.tr("密码错误过多，已锁定")
        if row.must_change_password:
            return self.tr("在用(首次登录须改密码)")
        return self.tr("在用")

    def load(self, then: Callable[[], None] | None = None) -> None:
        ctx, actor = self.ctx, self.actor

        def fetch() -> list[Any]:
            from app.services.officers import list_officers

            return list_officers(ctx, actor=actor)

        def show(rows: list[Any]) -> None:
            self.model.set_rows(rows)
            if rows and not self.view.selectionModel().hasSelection():
                self.view.selectRow(0)
            if then is not None:
                then()

        run_in_background(fetch, show, self.failed)

    def selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.say(self.tr("请先在列表中选择一位民警(上下方向键)"), error=True)
            self.view.setFocus()
            return None
        return self.model.rows[rows[0].row()]

    def _done(self, text: str) -> Callable[[Any], None]:
        def done(officer: Any) -> None:
            self.say(text.format(officer.name, officer.code))
            self.load(lambda: self._select(officer.code))

        return done

    def _select(self, code: str) -> None:
        for number, row in enumerate(self.model.rows):
            if row.code == code:
                self.view.selectRow(number)
        self.view.setFocus()

    def add(self) -> None:
        self.dialog = OfficerDialog(self)
        self.dialog.accepted.connect(self._add)
        self.dialog.open()

    def _add(self) -> None:
        from app.services.officers import add_officer

        dialog = self.dialog
        assert dialog is not None
        ctx, actor = self.ctx, self.actor
        code, name = dialog.code.text().strip(), dialog.name.text().strip()
        role, password = str(dialog.role.currentData()), dialog.password.text()
        self.act(
            self.tr("添加{0}：{1}({2})").format(role_name(role), name, code),
            lambda approval: add_officer(
                ctx,
                actor=actor,
                code=code,
                name=name,
                role=role,
                password=password,
                approval=approval,
            ),
            self._done(self.tr("已添加 {0}({1})：首次登录时须改为自己的密码")),
        )

    def disable(self) -> None:
        from app.services.officers import disable_officer

        row = self.selected()
        if row is None:
            return
        if not dialogs.confirm(
            self,
            self.tr("停用民警"),
            self.tr("停用 {0}({1})？停用后不能再登录，已登录的会话立即结束。").format(
                row.name, row.code
            ),
        ):
            return
        ctx, actor = self.ctx, self.actor
        self.act(
            self.tr("停用{0}：{1}({2})").format(role_name(row.role), row.name, row.code),
            lambda approval: disable_officer(ctx, actor=actor, code=row.code, approval=approval),
            self._done(self.tr("已停用 {0}({1})")),
        )

    def reset(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.dialog = OfficerDialog(self, code=row.code, name=row.name)
        self.dialog.accepted.connect(lambda: self._reset(row))
        self.dialog.open()

    def _reset(self, row: Any) -> None:
        from app.services.officers import reset_password

        assert self.dialog is not None
        ctx, actor, password = self.ctx, self.actor, self.dialog.password.text()
        self.act(
            self.tr("重置{0}的密码：{1}({2})").format(role_name(row.role), row.name, row.code),
            lambda approval: reset_password(
                ctx, actor=actor, code=row.code, password=password, approval=approval
            ),
            self._done(self.tr("已重置 {0}({1})的密码：下次登录时须改为自己的密码")),
        )

    def unlock(self) -> None:
        from app.services.officers import unlock_officer

        row = self.selected()
        if row is None:
            return
        ctx, actor = self.ctx, self.actor
        self.act(
            self.tr("解除锁定：{0}({1})").format(row.name, row.code),
            lambda approval: unlock_officer(ctx, actor=actor, code=row.code, approval=approval),
            self._done(self.tr("已解除 {0}({1})的锁定")),
        )

    def change_role(self) -> None:
        from app.services.officers import change_role

        row = self.selected()
        if row is None:
            return
        names = [role_name(r) for r in ROLES]
        chosen = dialogs.ask_choice(
            self,
            self.tr("更改角色"),
            self.tr("{0}({1})的新角色：").format(row.name, row.code),
            names,
            ROLES.index(row.role),
        )
        if chosen is None:
            return
        role = ROLES[chosen]
        ctx, actor = self.ctx, self.actor
        self.act(
            self.tr("将 {0}({1})由{2}改为{3}").format(
                row.name, row.code, role_name(row.role), role_name(role)
            ),
            lambda approval: change_role(
                ctx, actor=actor, code=row.code, role=role, approval=approval
            ),
            self._done(self.tr("已更改 {0}({1})的角色：其会话已结束，重新登录后生效")),
        )


# ---------------------------------------------------------------------------------- enrolment


class EnrolmentTab(Tab):
    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__(window)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.server, self.code = QLineEdit(), QLineEdit()
        self.server.setPlaceholderText("https://")
        self.code.setPlaceholderText(self.tr("省级下发的一次性登记码，20位"))
        self.enrol_button = QPushButton()
        self.enrol_button.clicked.connect(self.enrol)
        self.server_label, self.code_label = QLabel(), QLabel()
        self.server_label.setBuddy(self.server)
        self.code_label.setBuddy(self.code)
        form = QFormLayout()
        form.addRow(self.server_label, self.server)
        form.addRow(self.code_label, self.code)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(self.enrol_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.code.returnPressed.connect(self.enrol)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.server_label.setText(self.tr("省级服务器地址(&S)"))
        self.code_label.setText(self.tr("登记码(&C)"))
        self.enrol_button.setText(self.tr("登记(&E)"))

    def load(self) -> None:
        ctx = self.ctx

        def fetch() -> Any:
            from app.sync.enrolment import load_enrolment

            return load_enrolment(ctx)

        run_in_background(fetch, self.show_status, self.failed)

    def show_status(self, enrolment: Any) -> None:
        from app.protocol.signing import fingerprint

        if enrolment is None:
            self.status.setText(
                self.tr("本工作站尚未登记到省级服务器：记录保存在本机，登记后才能上报和核验。")
            )
            return
        self.server.setText(enrolment.server)
        self.status.setText(
            self.tr(
                "已登记：{0}\n派出所 {1}，第 {2} 号工作站，登记于 {3}\n省级公钥指纹：{4}"
                "(与登记码末8位一致)"
            ).format(
                enrolment.server,
                enrolment.station_code,
                enrolment.workstation,
                _china_time(enrolment.enrolled_at),
                "-".join(textwrap.wrap(fingerprint(enrolment.province_public_key), 4)),
            )
        )

    def enrol(self) -> None:
        from app.sync.enrolment import enrol

        ctx, actor = self.ctx, self.actor
        server, code = self.server.text().strip(), self.code.text().strip()
        if not server or not code:
            self.say(self.tr("请填写省级服务器地址和登记码"), error=True)
            (self.server if not server else self.code).setFocus()
            return
        self.enrol_button.setEnabled(False)

        def done(enrolment: Any) -> None:
            self.enrol_button.setEnabled(True)
            self.code.clear()
            self.show_status(enrolment)
            self.say(self.tr("登记完成：本工作站的记录将上报省级服务器"))

        def failed(error: Exception) -> None:
            self.enrol_button.setEnabled(True)
            self.failed(error)

        def work(approval: Any) -> Any:
            return enrol(ctx, actor=actor, server=server, code=code, approval=approval)

        from app.errors import ApprovalRequired

        def first_failed(error: Exception) -> None:
            if isinstance(error, ApprovalRequired):  # another province key: a supervisor approves
                self.enrol_button.setEnabled(True)
                self.approve(self.tr("更换省级公钥并重新登记：{0}").format(server), work, done)
            else:
                failed(error)

        self.say(self.tr("正在向省级服务器登记…"))
        run_in_background(lambda: work(None), done, first_failed)


# ---------------------------------------------------------------------------------- backup


class BackupTab(Tab):
    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__(window)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.backup_button, self.restore_button = QPushButton(), QPushButton()
        self.backup_button.clicked.connect(lambda: self.backup())
        self.restore_button.clicked.connect(lambda: self.restore())
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        for button in (self.backup_button, self.restore_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.intro.setText(
            self.tr(
                "备份文件含本站加密的数据库、密钥槽和签名密钥：在本机或新电脑上用民警密码或"
                "恢复密钥打开。请备份到U盘等另一处介质，妥善保管。恢复时先核对备份(密钥、"
                "完整性、审计链)，再替换本机数据；当前数据另存一份，所有民警须重新登录。"
            )
        )
        self.backup_button.setText(self.tr("备份到文件(&B)…"))
        self.restore_button.setText(self.tr("从备份恢复(&R)…"))

    def backup(self) -> None:
        from app.services.integrity import backup

        stamp = self.ctx.today().strftime("%Y%m%d")
        target = dialogs.ask_save_path(
            self, self.tr("备份到文件"), f"certdesk-{stamp}.certdesk-backup", ".certdesk-backup"
        )
        if target is None:
            return
        ctx, actor = self.ctx, self.actor

        def done(path: Path) -> None:
            self.window_.hold_timers(False)
            self.say(self.tr("备份完成：{0}").format(path.name))

        def failed(error: Exception) -> None:
            self.window_.hold_timers(False)
            self.failed(error)

        self.window_.hold_timers(True)
        started = run_with_progress(
            self.window(),
            "backup",
            self.tr("备份"),
            self.tr("正在备份本站数据…"),
            lambda report: backup(ctx, target, actor=actor, progress=report),
            done,
            failed,
        )
        if started is None:
            self.window_.hold_timers(False)
            self.say(self.tr("备份正在进行，请稍候"), error=True)

    def restore(self, password: str | None = None, source: Path | None = None) -> None:
        from app.errors import BackupKeyNeeded
        from app.services.integrity import restore

        if source is None:
            source = dialogs.ask_open_path(
                self, self.tr("选择备份文件"), "*.certdesk-backup *.zip *.db"
            )
            if source is None:
                return
            if not dialogs.confirm(
                self,
                self.tr("从备份恢复"),
                self.tr(
                    "用备份 {0} 替换本机数据？当前数据先另存一份；恢复后所有民警须重新登录。"
                ).format(source.name),
            ):
                return
        ctx, actor, chosen = self.ctx, self.actor, source

        def done(kept: Path) -> None:
            self.window_.hold_timers(False)
            self.say(self.tr("恢复完成，原数据另存为 {0}。请重新登录。").format(kept.name))
            self.window_.restored()

        def failed(error: Exception) -> None:
            self.window_.hold_timers(False)
            if isinstance(error, BackupKeyNeeded) and password is None:
                typed = dialogs.ask_text(
                    self,
                    self.tr("备份的密钥"),
                    self.tr("该备份用另一把数据密钥加密：请输入本人在备份中的密码"),
                    secret=True,
                )
                if typed:
                    self.restore(typed, chosen)
                    return
            self.failed(error)

        self.window_.hold_timers(True)
        started = run_with_progress(
            self.window(),
            "restore",
            self.tr("恢复"),
            self.tr("正在核对并恢复备份…"),
            lambda report: restore(ctx, chosen, actor=actor, password=password, progress=report),
            done,
            failed,
        )
        if started is None:
            self.window_.hold_timers(False)
            self.say(self.tr("恢复正在进行，请稍候"), error=True)


# ---------------------------------------------------------------------------------- catalog


class CatalogTab(Tab):
    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__(window)
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.install_button, self.default_button = QPushButton(), QPushButton()
        self.install_button.clicked.connect(self.install)
        self.default_button.clicked.connect(lambda: self._install(None))
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        for button in (self.install_button, self.default_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.install_button.setText(self.tr("安装目录文件(&I)…"))
        self.default_button.setText(self.tr("恢复内置目录(&D)"))

    def load(self) -> None:
        catalog = self.ctx.catalog
        meta = catalog.meta
        self.current.setText(
            self.tr(
                "在用目录：{0}\n编号 {1}，版本 {2}，共 {3} 种证明\n依据：{4}\nSHA-256：{5}"
            ).format(
                meta.title,
                catalog.id,
                catalog.version,
                len(catalog.kinds),
                meta.basis,
                catalog.digest,
            )
        )

    def install(self) -> None:
        path = dialogs.ask_open_path(self, self.tr("选择目录文件"), "*.yaml *.yml *.json")
        if path is not None:
            self._install(path)

    def _install(self, path: Path | None) -> None:
        from app.services.catalogs import install

        ctx, actor = self.ctx, self.actor

        def done(installed: tuple[Any, str]) -> None:
            catalog, signed = installed
            self.load()
            how = {
                "signed": self.tr("省级签名已核验"),
                "unsigned": self.tr("未经省级签名"),
                "built-in": self.tr("内置目录"),
            }[signed]
            self.say(
                self.tr("已启用目录 {0} 版本 {1}({2})").format(catalog.id, catalog.version, how)
            )
            self.window_.catalog_changed()

        self.act(
            self.tr("启用目录：{0}").format(path.name if path else self.tr("内置目录")),
            lambda approval: install(ctx, actor=actor, path=path, approval=approval),
            done,
        )


# ---------------------------------------------------------------------------------- settings


class SettingsTab(Tab):
    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__(window)
        self.idle = QSpinBox()
        self.idle.setRange(1, 15)
        self.idle.setValue(10)
        self.printer = QComboBox()
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.idle_label, self.printer_label = QLabel(), QLabel()
        self.idle_label.setBuddy(self.idle)
        self.printer_label.setBuddy(self.printer)
        form = QFormLayout()
        form.addRow(self.idle_label, self.idle)
        form.addRow(self.printer_label, self.printer)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.idle_label.setText(self.tr("空闲多少分钟后锁定窗口(&L)"))
        self.idle.setSuffix(self.tr(" 分钟"))
        self.printer_label.setText(self.tr("本机打印机(&P)"))
        self.save_button.setText(self.tr("保存设置(&S)"))

    def load(self) -> None:
        from PySide6.QtPrintSupport import QPrinterInfo

        from app.services.station import station_info

        info = station_info(self.ctx)
        self.idle.setValue((info.idle_lock_minutes if info else None) or 10)
        self.printer.clear()
        self.printer.addItem(self.tr("每次登录后首次打印时选择"), None)
        names = QPrinterInfo.availablePrinterNames()
        saved = info.printer if info else None
        if saved and saved not in names:
            names.append(saved)
        for name in names:
            self.printer.addItem(name, name)
        if saved:
            self.printer.setCurrentIndex(self.printer.findData(saved))

    def save(self) -> None:
        from app.services.station import set_idle_lock, set_printer

        ctx, actor = self.ctx, self.actor
        minutes, printer = self.idle.value(), self.printer.currentData()

        def work() -> Any:
            set_idle_lock(ctx, actor=actor, minutes=minutes)
            return set_printer(ctx, actor=actor, printer=printer)

        def done(info: Any) -> None:
            self.say(self.tr("设置已保存"))
            self.window_.settings_changed(info)

        run_in_background(work, done, self.failed)


# ---------------------------------------------------------------------------------- conflicts


class ConflictsTab(Tab):
    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__(window)
        self.model = RowsModel(
            [
                (self.tr("序号"), lambda r: str(r.seq)),
                (self.tr("记录"), lambda r: r.number or r.topic),
                (self.tr("省级说明"), lambda r: r.reason),
                (self.tr("产生时间"), lambda r: _china_time(r.created_at)),
            ]
        )
        self.view = table(self.model)
        self.resolve_button = QPushButton()
        self.resolve_button.clicked.connect(self.resolve)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.resolve_button.setText(self.tr("已核实处理(&H)…"))

    def load(self) -> None:
        ctx, actor = self.ctx, self.actor

        def fetch() -> list[Any]:
            from app.sync.conflicts import conflicts

            return conflicts(ctx, actor=actor)

        def show(rows: list[Any]) -> None:
            self.model.set_rows(rows)
            if rows:
                self.view.selectRow(0)
            self.say(
                self.tr("待处理的冲突 {0} 条").format(len(rows))
                if rows
                else self.tr("没有待处理的冲突")
            )

        run_in_background(fetch, show, self.failed)

    def resolve(self) -> None:
        from app.sync.conflicts import resolve

        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.say(self.tr("没有选中的冲突"), error=True)
            return
        row = self.model.rows[rows[0].row()]
        reason = dialogs.ask_text(
            self, self.tr("处理冲突"), self.tr("第 {0} 条：核实与处理说明").format(row.seq)
        )
        if reason is None:
            return
        ctx, actor = self.ctx, self.actor
        run_in_background(
            lambda: resolve(ctx, row.seq, reason=reason, actor=actor),
            lambda _: self.load(),
            self.failed,
        )


# ---------------------------------------------------------------------------------- recovery key


class RecoveryTab(Tab):
    def __init__(self, window: AdministrationWindow) -> None:
        super().__init__(window)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.key = QLabel()  # (not selectable: the key is copied by hand, never to a clipboard)
        font = self.key.font()
        font.setFamily("monospace")
        font.setPointSize(14)
        self.key.setFont(font)
        self.renew_button, self.print_button = QPushButton(), QPushButton()
        self.renew_button.clicked.connect(self.renew)
        self.print_button.clicked.connect(self.print_sheet)
        self.print_button.setEnabled(False)
        self.recovery_key = ""
        self.preview: Any = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.key)
        for button in (self.renew_button, self.print_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.intro.setText(
            self.tr(
                "恢复密钥在所有民警都无法登录时打开本站数据，设置时已显示一次。恢复密钥遗失或"
                "可能泄露时，在此更换：新密钥只显示一次，旧密钥立即失效。"
            )
        )
        self.renew_button.setText(self.tr("更换恢复密钥(&K)…"))
        self.print_button.setText(self.tr("打印恢复密钥页(&P)…"))

    def renew(self) -> None:
        from app.services.recovery import renew

        if not dialogs.confirm(
            self,
            self.tr("更换恢复密钥"),
            self.tr("更换后旧的恢复密钥立即失效，新的只显示这一次。现在更换？"),
        ):
            return
        ctx, actor = self.ctx, self.actor

        def done(key: str) -> None:
            if not self.isVisible():  # the officer has left the tab: the key is not shown later
                self.say(self.tr("已更换恢复密钥，但未显示(已离开本页)：请重新更换"), error=True)
                return
            self.recovery_key = key
            groups = key.split("-")
            self.key.setText("  ".join(groups[:4]) + "\n" + "  ".join(groups[4:]))
            self.print_button.setEnabled(True)
            self.say(self.tr("新的恢复密钥只显示这一次：请抄写或打印，封存在所内保险柜"))
            self.print_button.setFocus()

        run_in_background(lambda: renew(ctx, actor=actor), done, self.failed)

    def print_sheet(self) -> None:
        from app.services.recovery import recovery_sheet
        from app.services.station import station_info
        from ui.preview import PreviewDialog

        info = station_info(self.ctx)
        assert info is not None and self.recovery_key
        pdf = recovery_sheet(
            station_name=info.name,
            station_code=info.code,
            workstation=info.workstation,
            key=self.recovery_key,
            today=self.ctx.today(),
        )
        self.preview = PreviewDialog(self.tr("恢复密钥页"), pdf, self)
        self.preview.show()

    def hideEvent(self, event: Any) -> None:
        """The key is shown once: leaving the tab (or closing the window) forgets it, and closes
        its sheet's preview."""
        self.recovery_key = ""
        self.key.clear()
        self.print_button.setEnabled(False)
        if self.preview is not None:
            self.preview.close()
            self.preview.deleteLater()
            self.preview = None
        super().hideEvent(event)


# ---------------------------------------------------------------------------------- the window


class AdministrationWindow(CounterDialog):
    def __init__(self, ctx: Context, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.approval: Any = None
        self.tabs = QTabWidget()
        self.officers = OfficersTab(self)
        self.enrolment = EnrolmentTab(self)
        self.backups = BackupTab(self)
        self.catalog = CatalogTab(self)
        self.settings = SettingsTab(self)
        self.conflicts = ConflictsTab(self)
        self.recovery = RecoveryTab(self)
        self.pages: list[Tab] = [
            self.officers,
            self.enrolment,
            self.backups,
            self.catalog,
            self.settings,
            self.conflicts,
            self.recovery,
        ]
        for page in self.pages:
            self.tabs.addTab(page, "")
        # Alt+1 … Alt+7: the tabs' own mnemonics ("民警(&1)" …) go straight to a tab
        self.tabs.currentChanged.connect(self._entered)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.resize(900, 600)
        self.translate_ui()
        self._entered(0)

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("本站管理"))
        titles = (
            self.tr("民警(&1)"),
            self.tr("省级登记(&2)"),
            self.tr("备份与恢复(&3)"),
            self.tr("证明目录(&4)"),
            self.tr("本机设置(&5)"),
            self.tr("同步冲突(&6)"),
            self.tr("恢复密钥(&7)"),
        )
        for number, title in enumerate(titles):
            self.tabs.setTabText(number, title)

    def _entered(self, index: int) -> None:
        page = self.pages[index]
        page.load()
        enrolment = self.enrolment
        focus: list[QWidget] = [
            self.officers.view,
            enrolment.code if enrolment.server.text() else enrolment.server,
            self.backups.backup_button,
            self.catalog.install_button,
            self.settings.idle,
            self.conflicts.view,
            self.recovery.renew_button,
        ]
        focus[index].setFocus()

    # what the counter window hears of the administrator's changes
    def hold_timers(self, held: bool) -> None:
        """No idle lock and no sync round while a backup or a restore runs."""
        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "hold_timers"):
            parent.hold_timers(held)

    def restored(self) -> None:
        parent = self.parentWidget()
        self.accept()
        if parent is not None and hasattr(parent, "after_restore"):
            parent.after_restore()

    def catalog_changed(self) -> None:
        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "translate_ui"):
            parent.translate_ui()

    def settings_changed(self, info: Any) -> None:
        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "station_changed"):
            parent.station_changed(info)
