"""Preview and print the exact archived PDF.

QtPdf is not in the PySide6 wheels, so pages are rasterised with pypdfium2 (PDFium, the engine
of Chromium's viewer): in the background for the preview, at the printer's resolution (at most
300 dpi) for printing; the pages are then painted on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import dialogs
from ui.tasks import Task, run_in_background

MAX_PRINT_DPI = 300


def page_images(pdf: Path, dpi: float) -> list[QImage]:
    """Every page of ``pdf`` as an image at ``dpi`` (safe to call off the GUI thread)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    images = []
    try:
        for page in document:
            bitmap = page.render(scale=dpi / 72).to_pil().convert("RGB")
            data = bitmap.tobytes("raw", "RGB")
            image = QImage(
                data, bitmap.width, bitmap.height, 3 * bitmap.width, QImage.Format.Format_RGB888
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


class PreviewDialog(QDialog):
    def __init__(self, pdf: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.task: Task | None = None
        self.printed = False
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        scroll = QScrollArea()
        scroll.setWidget(self.pages)
        scroll.setWidgetResizable(True)
        self.print_button, self.close_button = QPushButton(), QPushButton()
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_document)
        self.close_button.clicked.connect(self.accept)
        self.translate_ui()
        self.resize(760, 900)
        self.task = run_in_background(lambda: page_images(pdf, 96), self._show_pages, self._failed)

    def translate_ui(self) -> None:
        self.setWindowTitle(self.tr("预览 {0}").format(self.pdf.name))
        self.print_button.setText(self.tr("打印(&P)"))
        self.close_button.setText(self.tr("已交付，关闭(&C)"))

    def _show_pages(self, images: list[QImage]) -> None:
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(label)
        self.status.setText(self.tr("共 {0} 页").format(len(images)))

    def print_document(self) -> None:
        printer = dialogs.choose_printer(self)
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
        self.print_button.setEnabled(True)
        self.status.setText(self.tr("已打印"))

    def _failed(self, error: Exception) -> None:
        self.print_button.setEnabled(True)
        self.status.setText(str(getattr(error, "message", error)))
