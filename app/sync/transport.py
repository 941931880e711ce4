"""The station's HTTP client for the province: timeouts, a transport tests can replace, and
retries of transient failures (connection errors, 5xx, 429, an answer cut short) with exponential
back-off and full jitter — or, when the province says how long to wait (``Retry-After``), that
long."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from app.errors import CertdeskError

TIMEOUT_S = 15.0
RETRY_AFTER_CAP_S = 60.0
Sleep = Callable[[float], None]


class SyncUnavailable(CertdeskError):
    """The province could not be reached (or kept failing); nothing is lost, rows wait."""

    code = "offline"
    exit_code = 4

    def __init__(self, message: str, pending: int = 0) -> None:
        super().__init__(message)
        self.pending = pending


class NotEnrolled(CertdeskError):
    code = "not_enrolled"
    exit_code = 2

    def __init__(self, message: str = "本站尚未登记到省级服务器") -> None:
        super().__init__(message, field="server")


class Refused(CertdeskError):
    """The province answered, and refused (a 4xx): retrying the same request will not help."""

    code = "province_refused"


class Transient(Exception):
    """A failure worth retrying; ``wait`` is what the province asked for, if it did."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


def check_address(server: str) -> str:
    """The province's address: ``https://`` (the token and every record go over it), or plain
    ``http://`` on this machine only (a test server, a local proxy)."""
    import ipaddress
    from urllib.parse import urlsplit

    from app.errors import InvalidInput

    parts = urlsplit(server.strip())
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return server.strip()
    if parts.scheme == "http":
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return server.strip()
    raise InvalidInput(
        f"省级服务器地址“{server}”须以 https:// 开头(仅本机地址 127.0.0.1、localhost 可用 http://)",
        field="server",
    )


def client(server: str, transport: Any = None, token: str | None = None) -> Any:
    import httpx

    server = check_address(server)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(
        base_url=server.rstrip("/"), timeout=TIMEOUT_S, transport=transport, headers=headers
    )


def message(response: Any) -> str:
    """The province's own words for a refusal (``Problem.message``), else the status."""
    try:
        return str(response.json().get("message") or response.text[:200])
    except (ValueError, AttributeError):
        return f"HTTP {response.status_code}"


def _retry_after(response: Any) -> float | None:
    """Seconds the province asks us to wait, kept between 0 and the cap; None for anything else
    (an HTTP date, nan, inf, garbage): then back off as usual."""
    value = response.headers.get("Retry-After")
    try:
        seconds = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_S) if math.isfinite(seconds) else None


def call[Answer: BaseModel](
    client: Any, method: str, url: str, answer: type[Answer], **kwargs: Any
) -> Answer:
    """One request; the answer validated as ``answer``. Raises ``Transient`` or ``Refused``."""
    import httpx

    try:
        response = client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise Transient(f"{type(error).__name__}: {error}") from error
    if response.status_code == 429 or response.status_code >= 500:
        raise Transient(f"HTTP {response.status_code}", _retry_after(response))
    if response.status_code != 200:
        raise Refused(f"省级服务器拒绝：{message(response)}(HTTP {response.status_code})")
    try:
        return answer.model_validate_json(response.content)
    except ValidationError as error:  # cut short on the way, or not the protocol's shape
        raise Transient(f"应答不完整或格式不对：{error.error_count()} 处") from error


def retrying[Answer: BaseModel](
    action: Callable[[], Answer],
    *,
    attempts: int,
    sleep: Sleep = time.sleep,
    base: float = 0.2,
    cap: float = 5.0,
) -> Answer:
    """Run ``action``; on a transient failure wait and retry, at most ``attempts`` times."""
    for attempt in range(attempts):
        try:
            return action()
        except Transient as error:
            if attempt == attempts - 1:
                raise
            jitter = random.uniform(0, min(cap, base * 2**attempt))
            sleep(error.wait if error.wait is not None else jitter)
    raise AssertionError("unreachable")
