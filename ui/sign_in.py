"""Signing in: police number and password, checked in the background (Argon2 takes a moment);
an error is shown under the fields and the dialog stays open. Five wrong passwords lock. A
password an administrator set must be changed first: the dialog asks for the new one (twice)
and then signs in with it. The same dialog unlocks an idle window (``fixed_code``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from ui.dialogs import CounterDialog
from ui.labels import error_text
from ui.tasks import Task, run_in_background

if TYPE_CHECKING:
    from app.context import Context
    from app.records.sessions import Actor


class SignInDialog(CounterDialog):
    def __init__(self, ctx: Context, parent: Any = None, fixed_code: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.task: Task | None = None
        self.code = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password, self.repeat = QLineEdit(), QLineEdit()
        for field in (self.new_password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.code_label, self.password_label = QLabel(), QLabel()
        self.new_label, self.repeat_label = QLabel(), QLabel()
        self.form.addRow(self.code_label, self.code)
        self.form.addRow(self.password_label, self.password)
        self.form.addRow(self.new_label, self.new_password)
        self.form.addRow(self.repeat_label, self.repeat)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.heading, self.where = QLabel(), QLabel()
        heading_font = self.heading.font()
        heading_font.setPointSize(heading_font.pointSize() + 4)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.where.setWordWrap(True)
        self.station = self._station()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.where)
        layout.addLayout(self.form)
        layout.addWidget(self.rules)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.code, self.password)
        self._changing = False
        self._show_new_password(False)
        if fixed_code is not None:  # unlocking: the same officer, or Cancel to let another in
            self.code.setText(fixed_code)
            self.code.setReadOnly(True)
            self.password.setFocus()
        self.translate_ui()

    def _station(self) -> Any:
        """Which station and workstation this is (an encrypted station's header, readable before
        anyone signs in)."""
        from app.services.station import station_info

        try:
            return station_info(self.ctx)
        except Exception:  # the dialog still signs in; the main window reports the problem
            return None

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("certdesk 民警登录"))
        self.heading.setText(self.tr("certdesk 证明工作台 · 民警登录"))
        station = self.station
        self.where.setText(
            self.tr("{0}({1}) 第 {2} 号工作站").format(
                station.name, station.code, station.workstation
            )
            if station is not None and station.name
            else ""
        )
        self.code_label.setText(self.tr("警号"))
        self.password_label.setText(self.tr("密码"))
        self.new_label.setText(self.tr("新密码"))
        self.repeat_label.setText(self.tr("再次输入新密码"))
        self.rules.setText(
            self.tr("管理员设置的密码须先修改：新密码至少8位，同时含有字母和数字")
            if self._changing
            else ""
        )

    def _show_new_password(self, shown: bool) -> None:
        self._changing = shown
        for row in (2, 3):
            self.form.setRowVisible(row, shown)

    def submit(self) -> None:
        code, password = self.code.text().strip(), self.password.text()
        if not code:
            self.error.setText(self.tr("请输入警号"))
            self.code.setFocus()
            return
        new = self.new_password.text()
        if self._changing and new != self.repeat.text():
            self.error.setText(self.tr("两次输入的新密码不一致"))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self.buttons.setEnabled(False)  # one sign-in at a time (the buttons come back after it)
        ctx, changing = self.ctx, self._changing
        from app.services.recovery import needs_encryption

        if needs_encryption(ctx):  # a station from before encryption: converted now, once
            self.error.setText(
                self.tr("正在核对密码…(管理员登录时本站数据首次加密，需要一两分钟，请勿关机)")
            )
        else:
            self.error.setText(self.tr("正在核对密码…"))
            # still waiting after a moment: the first start after an upgrade updates the database
            QTimer.singleShot(1500, self._still_waiting)

        def work() -> tuple[Actor, str]:
            from app.policy.roles import ADMINISTRATION
            from app.services import auth
            from app.services.recovery import encrypt_station, needs_encryption

            if changing:
                auth.change_password(ctx, code=code, old=password, new=new)
            chosen = new if changing else password
            actor = auth.sign_in(ctx, code=code, password=chosen, kind="window")
            recovery = ""
            if actor.role in ADMINISTRATION and needs_encryption(ctx):  # a station from before
                recovery = encrypt_station(ctx, actor=actor, password=chosen)
            return actor, recovery

        self.task = run_in_background(work, self._signed_in, self._failed)

    def _still_waiting(self) -> None:
        if not self.buttons.isEnabled() and self.actor is None:
            self.error.setText(
                self.tr("正在核对密码并准备本站数据(升级后首次启动要更新数据库)，请稍候…")
            )

    def _signed_in(self, result: tuple[Actor, str]) -> None:
        self.actor, recovery = result
        if recovery:  # the station was encrypted just now: its recovery key, shown this once
            from PySide6.QtWidgets import QMessageBox

            self.recovery_box = QMessageBox(self)
            self.recovery_box.setWindowTitle(self.tr("本站数据已加密"))
            self.recovery_box.setText(
                self.tr(
                    "本站数据已加密，由民警的密码解锁；其他民警下次登录时建立各自的密钥。\n"
                    "恢复密钥只显示这一次：请抄写下来，封存在所内保险柜：\n\n{0}"
                ).format(recovery)
            )
            self.recovery_box.exec()
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        if getattr(error, "code", None) == "password_change_required":
            self._show_new_password(True)
            self.translate_ui()
            self.error.clear()
            self.new_password.setFocus()
            return
        self.error.setText(error_text(error))
        if getattr(error, "field", None) == "new_password":
            self.new_password.clear()
            self.repeat.clear()
            self.new_password.setFocus()
            return
        self.password.clear()
        self.password.setFocus()
