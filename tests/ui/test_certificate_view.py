"""A certificate's view: reprint and void, each with a reason and a supervisor's approval given
at the counter with their own password."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from clerk import Clerk, at_the_counter
from support import CLERK, KINSHIP, PASSWORD, SUPERVISOR, as_officer, sql, station_key

from app.context import Context
from app.policy.decision import Request
from app.records.printing import certificate_renderer
from app.records.vault import open_for
from app.services.counter import issue
from ui import dialogs
from ui.certificate_view import CertificateView


def _issued(station_dir: Path) -> str:
    ctx = Context(station_dir)
    serial = issue(
        ctx,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=as_officer(ctx, CLERK),
        values=KINSHIP,
        render=certificate_renderer(ctx),
    ).serial
    ctx.close()
    assert serial
    return serial


def approval_dialog(qtbot, clerk: Clerk, view: CertificateView, before: Any) -> Any:  # type: ignore[no-untyped-def]
    """The approval dialog the last key opened (a new one: ``before`` was the one before)."""
    qtbot.waitUntil(lambda: view.approval_dialog not in (None, before), timeout=10_000)
    dialog = view.approval_dialog
    clerk.wait_active(dialog)
    return dialog


def approve(qtbot, clerk: Clerk, view: CertificateView, before: Any) -> None:  # type: ignore[no-untyped-def]
    """The supervisor at the counter: the first name in the list, Tab, their password, Enter."""
    dialog = approval_dialog(qtbot, clerk, view, before)
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=10_000)
    assert dialog.approver.currentData() == SUPERVISOR
    clerk.press("Tab")
    clerk.type(PASSWORD)
    clerk.press("Return")


def test_scan_reprint_and_void_approved_at_the_counter(
    qtbot,
    station_dir: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    serial = _issued(station_dir)
    window, ctx, clerk = at_the_counter(qtbot, station_dir)
    clerk.type(serial)  # what a barcode scanner types, then Enter
    clerk.press("Return")
    qtbot.waitUntil(lambda: window.certificate_view is not None, timeout=10_000)
    view = window.certificate_view
    assert view is not None
    clerk.wait_active(view)
    qtbot.waitUntil(lambda: view.info is not None, timeout=10_000)
    assert serial in view.details.toPlainText()

    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "原件遗失")
    clerk.press("Alt+R")
    approve(qtbot, clerk, view, before=None)
    qtbot.waitUntil(lambda: "已补打第 2 份" in view.status.text(), timeout=10_000)
    copy = station_dir / "prints" / f"{serial}-2.pdf"  # the station's copy, sealed
    assert not copy.read_bytes().startswith(b"%PDF")
    assert open_for(station_key(station_dir), station_dir, copy).startswith(b"%PDF")
    qtbot.waitUntil(lambda: view.preview is not None and view.preview.isVisible(), timeout=10_000)
    view.preview.close()  # printed from memory, in the preview
    clerk.wait_active(view)  # the approval dialog gone, the certificate has the focus again

    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "填写错误")
    reprinted = view.approval_dialog
    clerk.press("Alt+V")
    first = approval_dialog(qtbot, clerk, view, before=reprinted)
    clerk.press("Esc")  # the supervisor declines: nothing happens
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=10_000)
    assert view.info is not None and view.info.status == "issued"
    clerk.wait_active(view)
    clerk.press("Alt+V")
    approve(qtbot, clerk, view, before=first)
    qtbot.waitUntil(lambda: view.status.text() == "已作废", timeout=10_000)
    assert view.info is not None and view.info.status == "void"
    assert view.info.void_approved_by == "李所长(200001)"
    with closing(sql(station_dir / "certdesk.db")) as conn:
        events = conn.execute(
            "SELECT action, officer_code, json_extract(\"after\", '$.approver') "
            "FROM audit_events WHERE action IN ('certificate.reprint', 'certificate.void')"
        ).fetchall()
        (count,) = conn.execute("SELECT print_count FROM certificates").fetchone()
    assert count == 2
    assert events == [
        ("certificate.reprint", CLERK, SUPERVISOR),
        ("certificate.void", CLERK, SUPERVISOR),
    ]
    ctx.close()


def test_the_lock_closes_what_was_open_and_keys_reach_nothing_behind_it(
    qtbot,
    station_dir: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    serial = _issued(station_dir)
    window, ctx, clerk = at_the_counter(qtbot, station_dir)
    window.refresh()
    qtbot.waitUntil(lambda: window.certificates_model.rowCount() == 1, timeout=10_000)
    clerk.type(serial)
    clerk.press("Return")
    qtbot.waitUntil(lambda: window.certificate_view is not None, timeout=10_000)
    view = window.certificate_view
    clerk.wait_active(view)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "填写错误")
    clerk.press("Alt+V")
    dialog = approval_dialog(qtbot, clerk, view, before=None)  # serial and reason on screen …
    window.lock()  # … when the counter is left
    assert not dialog.isVisible() and not view.isVisible()
    assert window.search.text() == "" and window.certificates_model.rowCount() == 0
    assert not window.new_action.isEnabled() and not window.pending_action.isEnabled()
    window.new_action.trigger()  # F2 behind the lock opens nothing
    assert window.wizard is None
    assert window.sign_in_dialog is not None and window.sign_in_dialog.isVisible()
    with closing(sql(station_dir / "certdesk.db")) as conn:
        reasons = [r for (r,) in conn.execute("SELECT ended_reason FROM sessions ORDER BY rowid")]
    assert reasons[-1] == "locked"  # at once, not when a background task gets to it
    ctx.close()


def test_closing_the_window_signs_the_officer_out(qtbot, station_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window, ctx, _ = at_the_counter(qtbot, station_dir)
    window.close()
    with closing(sql(station_dir / "certdesk.db")) as conn:
        reasons = [r for (r,) in conn.execute("SELECT ended_reason FROM sessions ORDER BY rowid")]
    assert reasons[-1] == "closed"
    ctx.close()
