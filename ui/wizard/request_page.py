"""Page 2: who asks (the requesting unit's sector) and for what (in / out of province, abroad)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QWizardPage

from app.policy.catalog import PURPOSES, Catalog


class RequestPage(QWizardPage):
    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.sector = QComboBox()
        for code, name in catalog.sectors.items():
            self.sector.addItem(name, code)
        self.sector.setCurrentIndex(self.sector.findData("other"))
        self.purpose = QComboBox()
        for code in PURPOSES:
            self.purpose.addItem(code, code)
        self.investigation = QCheckBox()
        self.sector_label, self.purpose_label = QLabel(), QLabel()
        layout = QFormLayout(self)
        layout.addRow(self.sector_label, self.sector)
        layout.addRow(self.purpose_label, self.purpose)
        layout.addRow(self.investigation)
        self.setTabOrder(self.sector, self.purpose)
        self.setTabOrder(self.purpose, self.investigation)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.setTitle(self.tr("要求单位和用途"))
        self.sector_label.setText(self.tr("要求单位"))
        self.purpose_label.setText(self.tr("用途"))
        self.investigation.setText(self.tr("系统内没有记录，需要调查核实(出具受理回执)"))
        names = {
            "in_province": self.tr("省内使用"),
            "out_of_province": self.tr("省外使用"),
            "abroad": self.tr("出国(境)使用"),
        }
        for i in range(self.purpose.count()):
            self.purpose.setItemText(i, names[self.purpose.itemData(i)])
