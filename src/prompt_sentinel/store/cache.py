"""The verdict cache: embedded LRU, or Redis shared by the replicas.

Keys come from ``engine.cache_key``: a SHA-256 over the engine's configuration
fingerprint, the mode, the PII switch and the text, so the prompt never appears in a
key and a configuration change never serves an old verdict.  Values are the whole
response except the per-request fields (``request_id``, ``processing_time_ms``); a hit
returns exactly the stored verdict with ``cached: true``.

With Redis configured the cache lives there (``SET .. EX ttl``); while Redis is
unavailable the embedded LRU stands in, so requests never wait on a dead cache.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from prompt_sentinel.observability.metrics import CACHE_HITS, CACHE_REQUESTS
from prompt_sentinel.store.redis_client import RedisLink, StoreUnavailable
from prompt_sentinel.ttl_lru import TTLCache

if TYPE_CHECKING:  # the CLI imports the store without paying for the engine
    from prompt_sentinel.engine.engine import Engine
    from prompt_sentinel.engine.models import Mode
    from prompt_sentinel.schemas import Message

_PER_REQUEST = ("request_id", "processing_time_ms", "cached")


class MemoryCache(TTLCache[dict[str, Any]]):
    """The embedded verdict cache: an LRU of at most ``max_size`` entries living ``ttl`` s."""

    backend = "memory"


class RedisCache:
    """Verdicts in Redis under ``<prefix>v:<key>`` with a TTL."""

    backend = "redis"

    def __init__(self, link: RedisLink, ttl: int) -> None:
        self.link = link
        self.ttl = ttl

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self.link.run("cache_get", lambda c: c.get(self.link.key("v", key)))
        return orjson.loads(raw) if raw is not None else None

    async def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            data = orjson.dumps(value)
        except TypeError:  # a lone surrogate echoed in modified_prompt: not worth caching
            return
        await self.link.run("cache_set", lambda c: c.set(self.link.key("v", key), data, ex=self.ttl))


class VerdictCache:
    """Redis when configured and reachable, else the embedded LRU."""

    def __init__(self, memory: MemoryCache, redis: RedisCache | None = None) -> None:
        self.memory = memory
        self.redis = redis
        self._mem_requests = CACHE_REQUESTS.labels("memory")
        self._mem_hits = CACHE_HITS.labels("memory")
        self._redis_requests = CACHE_REQUESTS.labels("redis")
        self._redis_hits = CACHE_HITS.labels("redis")

    async def get(self, key: str) -> dict[str, Any] | None:
        if self.redis is not None and self.redis.link.up:
            try:
                value = await self.redis.get(key)
            except StoreUnavailable:
                pass
            else:
                self._redis_requests.inc()
                if value is not None:
                    self._redis_hits.inc()
                return value
        self._mem_requests.inc()
        value = self.memory.get(key)
        if value is not None:
            self._mem_hits.inc()
        return value

    async def put(self, key: str, value: dict[str, Any]) -> None:
        if self.redis is not None and self.redis.link.up:
            try:
                await self.redis.put(key, value)
                return
            except StoreUnavailable:
                pass
        self.memory.put(key, value)


async def cached_detect(
    cache: VerdictCache | None,
    engine: Engine,
    prompt: str | None,
    messages: Sequence[Message] | None,
    *,
    mode: Mode | None,
    check_pii: bool | None,
    request_id: str,
    post: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]] | None = None,
    key_tag: str = "",
) -> dict[str, Any]:
    """``engine.detect`` as a JSON-ready dict, served from the cache when it can be.

    Raises PromptTooLong like the engine (checked before the cache, so a limit
    change is honoured at once).
    """
    if cache is None:
        result = engine.detect(prompt, messages, mode=mode, check_pii=check_pii, request_id=request_id).model_dump(
            mode="json"
        )
        return await post(result) if post is not None else result
    start = time.perf_counter()
    engine.check_length(prompt, messages)
    eff_mode = mode or engine.options.default_mode
    eff_pii = engine.options.pii_enabled if check_pii is None else check_pii
    key = engine.cache_key(prompt, messages, eff_mode, eff_pii)
    if key_tag:
        key = f"{key}:{key_tag}"
    hit = await cache.get(key)
    if hit is not None:
        return {
            **hit,
            "request_id": request_id,
            "cached": True,
            "processing_time_ms": round((time.perf_counter() - start) * 1000, 3),
        }
    result = engine.detect(prompt, messages, mode=eff_mode, check_pii=eff_pii, request_id=request_id).model_dump(
        mode="json"
    )
    if post is not None:
        result = await post(result)
    if cacheable(result):
        await cache.put(key, {k: v for k, v in result.items() if k not in _PER_REQUEST})
    return result


def cacheable(result: dict[str, Any]) -> bool:
    """A verdict decided without a judge that should have answered is not cached, so the
    judge is asked again next time instead of the degraded answer being replayed."""
    return not any(
        str(r.get("rule_id", "")).startswith(("llm_judge.unavailable", "llm_judge.skipped"))
        for r in result.get("reasons", ())
    )
