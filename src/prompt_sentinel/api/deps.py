"""Dependencies shared by the routes.

All ``async def``: FastAPI runs a plain ``def`` dependency in its thread pool, one
thread hand-off per dependency per request, which cost the detect route a third of its
throughput under load (docs/BENCHMARKS.md, "load"). None of these blocks.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from prompt_sentinel.api.errors import APIError
from prompt_sentinel.engine.engine import Engine
from prompt_sentinel.settings import Settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def request_id(request: Request) -> str:
    rid: str = request.scope.get("state", {}).get("request_id", "")
    return rid


def is_json_media(content_type: str) -> bool:
    """``application/json`` or ``application/*+json``, parameters ignored."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def require_json(request: Request) -> None:
    """415 for a body that does not declare JSON (before FastAPI tries to parse it)."""
    if not is_json_media(request.headers.get("content-type", "")):
        raise APIError(415, "unsupported_media_type", "Content-Type must be application/json")


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RequestIdDep = Annotated[str, Depends(request_id)]
