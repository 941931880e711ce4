"""The catalog a station decides by: installed from a file or put back to the built-in default
(administrators; recorded in the audit trail). A file is validated first; a bad one changes
nothing."""

from __future__ import annotations

from pathlib import Path

from app.context import Context
from app.policy.catalog import Catalog, CatalogStore
from app.policy.roles import ADMINISTRATION
from app.records.sessions import Actor


def install(ctx: Context, *, actor: Actor, path: Path | None) -> Catalog:
    """Validate ``path`` and make it the station's catalog (None: the built-in default)."""
    with ctx.change(actor, roles=ADMINISTRATION) as change:
        store = CatalogStore(ctx.data_dir)
        catalog = store.replace(path) if path is not None else store.reset()
        change.update(
            change.station,
            action="station.catalog",
            note={"catalog": catalog.id, "version": catalog.version, "sha256": catalog.digest},
        )
    ctx.reload_catalog()
    return catalog
