"""Code128 (python-barcode encodes) and QR (segno encodes), both drawn as vector rectangles on
the page, never as bitmaps."""

from __future__ import annotations

import segno
from barcode.codex import Code128
from reportlab.pdfgen.canvas import Canvas


def code128_modules(text: str) -> str:
    """The bar/space pattern, one character per module ('1' bar, '0' space)."""
    return str(Code128(text).build()[0])


def draw_code128(
    canvas: Canvas, text: str, *, x: float, y: float, width: float, height: float
) -> None:
    """Bars only (no bitmap): consecutive bar modules are merged into one rectangle.
    ``width`` excludes the quiet zones, which the caller leaves free (10 modules each side)."""
    modules = code128_modules(text)
    module = width / len(modules)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    start = None
    for i, bit in enumerate(modules + "0"):
        if bit == "1" and start is None:
            start = i
        elif bit == "0" and start is not None:
            canvas.rect(x + start * module, y, (i - start) * module, height, stroke=0, fill=1)
            start = None
    canvas.restoreState()


# Every mask pattern is valid QR; choosing the "best" one scores all eight and costs three
# quarters of the encoding time (about 18 ms for a signed payload). A fixed mask keeps rendering
# within its budget; the tests decode every form's QR from a 200 dpi scan of the page.
QR_MASK = 2


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR modules (error correction M, no quiet zone), encoded by segno."""
    code = segno.make_qr(text, error="m", boost_error=False, mask=QR_MASK)
    return [[bool(v) for v in row] for row in code.matrix]


def draw_qr(
    canvas: Canvas, text: str, *, x: float, y: float, size: float, min_module: float = 0.0
) -> float:
    """Vector QR with a four-module quiet zone inside a square from (``x``, ``y``) up; dark runs
    merged per row. The square is ``size``, or larger where that keeps each module at least
    ``min_module`` wide; the side drawn is returned."""
    matrix = qr_matrix(text)
    count = len(matrix)
    size = max(size, (count + 8) * min_module)
    module = size / (count + 8)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        top = y + size - (r + 4) * module
        start = None
        for c, dark in enumerate([*row, False]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                canvas.rect(
                    x + (start + 4) * module,
                    top - module,
                    (c - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
                start = None
    canvas.restoreState()
    return size
