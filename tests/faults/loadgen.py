"""A steady stream of detection requests from a background thread, outcome by outcome.

Not a throughput tool (bench/load.py uses wrk for that): it keeps ``concurrency``
requests in flight against one or more replicas while a test injects a fault, and
records what each request got, so a test can say exactly which ones failed and when.

With several replicas it behaves like a round-robin load balancer: each request goes to
the next replica, and a request that got *no response at all* (connection refused, or
the connection closed before the first byte of an answer) is sent once more to the next
replica; what envoy's ``retry_on: connect-failure,reset`` or nginx's ``proxy_next_upstream
error non_idempotent`` do. Detection has no side effects, so that retry is safe. A request
that got any HTTP answer is never retried: a 5xx counts as a failure. A replica that
refused a connection is skipped for ``fail_timeout`` seconds (nginx's passive health check).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

_NO_ANSWER = (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


@dataclass(frozen=True)
class Outcome:
    start: float  # seconds since the load started
    latency: float  # seconds, retries included
    status: int | None  # None: no HTTP answer in the end
    error: str | None  # the exception type when there was no answer
    tries: int
    body: dict[str, Any] | None
    first_error: str | None = None  # why the first try got no answer (when retried)


@dataclass
class Load:
    """``concurrency`` requests kept in flight against ``urls`` until :meth:`stop`."""

    urls: Sequence[str]
    body: Callable[[int], dict[str, Any]]
    concurrency: int = 8
    timeout: float = 30.0
    headers: dict[str, str] = field(default_factory=dict)
    fail_timeout: float = 1.0
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _t0: float = 0.0
    _down_until: dict[str, float] = field(default_factory=dict)

    def start(self) -> Load:
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self._thread.start()
        return self

    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    def stop(self) -> list[Outcome]:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(self.timeout + 10)
        return sorted(self.outcomes, key=lambda o: o.start)

    async def _main(self) -> None:
        counter = iter(range(10**9))
        await asyncio.gather(*(self._worker(counter) for _ in range(self.concurrency)))

    async def _worker(self, counter: Any) -> None:
        # One client (and its keep-alive connections) per worker: a shared pool made
        # requests wait for each other on the client side under load.
        async with httpx.AsyncClient(timeout=self.timeout, headers=self.headers) as client:
            await self._requests(client, counter)

    async def _requests(self, client: httpx.AsyncClient, counter: Any) -> None:
        while not self._stop.is_set():
            n = next(counter)
            start = time.monotonic()
            payload = self.body(n)
            status = error = answer = first_error = None
            tries = 0
            for url in self._pick(n)[: 2 if len(self.urls) > 1 else 1]:
                tries += 1
                try:
                    r = await client.post(f"{url}/api/v1/detect", json=payload)
                except _NO_ANSWER as exc:
                    error = type(exc).__name__
                    first_error = first_error or error
                    if isinstance(exc, httpx.ConnectError):
                        self._down_until[url] = time.monotonic() + self.fail_timeout
                    continue
                except httpx.HTTPError as exc:  # a timeout: an answer that never came, not retried
                    error = type(exc).__name__
                    break
                status, error = r.status_code, None
                answer = r.json() if r.headers.get("content-type", "").startswith("application/json") else None
                break
            self.outcomes.append(
                Outcome(start - self._t0, time.monotonic() - start, status, error, tries, answer, first_error)
            )

    def _pick(self, n: int) -> list[str]:
        """The replicas in round-robin order from request ``n``, those marked down last."""
        order = [self.urls[(n + i) % len(self.urls)] for i in range(len(self.urls))]
        now = time.monotonic()
        return sorted(order, key=lambda u: self._down_until.get(u, 0.0) > now)


def failed(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """Requests that did not end with a 200."""
    return [o for o in outcomes if o.status != 200]


def percentile(values: Sequence[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0.0
