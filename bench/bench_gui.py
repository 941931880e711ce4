"""Start to a usable main window, against a bare PySide6 QWizard start in the same run.

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Both stop once their window is shown and has painted (os._exit: no teardown in the figure).
BARE = """
import os
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage
app = QApplication([])
wizard = QWizard()
wizard.addPage(QWizardPage())
wizard.show()
app.processEvents()
os._exit(0)
"""
OURS = """
import os, sys
from pathlib import Path
from app.context import Context
from ui.app import build_application
from ui.main_window import MainWindow
app = build_application([])
window = MainWindow(Context(Path(os.environ["CERTDESK_DATA_DIR"])))
window.show()
window.refresh()  # the lists load in the background; the window is usable meanwhile
app.processEvents()
os._exit(0)
"""


def median_s(argv: list[str], env: dict[str, str], rounds: int = 7) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    certdesk = str(Path(sys.executable).parent / "certdesk")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "CERTDESK_DATA_DIR": tmp,
            "CERTDESK_CACHE_DIR": tmp,
        }
        subprocess.run([certdesk, "gui", "--selftest"], check=True, capture_output=True, env=env)
        ours = median_s([sys.executable, "-c", OURS], env)
        selftest = median_s([certdesk, "gui", "--selftest"], env, rounds=3)
        bare = median_s([sys.executable, "-c", BARE], env)
    print(
        f"gui_start_to_main_window_median: {ours:.2f} s (goal ≤ 1.0 s and ≤ 2× baseline, "
        f"ratio to baseline {ours / bare:.2f}× a bare PySide6 QWizard start at {bare:.2f} s)"
    )
    print(
        f"gui_selftest_with_lists_loaded_median: {selftest:.2f} s (goal none, ratio to "
        f"baseline {selftest / bare:.2f}× the bare start; includes the database lists)"
    )


if __name__ == "__main__":
    main()
