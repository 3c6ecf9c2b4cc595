"""Shared state: verdict cache, API keys and rate limits, embedded or on Redis.

One protocol per concern, two backends each (see cache.py, api_keys.py,
rate_limit.py); Redis is used when REDIS_URL or REDIS_CLUSTER is set, with the
embedded backend standing in while Redis is unreachable (redis_client.py).

:func:`install` wires it all into the app: ``app.state.shared`` (a
:class:`SharedState`), ``app.state.verdict_cache``, the ``redis`` readiness probe,
the security middleware and CORS (api/security.py), the admin routes, and the
Redis connection's start and close around the app's lifespan.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from prompt_sentinel.settings import Settings
from prompt_sentinel.store.api_keys import (
    ApiKey,
    KeyHasher,
    KeyStore,
    MemoryKeyStore,
    RedisKeyStore,
)
from prompt_sentinel.store.auth import Authenticator
from prompt_sentinel.store.cache import MemoryCache, RedisCache, VerdictCache, cached_detect
from prompt_sentinel.store.keys_file import load_keys_file
from prompt_sentinel.store.rate_limit import RateLimiter, RedisRateLimiter
from prompt_sentinel.store.redis_client import RedisLink, StoreUnavailable, build_client

__all__ = [
    "SharedState",
    "StoreUnavailable",
    "build_state",
    "cached_detect",
    "install",
    "key_store",
]

ADMIN_KEY_ID = "admin"


@dataclass
class SharedState:
    """Everything a request may need from the shared store."""

    settings: Settings
    link: RedisLink | None
    cache: VerdictCache | None
    keys: KeyStore
    auth: Authenticator
    limiter: RateLimiter
    read_only: dict[str, ApiKey]  # key_id -> record of the bootstrap admin and keys-file keys

    @property
    def keys_shared(self) -> bool:
        """Whether a key written here is seen by every worker (Redis, or a single process)."""
        return self.link is not None or self.settings.workers == 1

    @property
    def admin_enabled(self) -> bool:
        return self.settings.authentication_mode != "none" or self.settings.admin_api_key is not None

    async def start(self) -> None:
        if self.link is not None:
            await self.link.start()

    async def close(self) -> None:
        if self.link is not None:
            await self.link.close()


def connect(settings: Settings) -> RedisLink | None:
    """The Redis link for REDIS_URL / REDIS_CLUSTER, or None in embedded mode."""
    if not (settings.redis_url or settings.redis_cluster):
        return None
    client, where = build_client(settings)
    pool = settings.redis_pool_size + settings.redis_pool_max_overflow
    return RedisLink(
        client,
        where,
        prefix=settings.redis_key_prefix,
        max_concurrency=pool if settings.redis_cluster else None,
    )


def key_store(settings: Settings, link: RedisLink | None) -> KeyStore:
    """Redis when configured (HMAC secret from API_KEY_HASH_SECRET or shared via Redis)."""
    secret = settings.api_key_hash_secret.get_secret_value().encode() if settings.api_key_hash_secret else None
    if link is not None:
        return RedisKeyStore(link, secret)
    return MemoryKeyStore(KeyHasher(secret or secrets.token_bytes(32)))


def build_state(settings: Settings) -> SharedState:
    """Build every store from settings; raises ConfigError on a bad keys file or URL."""
    link = connect(settings)
    cache = None
    if settings.cache_enabled and settings.cache_ttl > 0:
        memory = MemoryCache(settings.cache_max_size, settings.cache_ttl)
        cache = VerdictCache(memory, RedisCache(link, settings.cache_ttl) if link else None)
    local = KeyHasher(secrets.token_bytes(32))
    static: list[tuple[str, ApiKey]] = []
    if settings.admin_api_key is not None:
        admin = settings.admin_api_key.get_secret_value()
        static.append(
            (
                admin,
                ApiKey(
                    key_id=ADMIN_KEY_ID,
                    name="bootstrap admin (ADMIN_API_KEY)",
                    key_hash=local(admin),
                    permissions=frozenset({"admin", "detect"}),
                    created_at=0.0,
                    source="env",
                ),
            )
        )
    path = settings.keys_file_path()
    if path is not None:
        static.extend((e.key, e.record) for e in load_keys_file(path, local))
    auth = Authenticator(
        key_store(settings, link),
        Authenticator.static_map(static, local),
        local,
        recent_ttl=settings.api_key_cache_ttl,
    )
    limiter = RateLimiter(RedisRateLimiter(link) if link else None)
    return SharedState(settings, link, cache, auth.store, auth, limiter, {rec.key_id: rec for _, rec in static})


def install(app: Any, settings: Settings) -> SharedState:
    """Wire the shared state into a FastAPI app (see the module docstring)."""
    from prompt_sentinel.api import security
    from prompt_sentinel.api.routes import admin
    from prompt_sentinel.store.rate_limit import Quota

    state = build_state(settings)
    app.state.shared = state
    app.state.verdict_cache = state.cache
    if state.link is not None:
        app.state.readiness_probes["redis"] = state.link.probe
    window = float(settings.rate_limit_window)
    guard = None
    if settings.authentication_mode != "none" or state.admin_enabled or settings.rate_limit_enabled:
        guard = security.Guard(
            mode=settings.authentication_mode,
            header_name=settings.api_key_header,
            admin_enabled=state.admin_enabled,
            auth=state.auth,
            limiter=state.limiter,
            limit_all=settings.rate_limit_enabled,
            key_quota=Quota(settings.rate_limit_requests, window, settings.rate_limit_burst),
            anon_quota=Quota(
                settings.rate_limit_anonymous_requests or settings.rate_limit_requests,
                window,
                settings.rate_limit_burst,
            ),
            trusted=security.parse_networks(settings.trusted_proxies),
        )
    security.install(app, settings, guard)
    if state.admin_enabled:
        app.include_router(admin.router)

    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        async with inner(a) as value:
            await state.start()
            try:
                yield value
            finally:
                await state.close()

    app.router.lifespan_context = lifespan
    return state
