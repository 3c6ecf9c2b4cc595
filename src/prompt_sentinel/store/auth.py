"""Who is calling: API key verification, independent of HTTP.

:class:`Authenticator.verify` resolves a presented key, in order, against

1. the read-only keys: the bootstrap ADMIN_API_KEY and the keys file (in memory);
2. the key store (memory, or Redis shared by the replicas).

When Redis cannot answer, a key that this process verified against Redis within the
last ``API_KEY_CACHE_TTL`` seconds (default 30) is accepted from a local cache of
recently validated keys, so steady traffic survives a Redis outage.  The price is a
bounded delay: a key revoked just before Redis became unreachable can still be
accepted by a replica for at most that many seconds after the replica last checked
it.  A key this process has not seen recently is answered with 503 (it cannot be
told from an invalid one), never accepted.

The local maps are keyed by an HMAC under a per-process random secret, so no key is
held in memory in plain text beyond the request.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

from prompt_sentinel.store.api_keys import MAX_KEY_CHARS, ApiKey, KeyHasher, KeyStore
from prompt_sentinel.store.redis_client import StoreUnavailable


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request (``key_id`` None: anonymous)."""

    key_id: str | None
    name: str
    permissions: frozenset[str]
    rate_limit: int | None = None

    @classmethod
    def of(cls, rec: ApiKey) -> Principal:
        return cls(rec.key_id, rec.name, rec.permissions, rec.rate_limit)


ANONYMOUS = Principal(None, "anonymous", frozenset())


class AuthFailure(Exception):
    """A refused request: ``reason`` is the metric label, ``message`` is safe to return."""

    STATUS = {
        "missing": 401,
        "invalid": 401,
        "revoked": 401,
        "expired": 401,
        "forbidden": 403,
        "unavailable": 503,
    }

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status = self.STATUS[reason]


def _check(rec: ApiKey) -> ApiKey:
    status = rec.status()
    if status == "revoked":
        raise AuthFailure("revoked", "this API key has been revoked")
    if status == "expired":
        raise AuthFailure("expired", "this API key has expired")
    return rec


class Authenticator:
    """Verifies presented API keys (see the module docstring)."""

    def __init__(
        self,
        store: KeyStore,
        static: Mapping[str, ApiKey] | None = None,
        local: KeyHasher | None = None,
        recent_ttl: float = 30.0,
        max_recent: int = 10_000,
    ) -> None:
        self.store = store
        self.local = local or KeyHasher(secrets.token_bytes(32))
        self.static = dict(static or {})
        self.recent_ttl = recent_ttl
        self.max_recent = max_recent
        self._recent: dict[str, tuple[float, ApiKey]] = {}

    @staticmethod
    def static_map(records: list[tuple[str, ApiKey]], local: KeyHasher) -> dict[str, ApiKey]:
        """Index read-only keys (plaintext, record) by their local hash."""
        return {local(key): rec for key, rec in records}

    async def verify(self, presented: str) -> ApiKey:
        """The active record for a key; raises AuthFailure (invalid/revoked/expired/unavailable)."""
        if not presented or len(presented) > MAX_KEY_CHARS:
            raise AuthFailure("invalid", "invalid API key")
        lh = self.local(presented)
        rec = self.static.get(lh)
        if rec is not None:
            return _check(rec)
        try:
            rec = await self.store.lookup(presented)
        except StoreUnavailable:
            seen = self._recent.get(lh)
            if seen is not None and time.monotonic() - seen[0] < self.recent_ttl:
                return _check(seen[1])
            raise AuthFailure("unavailable", "the API key store is unavailable; retry shortly") from None
        if rec is None:
            self._recent.pop(lh, None)
            raise AuthFailure("invalid", "invalid API key")
        if rec.status() != "active":
            self._recent.pop(lh, None)
            return _check(rec)
        if self.store.backend == "redis":
            self._remember(lh, rec)
        return rec

    def _remember(self, lh: str, rec: ApiKey) -> None:
        self._recent.pop(lh, None)
        self._recent[lh] = (time.monotonic(), rec)
        if len(self._recent) > self.max_recent:
            del self._recent[next(iter(self._recent))]
