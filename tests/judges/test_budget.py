"""Budget windows, reservations and usage (injected wall clock)."""

from __future__ import annotations

import pytest

from prompt_sentinel.judges.budget import Budget, BudgetLimits
from prompt_sentinel.judges.providers import Usage

T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


@pytest.mark.parametrize(
    ("limits", "spend", "advance", "allowed"),
    [
        (BudgetLimits(hourly=1.0), 0.9, 0, False),  # 0.9 spent + 0.2 estimate > 1.0
        (BudgetLimits(hourly=1.0), 0.8, 0, True),  # exactly fits
        (BudgetLimits(hourly=1.0), 0.9, 3600, True),  # next hour: a fresh window
        (BudgetLimits(daily=1.0), 0.9, 3600, False),  # same day
        (BudgetLimits(daily=1.0), 0.9, 86_400, True),  # next day
        (BudgetLimits(monthly=1.0), 0.9, 86_400, False),  # same month
        (BudgetLimits(monthly=1.0), 0.9, 31 * 86_400, True),  # next month
        (BudgetLimits(), 1e9, 0, True),  # unlimited
    ],
)
def test_windows(limits: BudgetLimits, spend: float, advance: float, allowed: bool) -> None:
    clock = Clock()
    b = Budget(limits, clock=clock)
    r = b.reserve("openai", 0.0)
    assert r is not None
    b.settle(r, Usage(10, 5), spend, ok=True)
    clock.t += advance
    assert (b.reserve("openai", 0.2) is not None) is allowed


def test_reservations_hold_room_for_calls_in_flight() -> None:
    b = Budget(BudgetLimits(hourly=1.0), clock=Clock())
    first = b.reserve("anthropic", 0.6)
    assert first is not None
    assert b.reserve("gemini", 0.6) is None  # the first call's estimate is still held
    b.settle(first, Usage(100, 10), 0.1, ok=True)  # it cost less than estimated
    assert b.reserve("gemini", 0.6) is not None


def test_usage_and_status() -> None:
    clock = Clock()
    b = Budget(BudgetLimits(daily=0.5), clock=clock)
    for ok, cost in ((True, 0.2), (False, 0.0), (True, 0.3)):
        r = b.reserve("anthropic", 0.01)
        assert r is not None
        b.settle(r, Usage(1000, 50), cost, ok=ok)
    usage = b.usage()
    tally = usage["daily"]["providers"]["anthropic"]
    assert tally == {
        "calls": 3,
        "failures": 1,
        "input_tokens": 3000,
        "output_tokens": 150,
        "cost_usd": 0.5,
    }
    assert usage["since_start"]["providers"]["anthropic"]["calls"] == 3
    status = b.status()
    assert status["daily"]["remaining_usd"] == 0 and status["exhausted"] and b.exhausted()
    assert status["daily"]["window"] == "2026-01-01" and status["monthly"]["window"] == "2026-01"
    clock.t += 86_400
    assert not b.exhausted() and b.usage()["daily"]["providers"] == {}
