"""The decision wizard: kind → requester and purpose → outcome (and its notice)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWizard

from app.context import Context
from app.decision import Request
from ui.wizard.kind_page import KindPage
from ui.wizard.outcome_page import OutcomePage
from ui.wizard.request_page import RequestPage


class DecisionWizard(QWizard):
    def __init__(
        self, ctx: Context, officer_code: str, kind_text: str = "", parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.kind_page = KindPage(ctx.catalog)
        self.request_page = RequestPage(ctx.catalog)
        self.outcome_page = OutcomePage(ctx, officer_code, self.current_request)
        for page in (self.kind_page, self.request_page, self.outcome_page):
            self.addPage(page)
        self.kind_page.text.setText(kind_text)
        self.setWindowTitle(self.tr("证明要求"))
        self.resize(900, 640)

    def current_request(self) -> Request:
        return Request(
            kind_text=self.kind_page.text.text(),
            requester=self.request_page.sector.currentData(),
            purpose=self.request_page.purpose.currentData(),
        )
