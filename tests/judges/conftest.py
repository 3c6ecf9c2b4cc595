"""Fake provider servers (one of each, for the whole module) and a settings helper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from prompt_sentinel.observability import providers as provider_metrics
from prompt_sentinel.settings import Settings, load_settings
from tests.judges.fakes import FakeProvider

NAMES = ("anthropic", "openai", "gemini")


@pytest.fixture(scope="session")
def fakes() -> Iterator[dict[str, FakeProvider]]:
    servers = {name: FakeProvider(name).start() for name in NAMES}
    yield servers
    for s in servers.values():
        s.stop()


@pytest.fixture(autouse=True)
def _fresh(fakes: dict[str, FakeProvider]) -> None:
    for s in fakes.values():
        s.reset()
    provider_metrics.reset()


def judge_settings(fakes: dict[str, FakeProvider], order: list[str], **overrides: Any) -> Settings:
    """Settings pointing the providers in ``order`` at the fakes; quick timeouts, no retries."""
    values: dict[str, Any] = {
        "anthropic_api_key": None,
        "openai_api_key": None,
        "gemini_api_key": None,
        "llm_providers": order,
        "llm_timeout": 2.0,
        "llm_max_retries": 0,
        "llm_backoff_factor": 0.0,
        "llm_judge_deadline": 3.0,
    }
    for name in order:
        values[f"{name}_api_key"] = fakes[name].key
        values[f"{name}_base_url"] = fakes[name].base_url
        values[f"{name}_model"] = fakes[name].model
    values.update(overrides)
    return load_settings(**values)
