"""Rate limiting: GCRA (a token bucket kept as one timestamp), in process or in Redis.

A :class:`Quota` of ``limit`` requests per ``window`` seconds refills one request
every ``window / limit`` seconds; ``burst`` caps how many may arrive back to back
(at most ``limit``: a key limited to N per window never gets more than N at once).
So with 100 per 60 s and burst 20, a client may send 20 requests at once, then one
every 0.6 s; with RATE_LIMIT_BURST >= RATE_LIMIT_REQUESTS it may spend a whole
window's allowance at once.

The Redis limiter runs one Lua script per request (read, decide, write: atomic, one
key, so it works on a Redis Cluster), using the Redis server's clock so replicas
with skewed clocks agree.  When Redis is unavailable :class:`RateLimiter` falls back
to a per-process limiter with the same quota: limits then hold per replica until
Redis returns.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from prompt_sentinel.store.redis_client import RedisLink, StoreUnavailable


@dataclass(frozen=True, slots=True)
class Quota:
    limit: int
    window: float
    burst: int

    @property
    def capacity(self) -> int:
        return max(1, min(self.burst, self.limit))

    @property
    def interval(self) -> float:
        return self.window / self.limit

    def policy(self) -> str:
        """The ``RateLimit-Policy`` header value."""
        return f"{self.limit};w={int(self.window)};burst={self.capacity}"


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    quota: Quota
    remaining: int
    reset_after: float  # seconds until the bucket is full again
    retry_after: float  # seconds until the next request is allowed (0 when allowed)

    def headers(self) -> list[tuple[bytes, bytes]]:
        """RateLimit-* headers (and Retry-After on a refusal), as ASGI header pairs."""
        out = [
            (b"ratelimit-limit", str(self.quota.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(max(0, math.ceil(self.reset_after))).encode()),
            (b"ratelimit-policy", self.quota.policy().encode()),
        ]
        if not self.allowed:
            out.append((b"retry-after", str(max(1, math.ceil(self.retry_after))).encode()))
        return out


def gcra(tat: float, now: float, quota: Quota) -> tuple[RateDecision, float | None]:
    """One GCRA step: the decision and the new theoretical arrival time (None: unchanged)."""
    interval = quota.interval
    tat = max(tat, now)
    new_tat = tat + interval
    allow_at = new_tat - quota.capacity * interval
    if now < allow_at:
        return RateDecision(False, quota, 0, tat - now, allow_at - now), None
    remaining = int((now - allow_at) // interval)
    return RateDecision(True, quota, remaining, new_tat - now, 0.0), new_tat


class MemoryRateLimiter:
    """GCRA in this process; the dict is swept of full buckets when it grows."""

    def __init__(self, max_keys: int = 100_000, clock: object = time.monotonic) -> None:
        self._tat: dict[str, float] = {}
        self._max_keys = max_keys
        self._clock = clock

    def hit(self, key: str, quota: Quota) -> RateDecision:
        now: float = self._clock()  # type: ignore[operator]
        decision, new_tat = gcra(self._tat.get(key, 0.0), now, quota)
        if new_tat is not None:
            if len(self._tat) >= self._max_keys and key not in self._tat:
                self._sweep(now)
            self._tat[key] = new_tat
        return decision

    def _sweep(self, now: float) -> None:
        for k in [k for k, tat in self._tat.items() if tat <= now]:
            del self._tat[k]
        while len(self._tat) >= self._max_keys:  # all busy: drop the oldest entries
            del self._tat[next(iter(self._tat))]


# KEYS[1] bucket; ARGV interval_us, capacity, [now_us for tests].  Returns
# {allowed, remaining, reset_us, retry_us}.  Times are microseconds (< 2^53 in a double).
_GCRA = """
local now
if ARGV[3] then
  now = tonumber(ARGV[3])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - capacity * interval
if now < allow_at then
  return {0, 0, tat - now, allow_at - now}
end
local ttl_ms = math.ceil((new_tat - now) / 1000) + 1
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', ttl_ms)
return {1, math.floor((now - allow_at) / interval), new_tat - now, 0}
"""


class RedisRateLimiter:
    """GCRA shared by every replica (one Lua script call per request)."""

    def __init__(self, link: RedisLink) -> None:
        self.link = link
        self._script = link.client.register_script(_GCRA)

    async def hit(self, key: str, quota: Quota, now_us: int | None = None) -> RateDecision:
        """Raises StoreUnavailable when Redis cannot answer."""
        args: list[int] = [round(quota.interval * 1_000_000), quota.capacity]
        if now_us is not None:
            args.append(now_us)
        rkey = self.link.key("rl", key)
        res = await self.link.run("rate_limit", lambda c: self._script(keys=[rkey], args=args, client=c))
        allowed, remaining, reset_us, retry_us = (int(x) for x in res)
        return RateDecision(bool(allowed), quota, remaining, reset_us / 1e6, retry_us / 1e6)


class RateLimiter:
    """Redis when configured and reachable, else the per-process limiter."""

    def __init__(self, redis: RedisRateLimiter | None = None) -> None:
        self.redis = redis
        self.memory = MemoryRateLimiter()

    async def hit(self, key: str, quota: Quota) -> RateDecision:
        if self.redis is not None and self.redis.link.up:
            try:
                return await self.redis.hit(key, quota)
            except StoreUnavailable:
                pass
        return self.memory.hit(key, quota)
