#!/usr/bin/env python3
"""Logical backup and restore of PromptSentinel's Redis keys with DUMP / RESTORE.

Why not an RDB file: ``redis-cli --rdb`` downloads a snapshot of the *whole* server, and
the only way back is to stop Redis and put the file in its data directory (with AOF
switched off or rewritten), which needs access to the server's disk and downtime.  (The
deployment guide's ``redis-cli --pipe < dump.rdb`` cannot work at all: --pipe expects
Redis commands, not RDB.)  DUMP / RESTORE instead copies just our keys (REDIS_KEY_PREFIX,
default ``promptsentinel:``) over the normal connection, works on a live server, on managed
services without disk access and on Redis Cluster, and keeps each key's remaining TTL
(as an absolute expiry, RESTORE ... ABSTTL).  The payloads are Redis' own serialisation:
restore into the same or a newer Redis major version.

File format: gzip'd JSON lines; a header line, one line per key
``{"k": base64 key, "v": base64 DUMP payload, "x": expiry in unix ms or null}``, and an
end line with the count (a truncated file is detected).

Connection: the service's own variables, REDIS_URL or REDIS_CLUSTER (comma-separated
``host:port`` seeds or URLs), REDIS_PASSWORD or REDIS_PASSWORD_FILE.

    redis_snapshot.py dump --out FILE [--match 'promptsentinel:*'] [--dry-run]
    redis_snapshot.py restore --in FILE [--keep-existing] [--delete-others] [--dry-run]
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

FORMAT = "promptsentinel-redis-snapshot"
VERSION = 1


def _password() -> str | None:
    if os.environ.get("REDIS_PASSWORD"):
        return os.environ["REDIS_PASSWORD"]
    path = os.environ.get("REDIS_PASSWORD_FILE")
    return Path(path).read_text(encoding="utf-8").strip() if path else None


def connect() -> Any:
    """A redis-py client (standalone or cluster) from the service's environment variables."""
    try:
        import redis
        from redis.cluster import ClusterNode, RedisCluster
    except ImportError:
        sys.exit(
            "error: redis-py is required (it ships in the PromptSentinel image; "
            "elsewhere: pip install redis)"
        )
    password = _password()
    url = os.environ.get("REDIS_URL")
    seeds = os.environ.get("REDIS_CLUSTER")
    if url and seeds:
        sys.exit("error: set REDIS_URL or REDIS_CLUSTER, not both")
    if url:
        kwargs = {"password": password} if password else {}
        return redis.Redis.from_url(url, socket_timeout=30, **kwargs)
    if seeds:
        nodes, ssl = [], False
        for seed in (s.strip() for s in seeds.split(",") if s.strip()):
            parsed = urlparse(seed if "://" in seed else f"redis://{seed}")
            ssl = ssl or parsed.scheme == "rediss"
            password = password or parsed.password
            nodes.append(ClusterNode(parsed.hostname or "localhost", parsed.port or 6379))
        return RedisCluster(startup_nodes=nodes, password=password, ssl=ssl, socket_timeout=30)
    sys.exit("error: set REDIS_URL or REDIS_CLUSTER (the service's own variables)")


def _keys(client: Any, match: str) -> Iterator[bytes]:
    yield from client.scan_iter(match=match, count=1000)


def dump(out: Path | None, match: str, dry_run: bool) -> int:
    client = connect()
    if dry_run:
        n = sum(1 for _ in _keys(client, match))
        print(f"dry run: {n} keys match {match!r}; nothing written")
        return 0
    assert out is not None
    tmp = out.with_name(out.name + ".part")
    n = 0
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        info = client.info("server")
        version = info.get("redis_version") if isinstance(info, dict) else None
        fh.write(
            json.dumps(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "match": match,
                    "created_at_ms": int(time.time() * 1000),
                    "redis_version": version,
                }
            )
            + "\n"
        )
        for key in _keys(client, match):
            payload = client.dump(key)
            if payload is None:  # expired or deleted since SCAN saw it
                continue
            pttl = client.pttl(key)
            if pttl == -2:
                continue
            expire_at = int(time.time() * 1000) + pttl if pttl >= 0 else None
            fh.write(
                json.dumps(
                    {
                        "k": base64.b64encode(key).decode(),
                        "v": base64.b64encode(payload).decode(),
                        "x": expire_at,
                    }
                )
                + "\n"
            )
            n += 1
        fh.write(json.dumps({"end": True, "keys": n}) + "\n")
    tmp.replace(out)
    print(f"{n} keys matching {match!r} written to {out}")
    return 0


def read_snapshot(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Header and records; exits with a message on a wrong or truncated file."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines = [json.loads(line) for line in fh if line.strip()]
    except (OSError, EOFError, ValueError) as exc:
        sys.exit(f"error: {path}: not a readable snapshot ({exc})")
    if not lines or lines[0].get("format") != FORMAT:
        sys.exit(f"error: {path}: not a {FORMAT} file")
    if lines[0].get("version") != VERSION:
        sys.exit(f"error: {path}: snapshot version {lines[0].get('version')} is not supported")
    end = lines[-1]
    records = lines[1:-1]
    if not end.get("end") or end.get("keys") != len(records):
        sys.exit(f"error: {path}: truncated snapshot")
    return lines[0], records


def restore(src: Path, keep_existing: bool, delete_others: bool, dry_run: bool) -> int:
    header, records = read_snapshot(src)
    now = int(time.time() * 1000)
    live = [r for r in records if r["x"] is None or r["x"] > now + 1]
    expired = len(records) - len(live)
    client = connect()
    names = {base64.b64decode(r["k"]) for r in live}
    others = [k for k in _keys(client, header["match"]) if k not in names] if delete_others else []
    if dry_run:
        print(
            f"dry run: would restore {len(live)} keys ({expired} expired since the backup"
            f"{', existing keys kept' if keep_existing else ', existing keys replaced'})"
            + (f" and delete {len(others)} keys not in the backup" if delete_others else "")
        )
        return 0
    import redis

    restored = kept = 0
    for rec in live:
        key, payload = base64.b64decode(rec["k"]), base64.b64decode(rec["v"])
        args: list[Any] = [key, rec["x"] or 0, payload]
        if not keep_existing:
            args.append("REPLACE")
        if rec["x"] is not None:
            args.append("ABSTTL")
        try:
            client.execute_command("RESTORE", *args)
            restored += 1
        except redis.ResponseError as exc:
            if keep_existing and "BUSYKEY" in str(exc):
                kept += 1
                continue
            raise
    for key in others:
        client.delete(key)
    print(
        f"{restored} keys restored, {kept} existing kept, {expired} expired skipped, "
        f"{len(others)} others deleted"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="write the matching keys to a snapshot file")
    d.add_argument("--out", type=Path)
    d.add_argument("--match", default=os.environ.get("REDIS_KEY_PREFIX", "promptsentinel:") + "*")
    d.add_argument("--dry-run", action="store_true")
    r = sub.add_parser("restore", help="load a snapshot file into Redis")
    r.add_argument("--in", dest="src", type=Path, required=True)
    r.add_argument("--keep-existing", action="store_true", help="do not overwrite keys that exist")
    r.add_argument(
        "--delete-others",
        action="store_true",
        help="delete matching keys that are not in the snapshot",
    )
    r.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "dump":
        if args.out is None and not args.dry_run:
            parser.error("dump needs --out (or --dry-run)")
        return dump(args.out, args.match, args.dry_run)
    return restore(args.src, args.keep_existing, args.delete_others, args.dry_run)


if __name__ == "__main__":
    sys.exit(main())
