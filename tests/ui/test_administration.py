"""The station run from the window: its administrator keeps the officers, backs up and restores,
installs a catalog, sets this PC's idle lock and printer, renews the recovery key; its auditor
reads and exports the audit trail. Driven with keys as on a counter PC (Alt+letter, Tab, Enter;
questions answered through ui/dialogs.py, as the other GUI tests do)."""

from __future__ import annotations

import json
import shutil
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from clerk import Clerk, at_the_counter
from PySide6.QtWidgets import QApplication
from support import (
    ADMIN,
    AUDITOR,
    CLERK,
    FIRST_PASSWORD,
    PASSWORD,
    SUPERVISOR,
    recovery_file,
    sql,
)

from app.errors import NotSignedIn
from app.records import vault
from app.services import auth
from ui import dialogs, progress, tasks

SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
ROOT = Path(__file__).resolve().parents[2]


def rows(station_dir: Path, query: str) -> list[tuple[Any, ...]]:
    with closing(sql(station_dir / "certdesk.db")) as conn:
        return conn.execute(query).fetchall()


def shot(widget: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SCREENSHOTS / f"{name}.png"))


def administration(qtbot: Any, station_dir: Path) -> tuple[Any, Any, Any, Clerk]:
    """The administrator signed in at the window, F8 pressed: (window, admin window, ctx, keys)."""
    window, ctx, clerk = at_the_counter(qtbot, station_dir, ADMIN, size=(1366, 768))
    assert not window.new_action.isEnabled()  # an administrator does no counter work
    clerk.press("F8")
    qtbot.waitUntil(lambda: window.administration is not None)
    admin = window.administration
    clerk.wait_active(admin)
    qtbot.waitUntil(lambda: admin.officers.model.rowCount() > 0, timeout=10_000)
    return window, admin, ctx, clerk


def officer_row(admin: Any, code: str) -> Any:
    return next(r for r in admin.officers.model.rows if r.code == code)


def select(clerk: Clerk, admin: Any, code: str) -> None:
    """Down the list with the arrow keys to ``code`` (once the list has reloaded)."""
    clerk.qtbot.waitUntil(lambda: tasks.running() == 0, timeout=10_000)
    view = admin.officers.view
    view.setFocus()
    view.selectRow(0)
    codes = [r.code for r in admin.officers.model.rows]
    for _ in range(codes.index(code)):
        clerk.press("Down")
    assert admin.officers.selected().code == code


def test_officers_added_reset_disabled_unlocked_and_given_a_role_by_keys(
    qtbot: Any, station_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, admin, ctx, clerk = administration(qtbot, station_dir)
    officers = admin.officers
    assert [r.code for r in officers.model.rows] == [CLERK, "200001", "200002", ADMIN, AUDITOR]
    assert officers.view.columnWidth(1) > officers.view.horizontalHeader().sectionSizeHint(1) - 1
    shot(admin, "admin_1_officers")

    # add a clerk: code, name, role (a clerk: the first), the first password twice
    clerk.press("Alt+A")
    qtbot.waitUntil(lambda: officers.dialog is not None and officers.dialog.isVisible())
    dialog = officers.dialog
    clerk.wait_active(dialog)
    assert "至少8位" in dialog.rules.text()
    clerk.type("100007")
    clerk.press("Tab")
    clerk.type("钱警官")
    clerk.press("Tab")
    clerk.press("Tab")
    clerk.type(FIRST_PASSWORD)
    clerk.press("Tab")
    clerk.type("first-pass-8")  # mistyped
    clerk.press("Return")
    assert "不一致" in dialog.error.text() and dialog.isVisible()
    shot(dialog, "admin_1_add_officer_error")
    clerk.type(FIRST_PASSWORD)
    clerk.press("Return")
    qtbot.waitUntil(lambda: "已添加 钱警官(100007)" in officers.message.text(), timeout=10_000)
    assert rows(
        station_dir, "SELECT role, must_change_password FROM officers WHERE code='100007'"
    ) == [("clerk", 1)]
    assert rows(
        station_dir,
        "SELECT e.officer_code FROM audit_events e JOIN officers o ON e.entity_id = o.id "
        "WHERE e.action = 'officer.add' AND o.code = '100007'",
    ) == [(ADMIN,)]
    assert ctx.vault.encrypted and "officer:100007" in ctx.vault.read().slots

    # a supervisor's account: the approval dialog, a supervisor types their own password
    clerk.press("Alt+A")
    qtbot.waitUntil(lambda: officers.dialog is not dialog and officers.dialog.isVisible())
    clerk.wait_active(officers.dialog)
    clerk.type("200007")
    clerk.press("Tab")
    clerk.type("吴所长")
    clerk.press("Tab")
    clerk.press("Down")  # 所领导
    clerk.press("Tab")
    clerk.type(FIRST_PASSWORD)
    clerk.press("Tab")
    clerk.type(FIRST_PASSWORD)
    clerk.press("Return")
    qtbot.waitUntil(
        lambda: admin.approval is not None and admin.approval.isVisible(), timeout=10_000
    )
    approval = admin.approval
    clerk.wait_active(approval)
    qtbot.waitUntil(approval.buttons.isEnabled, timeout=10_000)
    shot(approval, "admin_1_approval")
    clerk.press("Tab")
    clerk.type(PASSWORD)
    clerk.press("Return")
    qtbot.waitUntil(lambda: "已添加 吴所长(200007)" in officers.message.text(), timeout=10_000)
    assert rows(station_dir, "SELECT role FROM officers WHERE code='200007'") == [("supervisor",)]

    # reset a forgotten password: typed twice; their sessions end
    clerk_session = auth.sign_in(ctx, code=CLERK, password=PASSWORD)
    select(clerk, admin, CLERK)
    clerk.press("Alt+R")
    qtbot.waitUntil(lambda: officers.dialog.isVisible() and officers.dialog.resetting)
    clerk.wait_active(officers.dialog)
    clerk.type("new-pass-77")
    clerk.press("Tab")
    clerk.type("new-pass-77")
    clerk.press("Return")
    qtbot.waitUntil(lambda: "已重置 张警官(100001)" in officers.message.text(), timeout=10_000)
    with pytest.raises(NotSignedIn):
        auth.resume(ctx, clerk_session.token)
    qtbot.waitUntil(lambda: officer_row(admin, CLERK).must_change_password, timeout=10_000)

    # unlock an officer locked by five wrong passwords
    for _ in range(5):
        with pytest.raises(Exception):  # noqa: B017 (wrong password, then locked)
            auth.sign_in(ctx, code=AUDITOR, password="wrong-pass-1")
    select(clerk, admin, AUDITOR)
    clerk.press("Alt+F")  # refresh: the lock shows
    qtbot.waitUntil(lambda: officer_row(admin, AUDITOR).locked_until is not None, timeout=10_000)
    assert "锁定" in officers.state(officer_row(admin, AUDITOR))
    select(clerk, admin, AUDITOR)
    clerk.press("Alt+U")
    qtbot.waitUntil(
        lambda: "已解除 孙审计(400001)的锁定" in officers.message.text(), timeout=10_000
    )
    qtbot.waitUntil(lambda: officer_row(admin, AUDITOR).locked_until is None, timeout=10_000)
    assert auth.sign_in(ctx, code=AUDITOR, password=PASSWORD).code == AUDITOR

    # another role: the auditor becomes a clerk (no privileged role: no approval)
    monkeypatch.setattr(dialogs, "ask_choice", lambda *a: 0)
    select(clerk, admin, AUDITOR)
    clerk.press("Alt+O")
    qtbot.waitUntil(
        lambda: "已更改 孙审计(400001)的角色" in officers.message.text(), timeout=10_000
    )
    assert rows(station_dir, "SELECT role FROM officers WHERE code='400001'") == [("clerk",)]

    # disable, asked first; the administrator cannot disable themselves
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    select(clerk, admin, ADMIN)
    clerk.press("Alt+D")
    qtbot.waitUntil(lambda: "不能停用自己" in officers.message.text(), timeout=10_000)
    select(clerk, admin, "100007")
    clerk.press("Alt+D")
    qtbot.waitUntil(lambda: "已停用 钱警官(100007)" in officers.message.text(), timeout=10_000)
    assert rows(station_dir, "SELECT active FROM officers WHERE code='100007'") == [(0,)]
    assert "officer:100007" not in ctx.vault.read().slots  # their password opens nothing now
    qtbot.waitUntil(
        lambda: officers.state(officer_row(admin, "100007")) == "已停用", timeout=10_000
    )
    shot(admin, "admin_1_officers_after")
    ctx.close()


def test_a_clerk_and_an_auditor_are_not_offered_the_administration(
    qtbot: Any, station_dir: Path
) -> None:
    window, ctx, _clerk = at_the_counter(qtbot, station_dir, CLERK)
    assert not window.admin_action.isEnabled() and not window.audit_action.isEnabled()
    window.open_administration()  # (a menu path forced open: the window says no, nothing opens)
    assert window.administration is None and "限管理员" in window.message.text()
    ctx.close()


def test_backup_and_restore_from_the_window_with_progress(
    qtbot: Any, station_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, admin, ctx, clerk = administration(qtbot, station_dir)
    clerk.press("Alt+3")
    assert admin.tabs.currentWidget() is admin.backups
    shot(admin, "admin_3_backup")
    target = tmp_path / "usb" / "station.certdesk-backup"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: target)
    shown: list[Any] = []
    real = progress.ProgressDialog.show

    held: list[bool] = []

    def seen(dialog: Any) -> None:
        shown.append(dialog.windowTitle())
        held.append(not window.idle.isActive() and not window.sync_state.timer.isActive())
        real(dialog)

    monkeypatch.setattr(progress.ProgressDialog, "show", seen)
    clerk.press("Alt+B")
    qtbot.waitUntil(lambda: progress.is_running("backup") or target.exists(), timeout=10_000)
    # a second press while it runs starts nothing
    admin.backups.backup()
    qtbot.waitUntil(lambda: "备份完成" in admin.backups.message.text(), timeout=30_000)
    assert shown and shown[0] == "备份" and not progress.is_running("backup")
    assert held == [True] and window.idle.isActive()  # no idle lock meanwhile, and back after
    assert target.exists() and not target.read_bytes()[:64].count(b"SQLite")

    # a change after the backup, then the restore takes it back
    from app.services.officers import add_officer

    add_officer(
        ctx,
        actor=admin.actor,
        code="100008",
        name="冯警官",
        role="clerk",
        password=FIRST_PASSWORD,
    )
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: target)
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    clerk.wait_active(admin)  # (on X the progress dialog hands the focus back a moment later)
    clerk.press("Alt+R")
    restored = lambda: window.locked or "color" in admin.backups.message.styleSheet()  # noqa: E731
    qtbot.waitUntil(restored, timeout=30_000)
    assert window.locked, admin.backups.message.text()  # restored: everyone signs in again
    assert "恢复" in shown
    assert rows(station_dir, "SELECT count(*) FROM officers WHERE code='100008'") == [(0,)]
    assert rows(station_dir, "SELECT officer_code FROM audit_events ORDER BY seq DESC LIMIT 1") == [
        (ADMIN,)
    ]
    if window.sign_in_dialog is not None:
        window.sign_in_dialog.close()
    ctx.close()


def test_a_backup_of_another_pc_asks_for_the_password_it_knows(
    qtbot: Any, station_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same station set up again (a new data key): its old backup opens with the
    administrator's password as the backup knows it, asked in the window."""
    from support import make_station

    from app.context import Context
    from app.services.integrity import backup

    old = tmp_path / "old"
    make_station(old)  # (the same station and workstation, another data key)
    old_ctx = Context(old)
    from support import signed_in

    target = tmp_path / "old.certdesk-backup"
    backup(old_ctx, target, actor=signed_in(old_ctx, ADMIN))
    old_ctx.close()
    if Context(station_dir).vault.read().db_id == Context(old).vault.read().db_id:
        pytest.skip("the two stations share a template key")
    window, admin, ctx, clerk = administration(qtbot, station_dir)
    clerk.press("Alt+3")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: target)
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    asked: list[str] = []

    def password(*args: Any, **kwargs: Any) -> str:
        asked.append(args[2])
        return PASSWORD

    monkeypatch.setattr(dialogs, "ask_text", password)
    clerk.press("Alt+R")
    ended = lambda: window.locked or "color" in admin.backups.message.styleSheet()  # noqa: E731
    qtbot.waitUntil(ended, timeout=30_000)
    assert window.locked, admin.backups.message.text()
    assert asked and "另一把数据密钥" in asked[0]
    if window.sign_in_dialog is not None:
        window.sign_in_dialog.close()
    ctx.close()


def test_catalog_installed_signed_or_refused_and_put_back(
    qtbot: Any, station_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, admin, ctx, clerk = administration(qtbot, station_dir)
    clerk.press("Alt+4")
    assert "jilin_2015" in admin.catalog.current.text()
    shot(admin, "admin_4_catalog")
    national = tmp_path / "national.yaml"
    shutil.copyfile(ROOT / "resources" / "catalog" / "national-2016.yaml", national)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: national)
    clerk.press("Alt+I")
    qtbot.waitUntil(lambda: "已启用目录" in admin.catalog.message.text(), timeout=10_000)
    assert ctx.catalog.id != "jilin_2015" and ctx.catalog.id in window.catalog_label.text()
    [(note,)] = rows(
        station_dir,
        "SELECT \"after\" FROM audit_events WHERE action='station.catalog' ORDER BY seq DESC "
        "LIMIT 1",
    )
    assert json.loads(note)["note"]["signature"] == "unsigned"  # (this station is not enrolled)
    clerk.press("Alt+D")
    qtbot.waitUntil(lambda: ctx.catalog.id == "jilin_2015", timeout=10_000)
    ctx.close()


def test_settings_idle_lock_and_printer_reach_the_counter(qtbot: Any, station_dir: Path) -> None:
    window, admin, ctx, clerk = administration(qtbot, station_dir)
    clerk.press("Alt+5")
    settings = admin.settings
    assert QApplication.focusWidget() is settings.idle and settings.idle.value() == 10
    shot(admin, "admin_5_settings")
    settings.idle.selectAll()
    clerk.type("5")
    clerk.press("Alt+S")
    qtbot.waitUntil(lambda: "设置已保存" in settings.message.text(), timeout=10_000)
    assert rows(station_dir, "SELECT idle_lock_minutes, printer FROM station") == [(5, None)]
    assert window.idle.interval() == 5 * 60_000
    settings.idle.selectAll()
    clerk.type("20")  # beyond 15: the box keeps it in range
    assert settings.idle.value() <= 15
    clerk.press("Alt+2")  # not enrolled yet: the tab says so, the server field has the focus
    qtbot.waitUntil(lambda: "尚未登记" in admin.enrolment.status.text(), timeout=10_000)
    assert QApplication.focusWidget() is admin.enrolment.server
    clerk.press("Alt+E")  # nothing typed: the fields are named, nothing is sent
    qtbot.waitUntil(lambda: "请填写省级服务器地址和登记码" in admin.enrolment.message.text())
    shot(admin, "admin_2_enrolment")
    clerk.press("Alt+6")
    qtbot.waitUntil(lambda: "没有待处理的冲突" in admin.conflicts.message.text(), timeout=10_000)
    ctx.close()


def test_the_recovery_key_renewed_shown_once(
    qtbot: Any, station_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, admin, ctx, clerk = administration(qtbot, station_dir)
    old = recovery_file(station_dir).read_text()
    clerk.press("Alt+7")
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    clerk.press("Alt+K")
    qtbot.waitUntil(lambda: admin.recovery.recovery_key != "", timeout=10_000)
    new = admin.recovery.recovery_key
    assert new != old and vault.normalise_recovery_key(new)
    shot(admin, "admin_7_recovery_key")
    slots = ctx.vault.read()
    assert vault.unwrap_recovery(slots, new) == ctx.vault.db_key()
    with pytest.raises(Exception):  # noqa: B017 (the old key opens nothing now)
        vault.unwrap_recovery(slots, old)
    admin.recovery.print_button.click()  # its sheet, previewed from memory
    preview = admin.recovery.preview
    assert preview is not None and preview.isVisible()
    admin.activateWindow()
    clerk.wait_active(admin)
    clerk.press("Alt+1")  # leaving the tab forgets the key and closes its sheet
    assert admin.recovery.recovery_key == "" and admin.recovery.key.text() == ""
    from ui.preview import PreviewDialog

    assert admin.recovery.preview is None
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog) and w.isVisible()
    ]
    recovery_file(station_dir).write_text(new)
    ctx.close()


def test_the_auditor_filters_and_exports_the_trail(
    qtbot: Any, station_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, ctx, clerk = at_the_counter(qtbot, station_dir, AUDITOR, size=(1366, 768))
    assert window.audit_action.isEnabled() and not window.admin_action.isEnabled()
    clerk.press("F10")
    qtbot.waitUntil(lambda: window.audit_window is not None)
    audit = window.audit_window
    clerk.wait_active(audit)
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0, timeout=10_000)
    everything = audit.model.rowCount()
    assert "共" in audit.count.text()
    seqs = [row.seq for row in audit.model.rows]
    assert seqs == sorted(seqs, reverse=True)  # the newest first
    shot(audit, "audit_trail")
    clerk.press("Alt+O")
    clerk.type(SUPERVISOR)
    clerk.press("Alt+Q")
    qtbot.waitUntil(lambda: 0 < audit.model.rowCount() < everything, timeout=10_000)
    # what they did, what they approved, and what was done to their account
    assert all(
        SUPERVISOR in (row.officer, row.approver) or f"({SUPERVISOR} " in row.entity_id
        for row in audit.model.rows
    )
    assert {row.officer for row in audit.model.rows} >= {SUPERVISOR, ADMIN}
    added = [r for r in audit.model.rows if r.action == "officer.add" and r.officer == ADMIN]
    assert any(f"({SUPERVISOR} 李所长)" in r.entity_id for r in added)  # named, not a row id
    assert any(r.approver == SUPERVISOR for r in audit.model.rows)  # (the second supervisor)
    clerk.press("Alt+A")
    audit.action.setCurrentText("")
    clerk.type("officer.")
    clerk.press("Alt+Q")
    qtbot.waitUntil(
        lambda: all(r.action.startswith("officer.") for r in audit.model.rows), timeout=10_000
    )
    clerk.press("Alt+V")
    qtbot.waitUntil(lambda: "审计链完整" in audit.message.text(), timeout=30_000)
    target = tmp_path / "audit.csv"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: target)
    clerk.wait_active(audit)  # (on X the progress dialog hands the focus back a moment later)
    clerk.press("Alt+E")
    qtbot.waitUntil(lambda: "已导出" in audit.message.text(), timeout=30_000)
    assert "个人信息" in audit.message.text()
    exported = target.read_text(encoding="utf-8-sig")
    assert "officer." in exported and SUPERVISOR in exported
    assert rows(
        station_dir,
        "SELECT officer_code FROM audit_events WHERE action='station.export' ORDER BY seq DESC",
    )[0] == (AUDITOR,)
    ctx.close()


def test_a_sync_conflict_handled_with_a_reason_by_keys(
    qtbot: Any, station_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record the province refused as a conflict: listed, selected, closed with a reason."""
    from support import CLERK, KINSHIP, as_officer, execute

    from app.context import Context
    from app.policy.decision import Request
    from app.services import counter

    first = Context(station_dir)
    issued = counter.issue(
        first,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=as_officer(first, CLERK),
        values=KINSHIP,
    )
    first.close()
    execute(  # (as a sync round records the province's answer)
        station_dir / "certdesk.db",
        "UPDATE outbox SET conflict = '省级已有同一编号的不同记录' "
        "WHERE seq = (SELECT max(seq) FROM outbox WHERE topic = 'certificate')",
    )
    _window, admin, ctx, clerk = administration(qtbot, station_dir)
    clerk.press("Alt+6")
    conflicts = admin.conflicts
    qtbot.waitUntil(lambda: conflicts.model.rowCount() == 1, timeout=10_000)
    row = conflicts.model.rows[0]
    assert row.number == issued.serial and "不同记录" in row.reason
    assert "待处理的冲突 1 条" in conflicts.message.text()
    shot(admin, "admin_6_conflicts")
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "已与省级核实，以本站记录为准")
    clerk.press("Alt+H")
    qtbot.waitUntil(lambda: "没有待处理的冲突" in conflicts.message.text(), timeout=10_000)
    assert rows(
        station_dir, "SELECT resolved_by, resolution FROM outbox WHERE conflict IS NOT NULL"
    ) == [(ADMIN, "已与省级核实，以本站记录为准")]
    ctx.close()
