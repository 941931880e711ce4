"""Dependencies point one way: app/ never imports Qt or the GUI; ui/ holds no policy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _imports(package: str) -> set[str]:
    found: set[str] = set()
    for path in (REPO / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_app_never_imports_qt_or_ui() -> None:
    imports = _imports("app")
    assert not imports & {"PySide6", "shiboken6", "ui", "server"}


def test_forms_never_imports_qt_ui_or_server() -> None:
    assert not _imports("forms") & {"PySide6", "ui", "server"}


def test_importing_the_whole_app_layer_loads_no_qt() -> None:
    modules = sorted(p.stem for p in (REPO / "app").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import app.{m}\n" for m in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')]\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
