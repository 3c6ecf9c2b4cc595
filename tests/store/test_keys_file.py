"""The read-only keys file (the api_keys secret) and the CLI's writable view of it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from prompt_sentinel.settings import ConfigError, load_settings
from prompt_sentinel.store.api_keys import KeyHasher, generate_key
from prompt_sentinel.store.keys_file import FileKeyStore, load_keys_file
from tests.store.conftest import arun

K1, K2 = generate_key(), generate_key()
H = KeyHasher(b"k" * 32)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # a YAML list with every field
        (
            f"- id: front\n  name: frontend\n  key: {K1}\n  permissions: [detect, admin]\n"
            f"  rate_limit: 7\n  expires_at: 2999-01-01T00:00:00Z\n",
            [("front", "frontend", ("admin", "detect"), 7, "active")],
        ),
        # the {keys: [...]} shape, as `keys create --file` writes it; a past expiry
        (
            f"keys:\n  - key: {K1}\n    expires_at: 2001-01-01\n",
            [(None, None, ("detect",), None, "expired")],
        ),
        # JSON works (it is YAML); a revoked entry
        (
            f'[{{"key": "{K1}", "revoked_at": 1700000000}}]',
            [(None, None, ("detect",), None, "revoked")],
        ),
        # plain text: one key per line, comments and blank lines ignored
        (f"# keys\n{K1}\n\n{K2}\n", [(None, None, ("detect",), None, "active")] * 2),
    ],
)
def test_parses(tmp_path: Path, content: str, expected: list[tuple[object, ...]]) -> None:
    path = tmp_path / "api_keys"
    path.write_text(content)
    entries = load_keys_file(path, H)
    got = [
        (
            e.record.key_id,
            e.record.name,
            tuple(sorted(e.record.permissions)),
            e.record.rate_limit,
            e.record.status(),
        )
        for e in entries
    ]
    for g, exp in zip(got, expected, strict=True):
        assert all(x is None or x == y for x, y in zip(exp, g, strict=True)), g
    assert all(e.record.source == "file" and e.record.key_hash == H(e.key) for e in entries)
    # ids without an explicit one are stable (derived from the key), never the key itself
    assert all(e.record.key_id.startswith(("file_", "front")) and e.key not in e.record.key_id for e in entries)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- key: psk_short\n", "entry 1: 'key' must be psk_"),  # malformed key
        (f"- key: {K1}\n  colour: red\n", "unknown field(s) colour"),  # a typo'd field fails loudly
        (f"- key: {K1}\n  permissions: [root]\n", "'permissions'"),  # unknown permission
        (f"- key: {K1}\n  rate_limit: 0\n", "'rate_limit'"),  # non-positive limit
        (f"- key: {K1}\n  expires_at: soon\n", "ISO 8601"),  # unreadable time
        (f"- key: {K1}\n- key: {K1}\n", "duplicate"),  # the same key twice
        (f"- key: {K1}\n- 42\n", "entry 2"),  # the entry number is named
    ],
)
def test_errors_name_the_entry_never_the_key(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "api_keys"
    path.write_text(content)
    with pytest.raises(ConfigError, match="API_KEYS_FILE") as info:
        load_keys_file(path, H)
    assert message in str(info.value)
    assert K1 not in str(info.value) and "psk_short" not in str(info.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_keys_file(tmp_path / "missing", H)


def test_the_docker_secret_is_the_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("prompt_sentinel.settings_sources.SECRETS_DIR", tmp_path)
    assert load_settings().keys_file_path() is None
    (tmp_path / "api_keys").write_text(K1)
    assert load_settings().keys_file_path() == tmp_path / "api_keys"
    # required mode is accepted once some key source exists
    assert load_settings(authentication_mode="required").authentication_mode == "required"
    explicit = tmp_path / "other"
    assert load_settings(api_keys_file=explicit).keys_file_path() == explicit


def test_file_store_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    store = FileKeyStore(path)

    async def scenario() -> None:
        new = await store.create("batch", frozenset({"detect"}), 10, None)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert [r.key_id for r in await store.list()] == [new.record.key_id]
        rotated = await store.rotate(new.record.key_id)
        assert rotated is not None and rotated.api_key != new.api_key
        assert await store.lookup(new.api_key) is None and await store.lookup(rotated.api_key) is not None
        revoked = await store.revoke(new.record.key_id)
        assert revoked is not None and revoked.status() == "revoked"

    arun(scenario())
    # what the CLI wrote, the server reads
    (entry,) = load_keys_file(path, H)
    assert entry.record.name == "batch" and entry.record.rate_limit == 10 and entry.record.status() == "revoked"
