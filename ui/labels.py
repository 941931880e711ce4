"""Words for the codes the records carry (outcomes, days left), shared by every window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def outcome_name(code: str) -> str:
    names = {
        "abolished": QCoreApplication.translate("Labels", "不予出具"),
        "exchange": QCoreApplication.translate("Labels", "信息交换"),
        "issue": QCoreApplication.translate("Labels", "出具"),
    }
    return names.get(code, code)


def days_left(days: int) -> str:
    """Working days left, or how many overdue."""
    if days < 0:
        return QCoreApplication.translate("Labels", "逾期 {0} 个工作日").format(-days)
    return str(days)
