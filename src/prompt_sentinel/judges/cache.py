"""A small in-process LRU of judge answers, keyed by a SHA-256 (never the text itself).

Only valid answers are kept: a failure is never cached, so the next request asks again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["JudgeCache", "cache_key"]

T = TypeVar("T")


def cache_key(fingerprint: str, text: str) -> str:
    """sha256 over the judge configuration fingerprint and the text."""
    h = hashlib.sha256(fingerprint.encode() + b"\x00")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class JudgeCache(Generic[T]):
    """At most ``max_size`` entries, each living ``ttl`` seconds; size 0 disables it."""

    def __init__(
        self, max_size: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_size = max_size
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._data: OrderedDict[str, tuple[float, T]] = OrderedDict()

    def get(self, key: str) -> T | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            if item[0] <= self._clock():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return item[1]

    def put(self, key: str, value: T) -> None:
        if self.max_size <= 0 or self.ttl <= 0:
            return
        with self._lock:
            self._data[key] = (self._clock() + self.ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_size:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)
