"""Authenticator: read-only keys, the store, and the short-lived cache used while Redis is down."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from prompt_sentinel.store.api_keys import ApiKey, KeyHasher, MemoryKeyStore, NewKey, generate_key
from prompt_sentinel.store.auth import Authenticator, AuthFailure
from prompt_sentinel.store.redis_client import StoreUnavailable
from tests.store.conftest import arun


@dataclass
class FlakyStore:
    """A memory store that reports itself as Redis and can be switched 'down'."""

    inner: MemoryKeyStore = field(default_factory=lambda: MemoryKeyStore(KeyHasher(b"x" * 32)))
    backend: str = "redis"
    down: bool = False

    async def lookup(self, key: str) -> ApiKey | None:
        if self.down:
            raise StoreUnavailable("down")
        return await self.inner.lookup(key)

    async def create(self, *a: object) -> NewKey:
        return await self.inner.create(*a)  # type: ignore[arg-type]

    async def revoke(self, key_id: str) -> ApiKey | None:
        return await self.inner.revoke(key_id)


LOCAL = KeyHasher(b"l" * 32)
ADMIN = generate_key()
FILE_EXPIRED = generate_key()
FILE_REVOKED = generate_key()


def _static() -> dict[str, ApiKey]:
    now = time.time()
    return Authenticator.static_map(
        [
            (
                ADMIN,
                ApiKey(
                    "admin",
                    "admin",
                    LOCAL(ADMIN),
                    frozenset({"admin", "detect"}),
                    0.0,
                    source="env",
                ),
            ),
            (
                FILE_EXPIRED,
                ApiKey(
                    "f1",
                    "f1",
                    LOCAL(FILE_EXPIRED),
                    frozenset({"detect"}),
                    0.0,
                    expires_at=now - 5,
                    source="file",
                ),
            ),
            (
                FILE_REVOKED,
                ApiKey(
                    "f2",
                    "f2",
                    LOCAL(FILE_REVOKED),
                    frozenset({"detect"}),
                    0.0,
                    revoked_at=now - 5,
                    source="file",
                ),
            ),
        ],
        LOCAL,
    )


@pytest.mark.parametrize(
    ("which", "outcome"),
    [
        ("admin", "admin"),  # the bootstrap key, from memory
        ("file_expired", "expired"),  # a keys-file entry past expires_at
        ("file_revoked", "revoked"),  # a keys-file entry marked revoked
        ("store_active", "ok"),  # created through the store
        ("store_revoked", "revoked"),  # revoked through the store
        ("store_expired", "expired"),  # created already expired
        ("unknown", "invalid"),  # well-formed but never issued
        ("empty", "invalid"),  # an empty header value
        ("huge", "invalid"),  # refused before hashing anything big
    ],
)
def test_verify(which: str, outcome: str) -> None:
    async def scenario() -> str:
        store = FlakyStore()
        auth = Authenticator(store, _static(), LOCAL)
        active = await store.create("a", frozenset({"detect"}), None, None)
        revoked = await store.create("r", frozenset({"detect"}), None, None)
        await store.revoke(revoked.record.key_id)
        expired = await store.create("e", frozenset({"detect"}), None, time.time() - 1)
        key = {
            "admin": ADMIN,
            "file_expired": FILE_EXPIRED,
            "file_revoked": FILE_REVOKED,
            "store_active": active.api_key,
            "store_revoked": revoked.api_key,
            "store_expired": expired.api_key,
            "unknown": generate_key(),
            "empty": "",
            "huge": "psk_" + "a" * 5000,
        }[which]
        try:
            rec = await auth.verify(key)
        except AuthFailure as exc:
            assert exc.status == 401
            return exc.reason
        return "admin" if rec.key_id == "admin" else "ok"

    assert arun(scenario()) == outcome


@pytest.mark.parametrize(
    ("seen_before", "ttl", "outcome"),
    [
        (True, 30.0, "ok"),  # verified moments ago: served from the local cache
        (True, 0.0, "unavailable"),  # the cache window has passed: 503, never a guess
        (False, 30.0, "unavailable"),  # never seen by this replica: cannot be told from a bad key
    ],
)
def test_redis_outage_uses_recently_validated_keys(seen_before: bool, ttl: float, outcome: str) -> None:
    async def scenario() -> str:
        store = FlakyStore()
        auth = Authenticator(store, {}, LOCAL, recent_ttl=ttl)
        new = await store.create("a", frozenset({"detect"}), None, None)
        if seen_before:
            await auth.verify(new.api_key)
        store.down = True
        try:
            await auth.verify(new.api_key)
        except AuthFailure as exc:
            assert exc.status == 503
            return exc.reason
        return "ok"

    assert arun(scenario()) == outcome


def test_a_revocation_seen_before_the_outage_is_honoured_during_it() -> None:
    async def scenario() -> str:
        store = FlakyStore()
        auth = Authenticator(store, {}, LOCAL)
        new = await store.create("a", frozenset({"detect"}), None, None)
        await auth.verify(new.api_key)
        await store.revoke(new.record.key_id)
        with pytest.raises(AuthFailure):
            await auth.verify(new.api_key)  # revoked: forgotten locally
        store.down = True
        try:
            await auth.verify(new.api_key)
        except AuthFailure as exc:
            return exc.reason
        return "accepted"

    assert arun(scenario()) == "unavailable"


def test_failures_never_carry_the_key() -> None:
    async def scenario() -> str:
        auth = Authenticator(FlakyStore(), {}, LOCAL)
        key = generate_key()
        try:
            await auth.verify(key)
        except AuthFailure as exc:
            return f"{exc} {exc.message} {exc.args}" + ("LEAK" if key in str(exc.args) else "")
        return "LEAK"

    assert "LEAK" not in arun(scenario())
