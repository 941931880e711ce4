"""The policy catalog: a YAML file, validated on load (see catalog_load), with its indexes.

A bad file is refused with the file, the line and the reason (in Chinese); ``CatalogStore`` keeps
the last good catalog when a replacement is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.errors import CatalogError
from app.policy import loading as catalog_load
from app.policy.loading import BASE_SECTORS
from app.policy.model import (
    OUTCOMES,
    PURPOSES,
    CatalogFile,
    Commitment,
    Confidence,
    ForOthers,
    Handling,
    Kind,
    Meta,
    Outcome,
    Purpose,
    ReasonClass,
    Rules,
)
from app.policy.textkeys import lookup_keys

if TYPE_CHECKING:
    from app.policy.lookup import KindIndex

__all__ = [
    "BASE_SECTORS",
    "OUTCOMES",
    "PURPOSES",
    "CatalogFile",
    "Commitment",
    "Confidence",
    "ForOthers",
    "Handling",
    "Kind",
    "Meta",
    "Outcome",
    "Purpose",
    "ReasonClass",
    "Rules",
]

PURPOSE_NAMES: dict[str, str] = {
    "in_province": "省内使用",
    "out_of_province": "省外使用",
    "abroad": "出国(境)使用",
}
OUTCOME_NAMES: dict[str, str] = {
    "abolished": "已取消，不予出具",
    "exchange": "部门间信息交换",
    "issue": "派出所出具",
}
CONFIDENCE_NAMES: dict[str, str] = {"confirmed": "已证实", "seed": "见于发布词", "inferred": "推断"}
DEFAULT_CATALOG = "jilin-2015"


class Catalog:
    """A validated catalog with its indexes. Immutable once built."""

    def __init__(self, data: CatalogFile, *, path: Path, digest: str) -> None:
        self.data = data
        self.path = path
        self.digest = digest
        self.kinds: dict[str, Kind] = {k.id: k for k in data.kinds}
        # normalized key -> kind id (checked unique on load): ``keys`` decide a kind (ids,
        # names, confirmed or seed aliases); ``soft_keys`` (inferred or unsourced aliases) only
        # propose one, with the alias as it is written
        self.keys: dict[str, str] = {}
        self.soft_keys: dict[str, tuple[str, str]] = {}
        for kind in data.kinds:
            for text in (kind.id, kind.name):
                for key in lookup_keys(text):
                    self.keys.setdefault(key, kind.id)
            for group in kind.alias_groups:
                for text in group.texts:
                    for key in lookup_keys(text):
                        if group.decisive:
                            self.keys.setdefault(key, kind.id)
                        else:
                            self.soft_keys.setdefault(key, (kind.id, text))

    @property
    def id(self) -> str:
        return self.data.catalog.id

    @property
    def version(self) -> str:
        return self.data.catalog.version

    @property
    def meta(self) -> Meta:
        return self.data.catalog

    @property
    def rules(self) -> Rules:
        return self.data.rules

    @property
    def sectors(self) -> dict[str, str]:
        return self.data.sectors

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.data.kinds)

    def kind(self, kind_id: str) -> Kind:
        return self.kinds[kind_id]

    def listed_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.data.groups, 0)
        for kind in self.data.kinds:
            counts[kind.group] += 1
        return counts

    def open_counts(self) -> dict[str, int]:
        """Declared minus listed, per group: kinds the sources leave unidentified."""
        listed = self.listed_counts()
        return {
            group: declared - listed.get(group, 0)
            for group, declared in self.meta.declared_counts.items()
            if declared - listed.get(group, 0) > 0
        }

    @cached_property
    def lookup(self) -> KindIndex:
        from app.policy.lookup import KindIndex

        return KindIndex(self)


# --------------------------------------------------------------------------- loading


def builtin_catalog_path(name: str = DEFAULT_CATALOG) -> Path:
    return paths.catalog_dir() / f"{name}.yaml"


def builtin_catalog_names() -> list[str]:
    return sorted(p.stem for p in paths.catalog_dir().glob("*.yaml"))


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a catalog file; raise ``CatalogError`` naming file, line and reason."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(str(path), [(None, f"无法读取文件：{exc.strerror or exc}")]) from exc
    return parse_catalog(raw, file=str(path), path=path)


def parse_catalog(raw: bytes, *, file: str, path: Path | None = None) -> Catalog:
    data, digest = catalog_load.parse(raw, file=file)
    return Catalog(data, path=path or Path(file), digest=digest)


# --------------------------------------------------------------------------- the active catalog


class CatalogStore:
    """The catalog in use, which survives a refused replacement.

    The active catalog is the data dir's ``catalog/active.yaml`` when one was installed with
    ``certdesk catalog use``, else the built-in default. A replacement is validated first; a bad
    one raises ``CatalogError`` and changes nothing.
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self._current: Catalog | None = None

    @property
    def installed_path(self) -> Path | None:
        return self.data_dir / "catalog" / "active.yaml" if self.data_dir else None

    @property
    def current(self) -> Catalog:
        if self._current is None:
            installed = self.installed_path
            if installed is not None and installed.exists():
                self._current = load_catalog(installed)
            else:
                self._current = load_catalog(builtin_catalog_path())
        return self._current

    def replace(self, path: Path) -> Catalog:
        """Validate ``path`` and make it the active catalog (and the installed one, if any)."""
        new = load_catalog(path)  # raises; the current catalog stays
        installed = self.installed_path
        if installed is not None:
            installed.parent.mkdir(parents=True, exist_ok=True)
            tmp = installed.with_suffix(".tmp")
            tmp.write_bytes(Path(path).read_bytes())
            tmp.replace(installed)
            new = Catalog(new.data, path=installed, digest=new.digest)
        self._current = new
        return new

    def reset(self) -> Catalog:
        """Go back to the built-in default catalog."""
        installed = self.installed_path
        if installed is not None and installed.exists():
            installed.unlink()
        self._current = load_catalog(builtin_catalog_path())
        return self._current
