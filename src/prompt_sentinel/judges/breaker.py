"""A circuit breaker per provider.

closed --(``failures`` consecutive failures)--> open --(``cooldown`` s)--> half_open
half_open: exactly one probe call is let through; success -> closed, failure -> open
(a fresh cool-down).  While open, the router skips the provider without calling it,
so a dead provider costs no time on the request path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["BreakerSnapshot", "CircuitBreaker"]

State = Literal["closed", "open", "half_open"]


@dataclass(frozen=True, slots=True)
class BreakerSnapshot:
    state: State
    consecutive_failures: int
    opened_seconds_ago: float | None


class CircuitBreaker:
    """Consecutive-failure breaker with a single half-open probe; thread-safe."""

    def __init__(self, failures: int = 5, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        if failures < 1:
            raise ValueError("failures must be at least 1")
        self.failures = failures
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._consecutive = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cooldown:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """May a call go out now?  In half-open state only the first caller gets True.

        Every True must be followed by :meth:`success`, :meth:`failure` or :meth:`release`.
        """
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half_open" and not self._probing:
                self._probing = True
                return True
            return False

    def release(self) -> None:
        """Give back a half-open probe slot that was not used (no outcome to report)."""
        with self._lock:
            self._probing = False

    def success(self) -> None:
        with self._lock:
            self._consecutive = 0
            self._opened_at = None
            self._probing = False

    def failure(self) -> None:
        with self._lock:
            self._consecutive += 1
            if self._probing or self._consecutive >= self.failures:
                self._opened_at = self._clock()
            self._probing = False

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            opened = None if self._opened_at is None else round(self._clock() - self._opened_at, 1)
            return BreakerSnapshot(self._state(), self._consecutive, opened)
