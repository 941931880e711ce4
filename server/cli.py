"""The ``certdesk-server`` command: the provincial server (FastAPI + PostgreSQL).

The server's commands (migrate, serve, station add, catalog publish, stats) arrive with the sync
issue; until then the command states its version and that it has no server commands yet.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__version__ = "0.1.0"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="certdesk-server",
        description="certdesk 省级服务器。服务器命令(migrate、serve、station add 等)尚未提供。",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"certdesk-server {__version__}",
        help="显示版本号并退出",
    )
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
