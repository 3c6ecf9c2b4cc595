"""Every name the deployment artefacts use exists in the service, and the other way round
for what a deployment must have: env vars are Settings fields (or aliases, or NAME_FILE
secrets) with values the service accepts, probe paths are routes the real process
serves, ports are PORT / METRICS_PORT, Docker secrets are settings the service reads,
metric names are registered metrics and images carry the package version."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import httpx
import pytest
import yaml

from tests.deploy import artifacts
from tests.deploy.artifacts import Workload
from tests.deploy.conftest import Container
from tests.deploy.helm_harness import Release
from tests.deploy.support import DEPLOY, ROOT

# Variables the service (or its runtime) reads that are not Settings fields.
NON_SETTINGS_ENV = {
    "CONFIG_FILE",
    "PERFORMANCE_CONFIG_FILE",
    "SECRETS_DIR",  # settings.py
    "PROMETHEUS_MULTIPROC_DIR",
    "OTEL_SERVICE_NAME",  # observability
    "PATH",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",  # the image's Python
    "HEALTHCHECK_TIMEOUT",  # deploy/docker/healthcheck.py
}
# Stand-ins for values that come from secrets, valid for the service's checks.
SECRET_STANDINS = {
    "ADMIN_API_KEY": "psk_" + "a" * 40,
    "API_KEY_HASH_SECRET": "s" * 32,
    "PII_HASH_SECRET": "p" * 32,
    "REDIS_URL": "redis://redis.example:6379/0",
}


def settings_env_names() -> set[str]:
    from prompt_sentinel.settings import SECRET_FIELDS, Settings

    names: set[str] = set()
    for name, info in Settings.model_fields.items():
        names.add(name.upper())
        alias = info.validation_alias
        for choice in getattr(alias, "choices", []) or []:
            names.add(str(choice).upper())
    names |= {f"{s.upper()}_FILE" for s in SECRET_FIELDS}
    return names


def _workloads(release: Release) -> list[Workload]:
    return artifacts.static_workloads() + artifacts.k8s_workloads(release.documents(), "helm")


@pytest.fixture(scope="module")
def workloads(helm_release: Release) -> list[Workload]:
    found = _workloads(helm_release)
    assert len(found) >= 12  # Dockerfile, 3 compose, 4 Kubernetes, ECS, ACI, Cloud Run, TF, Helm
    return found


def test_every_env_var_is_a_setting(workloads: list[Workload]) -> None:
    known = settings_env_names() | NON_SETTINGS_ENV
    unknown = {(w.source, name) for w in workloads for name in w.env if name not in known}
    assert not unknown


def _resolve(value: str) -> str:
    """Compose's ${VAR:-default} -> default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def test_env_values_are_accepted(workloads: list[Workload], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from prompt_sentinel.settings import ConfigError, load_settings

    monkeypatch.chdir(tmp_path)  # no config/ here: only the workload's variables count
    names = settings_env_names() | {"CONFIG_FILE", "PERFORMANCE_CONFIG_FILE"}
    for var in list(os.environ):
        if var.upper() in names:
            monkeypatch.delenv(var)
    for w in workloads:
        env = {
            k: _resolve(v) if v is not None else SECRET_STANDINS.get(k, "secret-value")
            for k, v in w.env.items()
            if k not in NON_SETTINGS_ENV
        }
        with monkeypatch.context() as m:
            for k, v in env.items():
                m.setenv(k, v)
            try:
                load_settings()
            except ConfigError as exc:
                pytest.fail(f"{w.source}: {exc}")


def test_probe_paths_are_served(workloads: list[Workload], container: Container) -> None:
    paths = {p for w in workloads for p in w.probe_paths}
    assert {"/health", "/health/live", "/health/ready"} <= paths
    for path in sorted(paths):
        assert httpx.get(container.url + path, timeout=5).status_code == 200, path


def test_every_deployment_has_health_checks(workloads: list[Workload]) -> None:
    missing = [w.source for w in workloads if not w.probe_paths]
    assert not missing
    kube = [w for w in workloads if ":Deployment/" in w.source or w.source.startswith("helm")]
    assert kube and all("/health/ready" in w.probe_paths for w in kube)


def test_ports(workloads: list[Workload]) -> None:
    for w in workloads:
        assert w.ports and w.ports <= {8080, 9090}, (w.source, w.ports)
        assert 8080 in w.ports, w.source
        if w.env.get("PORT") not in (None, "8080"):
            pytest.fail(f"{w.source}: PORT={w.env['PORT']} but container port 8080")
        if w.env.get("METRICS_PORT") not in (None, "9090", "0"):
            pytest.fail(f"{w.source}: METRICS_PORT={w.env['METRICS_PORT']}")
        if 9090 in w.ports:
            assert w.env.get("METRICS_PORT") in (None, "9090"), w.source


def test_images_carry_the_package_version(workloads: list[Workload]) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for w in workloads:
        if not w.image:
            continue
        match = artifacts.IMAGE.search(w.image)
        assert match, w.image
        assert match.group(1) in (version, "latest", "staging"), (w.source, w.image)


def test_docker_secrets_are_read_by_the_service(workloads: list[Workload]) -> None:
    from prompt_sentinel.settings import SECRET_FIELDS

    used = {s for w in workloads for s in w.secrets}
    assert used  # the production stack uses them
    assert used <= set(SECRET_FIELDS) | {"api_keys"}


def _config_yamls(helm_release: Release) -> dict[str, str]:
    out = {}
    for path in artifacts.kubernetes_files():
        out.update({f"{path.name}:{k}": v for k, v in artifacts.config_maps(artifacts.load_yaml_docs(path)).items()})
    out.update({f"helm:{k}": v for k, v in artifacts.config_maps(helm_release.documents()).items()})
    return {k: v for k, v in out.items() if k.endswith(("config.yaml", "performance.yaml"))}


def test_config_maps_load_into_settings(helm_release: Release, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prompt_sentinel.settings import load_settings

    found = _config_yamls(helm_release)
    assert len(found) >= 4
    for name, text in found.items():
        path = tmp_path / "c.yaml"
        path.write_text(text)
        kind = "PERFORMANCE_CONFIG_FILE" if name.endswith("performance.yaml") else "CONFIG_FILE"
        other = "CONFIG_FILE" if kind == "PERFORMANCE_CONFIG_FILE" else "PERFORMANCE_CONFIG_FILE"
        empty = tmp_path / "empty.yaml"
        empty.write_text("")
        monkeypatch.setenv(kind, str(path))
        monkeypatch.setenv(other, str(empty))
        s = load_settings()  # unknown sections or keys raise ConfigError
        assert yaml.safe_load(text)
        if "detection" in text:
            assert s.detection_mode.value == yaml.safe_load(text)["detection"]["mode"]


METRIC = re.compile(r"\bpromptsentinel_[a-z0-9_]+\b(?!\.[a-z])")  # not promptsentinel_edge.lua
METRIC_FILES = [
    p for p in DEPLOY.rglob("*") if p.suffix in (".json", ".yml", ".yaml", ".md", ".txt") and p.is_file()
] + [ROOT / "docs" / "DEPLOYMENT.md"]


def test_metric_names_exist() -> None:
    from prometheus_client import REGISTRY

    import prompt_sentinel.observability.metrics  # noqa: F401 - registers every metric

    registered = set(REGISTRY._names_to_collectors)  # includes _total, _bucket, ... names
    used = {
        (p.relative_to(ROOT).as_posix(), m)
        for p in METRIC_FILES
        if p.exists()
        for m in METRIC.findall(p.read_text(errors="replace"))
    }
    assert used
    assert not {u for u in used if u[1] not in registered}


ROUTE = re.compile(r"(/api/v1/[a-z_/{}-]+|/health(?:/[a-z]+)?)(?![\w.])")


def test_paths_in_docs_and_notes_exist(helm_release: Release, container: Container) -> None:
    text = (ROOT / "docs" / "DEPLOYMENT.md").read_text() + helm_release.notes
    paths = {p.rstrip("/") for p in ROUTE.findall(text)}
    assert "/api/v1/detect" in paths
    spec = httpx.get(container.url + "/openapi.json", timeout=5).json()["paths"]
    known = set(spec) | {"/api/v1/admin/api-keys"}  # admin routes are hidden from the schema
    assert not paths - known
