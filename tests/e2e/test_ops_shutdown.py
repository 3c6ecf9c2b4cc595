"""SIGTERM with requests in flight: they all complete, new connections are refused, exit 0."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.observability.ops_support import BLOCK, json_lines
from tests.support.procs import Server

N_REQUESTS = 4
ITEMS = 50
CHUNKS = 10


def _slow_body(started: threading.Event, n: int) -> Iterator[bytes]:
    """A large batch, uploaded in pieces over about 1.5 s: the request stays in flight."""
    filler = "Please summarise the quarterly report for the board. " * 30
    body = json.dumps(
        {"items": [{"id": f"{n}-{i}", "prompt": f"{BLOCK}. {filler} {i}"} for i in range(ITEMS)]}
    ).encode()
    step = len(body) // CHUNKS + 1
    for k in range(0, len(body), step):
        if k:
            time.sleep(0.15)
        yield body[k : k + step]
        started.set()


def test_sigterm_finishes_in_flight_requests_then_exits_0() -> None:
    srv = Server(env={"GRACEFUL_SHUTDOWN_TIMEOUT": "30"}).start()
    assert srv.proc is not None
    events = [threading.Event() for _ in range(N_REQUESTS)]

    def send(n: int) -> httpx.Response:
        return httpx.post(
            f"{srv.url}/api/v1/detect/batch",
            content=_slow_body(events[n], n),
            headers={"content-type": "application/json"},
            timeout=60,
        )

    try:
        with ThreadPoolExecutor(N_REQUESTS) as pool:
            futures = [pool.submit(send, n) for n in range(N_REQUESTS)]
            assert all(ev.wait(20) for ev in events)
            time.sleep(0.3)  # every request's headers have reached the server
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            # no longer accepting: a new connection is refused while the batches finish
            with pytest.raises(httpx.TransportError):
                httpx.get(f"{srv.url}/health", timeout=5)
            responses = [f.result() for f in futures]
        assert srv.proc.wait(60) == 0
    finally:
        code = srv.stop()
    assert code == 0
    for r in responses:
        assert r.status_code == 200
        results = r.json()["results"]
        assert len(results) == ITEMS and all(x["result"]["verdict"] == "block" for x in results)
    batch_lines = [x for x in json_lines(srv.logs()) if x.get("route") == "/api/v1/detect/batch"]
    assert [x["status"] for x in batch_lines] == [200] * N_REQUESTS
