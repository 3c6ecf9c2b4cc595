"""GET /api/v1/monitoring/usage and /budget, on an app with the judge installed."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from prompt_sentinel import judges
from prompt_sentinel.api import errors
from prompt_sentinel.api.security import require_admin
from tests.judges.conftest import judge_settings
from tests.judges.fakes import FakeProvider


def _get(app: FastAPI, *paths: str) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return [await c.get(p) for p in paths]

    return asyncio.run(go())


def _app(settings: Any, admin: bool) -> FastAPI:
    app = FastAPI()
    errors.install(app)
    judges.install(app, settings)
    if admin:  # the security middleware (another module) sets the principal; stand in for it
        app.dependency_overrides[require_admin] = lambda: None
    return app


@pytest.mark.parametrize("path", ["/api/v1/monitoring/usage", "/api/v1/monitoring/budget"])
def test_admin_only(fakes: dict[str, FakeProvider], path: str) -> None:
    [r] = _get(_app(judge_settings(fakes, ["openai"]), admin=False), path)
    assert r.status_code == 401


def test_usage_and_budget(fakes: dict[str, FakeProvider]) -> None:
    app = _app(judge_settings(fakes, ["openai"], llm_budget_monthly_usd=50.0), admin=True)
    usage, budget = _get(app, "/api/v1/monitoring/usage", "/api/v1/monitoring/budget")
    assert usage.status_code == 200 and usage.json()["enabled"] is True
    assert set(usage.json()) >= {"hourly", "daily", "monthly", "since_start"}
    assert budget.json()["monthly"]["limit_usd"] == 50.0 and budget.json()["exhausted"] is False
    assert not fakes["openai"].requests


def test_disabled_without_keys() -> None:
    from prompt_sentinel.settings import load_settings

    settings = load_settings(anthropic_api_key=None, openai_api_key=None, gemini_api_key=None)
    app = _app(settings, admin=True)
    assert app.state.judge is None
    [r] = _get(app, "/api/v1/monitoring/usage")
    assert r.json() == {"enabled": False}
