"""Page 1: what is asked. Live candidates as the clerk types (name, alias, pinyin initials)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from app.policy.catalog import Catalog


class KindPage(QWizardPage):
    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.text = QLineEdit()
        self.candidates = QListWidget()
        self.hint = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.candidates)
        layout.addWidget(self.hint)
        self.text.textChanged.connect(self.update_candidates)
        self.text.textChanged.connect(self.completeChanged)
        self.candidates.itemActivated.connect(self._pick)
        self.translate_ui()

    def translate_ui(self) -> None:
        self.setTitle(self.tr("所要证明"))
        self.setSubTitle(self.tr("按群众或单位的说法输入：名称、别名或拼音首字母(如 qsgx)"))
        self.hint.setText(self.tr("目录中没有的证明也可以直接输入，按目录外证明处理"))

    def update_candidates(self, text: str) -> None:
        self.candidates.clear()
        if not text.strip():
            return
        for candidate in self.catalog.lookup.candidates(text):
            item = QListWidgetItem(f"{candidate.name}  ({candidate.kind_id})")
            item.setData(Qt.ItemDataRole.UserRole, candidate.kind_id)
            self.candidates.addItem(item)

    def _pick(self, item: QListWidgetItem) -> None:
        kind = self.catalog.kind(item.data(Qt.ItemDataRole.UserRole))
        self.text.setText(kind.name)
        self.text.setFocus()  # Enter now goes on to who asks

    def isComplete(self) -> bool:
        return bool(self.text.text().strip())
