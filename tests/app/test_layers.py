"""The layering, checked at run time as well as statically (import-linter's contracts run in
``make test``): importing every module of ``app`` loads no Qt and no server stack, and the
command a clerk runs most, ``certdesk decide``, starts without the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _modules(package: str) -> list[str]:
    names = []
    for path in sorted((REPO / package).rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if "migrations" in parts:
            continue  # Alembic loads these itself
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _loaded_after(code: str) -> set[str]:
    """Top-level modules loaded after running ``code`` in a fresh interpreter."""
    script = (
        code
        + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_whole_app_layer_loads_no_qt_and_no_server() -> None:
    loaded = _loaded_after("".join(f"import {m}\n" for m in _modules("app")))
    assert not loaded & {"PySide6", "shiboken6", "ui", "server", "fastapi", "uvicorn", "psycopg"}


def test_forms_alone_loads_no_app() -> None:
    loaded = _loaded_after("".join(f"import {m}\n" for m in _modules("forms")))
    assert not loaded & {"app", "ui", "server", "PySide6", "sqlalchemy"}


def test_certdesk_decide_starts_without_the_heavy_libraries(tmp_path: Path) -> None:
    """The decision alone: no database, YAML, pydantic, PDF or Qt (the catalog comes from the
    validated cache once it is warm)."""
    run = (
        "import os, contextlib, io\n"
        f"os.environ['CERTDESK_CACHE_DIR'] = {str(tmp_path)!r}\n"
        f"os.environ['CERTDESK_DATA_DIR'] = {str(tmp_path / 'data')!r}\n"
        "from ui.launcher import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['decide', '--kind', 'qsgx', '--requester', 'bank',"
        " '--purpose', 'in_province', '--json'])\n"
        "assert code == 0\n"
    )
    _loaded_after(run)  # the first run validates the catalog and warms the cache
    loaded = _loaded_after(run)
    heavy = {"sqlalchemy", "yaml", "pydantic", "pydantic_core", "reportlab", "PySide6", "alembic"}
    assert "app" in loaded and not loaded & heavy, loaded & heavy
    assert not (tmp_path / "data").exists()  # and it opened no data dir


# What the province's server may use of app (and what those use in turn); anything else in app
# must be in the contract's forbidden list, so that a new package is placed on purpose.
SERVER_MAY_USE = {"app.protocol", "app.policy", "app.errors", "app.commandline", "app.paths"}


def test_the_server_contract_names_every_other_part_of_app() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c.get("source_modules") == ["server"]
    ]
    parts = {
        f"app.{p.stem if p.suffix else p.name}"
        for p in (REPO / "app").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    forbidden = {m for m in contract["forbidden_modules"] if m.startswith("app.")}
    assert parts - SERVER_MAY_USE == forbidden, (parts - SERVER_MAY_USE) ^ forbidden
