"""Helpers for the shared-state end-to-end tests: replicas, Redis restarts, a Redis Cluster."""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Mapping
from typing import Any

import httpx

from tests.support.procs import Redis, Server, wait_http


def start_servers(*envs: Mapping[str, str]) -> list[Server]:
    """Start several `promptsentinel serve` processes at once and wait for all of them."""
    servers = [Server(env=dict(env)).start(wait=False) for env in envs]
    try:
        for s in servers:
            wait_http(f"{s.url}/health", 90.0, s.proc, verify=False)
    except Exception:
        for s in servers:
            s.stop()
        raise
    return servers


def detect(srv: Server, key: str | None, prompt: str = "hello there", **kw: Any) -> httpx.Response:
    headers = {"X-API-Key": key} if key else {}
    return httpx.post(f"{srv.url}/api/v1/detect", json={"prompt": prompt}, headers=headers, timeout=30, **kw)


def admin(srv: Server, key: str, method: str, path: str = "", **kw: Any) -> httpx.Response:
    return httpx.request(
        method,
        f"{srv.url}/api/v1/admin/api-keys{path}",
        headers={"X-API-Key": key},
        timeout=30,
        **kw,
    )


def create_key(srv: Server, admin_key: str, **body: Any) -> dict[str, Any]:
    r = admin(srv, admin_key, "POST", json={"name": "test", **body})
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


def ready(srv: Server) -> dict[str, Any]:
    data: dict[str, Any] = httpx.get(f"{srv.url}/health/ready", timeout=10).json()
    return data


def wait_ready_status(servers: list[Server], status: str, timeout: float = 20.0) -> list[dict[str, Any]]:
    """Poll /health/ready on every server until each reports ``status``."""
    deadline = time.monotonic() + timeout
    while True:
        seen = [ready(s) for s in servers]
        if all(r["status"] == status for r in seen):
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"readiness never became {status}: {seen}")
        time.sleep(0.1)


def restart_redis(old: Redis) -> Redis:
    """A new redis-server on the same port, directory and options (AOF data survives)."""
    return Redis(port=old.port, args=old.args, workdir=old.workdir).start()


def _cluster_port() -> int:
    # A cluster node also listens on port + 10000 (the cluster bus): both must be free.
    while True:
        port = random.randint(20000, 45000)
        try:
            for p in (port, port + 10000):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue


class RedisCluster:
    """Three masters joined with `redis-cli --cluster create` (no replicas)."""

    def __init__(self, size: int = 3) -> None:
        self.nodes = [
            Redis(
                port=_cluster_port(),
                args=(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-node-timeout",
                    "5000",
                ),
            )
            for _ in range(size)
        ]

    @property
    def seeds(self) -> str:
        return ",".join(f"127.0.0.1:{n.port}" for n in self.nodes[:2])

    def start(self) -> RedisCluster:
        cli = shutil.which("redis-cli")
        if cli is None:
            raise RuntimeError("redis-cli is not installed (scripts/ensure-redis.sh installs redis-tools)")
        for n in self.nodes:
            n.start()
        subprocess.run(
            [
                cli,
                "--cluster",
                "create",
                *[f"127.0.0.1:{n.port}" for n in self.nodes],
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            infos = [
                subprocess.run(
                    [cli, "-p", str(n.port), "cluster", "info"],
                    capture_output=True,
                    text=True,
                    timeout=10,
                ).stdout
                for n in self.nodes
            ]
            if all("cluster_state:ok" in i for i in infos):
                return self
            time.sleep(0.1)
        raise TimeoutError("the Redis Cluster never reached cluster_state:ok")

    def keys(self, pattern: str) -> list[str]:
        """Every key matching ``pattern`` across the masters."""
        out: list[str] = []
        for n in self.nodes:
            res = subprocess.run(
                ["redis-cli", "-p", str(n.port), "--scan", "--pattern", pattern],
                capture_output=True,
                text=True,
                timeout=10,
            )
            out.extend(line for line in res.stdout.splitlines() if line)
        return out

    def stop(self) -> None:
        for n in self.nodes:
            n.stop()
