"""Where certdesk finds its read-only resources and keeps its writable data.

The one module that knows source tree vs PyInstaller bundle (``sys._MEIPASS``). Writable files go
to ``--data-dir`` / ``CERTDESK_DATA_DIR`` or the platform's user data dir, never into the bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "CERTDESK_DATA_DIR"
DB_NAME = "certdesk.db"  # the station database, in the data dir


def resources_dir() -> Path:
    """The read-only ``resources`` package: in the bundle, or wherever it was installed (the
    source tree, an editable or a regular install, a wheel)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    import resources

    return Path(resources.__file__).resolve().parent


def catalog_dir() -> Path:
    return resources_dir() / "catalog"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The writable data dir: the explicit one, else ``CERTDESK_DATA_DIR``, else the platform's."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("certdesk", appauthor=False))


def cache_dir() -> Path | None:
    """Where derived data may be cached (``CERTDESK_CACHE_DIR`` or the platform's); None if none."""
    env = os.environ.get("CERTDESK_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("certdesk", appauthor=False))
    except Exception:  # pragma: no cover - no home directory at all
        return None
