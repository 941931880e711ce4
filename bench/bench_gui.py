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


CLERK, PASSWORD = "100001", "bench-pass-1"


def station(certdesk: str, env: dict[str, str]) -> None:
    """A station with a clerk who has signed in once (their own password set)."""

    def run(*args: str, stdin: str) -> None:
        subprocess.run(
            [certdesk, *args], check=True, capture_output=True, env=env, input=stdin, text=True
        )

    run(
        "init",
        "--station-code",
        "220102001",
        "--station-name",
        "长春市南关区民康派出所",
        "--workstation",
        "01",
        "--admin-code",
        "300001",
        "--admin-name",
        "赵管理",
        "--password-stdin",
        stdin=PASSWORD,
    )
    run("login", "--officer", "300001", "--password-stdin", stdin=PASSWORD)
    run(
        "officer",
        "add",
        "--code",
        CLERK,
        "--name",
        "张警官",
        "--role",
        "clerk",
        "--password-stdin",
        stdin="first-pass-9",
    )
    run(
        "password",
        "change",
        "--officer",
        CLERK,
        "--password-stdin",
        stdin=f"first-pass-9\n{PASSWORD}\n",
    )
    run("logout", stdin="")


def median_s(
    argv: list[str], env: dict[str, str], rounds: int = 7, stdin: str | None = None
) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env, input=stdin, text=True)
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
        station(certdesk, env)
        subprocess.run([certdesk, "gui", "--selftest"], check=True, capture_output=True, env=env)
        ours, bare = interleaved([sys.executable, "-c", OURS], [sys.executable, "-c", BARE], env)
        signed_in = [certdesk, "gui", "--selftest", "--officer", CLERK]
        selftest = median_s(signed_in, env, rounds=3, stdin=PASSWORD)
    print(
        f"gui_start_to_main_window_median: {ours:.2f} s (goal ≤ 1.0 s and ≤ 2× baseline, "
        f"ratio to baseline {ours / bare:.2f}× a bare PySide6 QWizard start at {bare:.2f} s)"
    )
    print(
        f"gui_selftest_with_lists_loaded_median: {selftest:.2f} s (goal none, ratio to "
        f"baseline {selftest / bare:.2f}× the bare start; a clerk's sign-in and lists included)"
    )


KEY_GOALS = {
    "abolished_notice_printed": 4,
    "kinship_certificate_card_read": 10,
    "special_case_approved": 15,  # the supervisor's Tab and Enter in the approval dialog included
}


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
