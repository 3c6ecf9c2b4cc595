"""API keys: generation, keyed hashing, the key record and the two stores.

A key is ``psk_`` + 43 url-safe characters (256 random bits), shown once at
creation.  Only ``HMAC-SHA256(API_KEY_HASH_SECRET, key)`` is stored; a lookup hashes
the presented key and fetches the record by that hash (keys are high-entropy, so a
keyed hash is the right tool: argon2 would cost ~150 ms per request).

Stores (one protocol, :class:`KeyStore`):

- :class:`MemoryKeyStore`: per process (embedded mode, one replica);
- :class:`RedisKeyStore`: shared by every replica.  All key data sits in one Redis
  hash (``<prefix>{apikeys}``, one cluster slot), fields ``h:<hash>`` -> record JSON
  and ``i:<key_id>`` -> hash.  Without API_KEY_HASH_SECRET the HMAC secret is created
  once in Redis with ``SET NX`` so all replicas share it.

Read-only keys (the bootstrap ADMIN_API_KEY and the keys file) live in
:mod:`prompt_sentinel.store.keys_file` and :mod:`prompt_sentinel.store.auth`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import orjson

from prompt_sentinel.store.redis_client import RedisLink, StoreUnavailable

KEY_PREFIX = "psk_"
MIN_RANDOM_CHARS = 32
MAX_KEY_CHARS = 512
PERMISSIONS = ("detect", "admin")
Permission = Literal["detect", "admin"]
Status = Literal["active", "revoked", "expired"]
Source = Literal["store", "file", "env"]
_URLSAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def generate_key() -> str:
    """A new API key: ``psk_`` + 43 url-safe characters (32 random bytes)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def new_key_id() -> str:
    return "key_" + secrets.token_hex(8)


def is_well_formed(key: str) -> bool:
    """``psk_`` + at least 32 url-safe characters."""
    body = key[len(KEY_PREFIX) :]
    return (
        key.startswith(KEY_PREFIX)
        and MIN_RANDOM_CHARS <= len(body) <= MAX_KEY_CHARS
        and all(c in _URLSAFE for c in body)
    )


class KeyHasher:
    """HMAC-SHA256 of a key under a secret; the only form in which keys are stored."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def __call__(self, key: str) -> str:
        return hmac.new(self._secret, key.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One API key's record (never the key itself)."""

    key_id: str
    name: str
    key_hash: str
    permissions: frozenset[str]
    created_at: float
    rate_limit: int | None = None
    expires_at: float | None = None
    revoked_at: float | None = None
    source: Source = "store"
    hint: str = ""  # the first characters, to recognise a key in a list

    def status(self, now: float | None = None) -> Status:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and (now if now is not None else time.time()) >= self.expires_at:
            return "expired"
        return "active"

    def public(self) -> dict[str, object]:
        """What the admin API and the CLI show: everything but the hash."""
        return {
            "key_id": self.key_id,
            "name": self.name,
            "permissions": sorted(self.permissions),
            "rate_limit": self.rate_limit,
            "created_at": iso(self.created_at),
            "expires_at": iso(self.expires_at),
            "revoked_at": iso(self.revoked_at),
            "status": self.status(),
            "source": self.source,
            "hint": self.hint,
        }

    def dumps(self) -> bytes:
        return orjson.dumps(
            {
                "id": self.key_id,
                "name": self.name,
                "hash": self.key_hash,
                "perms": sorted(self.permissions),
                "rl": self.rate_limit,
                "c": self.created_at,
                "e": self.expires_at,
                "r": self.revoked_at,
                "hint": self.hint,
            }
        )

    @classmethod
    def loads(cls, raw: bytes | str) -> ApiKey:
        d = orjson.loads(raw)
        return cls(
            key_id=d["id"],
            name=d["name"],
            key_hash=d["hash"],
            permissions=frozenset(d["perms"]),
            created_at=d["c"],
            rate_limit=d.get("rl"),
            expires_at=d.get("e"),
            revoked_at=d.get("r"),
            hint=d.get("hint", ""),
        )


def iso(ts: float | None) -> str | None:
    if not ts:  # None, or 0 for a keys-file entry without created_at
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


@dataclass(frozen=True, slots=True)
class NewKey:
    """A freshly created or rotated key: the only time the secret is visible."""

    api_key: str
    record: ApiKey


class KeyStore(Protocol):
    """Where created keys live.  Every method may raise StoreUnavailable (Redis down)."""

    backend: str

    async def lookup(self, key: str) -> ApiKey | None: ...
    async def get(self, key_id: str) -> ApiKey | None: ...
    async def list(self) -> list[ApiKey]: ...
    async def create(
        self,
        name: str,
        permissions: frozenset[str],
        rate_limit: int | None,
        expires_at: float | None,
    ) -> NewKey: ...
    async def revoke(self, key_id: str) -> ApiKey | None: ...
    async def rotate(self, key_id: str) -> NewKey | None: ...


def _record(
    key: str,
    hasher: KeyHasher,
    key_id: str,
    name: str,
    permissions: frozenset[str],
    rate_limit: int | None,
    expires_at: float | None,
    created_at: float | None = None,
) -> ApiKey:
    return ApiKey(
        key_id=key_id,
        name=name,
        key_hash=hasher(key),
        permissions=permissions,
        created_at=created_at if created_at is not None else time.time(),
        rate_limit=rate_limit,
        expires_at=expires_at,
        hint=key[:8],
    )


@dataclass
class MemoryKeyStore:
    """Keys in this process only (embedded mode)."""

    hasher: KeyHasher
    backend: str = "memory"
    _by_hash: dict[str, ApiKey] = field(default_factory=dict)
    _hash_of: dict[str, str] = field(default_factory=dict)

    async def lookup(self, key: str) -> ApiKey | None:
        h = self.hasher(key)
        rec = self._by_hash.get(h)
        return rec if rec is not None and hmac.compare_digest(rec.key_hash, h) else None

    async def get(self, key_id: str) -> ApiKey | None:
        h = self._hash_of.get(key_id)
        return self._by_hash.get(h) if h else None

    async def list(self) -> list[ApiKey]:
        return sorted(self._by_hash.values(), key=lambda r: r.created_at)

    async def create(
        self,
        name: str,
        permissions: frozenset[str],
        rate_limit: int | None,
        expires_at: float | None,
    ) -> NewKey:
        key = generate_key()
        rec = _record(key, self.hasher, new_key_id(), name, permissions, rate_limit, expires_at)
        self._by_hash[rec.key_hash] = rec
        self._hash_of[rec.key_id] = rec.key_hash
        return NewKey(key, rec)

    async def revoke(self, key_id: str) -> ApiKey | None:
        rec = await self.get(key_id)
        if rec is None:
            return None
        if rec.revoked_at is None:
            rec = replace(rec, revoked_at=time.time())
            self._by_hash[rec.key_hash] = rec
        return rec

    async def rotate(self, key_id: str) -> NewKey | None:
        old = await self.get(key_id)
        if old is None:
            return None
        key = generate_key()
        rec = replace(old, key_hash=self.hasher(key), hint=key[:8])
        del self._by_hash[old.key_hash]
        self._by_hash[rec.key_hash] = rec
        self._hash_of[key_id] = rec.key_hash
        return NewKey(key, rec)


# Rotation must drop the old hash and add the new one atomically (one slot: cluster-safe).
_ROTATE = """
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 1
"""


class RedisKeyStore:
    """Keys shared by every replica through Redis (see the module docstring)."""

    backend = "redis"

    def __init__(self, link: RedisLink, secret: bytes | None = None) -> None:
        self.link = link
        self.hkey = link.key("{apikeys}")
        self.secret_key = link.key("{apikeys}", "hmac-secret")
        self._configured = secret is not None
        self._hasher: KeyHasher | None = KeyHasher(secret) if secret is not None else None
        self._known_secret = ""
        self._rotate = link.client.register_script(_ROTATE)
        if not self._configured:
            link.on_reconnect.append(self.sync_secret)

    async def sync_secret(self) -> None:
        """Fetch the shared HMAC secret, creating it once (SET NX) when there is none.

        After a Redis restart that lost it, a replica re-installs the one it already
        holds, so the replicas keep agreeing.
        """
        if self._configured:
            return
        candidate = secrets.token_hex(32) if self._hasher is None else self._known_secret
        await self.link.run("apikeys_secret", lambda c: c.set(self.secret_key, candidate, nx=True))
        value = await self.link.run("apikeys_secret", lambda c: c.get(self.secret_key))
        if value is None:
            raise StoreUnavailable("the shared API key secret is missing in Redis")
        text = value.decode() if isinstance(value, bytes) else str(value)
        self._known_secret = text
        self._hasher = KeyHasher(bytes.fromhex(text) if _is_hex(text) else text.encode())

    async def hasher(self) -> KeyHasher:
        if self._hasher is None:
            await self.sync_secret()
        assert self._hasher is not None
        return self._hasher

    async def lookup(self, key: str) -> ApiKey | None:
        h = (await self.hasher())(key)
        raw = await self.link.run("apikeys_lookup", lambda c: c.hget(self.hkey, "h:" + h))
        if raw is None:
            return None
        rec = ApiKey.loads(raw)
        return rec if hmac.compare_digest(rec.key_hash, h) else None

    async def get(self, key_id: str) -> ApiKey | None:
        h = await self.link.run("apikeys_get", lambda c: c.hget(self.hkey, "i:" + key_id))
        if h is None:
            return None
        field_name = "h:" + (h.decode() if isinstance(h, bytes) else h)
        raw = await self.link.run("apikeys_get", lambda c: c.hget(self.hkey, field_name))
        return ApiKey.loads(raw) if raw is not None else None

    async def list(self) -> list[ApiKey]:
        data = await self.link.run("apikeys_list", lambda c: c.hgetall(self.hkey))
        recs = [
            ApiKey.loads(v) for k, v in data.items() if (k.decode() if isinstance(k, bytes) else k).startswith("h:")
        ]
        return sorted(recs, key=lambda r: r.created_at)

    async def create(
        self,
        name: str,
        permissions: frozenset[str],
        rate_limit: int | None,
        expires_at: float | None,
    ) -> NewKey:
        hasher = await self.hasher()
        key = generate_key()
        rec = _record(key, hasher, new_key_id(), name, permissions, rate_limit, expires_at)
        mapping = {"h:" + rec.key_hash: rec.dumps(), "i:" + rec.key_id: rec.key_hash}
        await self.link.run("apikeys_write", lambda c: c.hset(self.hkey, mapping=mapping))
        return NewKey(key, rec)

    async def revoke(self, key_id: str) -> ApiKey | None:
        rec = await self.get(key_id)
        if rec is None:
            return None
        if rec.revoked_at is None:
            rec = replace(rec, revoked_at=time.time())
            data = rec.dumps()
            await self.link.run("apikeys_write", lambda c: c.hset(self.hkey, "h:" + rec.key_hash, data))
        return rec

    async def rotate(self, key_id: str) -> NewKey | None:
        old = await self.get(key_id)
        if old is None:
            return None
        hasher = await self.hasher()
        key = generate_key()
        rec = replace(old, key_hash=hasher(key), hint=key[:8])
        args = ["h:" + old.key_hash, "h:" + rec.key_hash, rec.dumps(), "i:" + key_id, rec.key_hash]
        await self.link.run("apikeys_write", lambda c: self._rotate(keys=[self.hkey], args=args, client=c))
        return NewKey(key, rec)


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return len(text) >= 32
