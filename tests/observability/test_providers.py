"""Provider outcomes: metrics and the health summary, from real calls only."""

from __future__ import annotations

import pytest

from prompt_sentinel.observability import providers
from tests.observability.conftest import sample


@pytest.fixture(autouse=True)
def _fresh() -> None:
    providers.reset()


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        (["ok"] * 10, "ok"),  # healthy
        (["ok"] * 7 + ["timeout"] * 3, "degraded"),  # 30 % errors
        (["error"] * 9 + ["ok"], "unavailable"),  # 90 % errors
    ],
)
def test_status_from_recent_error_rate(outcomes: list[str], status: str) -> None:
    for o in outcomes:
        providers.record_call("judge-x", o, 0.2)
    snap = providers.snapshot()["judge-x"]
    assert snap["status"] == status and snap["recent_calls"] == len(outcomes)


def test_calls_feed_the_metrics() -> None:
    before = sample("promptsentinel_llm_provider_calls_total", provider="judge-y", outcome="error")
    tokens = sample("promptsentinel_llm_provider_tokens_total", provider="judge-y", kind="input")
    providers.record_call("judge-y", "surprising-outcome", 0.1, input_tokens=120, cost_usd=0.002)
    # an outcome outside the fixed set counts as an error (bounded label values)
    assert sample("promptsentinel_llm_provider_calls_total", provider="judge-y", outcome="error") == before + 1
    assert sample("promptsentinel_llm_provider_tokens_total", provider="judge-y", kind="input") == tokens + 120


def test_nothing_reported_before_any_call() -> None:
    assert providers.snapshot() == {}
