"""A small in-process LRU of judge answers, keyed by a SHA-256 (never the text itself).

Only valid answers are kept: a failure is never cached, so the next request asks again.
"""

from __future__ import annotations

import hashlib
from typing import TypeVar

from prompt_sentinel.ttl_lru import TTLCache

__all__ = ["JudgeCache", "cache_key"]

T = TypeVar("T")


def cache_key(fingerprint: str, text: str) -> str:
    """sha256 over the judge configuration fingerprint and the text."""
    h = hashlib.sha256(fingerprint.encode() + b"\x00")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class JudgeCache(TTLCache[T]):
    """Valid judge answers by cache_key(); see prompt_sentinel.ttl_lru.TTLCache."""
