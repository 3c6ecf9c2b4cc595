"""Faults under load, short versions (bench/faults.py runs them longer and writes
docs/RELIABILITY.md): zero failed requests wherever the design promises it."""

from __future__ import annotations

from tests.faults import scenarios
from tests.faults.scenarios import Report


def assert_nothing_failed(report: Report, max_latency: float) -> None:
    assert report.outcomes, "no load ran"
    assert report.failed == [], report.summary()
    # Generous: the point is that no request hangs (a lost one would show as ~30 s).
    assert report.latency(1.0) < max_latency, report.summary()


def test_redis_killed_and_restarted() -> None:
    # Promise (docs/SECURITY.md, "When Redis fails"): requests keep being served from
    # the embedded state; Redis is used again, without a restart, once it answers.
    r = scenarios.redis_killed_and_restarted(seconds=7.0, kill_at=2.0, back_at=4.0)
    assert_nothing_failed(r, max_latency=5.0)
    assert r.facts["degraded_after_s"] is not None, r.summary()  # the readiness probe noticed
    # Before the stale-connection fix this took 4-30 s under load (every idle pooled
    # connection failed once and opened the circuit again): now one recovery interval.
    assert r.facts["redis_ok_again_after_s"] is not None and r.facts["redis_ok_again_after_s"] < 3.0, r.summary()
    assert r.facts["exit_code"] == 0


def test_redis_made_slow() -> None:
    # Promise: a hung Redis costs one REDIS_SOCKET_TIMEOUT (0.5 s) wait, then is skipped.
    r = scenarios.redis_made_slow(seconds=6.0, at=2.0, sleep_s=2.0)
    assert_nothing_failed(r, max_latency=5.0)
    assert r.facts["redis_ok_again_after_s"] is not None, r.summary()


def test_llm_provider_times_out() -> None:
    # Promise (docs/LLM_JUDGES.md): the judge step never outlasts LLM_JUDGE_DEADLINE; with
    # no answer the verdict stands (fail open) and says so; the breaker stops the calls.
    r = scenarios.provider_times_out(seconds=5.0, deadline=1.0)
    assert_nothing_failed(r, max_latency=4.0)
    assert r.facts["judge_reasons"].get("llm_judge.unavailable.open", 0) > 0, r.summary()
    assert r.facts["provider_calls"] < 20, r.summary()  # the circuit opened: not one call per request


def test_sigterm_to_one_of_two_replicas() -> None:
    # Promise (docs/OPERATIONS.md): in-flight requests finish, new connections are refused,
    # exit 0; a client that retries an unanswered request elsewhere loses nothing.
    r = scenarios.replica_sigterm(seconds=6.0, at=2.0)
    assert_nothing_failed(r, max_latency=5.0)
    assert r.facts["a_exit_code"] == 0
    assert r.retried < len(r.outcomes) // 10, r.summary()  # a handful around the SIGTERM
