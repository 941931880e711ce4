"""What every use case needs: the data dir, the open database, the catalog and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.paths import DB_NAME
from app.policy.catalog import Catalog, CatalogStore
from app.policy.roles import ROLES
from app.policy.workdays import CHINA, HolidayTable, WorkCalendar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.records.changes import Change
    from app.records.db.session import Database
    from app.records.sessions import Actor
    from app.records.vault import Vault


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Context:
    data_dir: Path
    catalog_override: Catalog | None = None
    clock: Callable[[], dt.datetime] = system_clock
    _db: Database | None = field(default=None, repr=False)
    _store: CatalogStore | None = field(default=None, repr=False)
    _vault: Vault | None = field(default=None, repr=False)

    @property
    def vault(self) -> Vault:
        """The station's data key: locked until an officer's password (or a session, or the
        recovery key) opens a slot in this process."""
        if self._vault is None:
            from app.records.vault import Vault

            self._vault = Vault(self.data_dir)
        return self._vault

    @property
    def locked(self) -> bool:
        """Whether the station's data is encrypted and not unlocked in this process."""
        return self._db is None and self.vault.encrypted and not self.vault.unlocked

    @property
    def db(self) -> Database:
        """The open database; ``StationLocked`` while the data key is not unlocked."""
        if self._db is None:
            # SQLAlchemy is imported on first use: the window shows before it is needed
            from app.records.db.migrate import open_database

            key = self.vault.db_key()
            if key is not None:  # a conversion cut short (a power cut) is finished first
                from app.records import encrypting

                if encrypting.needs_finishing(self.data_dir):
                    encrypting.finish(self.data_dir, key)
            self._db = open_database(self.data_dir, key)
        return self._db

    def has_database(self) -> bool:
        """Whether this data dir holds a station database (without creating one)."""
        return self._db is not None or (self.data_dir / DB_NAME).exists()

    @property
    def catalog(self) -> Catalog:
        if self.catalog_override is not None:
            return self.catalog_override
        if self._store is None:
            self._store = CatalogStore(self.data_dir)
        return self._store.current

    def reload_catalog(self) -> None:
        """Forget the catalog in memory: the next use reads the one installed in the data dir."""
        self._store = None

    @contextmanager
    def change(
        self,
        actor: Actor | None = None,
        *,
        roles: tuple[str, ...] | None = None,
        check_clock: bool = True,
    ) -> Iterator[Change]:
        """One use case's write, acting as the signed-in ``actor`` (their session valid, their
        role one of ``roles``), by a clock not set back: rows, audit events and outbox items,
        committed together. Without an actor: the station's own set-up and signing in and out
        (which date nothing and are not refused for the clock)."""
        from app.records.changes import change

        with change(self.db, now=self.now()) as unit:
            if actor is not None:
                unit.station  # noqa: B018 - a station must be set up before anyone acts for it
                unit.act_as(actor, roles=roles or ROLES)
                if check_clock:
                    unit.check_clock()
            yield unit

    @contextmanager
    def reading(self, actor: Actor, *, roles: tuple[str, ...]) -> Iterator[Session]:
        """A read transaction for the signed-in ``actor``, whose session and role are checked
        (and the session marked used) first."""
        from app.records.changes import change

        with change(self.db, now=self.now()) as unit:
            unit.act_as(actor, roles=roles)  # (no clock check: a read dates nothing)
        with self.db.reading() as session:
            yield session

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """The station's calendar day (China Standard Time)."""
        return self.clock().astimezone(CHINA).date()

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(HolidayTable.load(self.data_dir / "holidays.json"))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def lock(self) -> None:
        """Close the database and forget the data key (signing out of the last session)."""
        self.close()
        if self._vault is not None:
            self._vault.forget()
