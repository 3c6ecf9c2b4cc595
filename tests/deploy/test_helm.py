"""The Helm chart, rendered by Helm itself (helm_harness: Helm v4's library against a
loopback stand-in for the Kubernetes API) and validated against the Kubernetes schemas."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy import helm_harness
from tests.deploy.artifacts import k8s_workloads
from tests.deploy.support import ROOT

pytestmark = pytest.mark.usefixtures("helm")
CRDS = {"monitoring.coreos.com/v1"}
K8S = kubernetes_validate.latest_version()


def validate(release: helm_harness.Release) -> list[dict[str, Any]]:
    docs = release.documents()
    assert docs
    for doc in docs:
        if doc["apiVersion"] in CRDS:
            continue  # no schema offline; checked by hand below
        kubernetes_validate.validate(doc, K8S, strict=True)
    return docs


def kinds(docs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        out.setdefault(d["kind"], []).append(d)
    return out


def sentinel(docs: list[dict[str, Any]]) -> dict[str, Any]:
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    return deployment["spec"]["template"]["spec"]["containers"][0]


def env_of(docs: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in sentinel(docs)["env"]}


def test_helm_lint() -> None:
    messages = helm_harness.lint()
    assert all(m["Severity"] < 2 for m in messages), messages  # no warnings either


def test_chart_metadata_matches_the_package() -> None:
    import tomllib

    chart = yaml.safe_load((helm_harness.CHART / "Chart.yaml").read_text())
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert chart["appVersion"] == version


def test_default_values(helm_release: helm_harness.Release) -> None:
    docs = validate(helm_release)
    by_kind = kinds(docs)
    # everything the guide's values ask for
    assert {
        "Deployment",
        "Service",
        "ConfigMap",
        "Secret",
        "ServiceAccount",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Ingress",
        "StatefulSet",
        "ServiceMonitor",
    } <= set(by_kind)
    assert len(by_kind["StatefulSet"]) == 2  # redis primary + replicas (architecture: replication)
    ingress = by_kind["Ingress"][0]["spec"]
    assert ingress["tls"][0]["secretName"] == "sentinel-tls"
    assert ingress["rules"][0]["host"] == "sentinel.example.com"
    hpa = by_kind["HorizontalPodAutoscaler"][0]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 10)
    assert "replicas" not in by_kind["Deployment"][0]["spec"]  # the HPA owns it
    env = env_of(docs)
    assert env["AUTHENTICATION_MODE"] == "required"
    assert env["REDIS_URL"] == "redis://ps-promptsentinel-redis-master:6379/0"
    assert env["REDIS_PASSWORD"]["secretKeyRef"]["name"] == "ps-promptsentinel-redis"
    c = sentinel(docs)
    assert c["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert c["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert {p["name"]: p["containerPort"] for p in c["ports"]} == {"http": 8080, "metrics": 9090}
    service = by_kind["Service"]
    main = next(s for s in service if s["metadata"]["name"] == "ps-promptsentinel")
    assert {p["name"]: p["targetPort"] for p in main["spec"]["ports"]} == {
        "http": "http",
        "metrics": "metrics",
    }
    monitor = by_kind["ServiceMonitor"][0]["spec"]
    assert monitor["endpoints"][0]["port"] == "metrics"
    assert monitor["endpoints"][0]["path"] == "/metrics"
    assert monitor["selector"]["matchLabels"].items() <= main["spec"]["selector"].items()
    # the Redis password is generated (never the guide's "changeme") and shared by both sides
    secret = next(d for d in by_kind["Secret"] if d["metadata"]["name"] == "ps-promptsentinel-redis")
    import base64

    password = base64.b64decode(secret["data"]["redis-password"]).decode()
    assert len(password) == 32 and password != "changeme"


# (values, what must hold in the rendered chart)
VARIANTS: list[tuple[dict[str, Any], str]] = [
    # no Redis in the chart: an external one by URL
    ({"redis": {"enabled": False, "external": {"url": "rediss://cache:6380/0"}}}, "external-url"),
    # ... or a Redis Cluster
    ({"redis": {"enabled": False, "external": {"cluster": "n0:6379,n1:6379"}}}, "external-cluster"),
    # a single Redis node
    ({"redis": {"architecture": "standalone"}}, "standalone"),
    # fixed replicas, no ingress, no metrics
    (
        {
            "autoscaling": {"enabled": False},
            "ingress": {"enabled": False},
            "monitoring": {"enabled": False},
        },
        "plain",
    ),
    # keys from a keys-file secret, no Redis at all, network policy on
    (
        {
            "redis": {"enabled": False},
            "auth": {"apiKeysSecret": "my-keys"},
            "networkPolicy": {"enabled": True},
        },
        "keys-file",
    ),
    # no authentication and no Redis: the sidecar-like minimum
    ({"auth": {"mode": "none"}, "redis": {"enabled": False}}, "minimal"),
    # the chart creates the provider / admin secret from values
    ({"secrets": {"adminApiKey": "psk_" + "a" * 40, "anthropicApiKey": "sk-ant-x"}}, "secrets"),
]


@pytest.mark.parametrize(("values", "case"), VARIANTS, ids=[c for _, c in VARIANTS])
def test_value_variants(values: dict[str, Any], case: str) -> None:
    docs = validate(helm_harness.render(values))
    by_kind = kinds(docs)
    env = env_of(docs)
    if case == "external-url":
        assert env["REDIS_URL"] == "rediss://cache:6380/0" and "StatefulSet" not in by_kind
    elif case == "external-cluster":
        assert env["REDIS_CLUSTER"] == "n0:6379,n1:6379" and "REDIS_URL" not in env
    elif case == "standalone":
        assert len(by_kind["StatefulSet"]) == 1
    elif case == "plain":
        assert by_kind["Deployment"][0]["spec"]["replicas"] == 3
        assert {"Ingress", "HorizontalPodAutoscaler", "ServiceMonitor"}.isdisjoint(by_kind)
        assert env["ENABLE_METRICS"] == "false"
        main = next(s for s in by_kind["Service"] if s["metadata"]["name"] == "ps-promptsentinel")
        assert [p["name"] for p in main["spec"]["ports"]] == ["http"]
    elif case == "keys-file":
        assert env["API_KEYS_FILE"] == "/etc/promptsentinel/api-keys/api_keys"
        mounts = {m["mountPath"] for m in sentinel(docs)["volumeMounts"]}
        assert "/etc/promptsentinel/api-keys" in mounts
        policy = by_kind["NetworkPolicy"][0]["spec"]
        assert {p["port"] for r in policy["ingress"] for p in r["ports"]} == {8080, 9090}
    elif case == "minimal":
        assert env["AUTHENTICATION_MODE"] == "none" and "REDIS_URL" not in env
    elif case == "secrets":
        secret = next(d for d in by_kind["Secret"] if d["metadata"]["name"].endswith("-secrets"))
        assert set(secret["data"]) == {"admin-api-key", "anthropic-api-key"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        # auth required, yet no Redis, keys file, admin key or secret: no key could ever work
        ({"redis": {"enabled": False}}, "no key can ever be valid"),
        # both an in-chart and an external Redis
        ({"redis": {"external": {"url": "redis://x:6379"}}}, "leave redis.external empty"),
        # REDIS_URL and REDIS_CLUSTER together (the service refuses that too)
        (
            {"redis": {"enabled": False, "external": {"url": "redis://x", "cluster": "y:1"}}},
            "not both",
        ),
        # an admin key the service would refuse at start-up
        ({"secrets": {"adminApiKey": "short"}}, "at least 32 characters"),
        # a mode the service does not know
        ({"auth": {"mode": "sometimes"}}, "auth.mode must be"),
    ],
)
def test_impossible_values_fail_at_install(values: dict[str, Any], message: str) -> None:
    with pytest.raises(helm_harness.HelmError, match=message):
        helm_harness.render(values)


def test_notes(helm_release: helm_harness.Release) -> None:
    assert "https://sentinel.example.com/api/v1/detect" in helm_release.notes
    assert "A ServiceMonitor was created" in helm_release.notes
    assert "promptsentinel keys create" in helm_release.notes


def test_without_prometheus_operator() -> None:
    release = helm_harness.render(with_prometheus_operator=False)
    assert "ServiceMonitor" not in {d["kind"] for d in validate(release)}
    assert "none was created" in release.notes


def test_helm_test_hook(helm_release: helm_harness.Release) -> None:
    hooks = [d for h in helm_release.hooks for d in yaml.safe_load_all(h) if d]
    assert hooks and all(kubernetes_validate.validate(d, K8S, strict=True) is not False for d in hooks)
    command = "\n".join(hooks[0]["spec"]["containers"][0]["command"])
    assert "/health/ready" in command


def test_rendered_workload_is_the_sentinel(helm_release: helm_harness.Release) -> None:
    workloads = k8s_workloads(helm_release.documents(), "helm")
    assert [w.source for w in workloads] == ["helm:Deployment/ps-promptsentinel"]
