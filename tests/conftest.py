"""Shared test set-up: every test gets its own data and cache dirs, never the user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before any certdesk import: the pinyin cache goes to a throwaway dir for the whole run.
os.environ.setdefault("CERTDESK_CACHE_DIR", tempfile.mkdtemp(prefix="certdesk-cache-"))

from app.catalog import Catalog, builtin_catalog_path, load_catalog

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
