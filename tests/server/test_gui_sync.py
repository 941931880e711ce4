"""The counter window's sync: the status bar says online or offline and how much waits; the
pending list shows each waiting item with its last error; retry sends them once the province
answers. The window never waits for the network (rounds run in the background)."""

from __future__ import annotations

import json
from pathlib import Path

from clerk import Clerk
from pgserver import LiveServer, free_port, new_enrol_code
from support import ADMIN, CLERK, KINSHIP, as_officer, signed_in

from app.context import Context
from app.policy.decision import Request
from app.services import counter
from app.sync.enrolment import enrol, enrolment_path
from ui.app import build_application
from ui.main_window import MainWindow


def test_status_bar_pending_list_and_retry(
    qtbot, station_dir: Path, live_server: LiveServer, database_url: str
) -> None:  # type: ignore[no-untyped-def]

    code = new_enrol_code(database_url, live_server.url, "220102001", "民康派出所")
    ctx = Context(station_dir)
    build_application([])
    window = MainWindow(ctx, signed_in(ctx, CLERK))
    qtbot.addWidget(window)
    window.show()
    window.sync_state.sync_now()
    qtbot.waitUntil(lambda: not window.sync_state.running, timeout=10_000)
    assert "未登记" in window.sync_label.text()

    enrol(ctx, server=live_server.url, code=code, actor=as_officer(ctx, ADMIN))
    kept = enrolment_path(station_dir)  # sealed: changed through the station's key
    good = ctx.vault.open_file(kept)
    data = json.loads(good)
    data["server"] = f"http://127.0.0.1:{free_port()}"  # the network is down
    ctx.vault.write_file(kept, json.dumps(data).encode("utf-8"))
    counter.issue(
        ctx,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=as_officer(ctx, CLERK),
        values=KINSHIP,
    )
    window.sync_state.enrolled = True  # (as the round before found it)
    window.sync_state.sync_now()
    assert "正在与省级同步" in window.sync_label.text()  # a round runs: the status bar says so
    running = window.sync_state.task
    window.sync_state.sync_now()  # F9 again meanwhile: the same round, not a second one
    assert window.sync_state.task is running
    qtbot.waitUntil(lambda: not window.sync_state.running, timeout=30_000)
    assert "离线" in window.sync_label.text(), (
        window.sync_label.text(),
        window.sync_state.last_error,
    )
    # the case and its certificate (officers are not sent: the province keeps no officers)
    assert "待上报 2" in window.sync_label.text()

    window.activateWindow()
    clerk = Clerk(qtbot)
    clerk.wait_active(window)
    clerk.press("F6")
    dialog = window.pending_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    assert all(row.last_error and row.attempts >= 1 for row in dialog.model.rows)
    assert "离线" in dialog.status.text()

    ctx.vault.write_file(kept, good)  # the network is back
    clerk.wait_active(dialog)
    clerk.press("Return")  # retry
    qtbot.waitUntil(lambda: "在线 · 待上报 0" in window.sync_label.text(), timeout=30_000)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=10_000)
    ctx.close()
