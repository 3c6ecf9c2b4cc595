"""deploy/scripts/backup.sh and restore.sh against a real redis-server."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.deploy.support import DEPLOY, ROOT, ensure_tool
from tests.support.procs import CLI, Redis

SCRIPTS = DEPLOY / "scripts"
PREFIX = "promptsentinel:"


@pytest.fixture(scope="module")
def server() -> Iterator[Redis]:
    ensure_tool("ensure-redis.sh", "redis-server")
    with Redis() as r:
        yield r


@pytest.fixture
def db(server: Redis) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(server.url)
    client.flushall()
    yield client
    client.close()


def run(script: str, *args: str, url: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDIS_URL": url, "PYTHON": sys.executable}
    env.pop("REDIS_CLUSTER", None)
    proc = subprocess.run(
        ["bash", str(SCRIPTS / script), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def populate(db: redis.Redis) -> None:
    """Every Redis type the service uses (and some it may), with and without TTLs."""
    db.hset(PREFIX + "{apikeys}", mapping={"h:abc": '{"n": "app"}', "i:key_1": "abc"})
    db.set(PREFIX + "{apikeys}:hmac-secret", os.urandom(32))
    db.set(PREFIX + "v:" + "0" * 64, '{"verdict": "allow"}', ex=3600)
    db.set(PREFIX + "rl:k:key_1", "1700000000000", px=60_000)
    db.zadd(PREFIX + "z", {"a": 1.5, "b": 2})
    db.rpush(PREFIX + "l", "x", "y", b"\x00\xff")
    db.sadd(PREFIX + "s", "m")
    db.set("other-app:key", "not ours")


def snapshot(db: redis.Redis) -> dict[bytes, tuple[bytes, int]]:
    return {k: (db.dump(k), db.pttl(k)) for k in db.scan_iter(match=PREFIX + "*")}


def test_round_trip(db: redis.Redis, server: Redis, tmp_path: Path) -> None:
    populate(db)
    before = snapshot(db)
    config = tmp_path / "app" / "config"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text("detection:\n  mode: strict\n")
    keys_file = tmp_path / "api_keys.yaml"
    keys_file.write_text("keys:\n  - key: psk_" + "a" * 40 + "\n")
    dest = tmp_path / "backup"

    out = run(
        "backup.sh",
        "--dest",
        str(dest),
        "--config-dir",
        str(config),
        "--keys-file",
        str(keys_file),
        url=server.url,
        cwd=tmp_path,
    ).stdout
    stamp = out.strip().splitlines()[-1].split()[1]
    files = sorted(p.name for p in dest.iterdir())
    assert files == sorted(
        f"promptsentinel-{kind}-{stamp}.{ext}{sha}"
        for kind, ext in (("redis", "jsonl.gz"), ("config", "tar.gz"))
        for sha in ("", ".sha256")
    )
    assert oct((dest / f"promptsentinel-config-{stamp}.tar.gz").stat().st_mode & 0o777) == "0o600"

    db.flushall()
    db.set(PREFIX + "stray", "not in the backup")
    db.set("other-app:key", "still here")
    run(
        "restore.sh",
        "--stamp",
        stamp,
        "--from",
        str(dest),
        "--config-dest",
        str(tmp_path / "restored"),
        "--delete-others",
        url=server.url,
        cwd=tmp_path,
    )

    after = snapshot(db)
    assert set(after) == set(before)  # the stray key is gone, nothing is missing
    for key, (payload, ttl) in before.items():
        assert after[key][0] == payload, key  # identical serialised value
        if ttl < 0:
            assert after[key][1] == -1, key  # no TTL stays no TTL
        else:
            assert 0 < after[key][1] <= ttl, key  # remaining TTL kept, not reset
    assert db.get("other-app:key") == b"still here"  # keys outside the prefix untouched
    restored = tmp_path / "restored"
    assert (restored / "config" / "config.yaml").read_text() == "detection:\n  mode: strict\n"
    assert (restored / "api_keys.yaml").read_text() == keys_file.read_text()


def test_dry_runs_change_nothing(db: redis.Redis, server: Redis, tmp_path: Path) -> None:
    populate(db)
    dest = tmp_path / "backup"
    out = run(
        "backup.sh",
        "--dry-run",
        "--dest",
        str(dest),
        "--config-dir",
        str(ROOT / "config"),
        url=server.url,
        cwd=tmp_path,
    ).stdout
    assert "7 keys match" in out
    assert not dest.exists()
    run(
        "backup.sh",
        "--dest",
        str(dest),
        "--config-dir",
        str(ROOT / "config"),
        url=server.url,
        cwd=tmp_path,
    )
    snap = next(dest.glob("promptsentinel-redis-*.jsonl.gz"))
    db.set(PREFIX + "v:" + "0" * 64, "changed")
    db.set(PREFIX + "stray", "x")
    before = {k: v[0] for k, v in snapshot(db).items()}  # values (TTLs tick on)
    out = run(
        "restore.sh",
        "--redis",
        str(snap),
        "--dry-run",
        "--delete-others",
        url=server.url,
        cwd=tmp_path,
    ).stdout
    assert "would restore 7 keys" in out and "delete 1 keys" in out
    assert {k: v[0] for k, v in snapshot(db).items()} == before


def test_keep_existing(db: redis.Redis, server: Redis, tmp_path: Path) -> None:
    populate(db)
    run(
        "backup.sh",
        "--dest",
        str(tmp_path),
        "--config-dir",
        str(tmp_path / "none"),
        url=server.url,
        cwd=tmp_path,
    )
    snap = next(tmp_path.glob("promptsentinel-redis-*.jsonl.gz"))
    db.set(PREFIX + "l", "newer")
    db.delete(PREFIX + "s")
    run("restore.sh", "--redis", str(snap), "--keep-existing", url=server.url, cwd=tmp_path)
    assert db.get(PREFIX + "l") == b"newer"  # kept
    assert db.smembers(PREFIX + "s") == {b"m"}  # missing one restored


@pytest.mark.parametrize(
    "damage",
    [
        # a flipped byte: the checksum no longer matches
        "corrupt",
        # a snapshot cut short (and its checksum regenerated): the end marker is missing
        "truncate",
    ],
)
def test_damaged_backups_are_refused(db: redis.Redis, server: Redis, tmp_path: Path, damage: str) -> None:
    populate(db)
    run(
        "backup.sh",
        "--dest",
        str(tmp_path),
        "--config-dir",
        str(tmp_path / "none"),
        url=server.url,
        cwd=tmp_path,
    )
    snap = next(tmp_path.glob("promptsentinel-redis-*.jsonl.gz"))
    if damage == "corrupt":
        data = bytearray(snap.read_bytes())
        data[-5] ^= 0xFF
        snap.write_bytes(bytes(data))
    else:
        lines = gzip.decompress(snap.read_bytes()).splitlines(keepends=True)
        snap.write_bytes(gzip.compress(b"".join(lines[:-2])))
        subprocess.run(f"sha256sum {snap.name} > {snap.name}.sha256", shell=True, check=True, cwd=tmp_path)
    db.flushall()
    proc = run("restore.sh", "--redis", str(snap), url=server.url, cwd=tmp_path, check=False)
    assert proc.returncode != 0
    assert ("checksum" if damage == "corrupt" else "truncated") in proc.stderr
    assert db.dbsize() == 0


def test_real_api_keys_survive(db: redis.Redis, server: Redis, tmp_path: Path) -> None:
    """Keys created by the service's own CLI are usable again after a restore."""
    env = {**os.environ, "REDIS_URL": server.url}
    created = subprocess.run(
        [str(CLI), "keys", "create", "--name", "backup-test", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "backup-test" in created.stdout
    run(
        "backup.sh",
        "--dest",
        str(tmp_path),
        "--config-dir",
        str(tmp_path / "none"),
        url=server.url,
        cwd=tmp_path,
    )
    db.flushall()
    run(
        "restore.sh",
        "--redis",
        str(next(tmp_path.glob("promptsentinel-redis-*.jsonl.gz"))),
        url=server.url,
        cwd=tmp_path,
    )
    listed = subprocess.run([str(CLI), "keys", "list"], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert "backup-test" in listed.stdout
