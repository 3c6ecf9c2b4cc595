"""429 handling against a real server limited to one request per second per client.

Every request in this module comes from 127.0.0.1, so they share one bucket: each test
first spends it with a plain request, then watches what the SDK does.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from prompt_sentinel.sdk import AsyncPromptSentinel, PromptSentinel, RateLimited, Verdict
from tests.support.procs import Server


def spend(server: Server) -> None:
    httpx.post(f"{server.url}/api/v1/detect", json={"prompt": "spend"}, timeout=10)


class Seen:
    """Statuses the client received, and the delays it asked to sleep."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.sleeps: list[float] = []

    def hook(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)

    async def ahook(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def run(kind: str, server: Server, seen: Seen, fake_sleep: bool, **options: Any) -> Any:
    if kind == "sync":
        http = httpx.Client(timeout=10, event_hooks={"response": [seen.hook]})
        with PromptSentinel(server.url, http_client=http, **options) as c:
            if fake_sleep:
                c._sleep = seen.sleep
            try:
                return c.detect("hello there")
            finally:
                http.close()

    async def go() -> Any:
        async with httpx.AsyncClient(timeout=10, event_hooks={"response": [seen.ahook]}) as http:
            c = AsyncPromptSentinel(server.url, http_client=http, **options)
            if fake_sleep:
                c._sleep = seen.asleep  # type: ignore[assignment]
            return await c.detect("hello there")

    return asyncio.run(go())


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("retries", [0, 3])
def test_rate_limited_after_retries(limited: Server, kind: str, retries: int) -> None:
    """Each retry waits the server's Retry-After (1 s here; backoff would be random and
    below 0.25 s), then RateLimited carries the last Retry-After.  The sleeps are recorded,
    not slept, so every attempt lands inside the same one-second window."""
    spend(limited)
    seen = Seen()
    with pytest.raises(RateLimited) as info:
        run(kind, limited, seen, fake_sleep=True, max_retries=retries)
    assert seen.statuses == [429] * (retries + 1)
    assert seen.sleeps == [1.0] * retries
    assert info.value.retry_after == 1.0 and info.value.code == "rate_limited"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_retry_after_longer_than_allowed(limited: Server, kind: str) -> None:
    """A Retry-After above max_retry_after is not waited for: RateLimited at once."""
    spend(limited)
    seen = Seen()
    with pytest.raises(RateLimited):
        run(kind, limited, seen, fake_sleep=True, max_retries=3, max_retry_after=0.5)
    assert seen.statuses == [429] and seen.sleeps == []


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_waits_then_succeeds(limited: Server, kind: str) -> None:
    """With real sleeping, the retry after Retry-After gets through."""
    spend(limited)
    seen = Seen()
    result = run(kind, limited, seen, fake_sleep=False, max_retries=3)
    assert result.verdict == Verdict.ALLOW
    assert seen.statuses[0] == 429 and seen.statuses[-1] == 200
