"""Page 2: who asks (the requesting unit's sector) and for what (in / out of province, abroad),
under the kind of certificate recognised from what the clerk typed ("qsgx" → 亲属关系证明), so
that a wrong guess is seen before anything is decided (Back returns to the kind)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWizardPage

from app.policy.catalog import PURPOSES, Catalog


class RequestPage(QWizardPage):
    def __init__(self, catalog: Catalog, kind_text: Callable[[], str] = lambda: "") -> None:
        super().__init__()
        self.catalog, self.kind_text = catalog, kind_text
        self.recognised = QLabel()
        self.recognised.setWordWrap(True)
        bold = QFont(self.recognised.font())
        bold.setBold(True)
        bold.setPointSize(bold.pointSize() + 2)
        self.recognised.setFont(bold)
        self.sector = QComboBox()
        for code, name in catalog.sectors.items():
            self.sector.addItem(name, code)
        self.sector.setCurrentIndex(self.sector.findData("other"))
        self.purpose = QComboBox()
        for code in PURPOSES:
            self.purpose.addItem(code, code)
        self.investigation = QCheckBox()
        # the kind's place (hukou, residence, where it happened) is not this station's area
        self.elsewhere = QCheckBox()
        # a unit's staff ask about a person, with a letter of introduction (criminal records)
        self.by_unit = QCheckBox()
        # the demanding unit's name: refusals for no legal basis are reported up with it
        self.unit = QLineEdit()
        self.unit.setMaxLength(100)
        # the law that requires the station to certify (kinds that need one are refused without)
        self.statute = QLineEdit()
        self.statute.setMaxLength(100)
        self.sector_label, self.purpose_label = QLabel(), QLabel()
        self.unit_label, self.statute_label = QLabel(), QLabel()
        layout = QFormLayout(self)
        layout.addRow(self.recognised)
        layout.addRow(self.sector_label, self.sector)
        layout.addRow(self.purpose_label, self.purpose)
        layout.addRow(self.investigation)
        layout.addRow(self.unit_label, self.unit)
        layout.addRow(self.statute_label, self.statute)
        layout.addRow(self.elsewhere)
        layout.addRow(self.by_unit)
        self.setTabOrder(self.sector, self.purpose)
        self.setTabOrder(self.purpose, self.investigation)
        self.setTabOrder(self.investigation, self.unit)
        self.setTabOrder(self.unit, self.statute)
        self.setTabOrder(self.statute, self.elsewhere)
        self.setTabOrder(self.elsewhere, self.by_unit)
        self.translate_ui()

    def initializePage(self) -> None:
        text = self.kind_text().strip()
        found = self.catalog.lookup.find(text) if text else None
        if found is not None and found.kind_id is not None and found.status == "exact":
            name = self.catalog.kind(found.kind_id).name
            shown = self.tr("所要证明：{0}").format(name)
            if text != name:
                shown += self.tr("(由“{0}”识别)").format(text)
        elif found is not None and found.candidates:
            names = "、".join(c.name for c in found.candidates[:3])
            shown = self.tr("“{0}”可能是：{1}；请按“上一步”选定").format(text, names)
        else:
            shown = self.tr("所要证明：“{0}”(目录中没有找到)").format(text)
        self.recognised.setText(shown)

    def translate_ui(self) -> None:
        self.setTitle(self.tr("要求单位和用途"))
        self.sector_label.setText(self.tr("要求单位"))
        self.purpose_label.setText(self.tr("用途"))
        self.investigation.setText(self.tr("系统内没有记录，需要调查核实(出具受理回执)"))
        self.elsewhere.setText(self.tr("申请人的户籍地(或居住地、事发地)不在本所辖区(&W)"))
        self.by_unit.setText(
            self.tr("单位派员持介绍信代为查询(须在“法律法规依据”中写明查询依据)(&U)")
        )
        self.unit_label.setText(self.tr("要求单位名称"))
        self.unit.setPlaceholderText(
            self.tr("如：某某银行某某支行(不予出具须报告上级的，记录此名称)")
        )
        self.statute_label.setText(self.tr("法律法规依据"))
        self.statute.setPlaceholderText(self.tr("法律法规规定由派出所出具的，写明其名称和条款"))
        names = {
            "in_province": self.tr("省内使用"),
            "out_of_province": self.tr("省外使用"),
            "abroad": self.tr("出国(境)使用"),
        }
        for i in range(self.purpose.count()):
            self.purpose.setItemText(i, names[self.purpose.itemData(i)])
