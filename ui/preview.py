"""Preview and print the exact archived PDF.

QtPdf is not in the PySide6 wheels, so pages are rasterised with pypdfium2 (PDFium, the engine
of Chromium's viewer): in the background for the preview, at the printer's resolution (at most
300 dpi) for printing; the pages are then painted on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import dialogs
from ui.dialogs import CounterDialog
from ui.labels import error_text
from ui.tasks import Task, run_in_background

MAX_PRINT_DPI = 300
PREVIEW_DPI = 86  # an A4 page as wide as the dialog: no sideways scrolling


# PDFium is not thread-safe: two background tasks rendering at once (a preview and a print, or
# two previews), or a page finalised by the garbage collector in one thread while another
# renders, corrupt its heap (seen as a segfault in get_page). One lock, and every page and
# bitmap closed explicitly inside it.
_PDFIUM = threading.Lock()


def page_images(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page of ``pdf`` (the document's bytes, decrypted in memory: nothing is written to
    disk) as an image at ``dpi`` (safe to call off the GUI thread: PDFium is used by one thread
    at a time)."""
    import pypdfium2

    images = []
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    bitmap = page.render(scale=dpi / 72)
                    try:
                        pil = bitmap.to_pil().convert("RGB")
                    finally:
                        bitmap.close()
                finally:
                    page.close()
                data = pil.tobytes("raw", "RGB")
                image = QImage(
                    data, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888
                )
                images.append(image.copy())  # own the pixels before ``data`` goes away
        finally:
            document.close()
    return images


def paint_pages(images: list[QImage], printer: QPrinter) -> None:
    """Paint pages onto a printer, each scaled to the printable page."""
    painter = QPainter(printer)
    try:
        for i, image in enumerate(images):
            if i:
                printer.newPage()
            target = QRectF(painter.viewport())
            scaled = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(0, 0, scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
    finally:
        painter.end()


class PreviewDialog(CounterDialog):
    """The archived PDF as it will print. Enter prints (to the printer chosen once this session),
    then Enter again closes; ``hand_over`` (for a certificate) records that the paper was handed
    to the citizen when the dialog is closed after printing.

    A document prints once from here: every further copy is a reprint, approved by a supervisor
    and counted (the certificate's view). ``printable`` is False when it was printed already."""

    def __init__(
        self,
        name: str,
        pdf: bytes,
        parent: Any = None,
        hand_over: Callable[[], object] | None = None,
        *,
        printable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.pdf = pdf
        self.hand_over = hand_over
        self.printable = printable
        self.task: Task | None = None
        self.printed = False
        self.handed_over = False
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        scroll = QScrollArea()
        scroll.setWidget(self.pages)
        scroll.setWidgetResizable(True)
        self.print_button, self.close_button = QPushButton(), QPushButton()
        self.printer_button = QPushButton()
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.printer_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_document)
        self.printer_button.clicked.connect(lambda: self.print_document(ask=True))
        self.close_button.clicked.connect(self.close_after_printing)
        self.print_button.setDefault(True)
        self.print_button.setFocus()
        self.translate_ui()
        self.resize(760, 680)  # fits a 1366×768 counter screen with its taskbar
        self.task = run_in_background(
            lambda: page_images(pdf, PREVIEW_DPI), self._show_pages, self._failed
        )
        if not printable:
            self._printed_already()

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("预览 {0}").format(self.name))
        self.print_button.setText(self.tr("打印(&P)"))
        self.printer_button.setText(self.tr("选择打印机(&S)…"))
        self.close_button.setText(
            self.tr("已交付，关闭(&C)") if self.hand_over else self.tr("关闭(&C)")
        )

    def _show_pages(self, images: list[QImage]) -> None:
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(label)
        self.status.setText(self.tr("共 {0} 页").format(len(images)))

    def print_document(self, ask: bool = False) -> None:
        printer = dialogs.station_printer(self, ask=ask)
        if printer is None:
            return
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        self.print_button.setEnabled(False)
        self.status.setText(self.tr("正在打印…"))
        pdf = self.pdf
        self.task = run_in_background(
            lambda: page_images(pdf, dpi), lambda images: self._paint(images, printer), self._failed
        )

    def _paint(self, images: list[QImage], printer: QPrinter) -> None:
        paint_pages(images, printer)
        self.printed = True
        self._printed_already()
        self.status.setText(self.tr("已打印"))

    def _printed_already(self) -> None:
        """One copy from here; another is a reprint with a supervisor's approval."""
        for button in (self.print_button, self.printer_button):
            button.setEnabled(False)
            button.setToolTip(self.tr("已打印；再次打印须在证明中补打，经所领导审批"))
        self.close_button.setDefault(True)  # Enter: (handed over,) close
        self.close_button.setFocus()

    def close_after_printing(self) -> None:
        """Close; after printing a certificate, first record that it was handed over."""
        if self.hand_over is None or not self.printed or self.handed_over:
            self.accept()
            return
        self.close_button.setEnabled(False)
        self.task = run_in_background(self.hand_over, self._handed_over, self._failed)

    def _handed_over(self, _result: object) -> None:
        self.handed_over = True
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.print_button.setEnabled(self.printable and not self.printed)
        self.close_button.setEnabled(True)
        self.status.setText(error_text(error))


def printed_before(preview: PreviewDialog | None) -> bool:
    """Whether the document of ``preview`` (the last one opened for it) was printed already."""
    return preview is not None and (preview.printed or not preview.printable)
