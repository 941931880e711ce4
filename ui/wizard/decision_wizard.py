"""The decision wizard: kind → requester and purpose → outcome (and its notice) → for an issue
outcome, the form. Which page follows the outcome is asked of ``app.policy.decision.next_step``."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWizard

from app.context import Context
from app.policy.decision import Request, next_step
from app.records.sessions import Actor
from app.services.cardreader import CardReader
from ui.wizard.form_page import FormPage
from ui.wizard.kind_page import KindPage
from ui.wizard.outcome_page import OutcomePage
from ui.wizard.request_page import RequestPage


class DecisionWizard(QWizard):
    KIND, REQUEST, OUTCOME, FORM = range(4)

    def __init__(
        self,
        ctx: Context,
        actor: Actor,
        kind_text: str = "",
        parent: Any = None,
        reader: CardReader | None = None,
    ) -> None:
        super().__init__(parent)
        # One catalog for the whole request: the one whose outcome the clerk is shown is the one
        # the case records, even if the background sync installs another meanwhile.
        self.catalog = ctx.catalog
        self.kind_page = KindPage(self.catalog)
        self.request_page = RequestPage(self.catalog, lambda: self.kind_page.text.text())
        self.outcome_page = OutcomePage(ctx, self.catalog, actor, self.current_request)
        self.form_page = FormPage(
            ctx,
            self.catalog,
            actor,
            self.current_request,
            lambda: self.outcome_page.decision,
            reader,
        )
        self.setPage(self.KIND, self.kind_page)
        self.setPage(self.REQUEST, self.request_page)
        self.setPage(self.OUTCOME, self.outcome_page)
        self.setPage(self.FORM, self.form_page)
        self.kind_page.text.setText(kind_text)
        self.setWindowTitle(self.tr("证明要求"))
        self.resize(900, 680)  # fits a 1366×768 counter screen with its taskbar

    def nextId(self) -> int:
        if self.currentId() == self.OUTCOME:
            decision = self.outcome_page.decision
            return self.FORM if decision and next_step(decision) == "issue" else -1
        if self.currentId() == self.FORM:
            return -1
        return int(super().nextId())

    def current_request(self) -> Request:
        return Request(
            kind_text=self.kind_page.text.text(),
            requester=self.request_page.sector.currentData(),
            purpose=self.request_page.purpose.currentData(),
            needs_investigation=self.request_page.investigation.isChecked(),
            requester_unit=self.request_page.unit.text(),
            statute=self.request_page.statute.text(),
            elsewhere=self.request_page.elsewhere.isChecked(),
            by_unit=self.request_page.by_unit.isChecked(),
        )
