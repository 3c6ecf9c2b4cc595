"""API key stores (memory and Redis): create, look up, revoke, rotate; only keyed hashes stored."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pydantic import SecretStr

from prompt_sentinel.settings import Settings
from prompt_sentinel.store import build_state, connect, key_store
from prompt_sentinel.store.api_keys import (
    ApiKey,
    KeyHasher,
    KeyStore,
    MemoryKeyStore,
    RedisKeyStore,
    generate_key,
    is_well_formed,
)
from tests.store.conftest import arun


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        (generate_key(), True),  # what we hand out
        ("psk_" + "a" * 32, True),  # the minimum: 32 url-safe characters
        ("psk_" + "a" * 31, False),  # one short
        ("sk_" + "a" * 40, False),  # wrong prefix
        ("psk_" + "a" * 31 + "/", False),  # not url-safe
        ("psk_" + "a" * 600, False),  # absurdly long
    ],
)
def test_key_format(key: str, ok: bool) -> None:
    assert is_well_formed(key) is ok


def test_generated_keys_are_unique_and_long() -> None:
    keys = {generate_key() for _ in range(200)}
    assert len(keys) == 200 and all(len(k) == 47 for k in keys)


def test_hash_is_keyed() -> None:
    key = generate_key()
    assert KeyHasher(b"one")(key) == KeyHasher(b"one")(key) != KeyHasher(b"two")(key)


def test_record_round_trips_through_json() -> None:
    rec = ApiKey(
        "key_1",
        "n",
        "h" * 64,
        frozenset({"detect", "admin"}),
        1.5,
        7,
        2.5,
        None,
        "store",
        "psk_abcd",
    )
    assert ApiKey.loads(rec.dumps()) == rec


def _stores(redis_settings: Settings) -> dict[str, Callable[[], KeyStore]]:
    return {
        "memory": lambda: MemoryKeyStore(KeyHasher(b"s" * 32)),
        "redis": lambda: key_store(redis_settings, connect(redis_settings)),
    }


async def _close(store: KeyStore) -> None:
    if isinstance(store, RedisKeyStore):
        await store.link.close()


def _with_store(factory: Callable[[], KeyStore], body: Callable[[KeyStore], Awaitable[Any]]) -> Any:
    async def go() -> Any:
        store = factory()
        try:
            return await body(store)
        finally:
            await _close(store)

    return arun(go())


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_lifecycle(backend: str, redis_settings: Settings) -> None:
    async def body(store: KeyStore) -> None:
        new = await store.create("svc", frozenset({"detect"}), 5, None)
        assert is_well_formed(new.api_key)
        found = await store.lookup(new.api_key)
        assert found is not None and found.key_id == new.record.key_id and found.rate_limit == 5
        assert await store.lookup(generate_key()) is None
        # rotate: same id, new secret, old one dead
        rotated = await store.rotate(new.record.key_id)
        assert rotated is not None and rotated.record.key_id == new.record.key_id
        assert await store.lookup(new.api_key) is None
        assert (await store.lookup(rotated.api_key)) is not None
        # revoke: the record stays (status revoked) so the caller gets a precise 401
        revoked = await store.revoke(new.record.key_id)
        assert revoked is not None and revoked.status() == "revoked"
        again = await store.lookup(rotated.api_key)
        assert again is not None and again.status() == "revoked"
        assert [r.key_id for r in await store.list()] == [new.record.key_id]
        assert await store.get("key_missing") is None
        assert await store.revoke("key_missing") is None and await store.rotate("key_missing") is None

    _with_store(_stores(redis_settings)[backend], body)


def test_expiry_status() -> None:
    rec = ApiKey("k", "n", "h", frozenset({"detect"}), time.time(), expires_at=time.time() - 1)
    assert rec.status() == "expired" and rec.public()["status"] == "expired"
    assert "key_hash" not in rec.public() and "h" not in rec.public().values()


def test_redis_holds_only_hashes(redis_settings: Settings) -> None:
    async def scenario() -> tuple[str, list[bytes]]:
        state = build_state(redis_settings)
        assert state.link is not None
        try:
            new = await state.keys.create("svc", frozenset({"detect"}), None, None)
            client = state.link.client
            blobs: list[bytes] = []
            async for k in client.scan_iter(match=redis_settings.redis_key_prefix + "*"):
                kind = await client.type(k)
                if kind == b"hash":
                    blobs.extend(b for kv in (await client.hgetall(k)).items() for b in kv)
                elif kind == b"string":
                    blobs.append(await client.get(k))
            return new.api_key, blobs
        finally:
            await state.close()

    key, blobs = arun(scenario())
    assert blobs and not any(key.encode() in b or key[4:20].encode() in b for b in blobs)


def test_replicas_share_the_generated_hmac_secret(redis_settings: Settings) -> None:
    async def scenario() -> tuple[bool, bool]:
        a, b = build_state(redis_settings), build_state(redis_settings)
        try:
            new = await a.keys.create("svc", frozenset({"detect"}), None, None)
            seen_by_b = await b.keys.lookup(new.api_key) is not None
            assert a.link is not None
            # Redis loses everything (cache-only Redis restarted): a replica re-installs
            # the secret it holds, so b and a keep agreeing on new keys.
            await a.link.client.flushdb()
            assert isinstance(a.keys, RedisKeyStore) and isinstance(b.keys, RedisKeyStore)
            await b.keys.sync_secret()
            await a.keys.sync_secret()
            new2 = await a.keys.create("svc2", frozenset({"detect"}), None, None)
            return seen_by_b, await b.keys.lookup(new2.api_key) is not None
        finally:
            await a.close()
            await b.close()

    assert arun(scenario()) == (True, True)


def test_a_configured_secret_is_never_written_to_redis(redis_settings: Settings) -> None:
    settings = redis_settings.model_copy(update={"api_key_hash_secret": SecretStr("x" * 32)})

    async def scenario() -> list[bytes]:
        state = build_state(settings)
        assert state.link is not None
        try:
            await state.keys.create("svc", frozenset({"detect"}), None, None)
            return [k async for k in state.link.client.scan_iter(match=settings.redis_key_prefix + "*")]
        finally:
            await state.close()

    keys = arun(scenario())
    assert keys and not any(b"hmac-secret" in k for k in keys)
