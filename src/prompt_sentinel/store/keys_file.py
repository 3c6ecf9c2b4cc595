"""The keys file: read-only API keys for stateless deployments (the ``api_keys`` secret).

The server reads ``API_KEYS_FILE`` (else ``/run/secrets/api_keys`` when present) once at
start-up.  Two shapes are accepted:

- YAML (or JSON): a list of entries, or ``{"keys": [...]}``; each entry has ``key``
  (required), and optionally ``id``, ``name``, ``permissions`` (default ``[detect]``),
  ``rate_limit`` (requests per RATE_LIMIT_WINDOW), ``expires_at`` / ``created_at`` /
  ``revoked_at`` (ISO 8601 or epoch seconds);
- plain text: one key per line (``#`` comments allowed), each with ``detect``.

Keys must look like ``psk_`` + at least 32 url-safe characters.  A malformed file stops
start-up with a ConfigError naming the file and the entry number, never the key.

:class:`FileKeyStore` is the writable view the CLI uses (``promptsentinel keys ...
--file PATH``); the server never writes the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from prompt_sentinel.settings import ConfigError
from prompt_sentinel.store.api_keys import (
    PERMISSIONS,
    ApiKey,
    KeyHasher,
    NewKey,
    generate_key,
    is_well_formed,
    iso,
)


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One key of the file, plaintext included (it is the operator's secret)."""

    key: str
    record: ApiKey


def _ts(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp()
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError(f"{where}: not an ISO 8601 time") from None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()
    raise ConfigError(f"{where}: not a time")


def _entry(raw: Any, where: str, hasher: KeyHasher) -> FileEntry:
    if isinstance(raw, str):
        raw = {"key": raw}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a mapping with a 'key'")
    unknown = set(raw) - {
        "key",
        "id",
        "name",
        "permissions",
        "rate_limit",
        "created_at",
        "expires_at",
        "revoked_at",
    }
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    key = raw.get("key")
    if not isinstance(key, str) or not is_well_formed(key.strip()):
        raise ConfigError(f"{where}: 'key' must be psk_ followed by at least 32 url-safe characters")
    key = key.strip()
    perms = raw.get("permissions", ["detect"])
    if isinstance(perms, str):
        perms = [perms]
    if not isinstance(perms, list) or not perms or any(p not in PERMISSIONS for p in perms):
        raise ConfigError(f"{where}: 'permissions' must be a non-empty list of {', '.join(PERMISSIONS)}")
    limit = raw.get("rate_limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ConfigError(f"{where}: 'rate_limit' must be a positive integer")
    key_id = raw.get("id") or "file_" + hashlib.sha256(key.encode()).hexdigest()[:12]
    rec = ApiKey(
        key_id=str(key_id),
        name=str(raw.get("name") or key_id),
        key_hash=hasher(key),
        permissions=frozenset(perms),
        created_at=_ts(raw.get("created_at"), where) or 0.0,
        rate_limit=limit,
        expires_at=_ts(raw.get("expires_at"), where),
        revoked_at=_ts(raw.get("revoked_at"), where),
        source="file",
        hint=key[:8],
    )
    return FileEntry(key, rec)


def load_keys_file(path: Path, hasher: KeyHasher) -> list[FileEntry]:
    """Parse a keys file; raise ConfigError naming the file and entry on any problem."""
    label = f"API_KEYS_FILE {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        data = data.get("keys", [])
    if not isinstance(data, list):
        data = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    entries = [_entry(raw, f"{label}: entry {n}", hasher) for n, raw in enumerate(data, 1)]
    ids = [e.record.key_id for e in entries]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{label}: duplicate key ids or keys")
    return entries


def _dump(entry: FileEntry) -> dict[str, Any]:
    r = entry.record
    out: dict[str, Any] = {
        "id": r.key_id,
        "name": r.name,
        "key": entry.key,
        "permissions": sorted(r.permissions),
    }
    if r.rate_limit is not None:
        out["rate_limit"] = r.rate_limit
    for name, value in (
        ("created_at", r.created_at),
        ("expires_at", r.expires_at),
        ("revoked_at", r.revoked_at),
    ):
        if value:
            out[name] = iso(value)
    return out


class FileKeyStore:
    """The CLI's writable view of a keys file (written 0600, atomically)."""

    backend = "file"

    def __init__(self, path: Path) -> None:
        self.path = path
        # A random hash secret: the file holds the keys themselves, hashes are transient.
        self._hasher = KeyHasher(secrets.token_bytes(32))

    def _load(self) -> list[FileEntry]:
        return load_keys_file(self.path, self._hasher) if self.path.exists() else []

    def _save(self, entries: list[FileEntry]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("# PromptSentinel API keys (keep this file secret)\n")
            yaml.safe_dump({"keys": [_dump(e) for e in entries]}, fh, sort_keys=False)
        os.replace(tmp, self.path)

    async def lookup(self, key: str) -> ApiKey | None:
        return next((e.record for e in self._load() if e.key == key), None)

    async def get(self, key_id: str) -> ApiKey | None:
        return next((e.record for e in self._load() if e.record.key_id == key_id), None)

    async def list(self) -> list[ApiKey]:
        return [e.record for e in self._load()]

    async def create(
        self,
        name: str,
        permissions: frozenset[str],
        rate_limit: int | None,
        expires_at: float | None,
    ) -> NewKey:
        entries = self._load()
        key = generate_key()
        rec = ApiKey(
            key_id="key_" + secrets.token_hex(8),
            name=name,
            key_hash=self._hasher(key),
            permissions=permissions,
            created_at=time.time(),
            rate_limit=rate_limit,
            expires_at=expires_at,
            source="file",
            hint=key[:8],
        )
        self._save([*entries, FileEntry(key, rec)])
        return NewKey(key, rec)

    async def revoke(self, key_id: str) -> ApiKey | None:
        entries = self._load()
        for n, e in enumerate(entries):
            if e.record.key_id == key_id:
                if e.record.revoked_at is None:
                    entries[n] = FileEntry(e.key, replace(e.record, revoked_at=time.time()))
                    self._save(entries)
                return entries[n].record
        return None

    async def rotate(self, key_id: str) -> NewKey | None:
        entries = self._load()
        for n, e in enumerate(entries):
            if e.record.key_id == key_id:
                key = generate_key()
                rec = replace(e.record, key_hash=self._hasher(key), hint=key[:8])
                entries[n] = FileEntry(key, rec)
                self._save(entries)
                return NewKey(key, rec)
        return None
