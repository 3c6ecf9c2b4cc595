"""Processes for the load, soak and fault benchmarks: servers, the echo app, Redis, wrk.

Everything listens on free loopback ports and is stopped by process id.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.procs import Redis, free_port, wait_http  # noqa: E402  (one copy for tests and benchmarks)

BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "prompts.lua"


@dataclass
class Proc:
    """One child process, its log file, and how to stop it."""

    cmd: list[str]
    env: dict[str, str]
    port: int
    health: str = "/health"
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="bench-", suffix=".log")[1]))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, wait: bool = True) -> Proc:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        if wait:
            self.wait()
        return self

    def wait(self) -> None:
        wait_http(self.url + self.health, 90.0, self.proc)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return int(self.proc.returncode)


def base_env() -> dict[str, str]:
    """This environment without a developer's PromptSentinel settings."""
    drop = {"AUTHENTICATION_MODE", "REDIS_URL", "REDIS_CLUSTER", "ADMIN_API_KEY", "LOG_CONFIG", "DETECTION_MODE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def server(workers: int = 1, env: Mapping[str, str] | None = None, port: int | None = None) -> Proc:
    """``promptsentinel serve`` with the shipped defaults plus ``env``."""
    port = port or free_port()
    e = base_env()
    e.update(
        {
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "METRICS_PORT": str(free_port()),
            "WORKERS": str(workers),
            "CONFIG_FILE": str(ROOT / "config" / "config.yaml"),
            "PERFORMANCE_CONFIG_FILE": str(ROOT / "config" / "performance.yaml"),
        }
    )
    e.update(env or {})
    return Proc([str(BIN / "promptsentinel"), "serve"], e, port)


def echo(workers: int = 1, kind: str = "asgi") -> Proc:
    port = free_port()
    cmd = [sys.executable, str(ROOT / "bench" / "echo_app.py"), "--port", str(port), "--workers", str(workers)]
    cmd += ["--kind", kind]
    return Proc(cmd, base_env(), port, health="/")


def redis() -> Redis:
    """A throwaway redis-server on a free loopback port (the tests' helper), started."""
    return Redis().start()


def _wrk_command(
    url: str, connections: int, seconds: float, chars: int, env: Mapping[str, str], threads: int
) -> tuple[list[str], dict[str, str]]:
    """wrk's argv and environment for one run of bench/prompts.lua against ``url``."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: bash bench/ensure-wrk.sh")
    full = {**os.environ, "PROMPT_CHARS": str(chars), "RUN_ID": f"{os.getpid()}{time.monotonic_ns()}", **env}
    cmd = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    return cmd, full


def wrk(
    url: str,
    connections: int,
    seconds: float,
    chars: int,
    *,
    same: bool = False,
    threads: int = 2,
    path: str = "/api/v1/detect",
    run_id: str | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One wrk run with bench/prompts.lua; its JSON summary plus ``rps`` and ``errors``."""
    env = {"SAME_PROMPT": "1" if same else "0", **({"RUN_ID": run_id} if run_id else {}), **(extra_env or {})}
    cmd, full = _wrk_command(url + path, connections, seconds, chars, env, threads)
    out = subprocess.run(cmd, env=full, capture_output=True, text=True, check=True).stdout
    return summary(out, cmd)


def wrk_start(
    url: str, connections: int, seconds: float, chars: int, env: Mapping[str, str], *, threads: int = 2
) -> tuple[subprocess.Popen[str], list[str]]:
    """wrk in the background (read its summary with :func:`summary` once it exits)."""
    cmd, full = _wrk_command(url + "/api/v1/detect", connections, seconds, chars, env, threads)
    return subprocess.Popen(cmd, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), cmd


def summary(out: str, cmd: list[str]) -> dict[str, Any]:
    """The JSON line bench/prompts.lua prints, plus ``rps``, ``errors`` and ``command``."""
    data: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    data["command"] = " ".join(cmd[:-3] + ["bench/prompts.lua", cmd[-1]])
    return data
