"""Engines and sessions on the station's SQLite file: encrypted by SQLCipher 4 under the data key
(``app.records.vault``), WAL, synchronous=FULL, foreign keys on and a busy timeout.

The driver is ``sqlcipher3``, the sqlite3 module built on SQLCipher (its wheel carries SQLCipher
and the OpenSSL it uses, statically linked): without a key it reads a plain SQLite file, as a
station from before encryption has until it is converted.

Reads and writes open different transactions. A reader gets a plain ``BEGIN``: in WAL mode it
reads a snapshot and never blocks anyone, so a two-second supervision query does not hold up
issuing. A writer gets ``BEGIN IMMEDIATE``: it takes the write lock when it starts (not halfway
through, where it could fail with "database is locked" after reading). Writes go through
``app.records.changes``, which records the audit events and outbox items with the rows.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.errors import CertdeskError
from app.protocol import crypto

BUSY_TIMEOUT_MS = 10_000
_WRITER = "certdesk_writer"  # an execution option: this connection's transactions write


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class WrongKey(CertdeskError):
    """The database does not open with the key given (another station's, or not a database)."""

    code = "wrong_key"
    exit_code = 1


# SQLCipher logs a wrong key to stderr itself; certdesk says it in its own words instead
QUIET = "PRAGMA cipher_log_level = NONE"


def driver() -> Any:
    from sqlcipher3 import dbapi2

    return dbapi2


def connect(path: Path | str, key: bytes | None, *, uri: bool = False) -> Any:
    """A DB-API connection to the file, opened with ``key`` (None: a plain SQLite file) and
    checked: ``WrongKey`` when the key does not open it."""
    conn = driver().connect(str(path), uri=uri, check_same_thread=False)
    conn.execute(QUIET)
    if key is not None:
        conn.execute(crypto.sqlcipher_key(key))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver().DatabaseError as exc:
        conn.close()
        raise WrongKey(
            "数据库无法用本站的密钥打开(密钥不符，或文件已损坏、不是 certdesk 数据库)"
            if key is not None
            else f"数据库无法打开：{exc}"
        ) from None
    return conn


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine on the station's file, opened with ``key`` (SQLCipher) or plain (None)."""
    engine = create_engine(
        f"sqlite:///{path}",
        module=driver(),
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        json_serializer=_dumps,  # UTF-8 as is: Chinese text takes half the room of \uXXXX
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module; the "begin" hook below opens it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(QUIET)
        if key is not None:  # first of all: SQLCipher reads nothing before the key
            cursor.execute(crypto.sqlcipher_key(key))
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

    def __init__(self, path: Path, engine: Engine, key: bytes | None = None) -> None:
        self.path = path
        self.engine = engine
        self.key = key  # (None: a plain station from before encryption)
        self._in_use = use_station(path.parent)  # held open: the conversion waits for nobody
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
        if self._in_use is not None:
            os.close(self._in_use)
            self._in_use = None


IN_USE = "certdesk.lock"  # every process with the station open holds a shared lock on it


def use_station(data_dir: Path) -> int | None:
    """A shared lock on the data dir's lock file, held while the database is open (waits while
    a conversion holds it exclusively)."""
    try:
        fd = os.open(data_dir / IN_USE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def station_to_myself(data_dir: Path) -> int | None:
    """The data dir's lock taken exclusively, if no other process (and no other open database
    in this one) has the station open; else None."""
    fd = os.open(data_dir / IN_USE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd
