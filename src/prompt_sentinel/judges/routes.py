"""GET /api/v1/monitoring/usage and /api/v1/monitoring/budget (admin only).

Both read in-process counters; neither calls a provider.  With no judge configured they
answer ``{"enabled": false}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from prompt_sentinel.api.responses import FastJSONResponse
from prompt_sentinel.api.security import require_admin
from prompt_sentinel.schemas import ErrorBody

__all__ = ["router"]

router = APIRouter(
    prefix="/api/v1/monitoring",
    tags=["monitoring"],
    dependencies=[Depends(require_admin)],
    responses={
        401: {"model": ErrorBody, "description": "Missing or invalid API key"},
        403: {"model": ErrorBody, "description": "The key lacks the admin permission"},
    },
)


def _service(request: Request) -> Any:
    return getattr(request.app.state, "judge", None)


@router.get("/usage")
async def usage(request: Request) -> FastJSONResponse:
    """LLM judge calls, failures, tokens and estimated cost per provider and window."""
    service = _service(request)
    if service is None:
        return FastJSONResponse({"enabled": False})
    return FastJSONResponse({"enabled": True, **service.usage()})


@router.get("/budget")
async def budget(request: Request) -> FastJSONResponse:
    """Hourly, daily and monthly LLM spend limits, spend and what is left."""
    service = _service(request)
    if service is None:
        return FastJSONResponse({"enabled": False})
    return FastJSONResponse({"enabled": True, **service.budget_status()})
