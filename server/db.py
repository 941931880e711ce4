"""Engine, sessions and migrations of the provincial database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs too; the driver is psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def plain_url(url: str) -> str:
    """The URL as libpq takes it (psycopg's own pool)."""
    url = normalise_url(url)
    return "postgresql://" + url.split("://", 1)[1]


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    return create_engine(
        normalise_url(url),
        pool_size=pool_size,
        max_overflow=20,
        pool_pre_ping=True,
        # a hung database must not hold a request (or a worker) for long
        connect_args={"connect_timeout": 5, "options": "-c statement_timeout=15000"},
    )


def sessions(engine: Engine, feed_key: Any = None) -> sessionmaker[Session]:
    """Sessions; with ``feed_key`` (the province's private key) they can write feed entries,
    which are signed as they commit (server.feed)."""
    from server import feed

    return sessionmaker(engine, expire_on_commit=False, info={feed.KEY: feed_key})


def migrate(url: str) -> str:
    """Bring the database to the newest schema; returns the revision."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    command.upgrade(config, "head")
    head = ScriptDirectory.from_config(config).get_current_head()
    return head or ""
