"""Preview of the exact archived PDF, then printing it (a QPrinter writing a PDF file in tests)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from clerk import pdf_printer
from PySide6.QtPrintSupport import QPrinter
from support import CLERK, KINSHIP, as_officer

from app.context import Context
from app.policy.decision import Request
from app.records.printing import certificate_renderer
from app.services.counter import issue
from ui import dialogs
from ui.app import build_application
from ui.preview import PreviewDialog, printed_before


def test_preview_then_print_gives_paper_that_scans(
    qtbot,
    station_dir: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = Context(station_dir)
    result = issue(
        ctx,
        request=Request("亲属关系证明", "bank", "in_province"),
        officer=as_officer(ctx, CLERK),
        values=KINSHIP,
        render=certificate_renderer(ctx),
    )
    assert result.pdf_path and result.serial
    from app.services.certificates import open_printed

    pdf = open_printed(ctx, result.pdf_path)  # decrypted in memory, never on disk
    ctx.close()
    build_application([])
    preview = PreviewDialog(f"{result.serial}.pdf", pdf)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitUntil(lambda: "共 1 页" in preview.status.text(), timeout=15_000)

    out = tmp_path / "printed.pdf"

    def printer(_parent: object) -> QPrinter:  # the officer picks an office printer at 300 dpi
        return pdf_printer(out)

    monkeypatch.setattr(dialogs, "choose_printer", printer)
    preview.print_button.click()
    qtbot.waitUntil(lambda: preview.printed, timeout=30_000)
    assert out.exists()
    # one copy from the preview: the next is a reprint, approved and counted
    assert not preview.print_button.isEnabled() and not preview.printer_button.isEnabled()
    assert printed_before(preview)
    first = out.read_bytes()
    preview.print_button.click()
    qtbot.wait(200)
    assert out.read_bytes() == first
    again = PreviewDialog(f"{result.serial}.pdf", pdf, printable=not printed_before(preview))
    qtbot.addWidget(again)
    again.show()
    assert not again.print_button.isEnabled() and "补打" in again.print_button.toolTip()
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(out), str(tmp_path / "paper")],
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "-q", str(tmp_path / "paper.png")], capture_output=True, text=True, check=False
    ).stdout
    assert f"CODE-128:{result.serial}" in scanned
    assert "QR-Code:CD2:" in scanned


def test_previews_and_prints_rendering_at_once_do_not_crash() -> None:
    """A preview and a print (or two previews) rasterise in background threads at the same time;
    PDFium is not thread-safe, so ``page_images`` serialises it. Eight threads, a two-page notice
    each, ten times over: every page comes back whole (without the lock, one run in three of
    this very test died with a segmentation fault)."""
    import datetime as dt
    import threading

    from forms import specs
    from forms.render import Document, render
    from forms.samples import VALUES  # the specimen values of every form
    from ui.preview import page_images

    spec = specs.get("refusal_notice")
    pdf = render(
        Document(
            spec, "220102001-01-2026-N000001", VALUES["refusal_notice"], "长春市南关区民康派出所",
            "0431-88886666", "张伟", "220001", dt.date(2026, 12, 1),
        )
    )  # fmt: skip
    results: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                images = page_images(pdf, 40)
                results.append(len(images))
                assert all(not image.isNull() for image in images)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and results == [2] * 80
