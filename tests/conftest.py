"""Shared test set-up: every test gets its own data and cache dirs, never the user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before any certdesk import: the pinyin cache goes to a throwaway dir for the whole run.
os.environ.setdefault("CERTDESK_CACHE_DIR", tempfile.mkdtemp(prefix="certdesk-cache-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the command line's session tokens (in memory on a real PC): a throwaway folder for the run
os.environ.setdefault(
    "CERTDESK_RUNTIME_DIR", tempfile.mkdtemp(prefix="certdesk-runtime-")
)  # a real Qt event loop, no screen

from support import ADMIN, CLERK, SUPERVISOR, make_station, signed_in

from app.policy.catalog import Catalog, builtin_catalog_path, load_catalog

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def jilin() -> Catalog:
    return load_catalog(builtin_catalog_path("jilin-2015"))


@pytest.fixture(scope="session")
def national() -> Catalog:
    return load_catalog(builtin_catalog_path("national-2016"))


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("CERTDESK_DATA_DIR", str(path))
    return path


# --------------------------------------------------------------------------- a set-up station


@pytest.fixture()
def station_dir(tmp_path: Path) -> Path:
    """A data dir with a station (220102001, workstation 01) set up as a station does it: the
    first administrator with the station, who adds a clerk, a supervisor and an auditor; each
    then chooses their own password (PASSWORD) at their first sign-in."""
    path = tmp_path / "station"
    make_station(path)
    return path


@pytest.fixture()
def ctx(station_dir: Path):  # type: ignore[no-untyped-def]
    from app.context import Context

    context = Context(station_dir)
    yield context
    context.close()


@pytest.fixture()
def clerk(ctx):  # type: ignore[no-untyped-def]
    """The clerk, signed in on ``ctx``."""
    return signed_in(ctx, CLERK)


@pytest.fixture()
def supervisor(ctx):  # type: ignore[no-untyped-def]
    return signed_in(ctx, SUPERVISOR)


@pytest.fixture()
def admin(ctx):  # type: ignore[no-untyped-def]
    return signed_in(ctx, ADMIN)
