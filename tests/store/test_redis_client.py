"""The Redis link: configuration parsing, circuit breaker, readiness probe, reconnection."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest

from prompt_sentinel.observability.metrics import REDIS_ERRORS, REDIS_UP
from prompt_sentinel.settings import ConfigError, load_settings
from prompt_sentinel.store import connect
from prompt_sentinel.store.redis_client import (
    RedisLink,
    StoreUnavailable,
    build_client,
    cluster_nodes,
)
from tests.store.conftest import arun
from tests.support.procs import Redis, free_port


@pytest.mark.parametrize(
    ("seeds", "nodes", "opts"),
    [
        ("redis-cluster:6379", [("redis-cluster", 6379)], {}),  # the guide's compose file
        ("a:7000, b:7001,", [("a", 7000), ("b", 7001)], {}),  # spaces and a trailing comma
        (
            "redis://:pw@a:7000,b:7001",
            [("a", 7000), ("b", 7001)],
            {"password": "pw"},
        ),  # password in a URL seed
        (
            "rediss://u:pw@a:7000",
            [("a", 7000)],
            {"password": "pw", "username": "u", "ssl": True},
        ),  # TLS
        ("a", [("a", 6379)], {}),  # default port
    ],
)
def test_cluster_seeds(seeds: str, nodes: list[tuple[str, int]], opts: dict[str, object]) -> None:
    got, got_opts = cluster_nodes(seeds)
    assert [(n.host, n.port) for n in got] == nodes and got_opts == opts


@pytest.mark.parametrize(
    "seeds",
    [
        ",",  # nothing
        "http://a:1",  # wrong scheme
        "redis://:hunter2@a:99999",  # bad port; the password must not leak
    ],
)
def test_bad_cluster_seeds_fail_loudly(seeds: str) -> None:
    with pytest.raises(ConfigError, match="REDIS_CLUSTER") as info:
        cluster_nodes(seeds)
    assert "hunter2" not in str(info.value)


def test_the_description_never_carries_the_password() -> None:
    _, where = build_client(load_settings(redis_url="redis://:hunter2@db.internal:6380/0"))
    assert where == "db.internal:6380"


def test_bad_redis_url_scheme() -> None:
    with pytest.raises(ConfigError, match="REDIS_URL"):
        build_client(load_settings(redis_url="http://db:6379"))


def _link(port: int) -> RedisLink:
    link = connect(load_settings(redis_url=f"redis://127.0.0.1:{port}/0"))
    assert link is not None
    link.recover_interval = 0.1
    return link


def test_dead_redis_opens_the_circuit_and_recovers_by_itself() -> None:
    port = free_port()
    errors_before = REDIS_ERRORS.labels("ping")._value.get()

    async def scenario() -> list[object]:
        link = _link(port)
        seen: list[object] = []
        try:
            await link.start()  # nothing listens: starts degraded, not dead
            seen.append(link.up)
            seen.append((await link.probe())["status"])
            with pytest.raises(StoreUnavailable):
                await link.run("get", lambda c: c.get("x"))
            srv = Redis(port=port).start()
            try:
                for _ in range(100):  # the recovery task reconnects without any request
                    if link.up:
                        break
                    await asyncio.sleep(0.05)
                seen.append(link.up)
                seen.append((await link.probe())["status"])
                seen.append(REDIS_UP._value.get())
                seen.append(await link.run("set", lambda c: c.set("x", "1")))
            finally:
                srv.stop()
        finally:
            await link.close()
        return seen

    assert arun(scenario()) == [False, "degraded", True, "ok", 1.0, True]
    assert REDIS_ERRORS.labels("ping")._value.get() == errors_before + 1


def test_a_silent_redis_times_out_instead_of_stalling() -> None:
    # A socket that accepts connections (kernel backlog) but never answers: a black hole.
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(16)
    port = hole.getsockname()[1]

    async def scenario() -> str:
        link = _link(port)
        try:
            await link.run("get", lambda c: c.get("x"))
        except StoreUnavailable as exc:
            return str(exc)
        finally:
            await link.close()
        return "answered"

    try:
        assert "Timeout" in arun(scenario())
    finally:
        hole.close()


def test_while_open_the_circuit_skips_redis() -> None:
    async def scenario() -> int:
        link = _link(free_port())
        calls = 0

        async def op(c: object) -> None:
            nonlocal calls
            calls += 1
            raise ConnectionError("refused")

        try:
            for _ in range(5):
                with pytest.raises(StoreUnavailable):
                    await link.run("get", op)
        finally:
            await link.close()
        return calls

    assert arun(scenario()) == 1


@pytest.fixture(scope="module")
def locked_redis() -> Iterator[Redis]:
    srv = Redis(args=("--requirepass", "s3cret-pw")).start()
    yield srv
    srv.stop()


@pytest.mark.parametrize(
    ("url_password", "redis_password", "status"),
    [
        ("s3cret-pw", None, "ok"),  # the password in REDIS_URL
        (None, "s3cret-pw", "ok"),  # REDIS_PASSWORD (or its secret file) fills in
        ("wrong", None, "degraded"),  # refused: degraded, and the reason never shows the password
        (None, None, "degraded"),  # no password at all
    ],
)
def test_password_protected_redis(
    locked_redis: Redis, url_password: str | None, redis_password: str | None, status: str
) -> None:
    auth = f":{url_password}@" if url_password else ""
    settings = load_settings(redis_url=f"redis://{auth}127.0.0.1:{locked_redis.port}/0", redis_password=redis_password)

    async def scenario() -> dict[str, object]:
        link = connect(settings)
        assert link is not None
        try:
            await link.start()
            return await link.probe()
        finally:
            await link.close()

    probe = arun(scenario())
    assert probe["status"] == status
    assert "s3cret" not in str(probe) and "wrong" not in str(probe)
