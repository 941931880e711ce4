"""Engines and sessions on the station's SQLite file: WAL, synchronous=FULL, foreign keys on and a
busy timeout.

Reads and writes open different transactions. A reader gets a plain ``BEGIN``: in WAL mode it
reads a snapshot and never blocks anyone, so a two-second supervision query does not hold up
issuing. A writer gets ``BEGIN IMMEDIATE``: it takes the write lock when it starts (not halfway
through, where it could fail with "database is locked" after reading). Writes go through
``app.records.changes``, which records the audit events and outbox items with the rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
_WRITER = "certdesk_writer"  # an execution option: this connection's transactions write


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        json_serializer=_dumps,  # UTF-8 as is: Chinese text takes half the room of \uXXXX
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module; the "begin" hook below opens it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writer = connection.get_execution_options().get(_WRITER, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions begin IMMEDIATE."""
    return engine.execution_options(**{_WRITER: True})


class Database:
    """The open station database: sessions for reading and for writing."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(writer(engine), expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read transaction (a consistent snapshot that takes no lock)."""
        with self._reads() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error. Use cases write
        through ``app.records.changes.Change``; this is its session."""
        with self._writes.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
