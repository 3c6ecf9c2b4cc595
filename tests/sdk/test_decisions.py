"""The retry / fail-mode rules for answers a healthy real server never gives (500, a
proxy's 502 page, a malformed 200), on httpx's MockTransport."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from prompt_sentinel.sdk import (
    FailOpenResult,
    PromptSentinel,
    ProtocolError,
    ServerError,
    ServiceUnavailable,
)
from prompt_sentinel.sdk._base import retry_after

ERROR = {"error": "internal_error", "message": "internal error", "details": [], "request_id": "r"}


def client(
    handler: Callable[[httpx.Request], httpx.Response], **options: object
) -> tuple[PromptSentinel, list[str], list[float]]:
    sent: list[str] = []
    sleeps: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        return handler(request)

    http = httpx.Client(transport=httpx.MockTransport(record))
    c = PromptSentinel("http://ps.test", http_client=http, **options)  # type: ignore[arg-type]
    c._sleep = sleeps.append  # type: ignore[assignment]
    return c, sent, sleeps


@pytest.mark.parametrize(
    ("status", "body", "fail_mode", "outcome", "attempts"),
    [
        (503, ERROR, "closed", ServiceUnavailable, 3),  # retried, then unavailable
        (503, ERROR, "open", FailOpenResult, 3),  # retried, then the marked allow
        (502, b"<html>bad gateway</html>", "open", FailOpenResult, 3),  # a proxy's page
        (504, b"", "closed", ServiceUnavailable, 3),
        (500, ERROR, "open", ServerError, 1),  # input-triggerable: never retried, never open
        (501, ERROR, "open", ServerError, 1),
        (200, {"verdict": "allow"}, "open", ProtocolError, 1),  # not a DetectResponse
        (200, b"not json", "open", ProtocolError, 1),
    ],
)
def test_detect_outcomes(status: int, body: object, fail_mode: str, outcome: type, attempts: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    c, sent, sleeps = client(handler, fail_mode=fail_mode, max_retries=2)
    if issubclass(outcome, Exception):
        with pytest.raises(outcome):
            c.detect("hello")
    else:
        assert isinstance(c.detect("hello"), outcome)
    assert len(sent) == attempts and len(sleeps) == attempts - 1


def test_not_idempotent_is_not_retried_after_sending() -> None:
    """create_key may have created the key when a 503 comes back: no second POST."""
    c, sent, _ = client(lambda r: httpx.Response(503, json=ERROR), max_retries=3)
    with pytest.raises(ServiceUnavailable):
        c.create_key("x")
    assert sent == ["POST"]


def test_connect_errors_are_retried_for_every_call() -> None:
    """Nothing reached the server, so even create_key is safe to retry."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    c, sent, sleeps = client(refuse, max_retries=2, backoff_factor=0.5, max_backoff=8.0)
    with pytest.raises(ServiceUnavailable):
        c.create_key("x")
    assert sent == ["POST"] * 3
    assert 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0  # full jitter under the cap


def test_503_retry_after_is_honoured() -> None:
    answers = iter(
        [
            httpx.Response(503, json=ERROR, headers={"Retry-After": "2"}),
            httpx.Response(200, json={"status": "ok", "version": "1", "checks": {}}),
        ]
    )
    c, _, sleeps = client(lambda r: next(answers))
    assert c.health().status == "ok"
    assert sleeps == [2.0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),  # delta-seconds
        ("0.5", 0.5),
        ("-4", 0.0),  # never negative
        ("Thu, 01 Jan 1970 00:01:40 GMT", 40.0),  # an HTTP date, 40 s after "now" (60 s)
        ("soon", None),  # garbage
        (None, None),  # absent
    ],
)
def test_retry_after_parsing(value: str | None, expected: float | None) -> None:
    headers = httpx.Headers({"Retry-After": value} if value is not None else {})
    assert retry_after(headers, now=60.0) == expected


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        # the server's own "not ready" answer is a result
        ({"status": "unavailable", "version": "1", "checks": {"redis": {"status": "unavailable"}}}, "unavailable"),
        (ERROR, ServiceUnavailable),  # a 503 with an error body (a proxy, overload)
    ],
)
def test_ready_503(body: object, outcome: object) -> None:
    c, sent, _ = client(lambda r: httpx.Response(503, json=body), max_retries=1)
    if outcome == "unavailable":
        assert c.ready().status == "unavailable" and len(sent) == 1
    else:
        with pytest.raises(ServiceUnavailable):
            c.ready()
        assert len(sent) == 2
