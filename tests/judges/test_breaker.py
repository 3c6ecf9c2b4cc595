"""The per-provider circuit breaker (state machine on an injected clock)."""

from __future__ import annotations

import pytest

from prompt_sentinel.judges.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.mark.parametrize(
    ("events", "state"),
    [
        ("ff", "closed"),  # below the threshold
        ("fff", "open"),  # three consecutive failures open it
        ("ffsff", "closed"),  # a success resets the count
        ("fff+", "half_open"),  # cool-down passed
        ("fff+Pf", "open"),  # the half-open probe failed: open again
        ("fff+Ps", "closed"),  # the probe succeeded: closed
        ("fff+Pf+Ps", "closed"),  # second cool-down, second probe succeeded
    ],
)
def test_transitions(events: str, state: str) -> None:
    clock = Clock()
    b = CircuitBreaker(failures=3, cooldown=10.0, clock=clock)
    for e in events:
        if e == "f":
            b.failure()
        elif e == "s":
            b.success()
        elif e == "+":
            clock.t += 10.0
        elif e == "P":
            assert b.allow()
    assert b.state == state


def test_open_refuses_and_half_open_lets_exactly_one_probe() -> None:
    clock = Clock()
    b = CircuitBreaker(failures=2, cooldown=5.0, clock=clock)
    b.failure()
    b.failure()
    assert not b.allow()
    clock.t += 4.9
    assert not b.allow()  # still cooling down
    clock.t += 0.1
    assert b.allow()  # the probe
    assert not b.allow()  # nobody else while it is in flight
    b.release()  # probe slot returned unused (e.g. over budget)
    assert b.allow()
    b.success()
    assert b.allow() and b.allow()  # closed: everyone


def test_snapshot() -> None:
    clock = Clock()
    b = CircuitBreaker(failures=1, cooldown=5.0, clock=clock)
    b.failure()
    clock.t += 2
    snap = b.snapshot()
    assert (snap.state, snap.consecutive_failures, snap.opened_seconds_ago) == ("open", 1, 2.0)


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failures=0)
