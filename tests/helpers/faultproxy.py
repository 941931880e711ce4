"""A fault-injecting TCP proxy on loopback, between a station and the provincial server.

Each request is given one behaviour, at random (seeded): pass, delay its chunks, drop (close
before forwarding it), cut the response mid-way (the server has acted, the station never hears),
or duplicate (the request is also sent to the server a second time, that answer thrown away)."""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Faults:
    drop: float = 0.1
    cut: float = 0.1
    duplicate: float = 0.1
    delay: float = 0.2
    max_delay_s: float = 0.05
    seed: int = 7
    seen: Counter[str] = field(default_factory=Counter)


class FaultProxy:
    def __init__(self, upstream_port: int, faults: Faults | None = None) -> None:
        self.upstream_port = upstream_port
        self.faults = faults or Faults()
        self.random = random.Random(self.faults.seed)
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.enabled = True
        self._tasks: set[asyncio.Future[None]] = set()
        self._started = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self.thread.start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._started.set()
        self.loop.run_forever()
        server.close()

    def _choose(self) -> str:
        if not self.enabled:
            return "pass"
        f, roll = self.faults, self.random.random()
        for name, p in (
            ("drop", f.drop),
            ("cut", f.cut),
            ("duplicate", f.duplicate),
            ("delay", f.delay),
        ):
            if roll < p:
                return name
            roll -= p
        return "pass"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Faults are chosen per request (each chunk from the station that starts one), so a
        kept-alive connection meets them too."""
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        state = {"mode": "pass"}
        shadows: list[asyncio.StreamWriter] = []

        def close_all() -> None:
            for w in (writer, up_writer, *shadows):
                w.close()

        async def upstream() -> None:
            while data := await reader.read(65536):
                if data[:4] in (b"POST", b"GET ", b"PUT ", b"HEAD"):
                    state["mode"] = mode = self._choose()
                    self.faults.seen[mode] += 1
                    if mode == "drop":
                        close_all()
                        return
                    if mode == "duplicate":
                        try:
                            shadow_reader, shadow = await asyncio.open_connection(
                                "127.0.0.1", self.upstream_port
                            )
                        except OSError:
                            pass
                        else:
                            shadows.append(shadow)
                            self._tasks.add(asyncio.ensure_future(self._drain(shadow_reader)))
                if state["mode"] == "delay":
                    await asyncio.sleep(self.random.uniform(0, self.faults.max_delay_s))
                up_writer.write(data)
                if state["mode"] == "duplicate" and shadows:
                    shadows[-1].write(data)
                await up_writer.drain()
            up_writer.close()

        async def downstream() -> None:
            while data := await up_reader.read(65536):
                if state["mode"] == "cut":
                    writer.write(data[: max(1, len(data) // 2)])
                    await writer.drain()
                    close_all()
                    return
                if state["mode"] == "delay":
                    await asyncio.sleep(self.random.uniform(0, self.faults.max_delay_s))
                writer.write(data)
                await writer.drain()
            writer.close()

        try:
            await asyncio.gather(upstream(), downstream())
        except (ConnectionError, OSError):
            pass
        finally:
            close_all()

    @staticmethod
    async def _drain(reader: asyncio.StreamReader) -> None:
        try:
            while await reader.read(65536):
                pass
        except (ConnectionError, OSError):
            pass
