"""Oversized bodies are refused before they are read in full.

A raw socket sends a body far over MAX_REQUEST_BYTES, a piece at a time, and watches for
the answer after each piece: the 413 must arrive while most of the body is still unsent.
Declared (Content-Length) and undeclared (chunked) lengths, every POST route, and with
authentication on (a refused caller's body is never read either).
"""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prompt_sentinel.store.api_keys import generate_key
from tests.e2e.state_support import start_servers
from tests.support.procs import Server

LIMIT = 64 * 1024  # MAX_REQUEST_BYTES of the servers below
PIECE = 16 * 1024
ADMIN = generate_key()


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Server]]:
    open_, guarded = start_servers(
        {"MAX_REQUEST_BYTES": str(LIMIT), "LOG_LEVEL": "WARNING"},
        # the default limit (16 MiB): the refusal is the key's, not the size's
        {"LOG_LEVEL": "WARNING", "AUTHENTICATION_MODE": "required", "ADMIN_API_KEY": ADMIN},
    )
    yield {"open": open_, "guarded": guarded}
    open_.stop()
    guarded.stop()


def send_until_answered(
    port: int, path: str, total: int, chunked: bool, key: str | None, enough: int
) -> tuple[int, int]:
    """(status, body bytes sent before the answer) for a ``total``-byte JSON body.

    Once ``enough`` bytes are out, wait up to 10 s for the answer before sending more:
    a server that reads the whole body first would only answer after the rest.
    """
    head = [f"POST {path} HTTP/1.1", "Host: x", "Content-Type: application/json"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}")
    if key:
        head.append(f"X-API-Key: {key}")
    body = b'{"prompt": "' + b"a" * (total - 14) + b'"}'
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        while sent < total:
            wait = 10.0 if sent >= enough else 0.0
            if select.select([sock], [], [], wait)[0]:
                break  # the server has answered (or closed)
            piece = body[sent : sent + PIECE]
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            except OSError:  # reset: the server stopped reading
                break
            sent += len(piece)
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 "), answer[:80]
    return int(answer.split()[1]), sent


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(["/api/v1/detect", "/api/v1/detect/batch", "/api/v1/nope"]),
    times=st.integers(min_value=8, max_value=64),  # body size in multiples of the limit
    chunked=st.booleans(),
)
def test_oversized_body_refused_early(servers: dict[str, Server], path: str, times: int, chunked: bool) -> None:
    total = LIMIT * times
    # Declared: refused from the header alone. Chunked: once past the limit.
    enough = LIMIT + PIECE if chunked else 0
    status, sent = send_until_answered(servers["open"].port, path, total, chunked, None, enough)
    # An unknown path may be refused as such, also without reading the body.
    assert status == 413 or (path == "/api/v1/nope" and status == 404), (status, path, chunked)
    assert sent <= enough, f"{sent:,} of {total:,} bytes sent before the {status}"


@pytest.mark.parametrize("chunked", [False, True])
def test_unauthenticated_body_is_not_read(servers: dict[str, Server], chunked: bool) -> None:
    # 401 from the headers alone: 8 MiB, under the size limit, mostly unsent.
    total = 8 << 20
    status, sent = send_until_answered(servers["guarded"].port, "/api/v1/detect", total, chunked, None, 0)
    assert status == 401
    assert sent == 0, f"{sent:,} of {total:,} bytes sent before the 401"
