"""The Dockerfile: lint, structure, and its CMD and HEALTHCHECK run outside a container
(no container engine runs here, so the image itself is not built in these tests)."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.deploy.artifacts import Dockerfile
from tests.deploy.conftest import Container
from tests.deploy.support import ROOT

BIN = Path(sys.executable).parent


DOCKERFILES = [ROOT / "Dockerfile", *sorted((ROOT / "deploy" / "docker").glob("*.Dockerfile"))]


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_clean(path: Path) -> None:
    proc = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_multi_stage_slim_non_root() -> None:
    df = Dockerfile.parse()
    assert len(df.stages) >= 2
    assert df.base_images() == ["python:3.11-slim-bookworm"] * len(df.stages)
    user = df.all("USER")[-1]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0  # numeric, so runAsNonRoot can verify it
    # the runtime stage copies the built environment, not the sources
    assert any("--from=builder" in a for a in df.all("COPY"))
    assert not any(a.strip().startswith("src") for a in df.all("COPY"))


def test_ports_and_command_match_the_service() -> None:
    from prompt_sentinel.settings import Settings

    df = Dockerfile.parse()
    fields = Settings.model_fields
    assert df.exposed() == {fields["port"].default, fields["metrics_port"].default} == {8080, 9090}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert df.cmd() == ["promptsentinel", "serve"] and "promptsentinel" in scripts
    health = df.healthcheck()
    assert "curl" not in health and health[0] == "python"  # the slim image has no curl


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's .dockerignore rule: the last matching pattern wins; '!' re-includes."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]  # a dir covers its files

    def matches(pat: str) -> bool:
        if pat.startswith("**/"):
            tail = pat[3:]
            return any(fnmatch.fnmatchcase(p, tail) or fnmatch.fnmatchcase(p, "*/" + tail) for p in prefixes)
        return any(fnmatch.fnmatchcase(p, pat) for p in prefixes)

    ignored = False
    for pat in patterns:
        if matches(pat.lstrip("!").rstrip("/")):
            ignored = not pat.startswith("!")
    return ignored


def _patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize(
    ("path", "sent"),
    [
        # the package and its data (the model files live under models/)
        ("src/prompt_sentinel/settings.py", True),
        ("src/prompt_sentinel/models/ngram_lr.npz", True),
        ("src/prompt_sentinel/patterns/injection.py", True),
        # what pip needs to build it
        ("pyproject.toml", True),
        ("README.md", True),
        # the runtime config and the health checker
        ("config/config.yaml", True),
        ("deploy/docker/healthcheck.py", True),
        # never the local virtualenv, git, caches or training data
        (".venv/bin/python", False),
        (".git/HEAD", False),
        ("src/prompt_sentinel/__pycache__/cli.cpython-311.pyc", False),
        ("training/cache/x", False),
        ("tests/conftest.py", False),
    ],
)
def test_dockerignore(path: str, sent: bool) -> None:
    assert _ignored(path, _patterns()) is not sent


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_copy_sources_exist_and_are_sent(path: Path) -> None:
    df = Dockerfile.parse(path)
    for stage in df.stages:
        for args in df.all("COPY", stage):
            if "--from=" in args:
                continue
            *sources, _dest = [a for a in args.split() if not a.startswith("--")]
            for src in sources:
                assert (ROOT / src).exists(), src
                assert not _ignored(src.rstrip("/"), _patterns()), f"{src} is excluded by .dockerignore"


def test_cmd_serves_health_and_healthcheck_passes(container: Container) -> None:
    import httpx

    assert httpx.get(f"{container.url}/health", timeout=5).json()["status"] == "ok"
    assert httpx.get(f"{container.url}/health/detailed", timeout=5).json()["environment"] == "production"
    assert "promptsentinel_" in httpx.get(f"{container.metrics_url}/metrics", timeout=5).text
    health = Dockerfile.parse().healthcheck()
    cmd = [
        sys.executable if health[0] == "python" else health[0],
        str(ROOT / "deploy" / "docker" / "healthcheck.py"),
        *health[2:],
    ]
    ok = subprocess.run(cmd, env=container.env, capture_output=True, text=True, timeout=30)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize(
    ("path", "env", "code"),
    [
        # readiness path answers 200
        ("/health/ready", {}, 0),
        # a path that does not exist is unhealthy
        ("/nope", {}, 1),
        # nothing listening on the port is unhealthy
        ("/health", {"PORT": "1"}, 1),
        # ENABLE_TLS switches to https; this server speaks plain HTTP, so it fails
        ("/health", {"ENABLE_TLS": "true"}, 1),
    ],
)
def test_healthcheck_script(container: Container, path: str, env: dict[str, str], code: int) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "docker" / "healthcheck.py"), path],
        env={**container.env, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == code, proc.stderr
