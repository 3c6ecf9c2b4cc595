"""Operations: metrics, structured logs, traces, profiles, wired into the app in one call.

``install(app, settings)`` (called once at the end of ``create_app``):

* metrics: build info, zero-valued series for the dashboards' label sets, the engine's
  detector observer, ``/metrics`` on the main port (when ENABLE_METRICS);
* tracing (ENABLE_TRACING): the OTLP exporter, the engine's per-detector span hook;
* profiling (ENABLE_PROFILING): the admin-only per-request profiler;
* the access middleware, outermost: access line, request metrics, request span;
* at shutdown: flush spans, drop this worker's live gauges.

The separate metrics listener (METRICS_PORT), TLS and signals live in ``server.py``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.middleware import Middleware

from prompt_sentinel.observability import logging as logs
from prompt_sentinel.observability import metrics, profiling, tracing
from prompt_sentinel.observability.access import AccessMiddleware
from prompt_sentinel.observability.profiling import ProfilingMiddleware
from prompt_sentinel.settings import Settings

__all__ = ["install", "span"]

span = tracing.span


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text exposition of the whole service (every worker)."""
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


def cache_backend(settings: Settings) -> str:
    """The ``backend`` label of the cache metrics."""
    return "redis" if (settings.redis_url or settings.redis_cluster) else "memory"


def install(app: FastAPI, settings: Settings) -> None:
    """Wire every operations feature into ``app`` (see the module docstring)."""
    profiling.check_available(settings)
    logs.register_settings_secrets(settings)
    traced = tracing.configure(settings)
    logs.set_trace_id_getter(tracing.current_trace_id if traced else None)

    metrics.set_build_info(settings.environment)
    metrics.preinitialise(cache_backend(settings), settings.detection_mode.value)
    engine = getattr(app.state, "engine", None)
    if engine is not None:
        engine.observer = metrics.observe_detector
        if traced:
            engine.span_hook = tracing.detector_span

    if settings.enable_metrics:
        app.add_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)
    if settings.enable_profiling:
        admin = settings.admin_api_key.get_secret_value() if settings.admin_api_key else None
        # Innermost: the profile covers the app, and refusals carry the request id.
        app.user_middleware.append(Middleware(ProfilingMiddleware, admin_key=admin, key_header=settings.api_key_header))

    def static_paths() -> list[str]:
        # Included routers are not listed in app.routes: the OpenAPI paths name them.
        paths = [getattr(route, "path", "") for route in app.routes]
        paths += list(app.openapi().get("paths", {}))
        return [p for p in paths if p and "{" not in p]

    app.add_middleware(AccessMiddleware, default_mode=settings.detection_mode.value, static_paths=static_paths)
    _on_shutdown(app)


def _on_shutdown(app: FastAPI) -> None:
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        try:
            async with inner(app_) as state:
                yield state
        finally:
            tracing.shutdown()
            metrics.mark_worker_dead(os.getpid())

    app.router.lifespan_context = lifespan
