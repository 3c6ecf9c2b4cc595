"""Spend limits for the judge: hourly, daily and monthly budgets in USD, enforced.

Windows are calendar periods in UTC (this hour, today, this month).  Before a provider
is called, the *estimated* cost of the call is reserved in every window; the call goes
out only if each limited window still has room for it, so concurrent requests cannot
overshoot together.  When the call ends the reservation is replaced by the actual cost
(from the token counts of the reply and the price table).  An exhausted budget skips
the judge; it never fails the request.

The ledger is per process: with several workers or replicas each enforces the limits
on its own share (set the limits per process accordingly).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prompt_sentinel.judges.providers.base import Usage

__all__ = ["Budget", "BudgetLimits", "Reservation"]

PERIODS = ("hourly", "daily", "monthly")


@dataclass(frozen=True, slots=True)
class BudgetLimits:
    """USD per window; None means unlimited."""

    hourly: float | None = None
    daily: float | None = None
    monthly: float | None = None

    def get(self, period: str) -> float | None:
        return getattr(self, period)  # type: ignore[no-any-return]


@dataclass(slots=True)
class _Tally:
    calls: int = 0
    failures: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "failures": self.failures,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6),
        }


@dataclass(slots=True)
class _Window:
    key: str
    spent: float = 0.0
    pending: float = 0.0
    providers: dict[str, _Tally] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reservation:
    provider: str
    estimate_usd: float
    keys: tuple[tuple[str, str], ...]  # (period, window key) the estimate was reserved in


def _window_key(period: str, now: float) -> str:
    t = datetime.fromtimestamp(now, UTC)
    return {
        "hourly": t.strftime("%Y-%m-%dT%H"),
        "daily": t.strftime("%Y-%m-%d"),
        "monthly": t.strftime("%Y-%m"),
    }[period]


class Budget:
    """Reserve before a call, settle after it; thread-safe."""

    def __init__(self, limits: BudgetLimits, clock: Callable[[], float] = time.time) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {}
        self._total: dict[str, _Tally] = {}

    def _window(self, period: str) -> _Window:
        key = _window_key(period, self._clock())
        w = self._windows.get(period)
        if w is None or w.key != key:
            w = self._windows[period] = _Window(key)
        return w

    def reserve(self, provider: str, estimate_usd: float) -> Reservation | None:
        """Hold ``estimate_usd`` in every window, or return None when a limit has no room."""
        with self._lock:
            windows = {p: self._window(p) for p in PERIODS}
            for period, w in windows.items():
                limit = self.limits.get(period)
                if limit is not None and w.spent + w.pending + estimate_usd > limit:
                    return None
            for w in windows.values():
                w.pending += estimate_usd
            return Reservation(provider, estimate_usd, tuple((p, w.key) for p, w in windows.items()))

    def settle(self, reservation: Reservation, usage: Usage, cost_usd: float, ok: bool) -> None:
        """Replace the reservation by the actual cost and count the call."""
        with self._lock:
            for period, key in reservation.keys:
                w = self._windows.get(period)
                if w is not None and w.key == key:  # a rolled-over window has no pending to release
                    w.pending = max(0.0, w.pending - reservation.estimate_usd)
            tallies = [self._total.setdefault(reservation.provider, _Tally())]
            for period in PERIODS:
                w = self._window(period)
                w.spent += cost_usd
                tallies.append(w.providers.setdefault(reservation.provider, _Tally()))
            for t in tallies:
                t.calls += 1
                t.failures += 0 if ok else 1
                t.input_tokens += usage.input_tokens
                t.output_tokens += usage.output_tokens
                t.cost_usd += cost_usd

    def exhausted(self) -> bool:
        """True when some limited window has nothing left."""
        with self._lock:
            return any((limit := self.limits.get(p)) is not None and self._window(p).spent >= limit for p in PERIODS)

    def status(self) -> dict[str, Any]:
        """Limits, spend and what is left per window (for GET /api/v1/monitoring/budget)."""
        with self._lock:
            out: dict[str, Any] = {}
            for period in PERIODS:
                w = self._window(period)
                limit = self.limits.get(period)
                out[period] = {
                    "window": w.key,
                    "limit_usd": limit,
                    "spent_usd": round(w.spent, 6),
                    "reserved_usd": round(w.pending, 6),
                    "remaining_usd": None if limit is None else round(max(0.0, limit - w.spent), 6),
                }
            out["exhausted"] = any(
                v["remaining_usd"] is not None and v["remaining_usd"] <= 0 for k, v in out.items() if k in PERIODS
            )
            return out

    def usage(self) -> dict[str, Any]:
        """Calls, tokens and cost per provider, per window and since start (GET .../usage)."""
        with self._lock:
            out: dict[str, Any] = {
                period: {
                    "window": (w := self._window(period)).key,
                    "providers": {n: t.as_dict() for n, t in sorted(w.providers.items())},
                }
                for period in PERIODS
            }
            out["since_start"] = {"providers": {n: t.as_dict() for n, t in sorted(self._total.items())}}
            return out
