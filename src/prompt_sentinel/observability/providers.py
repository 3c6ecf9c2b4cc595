"""LLM provider calls: metrics plus a short memory of recent outcomes for /health/detailed.

The LLM-judge code calls :func:`record_call` once per provider call (after retries or per
attempt, its choice).  Health never calls a provider: it only reads what real traffic
left here, so probes cost nothing and reach nothing outside the process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from prompt_sentinel.observability import metrics

__all__ = ["OUTCOMES", "record_call", "snapshot", "reset"]

OUTCOMES = frozenset({"ok", "error", "timeout", "rate_limited", "invalid_response"})
WINDOW = 50  # outcomes remembered per provider
DEGRADED_ERROR_RATE = 0.2
UNAVAILABLE_ERROR_RATE = 0.8


@dataclass
class _Recent:
    outcomes: deque[tuple[float, str, float]] = field(default_factory=lambda: deque(maxlen=WINDOW))


_recent: dict[str, _Recent] = {}
_lock = threading.Lock()


def record_call(
    provider: str,
    outcome: str,
    seconds: float,
    *,
    input_tokens: int = 0,
    output_tokens: int = 0,
    cost_usd: float = 0.0,
) -> None:
    """Count one provider call (``outcome`` in :data:`OUTCOMES`; others count as error)."""
    outcome = outcome if outcome in OUTCOMES else "error"
    metrics.PROVIDER_CALLS.labels(provider, outcome).inc()
    metrics.PROVIDER_DURATION.labels(provider).observe(seconds)
    if input_tokens:
        metrics.PROVIDER_TOKENS.labels(provider, "input").inc(input_tokens)
    if output_tokens:
        metrics.PROVIDER_TOKENS.labels(provider, "output").inc(output_tokens)
    if cost_usd:
        metrics.PROVIDER_COST.labels(provider).inc(cost_usd)
    with _lock:
        _recent.setdefault(provider, _Recent()).outcomes.append((time.time(), outcome, seconds))


def snapshot() -> dict[str, dict[str, Any]]:
    """Per provider: status from the error rate of the last calls, and their latency."""
    out: dict[str, dict[str, Any]] = {}
    with _lock:
        items = [(name, list(r.outcomes)) for name, r in _recent.items()]
    now = time.time()
    for name, outcomes in items:
        if not outcomes:
            continue
        errors = sum(1 for _, o, _ in outcomes if o != "ok")
        rate = errors / len(outcomes)
        latencies = sorted(s for _, _, s in outcomes)
        status = (
            "unavailable" if rate >= UNAVAILABLE_ERROR_RATE else "degraded" if rate >= DEGRADED_ERROR_RATE else "ok"
        )
        out[name] = {
            "status": status,
            "recent_calls": len(outcomes),
            "error_rate": round(rate, 3),
            "last_outcome": outcomes[-1][1],
            "last_call_seconds_ago": round(now - outcomes[-1][0], 1),
            "latency_ms_p50": round(latencies[len(latencies) // 2] * 1000, 1),
        }
    return out


def reset() -> None:
    """Forget recent outcomes (tests)."""
    with _lock:
        _recent.clear()
