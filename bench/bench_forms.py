"""Rendering speed: a certificate warm, against a bare ReportLab page, and the first render.

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from forms import fonts
from forms.barcodes import code128_modules, qr_matrix
from forms.render import chinese_date, render
from forms.samples import ISSUED, NUMBERS, VALUES, document

QR = "CD2:" + "X" * 480  # as long as a usual signed payload (version 2: the facts signed)


def bare_page() -> bytes:
    """The same strings, Code128 bars and QR modules, drawn straight on a canvas, one font."""
    doc = document("kinship")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=fonts.BODY.name)
    canvas.setFont(fonts.BODY.name, 14)
    y = 240 * mm
    lines = [
        doc.spec.title,
        *(t.format_map(doc.values) for t in doc.spec.wording),
        doc.station_name,
        chinese_date(ISSUED),
        NUMBERS["kinship"],
    ]
    for line in lines:
        canvas.drawString(25 * mm, y, line[:40])
        y -= 9 * mm
    for r, row in enumerate(qr_matrix(QR)):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(
                    25 * mm + c * 0.7 * mm,
                    50 * mm - r * 0.7 * mm,
                    0.7 * mm,
                    0.7 * mm,
                    stroke=0,
                    fill=1,
                )
    modules = code128_modules(NUMBERS["kinship"])
    for i, bit in enumerate(modules):
        if bit == "1":
            canvas.rect(108 * mm + i * 0.27 * mm, 265 * mm, 0.27 * mm, 10 * mm, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def median_ms(fn: object, rounds: int = 40) -> float:
    call = fn  # type: ignore[assignment]
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


FIRST = """
import time
start = time.perf_counter()
from forms.render import render
from forms.samples import VALUES, document
VALUES["kinship"]["applicant_name"] = "王建华"
imported = time.perf_counter()
render(document("kinship", qr_text="CD1:" + "x" * 160))
done = time.perf_counter()
print(imported - start, done - imported)
"""


def main() -> None:
    # an everyday name: the body face alone (a name beyond the BMP adds a fallback face)
    VALUES["kinship"]["applicant_name"] = "王建华"
    doc = document("kinship", qr_text=QR)
    render(doc)
    bare_page()
    ours = median_ms(lambda: render(doc))
    bare = median_ms(bare_page)
    print(
        f"render_certificate_warm_median: {ours:.1f} ms (goal ≤ 30 ms and ≤ 1.5× baseline, "
        f"ratio to baseline {ours / bare:.2f}× a bare ReportLab page at {bare:.1f} ms)"
    )
    firsts = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", FIRST], capture_output=True, text=True, check=True
        ).stdout.split()
        firsts.append((float(out[0]), float(out[1])))
    imports = statistics.median(f[0] for f in firsts) * 1000
    first = statistics.median(f[1] for f in firsts) * 1000
    print(
        f"render_first_with_font_loading: {first:.0f} ms (goal ≤ 300 ms, ratio to baseline "
        f"{first / ours:.1f}× a warm render; imports before it {imports:.0f} ms)"
    )


if __name__ == "__main__":
    main()
