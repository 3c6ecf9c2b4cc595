"""Start a real redis-server on a shipped redis.conf (loopback, temporary directory)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from tests.support.procs import free_port


def check_redis_conf(text: str, workdir: Path) -> dict[str, str]:
    """Run redis-server with the config (port, dir and cluster file overridden) and return
    CONFIG GET * ; raises AssertionError with Redis' message when it refuses the file."""
    conf = workdir / "redis.conf"
    conf.write_text(text)
    port = free_port()
    args = [
        "redis-server",
        str(conf),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(workdir),
        "--daemonize",
        "no",
    ]
    if "cluster-enabled yes" in text:
        # the bus port defaults to port + 10000, which may be taken or out of range
        args += ["--cluster-config-file", str(workdir / "nodes.conf")]
        args += ["--cluster-port", str(free_port())]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise AssertionError(f"redis-server refused the config:\n{out[-1500:]}")
            got = subprocess.run(
                ["redis-cli", "-p", str(port), "config", "get", "*"],
                capture_output=True,
                text=True,
                timeout=5,
            )
            if got.returncode == 0 and got.stdout.strip():
                items = got.stdout.splitlines()
                return dict(zip(items[::2], items[1::2], strict=False))
            time.sleep(0.1)
        raise AssertionError("redis-server did not start")
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
