"""Retry delays: exponential backoff with full jitter, and the server's own Retry-After.

Providers say when to come back in different ways; all are honoured:

* ``Retry-After: <seconds>`` or ``Retry-After: <HTTP-date>`` (RFC 9110; Anthropic, Gemini);
* ``retry-after-ms: <milliseconds>`` (OpenAI);
* a ``google.rpc.RetryInfo`` detail with ``"retryDelay": "20s"`` in a Gemini error body.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = ["MAX_BACKOFF_S", "backoff_delay", "retry_after", "retry_info_delay"]

MAX_BACKOFF_S = 30.0
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 and seconds == seconds and seconds != float("inf") else None


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait per ``retry-after-ms`` or ``Retry-After``; None if absent or invalid."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        value = _seconds(ms)
        if value is not None:
            return value / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    value = _seconds(raw)
    if value is not None:
        return value
    try:
        when = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_info_delay(body: Any) -> float | None:
    """The ``retryDelay`` of a Google ``RetryInfo`` error detail (``"20s"``, ``"1.5s"``)."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    details = error.get("details") if isinstance(error, dict) else None
    if not isinstance(details, list):
        return None
    for detail in details:
        if isinstance(detail, dict) and detail.get("@type") == _RETRY_INFO:
            delay = detail.get("retryDelay")
            if isinstance(delay, str) and delay.endswith("s"):
                return _seconds(delay[:-1])
    return None


def backoff_delay(attempt: int, factor: float, rng: random.Random | None = None) -> float:
    """Full jitter: uniform in [0, min(cap, factor * 2**attempt)]; ``attempt`` counts from 0.

    Jitter spreads the retries of many replicas that failed at the same moment.
    """
    ceiling = min(MAX_BACKOFF_S, factor * (2.0 ** min(attempt, 16)))
    return (rng or random).uniform(0.0, ceiling) if ceiling > 0 else 0.0
