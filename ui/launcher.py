"""The ``certdesk`` entry point: the counter window for ``certdesk gui`` (and ``certdesk`` alone), the
command line for everything else. It lives in ``ui`` because only the GUI side may import Qt
(ui → app). Arguments are parsed in full first: an unknown option is an error (exit 2) whatever
the command, never a window that opens anyway."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    from app import cli

    arguments = list(sys.argv[1:] if argv is None else argv)
    args = cli.build_parser().parse_args(arguments)  # exits 2 on anything it does not know
    if args.command not in ("gui", None):  # no command at all: the counter window
        return cli.main(arguments)
    return run_gui(args, started)


def run_gui(args: Any, started: float | None = None) -> int:
    from app import paths
    from app.context import Context
    from ui.app import build_application
    from ui.main_window import MainWindow

    started = time.perf_counter() if started is None else started
    selftest = bool(getattr(args, "selftest", False))
    data_dir = Path(paths.data_dir(getattr(args, "data_dir", None)))
    app = build_application(sys.argv[:1], lang=getattr(args, "lang", "zh"))
    ctx = Context(data_dir)
    actor = None
    if selftest and getattr(args, "officer", None):  # the lists as this officer sees them
        from app.errors import CertdeskError
        from app.services import auth

        try:
            actor = auth.sign_in(
                ctx, code=args.officer, password=sys.stdin.readline().rstrip("\r\n"), kind="window"
            )
        except CertdeskError as error:
            sys.stderr.write(f"错误：{error.message}\n")
            return error.exit_code
    if not selftest:
        from app.services.station import station_info
        from ui.setup_wizard import StationSetupWizard
        from ui.sign_in import SignInDialog

        if station_info(ctx) is None and not StationSetupWizard(ctx).exec():
            return 0
        sign_in = SignInDialog(ctx)
        if not sign_in.exec():
            return 0
        actor = sign_in.actor
    reader = None
    if getattr(args, "demo_reader", False):
        from app.services.cardreader import DEMO_CARD, SimulatedReader

        reader = SimulatedReader([DEMO_CARD] * 100)
    window = MainWindow(ctx, actor, reader)
    window.showMaximized()  # a counter PC runs certdesk alone: the whole screen
    if not selftest:
        window.refresh()
        window.sync_state.start()  # a round now, then every minute, in the background
        window.remind_deadlines()
        code = app.exec()
        ctx.close()
        return code
    return _selftest(app, window, ctx, started, as_json=bool(getattr(args, "json", False)))


def _selftest(app: Any, window: Any, ctx: Any, started: float, *, as_json: bool) -> int:
    """Open the main window on the data dir, let it load its lists (as the officer signed in with
    ``--officer``; else only the station's), and leave; with ``--json``
    report how long that took, measured inside the process."""
    from PySide6.QtCore import QTimer

    import ui.supervision  # noqa: F401  (QtCharts is in the bundle and loads)

    timings: dict[str, float | bool] = {}

    def shown() -> None:
        timings["shown_ms"] = round((time.perf_counter() - started) * 1000, 1)
        timings["maximized"] = window.isMaximized()  # (a bool, in the JSON as true or false)

    def loaded() -> None:
        timings["lists_loaded_ms"] = round((time.perf_counter() - started) * 1000, 1)
        app.quit()

    def failed(error: Exception) -> None:
        timings["error"] = str(getattr(error, "message", error))  # type: ignore[assignment]
        app.quit()

    QTimer.singleShot(0, shown)  # the first turn of the event loop: the window is on screen
    window.refresh(on_loaded=loaded, on_failed=failed)
    QTimer.singleShot(30_000, app.quit)  # never hang a script that checks an installation
    app.exec()
    window.close()  # (signs the officer out, when one signed in)
    ctx.close()
    if as_json:
        sys.stdout.write(json.dumps(timings, ensure_ascii=False) + "\n")
    return 0 if "lists_loaded_ms" in timings else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
