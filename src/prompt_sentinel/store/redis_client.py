"""The Redis connection shared by the cache, the key store and the rate limiter.

:class:`RedisLink` wraps a redis-py asyncio client (one server through a
``BlockingConnectionPool``, or a Redis Cluster) with a circuit breaker:

- every operation goes through :meth:`RedisLink.run`, which raises
  :class:`StoreUnavailable` instead of a redis-py error, so callers fall back to
  their embedded counterpart in the same request;
- the first failure opens the circuit: operations then skip Redis at once (no
  connect timeout per request) while a background task pings Redis every
  ``recover_interval`` seconds and closes the circuit when it answers again, so the
  service reconnects by itself without a restart;
- socket timeouts are short (``REDIS_SOCKET_TIMEOUT``) so a black-holed Redis costs
  one short wait, not a stalled request.

The URL (it may carry a password) is never logged: only host and port are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from prompt_sentinel.observability.metrics import REDIS_ERRORS, REDIS_UP
from prompt_sentinel.settings import ConfigError, Settings

log = logging.getLogger("promptsentinel.redis")

T = TypeVar("T")
Client = Redis | RedisCluster
FAILURES = (RedisError, OSError, asyncio.TimeoutError)


class StoreUnavailable(Exception):
    """Redis could not serve an operation; the caller falls back (or answers 503)."""


def _no_retry() -> Retry:
    # redis-py retries 10 times with backoff by default; the fallback is our retry.
    return Retry(NoBackoff(), 0)


def cluster_nodes(seeds: str) -> tuple[list[ClusterNode], dict[str, Any]]:
    """Parse REDIS_CLUSTER: ``host:port,host:port`` or ``redis[s]://[:password@]host:port,...``.

    Returns the startup nodes and the connection options found in URL-shaped seeds
    (password, username, TLS).  Raises ConfigError naming the key.
    """
    nodes: list[ClusterNode] = []
    opts: dict[str, Any] = {}
    for raw in (s.strip() for s in seeds.split(",")):
        if not raw:
            continue
        url = urlsplit(raw if "://" in raw else f"redis://{raw}")
        if url.scheme not in ("redis", "rediss") or not url.hostname:
            raise ConfigError(f"REDIS_CLUSTER: '{url.hostname or raw.split('@')[-1]}' is not host:port")
        try:
            port = url.port or 6379
        except ValueError:
            raise ConfigError("REDIS_CLUSTER: a seed has an invalid port") from None
        nodes.append(ClusterNode(url.hostname, port))
        if url.password:
            opts["password"] = url.password
        if url.username:
            opts["username"] = url.username
        if url.scheme == "rediss":
            opts["ssl"] = True
    if not nodes:
        raise ConfigError("REDIS_CLUSTER: no host:port seeds given")
    return nodes, opts


def build_client(settings: Settings) -> tuple[Client, str]:
    """A client for REDIS_URL or REDIS_CLUSTER, and a description safe to log."""
    timeouts = {
        "socket_timeout": settings.redis_socket_timeout,
        "socket_connect_timeout": settings.redis_connect_timeout,
        "retry": _no_retry(),
        "health_check_interval": 30,
    }
    password = settings.redis_password.get_secret_value() if settings.redis_password else None
    if settings.redis_cluster:
        nodes, opts = cluster_nodes(settings.redis_cluster)
        if password and "password" not in opts:
            opts["password"] = password
        client: Client = RedisCluster(
            startup_nodes=nodes,
            max_connections=settings.redis_pool_size + settings.redis_pool_max_overflow,
            require_full_coverage=True,
            **opts,
            **timeouts,
        )
        return client, "cluster " + ",".join(f"{n.host}:{n.port}" for n in nodes)
    assert settings.redis_url is not None
    url = urlsplit(settings.redis_url)
    if url.scheme not in ("redis", "rediss", "unix"):
        raise ConfigError("REDIS_URL: scheme must be redis://, rediss:// or unix://")
    extra: dict[str, Any] = {}
    if password and not url.password:
        extra["password"] = password
    pool = BlockingConnectionPool.from_url(
        settings.redis_url,
        max_connections=settings.redis_pool_size + settings.redis_pool_max_overflow,
        timeout=settings.redis_pool_timeout,
        **timeouts,
        **extra,
    )
    where = f"{url.hostname}:{url.port or 6379}" if url.scheme != "unix" else url.path
    return Redis(connection_pool=pool, retry=_no_retry()), where


@dataclass
class RedisLink:
    """A Redis client behind a circuit breaker; see the module docstring."""

    client: Client
    where: str
    prefix: str = "promptsentinel:"
    recover_interval: float = 1.0
    up: bool = True
    reason: str | None = None
    on_reconnect: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # The cluster client raises MaxConnectionsError past its per-node pool instead of
    # waiting (there is no blocking pool for it): queue here rather than trip the circuit.
    max_concurrency: int | None = None
    _slots: asyncio.Semaphore | None = None
    _recovery: asyncio.Task[None] | None = None
    _closed: bool = False

    def key(self, *parts: str) -> str:
        """A namespaced Redis key (REDIS_KEY_PREFIX)."""
        return self.prefix + ":".join(parts)

    async def run(self, op: str, fn: Callable[[Client], Awaitable[T]]) -> T:
        """Run ``fn(client)``; raise StoreUnavailable when the circuit is open or it fails."""
        if not self.up:
            raise StoreUnavailable(self.reason or "redis unavailable")
        try:
            if self.max_concurrency is None:
                return await fn(self.client)
            if self._slots is None:
                self._slots = asyncio.Semaphore(self.max_concurrency)
            async with self._slots:
                return await fn(self.client)
        except FAILURES as exc:
            REDIS_ERRORS.labels(op).inc()
            self.mark_down(exc)
            raise StoreUnavailable(self.reason or "redis unavailable") from None

    def mark_down(self, exc: BaseException) -> None:
        """Open the circuit and start the recovery task (once)."""
        reason = f"{type(exc).__name__}: {_safe(exc)}"
        if self.up:
            log.warning(
                "redis unavailable, serving from embedded state",
                extra={"redis": self.where, "reason": reason},
            )
        self.up = False
        self.reason = reason
        REDIS_UP.set(0)
        if self._closed:
            return
        if self._recovery is None or self._recovery.done():
            try:
                self._recovery = asyncio.get_running_loop().create_task(self._recover())
            except RuntimeError:  # no running loop (sync caller): the next call retries
                self.up = True

    async def _recover(self) -> None:
        while not self._closed:
            await asyncio.sleep(self.recover_interval)
            await self._drop_idle_connections()
            try:
                await self.client.ping()
            except FAILURES as exc:
                self.reason = f"{type(exc).__name__}: {_safe(exc)}"
                continue
            self.up = True  # tentatively: the hooks go through run()
            try:
                for hook in self.on_reconnect:
                    await hook()
            except StoreUnavailable:
                continue  # run() has marked it down again (this task keeps trying)
            self.reason = None
            REDIS_UP.set(1)
            log.warning("redis reachable again, shared state resumed", extra={"redis": self.where})
            return

    async def _drop_idle_connections(self) -> None:
        """Close the pooled connections that sat idle through the outage: a restarted
        Redis has dropped them, and each one would fail on its next use and open the
        circuit again (seconds of flapping under load, one stale connection at a time)."""
        with contextlib.suppress(*FAILURES):
            if isinstance(self.client, RedisCluster):
                for node in self.client.get_nodes():
                    await node.disconnect_free_connections()
            else:
                await self.client.connection_pool.disconnect(inuse_connections=False)

    async def start(self) -> None:
        """Check Redis at start-up; a failure starts degraded, not dead."""
        try:
            await self.client.ping()
        except FAILURES as exc:
            REDIS_ERRORS.labels("ping").inc()
            self.mark_down(exc)
            return
        try:
            for hook in self.on_reconnect:
                await hook()
        except StoreUnavailable:
            return  # run() has opened the circuit and started the recovery
        self.up, self.reason = True, None
        REDIS_UP.set(1)
        log.info("redis connected", extra={"redis": self.where})

    async def probe(self) -> dict[str, object]:
        """Readiness: ``ok`` with the ping latency, or ``degraded`` with the reason."""
        if not self.up:
            return {
                "status": "degraded",
                "latency_ms": None,
                "reason": self.reason,
                "backend": "embedded fallback",
            }
        start = time.perf_counter()
        try:
            await self.run("ping", lambda c: c.ping())
        except StoreUnavailable:
            return {
                "status": "degraded",
                "latency_ms": None,
                "reason": self.reason,
                "backend": "embedded fallback",
            }
        return {
            "status": "ok",
            "latency_ms": round((time.perf_counter() - start) * 1000, 3),
            "reason": None,
            "backend": "redis",
        }

    async def close(self) -> None:
        self._closed = True
        if self._recovery is not None:
            self._recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._recovery
        with contextlib.suppress(*FAILURES):
            await self.client.aclose()


def _safe(exc: BaseException) -> str:
    """An error text without credentials (redis-py messages name host:port only)."""
    text = str(exc).split("\n", 1)[0][:200]
    return text or type(exc).__name__
