"""The station's HTTP client for the province: transient failures are retried with back-off, a
``Retry-After`` from the province is honoured, a refusal is not retried, and an answer that is
not the protocol's shape counts as cut short."""

from __future__ import annotations

import httpx
import pytest

from app.protocol.models import VerifyAnswer
from app.sync import transport as net

SERIAL = "220102001-01-2026-000001-H"


def _client(answers: list[httpx.Response]) -> httpx.Client:
    calls = iter(answers)
    return net.client("https://province.test", httpx.MockTransport(lambda _request: next(calls)))


def _verify(http: httpx.Client, waits: list[float], attempts: int = 5) -> VerifyAnswer:
    return net.retrying(
        lambda: net.call(http, "GET", f"/api/v2/verify/{SERIAL}", VerifyAnswer),
        attempts=attempts,
        sleep=waits.append,
    )


def test_retry_after_is_honoured_then_jittered_back_off() -> None:
    ok = httpx.Response(200, json={"serial": SERIAL, "status": "valid"})
    busy = httpx.Response(429, headers={"Retry-After": "3"}, json={"error": "rate_limited"})
    down = httpx.Response(503, json={"error": "unavailable"})
    waits: list[float] = []
    with _client([busy, down, ok]) as http:
        assert _verify(http, waits).status == "valid"
    assert waits[0] == 3.0  # the province said how long
    assert 0 <= waits[1] <= 0.4  # then exponential back-off with full jitter (0.2 × 2¹)


def test_a_long_retry_after_is_capped_and_a_refusal_is_not_retried() -> None:
    waits: list[float] = []
    busy = httpx.Response(503, headers={"Retry-After": "86400"})
    ok = httpx.Response(200, json={"serial": SERIAL, "status": "void"})
    with _client([busy, ok]) as http:
        assert _verify(http, waits).status == "void"
    assert waits == [net.RETRY_AFTER_CAP_S]
    refused = httpx.Response(403, json={"error": "station", "message": "不属于本站"})
    with _client([refused]) as http, pytest.raises(net.Refused) as caught:
        _verify(http, waits)
    assert "不属于本站" in caught.value.message and waits == [net.RETRY_AFTER_CAP_S]


def test_an_answer_cut_short_is_transient_and_given_up_after_the_attempts() -> None:
    cut = httpx.Response(200, content=b'{"serial": "2201')
    wrong = httpx.Response(200, json={"serial": SERIAL, "status": "maybe"})
    waits: list[float] = []
    with _client([cut, wrong]) as http, pytest.raises(net.Transient):
        _verify(http, waits, attempts=2)
    assert len(waits) == 1


def test_a_retry_after_that_is_not_a_number_means_the_usual_back_off() -> None:
    ok = httpx.Response(200, json={"serial": SERIAL, "status": "valid"})
    odd = [
        httpx.Response(503, headers={"Retry-After": value}) for value in ("nan", "inf", "-5", "x")
    ]
    waits: list[float] = []
    with _client([*odd, ok]) as http:
        assert _verify(http, waits).status == "valid"
    assert len(waits) == 4 and all(0 <= w <= 5 for w in waits)
    assert waits[2] == 0.0  # a negative wait is no wait


@pytest.mark.parametrize(
    ("server", "allowed"),
    [
        ("https://province.example.cn", True),
        ("http://127.0.0.1:8700", True),
        ("http://localhost:8700", True),
        ("http://[::1]:8700", True),
        ("http://province.example.cn", False),
        ("http://10.0.0.5:8700", False),
        ("ftp://province.example.cn", False),
        ("province.example.cn", False),
    ],
)
def test_the_province_is_reached_by_https_only_except_on_this_machine(
    server: str, allowed: bool
) -> None:
    from app.errors import InvalidInput

    if allowed:
        assert net.check_address(server) == server
    else:
        with pytest.raises(InvalidInput) as caught:
            net.check_address(server)
        assert caught.value.field == "server" and "https://" in caught.value.message
