"""First start on an empty data dir: the station, this counter PC's workstation number, and the
first administrator (saved together when the administrator's page is accepted; an error is shown
on the page), then the station's recovery key, shown once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.context import Context
from app.errors import CertdeskError


class StationPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.code, self.name, self.workstation, self.phone = (QLineEdit() for _ in range(4))
        layout = QFormLayout(self)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.labels = [QLabel() for _ in range(4)]
        for label, field in zip(
            self.labels, (self.code, self.name, self.workstation, self.phone), strict=True
        ):
            layout.addRow(label, field)
        # Completeness is checked here (isComplete), not with QWizard's mandatory "field*": a
        # mandatory field counts as filled only when it differs from its value at registration,
        # so the pre-filled workstation 01 — the one every single-counter station uses — would
        # keep 下一步 disabled.
        for name, widget in (
            ("station_code", self.code),
            ("station_name", self.name),
            ("workstation", self.workstation),
            ("phone", self.phone),
        ):
            self.registerField(name, widget)
            widget.textChanged.connect(self.completeChanged)
        self.workstation.setText("01")
        layout.addRow(self.missing)
        self.translate_ui()

    def isComplete(self) -> bool:
        """Complete when the marked fields are filled and the workstation number is 01 to 99;
        else the page says what is missing (下一步 stays disabled)."""
        empty = [
            label.text().rstrip(" *")
            for label, field in zip(self.labels[:3], self.required(), strict=True)
            if not field.text().strip()
        ]
        problems = [self.tr("请填写：{0}").format("、".join(empty))] if empty else []
        number = self.workstation.text().strip()
        if number and not (len(number) == 2 and number.isdigit() and number != "00"):
            problems.append(self.tr("工作站编号应为两位数字 01 至 99"))
        self.missing.setText("；".join(problems))
        return not problems

    def required(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        return self.code, self.name, self.workstation

    def translate_ui(self) -> None:
        self.setTitle(self.tr("第 1 步，共 3 步：本派出所"))
        self.setSubTitle(
            self.tr("带 * 的必须填写。每台窗口电脑使用自己的工作站编号，只有一台的填 01")
        )
        for label, text in zip(
            self.labels,
            (
                self.tr("派出所代码 *"),
                self.tr("派出所名称 *"),
                self.tr("工作站编号 *"),
                self.tr("联系电话"),
            ),
            strict=True,
        ):
            label.setText(text)


class AdminPage(QWizardPage):
    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.code, self.name, self.password = QLineEdit(), QLineEdit(), QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        layout = QFormLayout(self)
        self.labels = [QLabel() for _ in range(4)]
        fields = (self.code, self.name, self.password, self.repeat)
        for label, field in zip(self.labels, fields, strict=True):
            layout.addRow(label, field)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        layout.addRow(self.rules)
        layout.addRow(self.missing)
        layout.addRow(self.error)
        for name, widget in (
            ("admin_code", self.code),
            ("admin_name", self.name),
            ("admin_password", self.password),
            ("admin_repeat", self.repeat),
        ):
            self.registerField(name, widget)
            widget.textChanged.connect(self.completeChanged)
        self.translate_ui()

    def isComplete(self) -> bool:
        """Every field filled; else the page says which are missing (下一步 stays disabled)."""
        fields = (self.code, self.name, self.password, self.repeat)
        empty = [
            label.text().rstrip(" *")
            for label, field in zip(self.labels, fields, strict=True)
            if not field.text().strip()
        ]
        self.missing.setText(self.tr("请填写：{0}").format("、".join(empty)) if empty else "")
        return not empty

    def translate_ui(self) -> None:
        self.setTitle(self.tr("第 2 步，共 3 步：第一位管理员"))
        self.setSubTitle(self.tr("带 * 的必须填写。管理员管理本站的民警、登记、备份和设置"))
        texts = (
            self.tr("警号 *"),
            self.tr("姓名 *"),
            self.tr("密码 *"),
            self.tr("再次输入密码 *"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.rules.setText(self.tr("密码至少8位，同时含有字母和数字；管理员不办理证明、不审批"))

    def validatePage(self) -> bool:
        from app.services.station import FirstAdmin, init_station

        wizard = self.wizard()
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("两次输入的密码不一致"))
            self.repeat.clear()
            self.repeat.setFocus()
            return False
        admin = FirstAdmin(self.code.text(), self.name.text(), self.password.text())
        try:  # the station and its first administrator in one transaction, or neither
            self.info = init_station(
                self.ctx,
                code=wizard.field("station_code"),
                name=wizard.field("station_name"),
                workstation=wizard.field("workstation"),
                phone=wizard.field("phone"),
                admin=admin,
            )
        except CertdeskError as error:
            self.error.setText(error.message)
            return False
        self.setCommitPage(True)  # set up: there is no way back
        return True


class RecoveryPage(QWizardPage):
    """The recovery key, shown this once, for the station's safe: Finish only once the
    administrator confirms it is written down (the box starts unticked)."""

    def __init__(self, admin_page: AdminPage) -> None:
        super().__init__()
        self.admin_page = admin_page
        self.intro, self.key = QLabel(), QLabel()
        self.intro.setWordWrap(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        self.key.setFont(font)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kept = QCheckBox()
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_sheet)
        self.preview: Any = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.key)
        layout.addWidget(self.print_button)
        layout.addWidget(self.kept)
        self.registerField("recovery_kept*", self.kept)
        self.translate_ui()

    def print_sheet(self) -> None:
        """The key's page for the safe, printed from memory (never written to disk)."""
        from app.services.recovery import recovery_sheet
        from ui.preview import PreviewDialog

        info = self.admin_page.info
        pdf = recovery_sheet(
            station_name=info.name,
            station_code=info.code,
            workstation=info.workstation,
            key=info.recovery_key,
            today=self.admin_page.ctx.today(),
        )
        self.preview = PreviewDialog(self.tr("恢复密钥页"), pdf, self)
        self.preview.show()

    def initializePage(self) -> None:
        info = getattr(self.admin_page, "info", None)
        recovery = info.recovery_key if info is not None else ""
        groups = recovery.split("-")
        self.key.setText("  ".join(groups[:4]) + "\n" + "  ".join(groups[4:]))
        # after QWizard has placed its own focus: Space ticks "kept", Shift+Tab reaches "print"
        QTimer.singleShot(0, self.kept.setFocus)

    def translate_ui(self) -> None:
        self.setTitle(self.tr("第 3 步，共 3 步：恢复密钥(只显示这一次)"))
        self.setSubTitle(self.tr("抄写或打印后勾选“已妥善保管”，才能完成设置"))
        self.intro.setText(
            self.tr(
                "本站数据已加密，由民警的密码解锁。所有民警都无法登录时(密码遗忘、管理员调离)，"
                "只有这把恢复密钥能打开数据：请现在抄写下来，封存在所内保险柜，不要保存在本机。"
            )
        )
        self.kept.setText(self.tr("我已抄写或打印恢复密钥并妥善保管(&K)"))
        self.print_button.setText(self.tr("打印恢复密钥页(&P)…"))


class StationSetupWizard(QWizard):
    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(parent)
        self.station_page = StationPage()
        self.admin_page = AdminPage(ctx)
        self.recovery_page = RecoveryPage(self.admin_page)
        self.addPage(self.station_page)
        self.addPage(self.admin_page)
        self.addPage(self.recovery_page)
        self.setWindowTitle(self.tr("certdesk 首次设置"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)  # every page: the same header
