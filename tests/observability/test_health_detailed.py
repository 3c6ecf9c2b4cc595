"""/health/detailed: components, probe latency, providers from recorded outcomes only."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prompt_sentinel.api.routes import health
from prompt_sentinel.observability import providers


@pytest.fixture(scope="module")
def app() -> Any:
    from prompt_sentinel.api.app import create_app
    from prompt_sentinel.settings import load_settings

    return create_app(load_settings())


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    providers.reset()
    saved = dict(app.state.readiness_probes)
    yield TestClient(app)
    app.state.readiness_probes.clear()
    app.state.readiness_probes.update(saved)
    providers.reset()


async def _ok() -> dict[str, object]:
    return {"status": "ok", "backend": "redis"}


async def _degraded() -> dict[str, object]:
    return {"status": "degraded", "error": "ConnectionError"}


async def _raises() -> dict[str, object]:
    raise OSError("connection refused")


async def _hangs() -> dict[str, object]:
    await asyncio.sleep(60)
    return {"status": "ok"}


def test_engine_detectors_and_empty_providers(client: TestClient) -> None:
    body = client.get("/health/detailed").json()
    engine = body["components"]["engine"]
    assert engine["status"] == "ok" and engine["detectors"]
    assert {d["name"] for d in engine["detectors"]} >= {"heuristics"}
    assert body["components"]["providers"] == {"status": "ok", "recent": {}}
    assert body["status"] == "ok"


@pytest.mark.parametrize(
    ("probe", "component_status", "overall"),
    [
        (_ok, "ok", "ok"),  # Redis answers
        (_degraded, "degraded", "degraded"),  # the probe says degraded
        (_raises, "unavailable", "unavailable"),  # a probe that raises never breaks the page
        (_hangs, "unavailable", "unavailable"),  # nor one that never answers
    ],
)
def test_probes_reported_with_latency(
    client: TestClient,
    app: Any,
    monkeypatch: pytest.MonkeyPatch,
    probe: Any,
    component_status: str,
    overall: str,
) -> None:
    monkeypatch.setattr(health, "PROBE_TIMEOUT_S", 0.2)
    app.state.readiness_probes["cache"] = probe
    r = client.get("/health/detailed")
    assert r.status_code == 200
    cache = r.json()["components"]["cache"]
    assert cache["status"] == component_status and cache["latency_ms"] >= 0
    assert r.json()["status"] == overall


def test_providers_from_recorded_outcomes(client: TestClient) -> None:
    for outcome in ["ok", "timeout", "timeout", "ok"]:
        providers.record_call("anthropic", outcome, 0.3)
    body = client.get("/health/detailed").json()
    assert body["components"]["providers"]["recent"]["anthropic"]["error_rate"] == 0.5
    # a failing judge degrades the service, it does not make it unavailable
    assert body["components"]["providers"]["status"] == "degraded"
    assert body["status"] == "degraded"


def test_classifier_without_its_encoder_reports_degraded(app: Any, client: TestClient) -> None:
    """A classifier that fell back to the n-gram model alone (encoder artefact corrupt or its
    runtime missing) says so, and the engine component is degraded."""
    clf = next(d for d in app.state.engine.detectors if d.name == "classifier")
    body = client.get("/health/detailed").json()
    entry = next(d for d in body["components"]["engine"]["detectors"] if d["name"] == "classifier")
    assert "degraded" not in entry and "+minilm" in entry["version"]
    clf.degraded = "transformer encoder unavailable, n-gram model alone: test"
    try:
        body = client.get("/health/detailed").json()
    finally:
        clf.degraded = None
    entry = next(d for d in body["components"]["engine"]["detectors"] if d["name"] == "classifier")
    assert entry["degraded"].startswith("transformer encoder unavailable")
    assert body["components"]["engine"]["status"] == "degraded" and body["status"] == "degraded"
