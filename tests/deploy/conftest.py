"""Fixtures for the deployment tests: the rendered Helm chart and the container's start
command run outside a container."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy import helm_harness
from tests.deploy.artifacts import Dockerfile
from tests.deploy.support import ROOT, engine_env
from tests.support.procs import free_port, wait_http


@pytest.fixture(scope="session")
def helm() -> None:
    """Helm's library; skipped (with the reason) only where it cannot be fetched."""
    try:
        helm_harness.library_path()
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        pytest.skip(f"Helm library unavailable (scripts/ensure-helm.sh failed): {detail[-300:]}")


@pytest.fixture(scope="session")
def helm_release(helm: None) -> helm_harness.Release:
    return helm_harness.render()


@dataclass
class Container:
    """The image's CMD with the image's ENV, run from a directory laid out like /app."""

    url: str
    metrics_url: str
    env: dict[str, str]
    workdir: Path
    proc: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="session")
def container() -> Iterator[Container]:
    df = Dockerfile.parse()
    workdir = Path(tempfile.mkdtemp(prefix="app-"))
    shutil.copytree(ROOT / "config", workdir / "config")  # COPY config/ /app/config/
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "COV_")) and k not in ("CONFIG_FILE", "PERFORMANCE_CONFIG_FILE")
    }
    env.update(df.env())
    # Differences from the container, and only these: loopback instead of 0.0.0.0, free
    # ports instead of 8080/9090 (which may be taken here), the venv on PATH, and the
    # classifier off while its model files are not trained yet.
    env.update(
        {
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "METRICS_PORT": str(free_port()),
            "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
            **engine_env(),
        }
    )
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(df.cmd(), env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        wait_http(f"{url}/health", 60, proc)
    except (RuntimeError, TimeoutError):
        proc.kill()
        tail = log.read_text()[-3000:]
        raise AssertionError(f"the image's CMD did not serve /health:\n{tail}") from None
    yield Container(url, f"http://127.0.0.1:{env['METRICS_PORT']}", env, workdir, proc, log)
    proc.terminate()
    proc.wait(30)
    shutil.rmtree(workdir, ignore_errors=True)
