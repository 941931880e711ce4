"""Start to a usable main window, against a bare PySide6 QWizard start in the same run; and the
keys and clicks a clerk needs per everyday path, counted by tests/ui/test_counter_paths.py as it
drives the window with keys (typed text counted apart).

Prints one line per figure: ``name: value unit (goal …, ratio to baseline …)``.
"""

from __future__ import annotations

import json
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


def interleaved(
    first: list[str], second: list[str], env: dict[str, str], rounds: int = 15
) -> tuple[float, float]:
    """Medians of two commands run in turn, so that the host's noise falls on both alike."""
    a, b = [], []
    for _ in range(rounds):
        for argv, samples in ((first, a), (second, b)):
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, env=env)
            samples.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


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
        ours, bare = interleaved([sys.executable, "-c", OURS], [sys.executable, "-c", BARE], env)
        selftest = median_s([certdesk, "gui", "--selftest"], env, rounds=3)
    print(
        f"gui_start_to_main_window_median: {ours:.2f} s (goal ≤ 1.0 s and ≤ 2× baseline, "
        f"ratio to baseline {ours / bare:.2f}× a bare PySide6 QWizard start at {bare:.2f} s)"
    )
    print(
        f"gui_selftest_with_lists_loaded_median: {selftest:.2f} s (goal none, ratio to "
        f"baseline {selftest / bare:.2f}× the bare start; includes the database lists)"
    )


KEY_GOALS = {"abolished_notice_printed": 4, "kinship_certificate_card_read": 10}


def key_counts() -> None:
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        counts_file = Path(tmp) / "counts.json"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "CERTDESK_KEYCOUNT_FILE": str(counts_file),
        }
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/ui/test_counter_paths.py",
            ],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        counts = json.loads(counts_file.read_text())
    for path, goal in KEY_GOALS.items():
        got = counts[path]
        print(
            f"keys_{path}: {got['actions']} keys and clicks (goal ≤ {goal}, ratio to baseline "
            f"{got['actions'] / goal:.2f}× the goal; plus {got['typed']} characters typed: "
            f"{' '.join(got['log'])})"
        )


if __name__ == "__main__":
    main()
    key_counts()
