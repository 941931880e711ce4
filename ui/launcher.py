"""The ``certdesk`` entry point: the counter window for ``certdesk gui`` (and ``certdesk`` alone), the command line for
everything else. It lives in ``ui`` because only the GUI side may import Qt (ui → app)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    from app import cli

    arguments = list(sys.argv[1:] if argv is None else argv)
    args, _ = cli.build_parser().parse_known_args(arguments)
    if args.command not in ("gui", None):  # no command at all: the counter window
        return cli.main(arguments)
    return run_gui(args)


def run_gui(args: object) -> int:
    from app import paths
    from app.context import Context
    from ui.app import build_application
    from ui.main_window import MainWindow

    data_dir = Path(paths.data_dir(getattr(args, "data_dir", None)))
    app = build_application(sys.argv[:1], lang=getattr(args, "lang", "zh"))
    ctx = Context(data_dir)
    officer = None
    if not getattr(args, "selftest", False):
        from app.services.station import station_info
        from ui.setup_wizard import StationSetupWizard
        from ui.sign_in import SignInDialog

        if station_info(ctx) is None and not StationSetupWizard(ctx).exec():
            return 0
        sign_in = SignInDialog(ctx)
        if not sign_in.exec():
            return 0
        officer = sign_in.officer
    reader = None
    if getattr(args, "demo_reader", False):
        from app.services.cardreader import DEMO_CARD, SimulatedReader

        reader = SimulatedReader([DEMO_CARD] * 100)
    window = MainWindow(ctx, officer, reader)
    window.show()
    window.refresh()
    if not getattr(args, "selftest", False):
        window.sync_state.start()  # a round now, then every minute, in the background
        window.remind_deadlines()
    if getattr(args, "selftest", False):
        # open the main window on the data dir, let it load its lists, and leave
        from PySide6.QtCore import QThreadPool, QTimer

        import ui.supervision  # noqa: F401  (QtCharts is in the bundle and loads)

        QTimer.singleShot(0, lambda: QThreadPool.globalInstance().waitForDone(10_000))
        QTimer.singleShot(50, app.quit)
    code = app.exec()
    ctx.close()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
