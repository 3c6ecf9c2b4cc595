"""LLM judges: a second opinion from Anthropic, OpenAI or Gemini on uncertain prompts.

Layout::

    prompt.py      the hardened judge prompt (random boundary) and answer validation
    providers/     anthropic.py, openai.py, gemini.py on one base (httpx.AsyncClient)
    backoff.py     exponential backoff with jitter; Retry-After / retry-after-ms / RetryInfo
    breaker.py     a circuit breaker per provider
    budget.py      hourly / daily / monthly spend limits, usage per provider
    cache.py       LRU of answers keyed by sha256 (never the text)
    router.py      failover in order under one overall deadline
    policy.py      when to consult, and the bounded rule that adjusts a verdict
    service.py     JudgeService (from_settings, judge, health, usage) and judge_response
    routes.py      GET /api/v1/monitoring/usage and /budget (admin)

The app calls :func:`install` once; the detect route calls :func:`judge_response`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from prompt_sentinel.judges.policy import JudgePolicy, apply_outcome, should_consult
from prompt_sentinel.judges.router import Attempt, JudgeOutcome
from prompt_sentinel.judges.service import JudgeService, judge_response, render_messages

if TYPE_CHECKING:
    from fastapi import FastAPI

    from prompt_sentinel.settings import Settings

__all__ = [
    "Attempt",
    "JudgeOutcome",
    "JudgePolicy",
    "JudgeService",
    "apply_outcome",
    "install",
    "judge_response",
    "render_messages",
    "should_consult",
]


def install(app: FastAPI, settings: Settings) -> JudgeService | None:
    """Put the judge (or None) on ``app.state.judge``, add the monitoring routes, close the
    HTTP client at shutdown."""
    from prompt_sentinel.judges import routes

    service = JudgeService.from_settings(settings)
    app.state.judge = service
    app.include_router(routes.router)
    if service is not None:
        inner = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(app_: Any) -> AsyncIterator[Any]:
            try:
                async with inner(app_) as state:
                    yield state
            finally:
                await service.aclose()

        app.router.lifespan_context = lifespan
    return service
