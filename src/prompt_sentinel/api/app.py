"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware import Middleware

from prompt_sentinel import __version__, judges, observability, store
from prompt_sentinel.api import errors
from prompt_sentinel.api.fastpath import DetectFastPath
from prompt_sentinel.api.middleware import RequestContextMiddleware
from prompt_sentinel.api.responses import FastJSONResponse
from prompt_sentinel.api.routes import detect, health, ws
from prompt_sentinel.engine.factory import build_engine
from prompt_sentinel.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the engine is built here so a bad config fails before serving."""
    settings = settings or get_settings()
    engine = build_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    app = FastAPI(
        title="PromptSentinel",
        version=__version__,
        description="Screens LLM prompts for injection, jailbreaks, hidden payloads and PII.",
        default_response_class=FastJSONResponse,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.readiness_probes = {}
    errors.install(app)
    app.include_router(health.router)
    app.include_router(detect.router)
    app.include_router(ws.router)  # WebSocket /api/v1/ws (issue 8)
    judges.install(app, settings)  # optional LLM judges (issue 7); None without provider keys
    store.install(app, settings)  # cache, API keys, rate limits, CORS, admin routes (issue 4)
    app.add_middleware(RequestContextMiddleware, max_body=settings.max_request_bytes)
    # Last, so its access middleware is outermost (sees every other middleware's answers).
    observability.install(app, settings)
    # Innermost of all: after authentication, rate limits and the profiler.
    app.user_middleware.append(Middleware(DetectFastPath))
    return app
