"""Liveness and readiness.  No probe ever calls anything external or paid."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from prompt_sentinel import __version__
from prompt_sentinel.api.responses import FastJSONResponse
from prompt_sentinel.observability import providers
from prompt_sentinel.schemas import HealthResponse

router = APIRouter(tags=["health"])
_STARTED = time.monotonic()


@router.get("/health", response_model=HealthResponse)
@router.get("/health/live", response_model=HealthResponse, include_in_schema=True)
async def live() -> FastJSONResponse:
    return FastJSONResponse({"status": "ok", "version": __version__, "checks": {}})


@router.get(
    "/health/ready",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "Not ready"}},
)
async def ready(request: Request) -> FastJSONResponse:
    checks: dict[str, dict[str, object]] = {}
    engine = getattr(request.app.state, "engine", None)
    checks["engine"] = {
        "status": "ok" if engine is not None else "unavailable",
        "detectors": [d.name for d in engine.detectors] if engine else [],
    }
    for name, probe in getattr(request.app.state, "readiness_probes", {}).items():
        checks[name] = await probe()
    statuses = {c["status"] for c in checks.values()}
    if "unavailable" in statuses:
        return FastJSONResponse({"status": "unavailable", "version": __version__, "checks": checks}, status_code=503)
    status = "degraded" if "degraded" in statuses else "ready"
    return FastJSONResponse({"status": status, "version": __version__, "checks": checks})


PROBE_TIMEOUT_S = 2.0


class DetailedHealth(BaseModel):
    """Every component's state; always 200 while the process serves (readiness is /health/ready)."""

    status: str
    version: str
    environment: str
    uptime_seconds: float
    components: dict[str, Any]


def _engine_component(engine: Any) -> dict[str, Any]:
    if engine is None:
        return {"status": "unavailable", "detectors": []}
    detectors = []
    for det in engine.detectors:
        entry: dict[str, Any] = {"name": det.name}
        version = getattr(det, "version", None)
        if version:
            entry["version"] = str(version)
        degraded = getattr(det, "degraded", None)  # e.g. the classifier without its encoder
        if degraded:
            entry["degraded"] = str(degraded)
        detectors.append(entry)
    models = [d for d in detectors if "version" in d]
    return {
        "status": "degraded" if any("degraded" in d for d in detectors) else "ok",
        "fingerprint": engine.fingerprint,
        "detectors": detectors,
        "model": models[0] if len(models) == 1 else models or None,
    }


async def _timed_probe(probe: Any) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        result = dict(await asyncio.wait_for(probe(), PROBE_TIMEOUT_S))
    except TimeoutError:
        result = {"status": "unavailable", "error": f"no answer within {PROBE_TIMEOUT_S:g} s"}
    except Exception as exc:  # a probe must never break the health endpoint
        result = {"status": "unavailable", "error": type(exc).__name__}
    result.setdefault("latency_ms", round((time.perf_counter() - start) * 1000, 3))
    return result


def _providers_component() -> dict[str, Any]:
    """A failing LLM judge degrades detection but never makes the service unavailable."""
    recent = providers.snapshot()
    bad = any(p["status"] != "ok" for p in recent.values())
    return {"status": "degraded" if bad else "ok", "recent": recent}


@router.get("/health/detailed", response_model=DetailedHealth)
async def detailed(request: Request) -> FastJSONResponse:
    """Engine and detectors, cache/Redis (with probe latency), LLM providers (from the
    outcomes of recent real calls: no probe ever calls a provider)."""
    state = request.app.state
    components: dict[str, Any] = {"engine": _engine_component(getattr(state, "engine", None))}
    for name, probe in getattr(state, "readiness_probes", {}).items():
        components[name] = await _timed_probe(probe)
    components["providers"] = _providers_component()
    statuses = {c.get("status") for c in components.values()}
    status = "ok"
    for level in ("degraded", "unavailable"):
        if level in statuses:
            status = level
    settings = getattr(state, "settings", None)
    return FastJSONResponse(
        {
            "status": status,
            "version": __version__,
            "environment": getattr(settings, "environment", "unknown"),
            "uptime_seconds": round(time.monotonic() - _STARTED, 1),
            "components": components,
        }
    )
