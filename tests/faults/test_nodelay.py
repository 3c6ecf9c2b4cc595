"""Regression: with WORKERS > 1 every answer waited ~40 ms (Nagle + delayed ACK).

Found by bench/load.py: one connection got 23 answers/s from two workers against 990 from
one. The shared listening socket had protocol 0, so asyncio skipped TCP_NODELAY on the
connections it accepted. Checked here on the socket itself, with no timing.
"""

from __future__ import annotations

import asyncio
import socket

import uvicorn

from prompt_sentinel.server import listening_socket


async def _accepted_nodelay(sock: socket.socket) -> int:
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            conn = transport.get_extra_info("socket")
            seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
    port = sock.getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await asyncio.wait_for(seen, 10)
    finally:
        writer.close()
        server.close()


def test_worker_connections_have_tcp_nodelay() -> None:
    sock = listening_socket(uvicorn.Config("x:app", host="127.0.0.1", port=0))
    assert sock.proto == socket.IPPROTO_TCP
    assert asyncio.run(_accepted_nodelay(sock)) != 0


def test_uvicorn_socket_alone_would_not() -> None:
    # What the test guards against: the socket uvicorn makes loses TCP_NODELAY.
    sock = uvicorn.Config("x:app", host="127.0.0.1", port=0).bind_socket()
    assert asyncio.run(_accepted_nodelay(sock)) == 0
