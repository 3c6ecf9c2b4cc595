"""Regression: once Redis answers again, connections that sat idle in the pool through
the outage must not re-open the circuit.

Found by tests/faults (Redis killed and restarted under load): each pooled connection
left over from before the outage failed on its next use and opened the circuit again,
one recovery round (1 s) per stale connection, so shared state flapped for seconds (up
to the 30 pooled connections). Reproduced here deterministically with the case where a
stale connection cannot even be recognised: a network partition, where the old
connections get no FIN and simply never answer (a proxy that black-holes them).
"""

from __future__ import annotations

import asyncio
import contextlib

from prompt_sentinel.settings import load_settings
from prompt_sentinel.store.redis_client import RedisLink, StoreUnavailable, build_client
from tests.support.procs import Redis


class BlackHoleProxy:
    """Forwards TCP to Redis; :meth:`partition` makes every existing connection silent."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.frozen: set[asyncio.StreamWriter] = set()
        self.live: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    def partition(self) -> None:
        self.frozen |= self.live

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.live.add(writer)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    if writer in self.frozen:
                        continue  # swallowed: the peer never hears back, and gets no FIN
                    dst.write(data)
                    await dst.drain()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()
        for w in self.live:
            w.close()


async def _ping(link: RedisLink) -> bool:
    try:
        await link.run("t", lambda c: c.ping())
    except StoreUnavailable:
        return False
    return True


async def _scenario(redis: Redis) -> tuple[list[bool], bool]:
    proxy = BlackHoleProxy(redis.port)
    port = await proxy.start()
    # A socket timeout well above the set-up's blocking reads (0.05 s), so a busy CI machine
    # does not time out the set-up itself; only the partitioned connections time out.
    settings = load_settings(redis_url=f"redis://127.0.0.1:{port}/0", redis_socket_timeout=0.5)
    client, where = build_client(settings)
    link = RedisLink(client, where, recover_interval=0.05)
    await link.start()
    # Ten connections in the pool: ten blocking commands at once.
    await asyncio.gather(*(link.run("t", lambda c: c.blpop(["nothing"], timeout=0.05)) for _ in range(10)))
    proxy.partition()  # the old connections hang from now on; new ones work
    try:
        with contextlib.suppress(StoreUnavailable):
            await link.run("t", lambda c: c.ping())  # times out: the circuit opens
        for _ in range(100):
            if link.up:
                break
            await asyncio.sleep(0.05)
        assert link.up, "never recovered"
        # Twelve at once: more connections than the pool held, so every stale one is used.
        answered = list(await asyncio.gather(*(_ping(link) for _ in range(12))))
        return answered, link.up
    finally:
        await link.close()
        await proxy.close()


def test_recovered_link_stays_up() -> None:
    with Redis() as redis:
        answered, up = asyncio.run(_scenario(redis))
    assert answered == [True] * 12 and up
