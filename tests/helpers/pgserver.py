"""Helpers for the server tests: a free loopback port, the app under uvicorn in a thread."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The real app under uvicorn on a loopback port, in a thread of the test process."""

    def __init__(
        self, database_url: str, province_key: Path, *, public: bool = False, **settings: object
    ) -> None:
        import uvicorn

        from server.api import create_app
        from server.settings import Settings

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if public:  # the server is its own public verification site
            settings["public_url"] = self.url
        self.app = create_app(
            Settings(database_url=database_url, province_key=province_key, **settings)
        )
        config = uvicorn.Config(  # as `certdesk-server serve` runs it: no proxy headers of its own
            self.app, host="127.0.0.1", port=self.port, log_level="warning", proxy_headers=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.engine.dispose()


def server_cli(
    database_url: str, province_key: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CERTDESK_PROVINCE_KEY": str(province_key)}
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "certdesk-server"),
            *args,
            "--database-url",
            database_url,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        input=stdin,
    )


def enrol_code(
    database_url: str,
    province_key: Path,
    code: str,
    name: str = "测试派出所",
    workstation: str | None = None,
) -> str:
    bound = ["--workstation", workstation] if workstation else []
    added = server_cli(
        database_url,
        province_key,
        "station",
        "add",
        "--code",
        code,
        "--name",
        name,
        "--json",
        *bound,
    )
    assert added.returncode == 0, added.stderr
    return str(json.loads(added.stdout)["enrol_code"])


def new_enrol_code(database_url: str, server_url: str, code: str, name: str = "测试派出所") -> str:
    """A one-time code for ``code``, carrying the fingerprint of the live server's province key
    (as `certdesk-server station add` prints it)."""
    import httpx

    from server import service
    from server.db import make_engine, sessions

    key = httpx.get(f"{server_url}/api/v2/health").json()["province_public_key"]
    engine = make_engine(database_url, pool_size=1)
    try:
        with sessions(engine)() as session, session.begin():
            return service.add_station(session, code=code, name=name, province_key=key)
    finally:
        engine.dispose()


def feed_row(
    database_url: str, type_: str, body: dict[str, Any], *, signed_with: Path | None = None
) -> int:
    """Put an entry into the province's feed by hand. Unsigned, it stands for a row written by
    someone without the province key; ``signed_with`` the key file, for an entry the province
    itself wrote (as an older release or a bug might have)."""
    import psycopg

    from app.protocol.models import feed_bytes
    from server.keys import ensure_key

    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        row = conn.execute(
            "INSERT INTO feed (type, body) VALUES (%s, %s) RETURNING id", (type_, json.dumps(body))
        ).fetchone()
        assert row is not None
        if signed_with is not None:
            key = ensure_key(signed_with)
            signature = key.sign(feed_bytes(row[0], {**body, "type": type_})).hex()
            conn.execute("UPDATE feed SET signature = %s WHERE id = %s", (signature, row[0]))
    return int(row[0])
