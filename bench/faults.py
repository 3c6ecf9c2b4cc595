"""Faults under load, the long versions of tests/faults: figures for docs/RELIABILITY.md.

Each scenario (tests/faults/scenarios.py) starts its own processes, keeps 8 requests in
flight with tests/faults/loadgen.py (a round-robin client that retries, once, on another
replica, a request that got no answer at all), injects its fault, and counts what every
request got.

Usage: python bench/faults.py [--scale 1.0] [--write]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import git_rev, machine, replace_section  # noqa: E402
from tests.faults import scenarios  # noqa: E402
from tests.faults.scenarios import Report  # noqa: E402

DOC = ROOT / "docs" / "RELIABILITY.md"


def plan(k: float) -> list[tuple[str, Callable[[], Report]]]:
    """(what the design promises, scenario) with durations scaled by ``k``."""
    return [
        ("reference", lambda: scenarios.baseline(20 * k)),
        (
            "no failures; embedded cache meanwhile; Redis used again without a restart",
            lambda: scenarios.redis_killed_and_restarted(30 * k, kill_at=8 * k, back_at=18 * k),
        ),
        (
            "no failures; one wait of at most REDIS_SOCKET_TIMEOUT (0.5 s), then Redis is skipped",
            lambda: scenarios.redis_made_slow(20 * k, at=8 * k, sleep_s=3.0),
        ),
        (
            "no failures; answered within LLM_JUDGE_DEADLINE, local verdict (fail open)",
            lambda: scenarios.provider_times_out(15 * k, deadline=1.0, fail_mode="open"),
        ),
        (
            "no failures; answered within LLM_JUDGE_DEADLINE, verdict block (fail closed)",
            lambda: scenarios.provider_times_out(15 * k, deadline=1.0, fail_mode="closed"),
        ),
        (
            "no failures (with the client's retry of unanswered requests); exit 0",
            lambda: scenarios.replica_sigterm(20 * k, at=8 * k),
        ),
        (
            "no failures (same retry); both replicas exit 0 and come back",
            lambda: scenarios.replica_sigterm(40 * k, at=8 * k, rolling=True),
        ),
    ]


def row(promise: str, r: Report) -> str:
    ms = [f"{r.latency(q) * 1000:.0f}" for q in (0.5, 0.99, 1.0)]
    causes = ", ".join(f"{n} {k}" for k, n in sorted(r.retry_causes().items())) or "-"
    observed = "; ".join(f"{k}: {v if not isinstance(v, float) else round(v, 2)}" for k, v in r.facts.items())
    events = "; ".join(f"{t:g} s {what}" for t, what in r.events) or "-"
    held = "yes" if not r.failed else f"NO: {len(r.failed)} failed"
    return (
        f"| {r.name} | {r.seconds:g} s | {events} | {len(r.outcomes):,} | {len(r.failed)} | {r.retried} ({causes}) | "
        f"{' / '.join(ms)} | {observed or '-'} | {promise} | {held} |"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every duration")
    ap.add_argument("--write", action="store_true", help="replace the 'faults' section of docs/RELIABILITY.md")
    args = ap.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    rows = []
    for promise, run in plan(args.scale):
        report = run()
        print(report.summary(), flush=True)
        rows.append(row(promise, report))
    text = "\n".join(
        [
            f"Machine: {machine()}; client on the same machine. Run {started} (UTC), git {git_rev()}.",
            "",
            f"Command: `python bench/faults.py --scale {args.scale:g}` (`make bench-load`); the short versions run in "
            "`make test` (tests/faults/test_faults.py). Servers with the shipped defaults (`LOG_LEVEL=WARNING`), "
            "8 requests in flight, a different ~200-character prompt each (one in ten an attack, one in ten with PII).",
            "",
            "| scenario | length | events | requests | failed | retried (first error) | latency p50 / p99 / max ms | "
            "observed | promise | held |",
            "|---|---:|---|---:|---:|---|---|---|---|---|",
            *rows,
        ]
    )
    print(text)
    if args.write:
        replace_section(DOC, "faults", "### Last run\n\n" + text)
        print(f"\nwritten to {DOC}")
    sys.exit(0 if all("| yes |" in r for r in rows) else 1)


if __name__ == "__main__":
    main()
