"""Retry-After in all its forms, and jittered exponential backoff."""

from __future__ import annotations

import random

import pytest

from prompt_sentinel.judges.backoff import (
    MAX_BACKOFF_S,
    backoff_delay,
    retry_after,
    retry_info_delay,
)

NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "2"}, 2.0),  # seconds (Anthropic, Gemini)
        ({"retry-after": "0.25"}, 0.25),  # fractional seconds
        ({"retry-after-ms": "150"}, 0.15),  # OpenAI's milliseconds header wins
        ({"retry-after-ms": "150", "retry-after": "9"}, 0.15),  # ... over Retry-After
        ({"retry-after": "Thu, 01 Jan 2026 00:00:30 GMT"}, 30.0),  # HTTP-date
        ({"retry-after": "Wed, 31 Dec 2025 23:59:00 GMT"}, 0.0),  # a date in the past: now
        ({"retry-after": "-3"}, None),  # negative: ignored
        ({"retry-after": "soon"}, None),  # garbage: ignored
        ({"retry-after": "nan"}, None),  # not a number
        ({}, None),  # absent
    ],
)
def test_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(headers, now=NOW) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "error": {
                    "code": 429,
                    "status": "RESOURCE_EXHAUSTED",
                    "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "20s"}],
                }
            },
            20.0,
        ),
        (
            {"error": {"details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}]}},
            1.5,
        ),  # fractional
        ({"error": {"details": [{"@type": "type.googleapis.com/google.rpc.Help"}]}}, None),  # other
        ({"error": {"message": "x"}}, None),  # no details
        ("not an object", None),  # not JSON object
    ],
)
def test_gemini_retry_info(body: object, expected: float | None) -> None:
    assert retry_info_delay(body) == expected


def test_backoff_is_jittered_and_bounded() -> None:
    rng = random.Random(7)
    for attempt in range(6):
        ceiling = min(MAX_BACKOFF_S, 0.5 * 2**attempt)
        delays = [backoff_delay(attempt, 0.5, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 100  # jitter, not a fixed schedule
    assert backoff_delay(3, 0.0) == 0.0  # factor 0 disables waiting
    assert backoff_delay(100, 2.0, rng) <= MAX_BACKOFF_S
