"""A real PostgreSQL for the server's tests: the one on 127.0.0.1:5432 when it answers (a
throwaway database is created in it and dropped at the end), else a throwaway cluster started
here with initdb/pg_ctl in a temp dir. Never SQLite in place of the server's database."""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import LiveServer, free_port


def _answers(host: str, port: int) -> bool:
    try:
        import psycopg

        with psycopg.connect(
            host=host, port=port, user="postgres", dbname="postgres", connect_timeout=3
        ):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def _throwaway_cluster() -> Iterator[tuple[str, int]]:
    """initdb + pg_ctl in a temp dir (as the postgres user when we are root)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb") or ""]
    bindir = Path(found[-1]).parent
    if not (bindir / "initdb").exists():
        pytest.skip("no PostgreSQL answers and initdb is not installed")
    root = Path(tempfile.mkdtemp(prefix="certdesk-pg-"))
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = root / "data"
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield "127.0.0.1", port
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[tuple[str, int]]:
    if _answers("127.0.0.1", 5432):
        yield "127.0.0.1", 5432
    else:
        with _throwaway_cluster() as address:
            yield address


def _create_database(host: str, port: int) -> str:
    import psycopg

    name = f"certdesk_test_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_database(host: str, port: int, name: str) -> None:
    import psycopg

    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(pg_server: tuple[str, int]) -> Iterator[str]:
    """A fresh, migrated provincial database for one test."""
    from server.db import migrate

    host, port = pg_server
    name = _create_database(host, port)
    url = f"postgresql+psycopg://postgres@{host}:{port}/{name}"
    migrate(url)
    yield url
    _drop_database(host, port, name)


@pytest.fixture
def province_key(tmp_path: Path) -> Path:
    return tmp_path / "province" / "province-ed25519.pem"


@pytest.fixture
def live_server(database_url: str, province_key: Path) -> Iterator[LiveServer]:
    server = LiveServer(database_url, province_key).start()
    yield server
    server.stop()
