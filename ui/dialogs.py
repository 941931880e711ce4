"""Every modal question the GUI asks goes through here, so tests can answer it."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """A line of text from the officer, or None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text.strip() if ok and text.strip() else None
