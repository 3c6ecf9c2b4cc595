"""GCRA rate limiting: the arithmetic, the in-process limiter, the Redis script, fallback."""

from __future__ import annotations

import pytest

from prompt_sentinel.settings import Settings, load_settings
from prompt_sentinel.store import build_state
from prompt_sentinel.store.rate_limit import (
    MemoryRateLimiter,
    Quota,
    RateLimiter,
    RedisRateLimiter,
    gcra,
)
from tests.store.conftest import arun
from tests.support.procs import Redis


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("limit", "burst", "capacity"),
    [
        (100, 20, 20),  # the guide's performance.yaml: 20 back to back, then paced
        (3, 20, 3),  # a key limited to N never gets more than N at once
        (10, 0, 1),  # burst 0: strictly paced
        (5, 5, 5),  # burst = limit: a whole window at once
    ],
)
def test_capacity_is_the_burst_capped_at_the_limit(limit: int, burst: int, capacity: int) -> None:
    assert Quota(limit, 60, burst).capacity == capacity


# (seconds since the previous request, allowed, remaining, retry_after) for 3 per 60 s:
# one request refills every 20 s.
SEQUENCES = {
    "burst then refusal": [
        (0, True, 2, 0),
        (0, True, 1, 0),
        (0, True, 0, 0),
        (0, False, 0, 20),
        (5, False, 0, 15),
    ],
    "one refills after the interval": [
        (0, True, 2, 0),
        (0, True, 1, 0),
        (0, True, 0, 0),
        (20, True, 0, 0),
        (1, False, 0, 19),
    ],
    "a full window refills the bucket": [
        (0, True, 2, 0),
        (0, True, 1, 0),
        (0, True, 0, 0),
        (60, True, 2, 0),
    ],
    "refusals do not consume": [
        (0, True, 2, 0),
        (0, True, 1, 0),
        (0, True, 0, 0),
        (0, False, 0, 20),
        (0, False, 0, 20),
        (20, True, 0, 0),
    ],
}
QUOTA = Quota(3, 60, 20)


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_memory_limiter_follows_gcra(name: str) -> None:
    clock = Clock()
    limiter = MemoryRateLimiter(clock=clock)
    for dt, allowed, remaining, retry in SEQUENCES[name]:
        clock.now += dt
        d = limiter.hit("k", QUOTA)
        assert (d.allowed, d.remaining, round(d.retry_after, 6)) == (allowed, remaining, retry)


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_redis_script_matches_the_memory_limiter(name: str, redis_settings: Settings) -> None:
    async def scenario() -> list[tuple[bool, int, float]]:
        state = build_state(redis_settings)
        assert state.link is not None
        limiter = RedisRateLimiter(state.link)
        now_us = 1_700_000_000_000_000
        out = []
        try:
            for dt, *_ in SEQUENCES[name]:
                now_us += dt * 1_000_000
                d = await limiter.hit("k", QUOTA, now_us=now_us)
                out.append((d.allowed, d.remaining, round(d.retry_after, 6)))
        finally:
            await state.close()
        return out

    assert arun(scenario()) == [(a, r, t) for _, a, r, t in SEQUENCES[name]]


def test_redis_limiter_on_the_server_clock_allows_exactly_capacity(
    redis_settings: Settings,
) -> None:
    async def scenario() -> list[tuple[bool, float]]:
        state = build_state(redis_settings)
        try:
            return [((d := await state.limiter.hit("k:x", QUOTA)).allowed, d.retry_after) for _ in range(5)]
        finally:
            await state.close()

    res = arun(scenario())
    assert [a for a, _ in res] == [True, True, True, False, False]
    assert all(0 < r <= 20 for _, r in res[3:])


def test_buckets_are_per_key() -> None:
    limiter = MemoryRateLimiter(clock=Clock())
    assert [limiter.hit("a", Quota(1, 60, 1)).allowed for _ in range(2)] == [True, False]
    assert limiter.hit("b", Quota(1, 60, 1)).allowed


def test_memory_limiter_stays_bounded() -> None:
    clock = Clock()
    limiter = MemoryRateLimiter(max_keys=10, clock=clock)
    for n in range(50):
        limiter.hit(f"k{n}", Quota(100, 60, 1))
    assert len(limiter._tat) <= 10


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        # allowed: limit, remaining, seconds until full, policy; no Retry-After
        (
            True,
            {
                "ratelimit-limit": "3",
                "ratelimit-remaining": "2",
                "ratelimit-reset": "20",
                "ratelimit-policy": "3;w=60;burst=3",
            },
        ),
        # refused: Retry-After rounds up to whole seconds
        (
            False,
            {
                "ratelimit-limit": "3",
                "ratelimit-remaining": "0",
                "ratelimit-reset": "60",
                "ratelimit-policy": "3;w=60;burst=3",
                "retry-after": "20",
            },
        ),
    ],
)
def test_headers(allowed: bool, expected: dict[str, str]) -> None:
    if allowed:
        d, _ = gcra(0, 100, QUOTA)
    else:
        tat = 100 + 60.0
        d, _ = gcra(tat, 100 + 0.0001, QUOTA)
    assert {k.decode(): v.decode() for k, v in d.headers()} == expected


def test_falls_back_to_a_per_process_limiter_when_redis_is_down() -> None:
    srv = Redis().start()
    settings = load_settings(redis_url=srv.url)

    async def scenario() -> list[bool]:
        state = build_state(settings)
        await state.start()
        srv.stop()
        try:
            assert isinstance(state.limiter, RateLimiter)
            return [(await state.limiter.hit("k:x", Quota(2, 60, 5))).allowed for _ in range(3)]
        finally:
            await state.close()

    assert arun(scenario()) == [True, True, False]
