"""Soak: a steady request rate for a long time; memory, file descriptors and errors.

One server with the shipped defaults (or the given environment) is driven by wrk at a
steady rate (``DELAY_MS`` in bench/prompts.lua: each connection waits between requests)
with a different 1,000-character prompt each time, one in ten an attack and one in ten
carrying PII. Every second the server's RSS and open file descriptors are sampled (the
whole process tree, so several workers add up). After the warm-up (the verdict cache
filling, allocator arenas settling) the RSS must stay within 10% of its value at the end
of the warm-up, the descriptors must not grow, and no request may fail.

Usage: python bench/soak.py [--minutes 30] [--rate 200] [--workers 1] [--write]
With --write the result replaces the 'soak' section of docs/RELIABILITY.md.
``make soak`` runs the 30-minute version; tests/faults/test_soak.py a 25-second one.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import procs  # noqa: E402
from common import git_rev, machine, replace_section  # noqa: E402

DOC = Path(__file__).resolve().parents[1] / "docs" / "RELIABILITY.md"
RSS_BOUND = 1.10  # after warm-up, RSS may not exceed its warm-up value by more than 10%
FD_SLACK = 2  # descriptors may vary by this much (a connection being replaced), not grow


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def rss_kb(pids: list[int]) -> int:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def fd_count(pids: list[int]) -> int:
    total = 0
    for p in pids:
        try:
            total += len(os.listdir(f"/proc/{p}/fd"))
        except OSError:
            continue
    return total


@dataclass(frozen=True)
class Sample:
    t: float  # seconds since the load started
    rss_kb: int
    fds: int


@dataclass
class SoakResult:
    seconds: float
    warmup: float
    target_rate: float
    wrk: dict[str, object]
    samples: list[Sample] = field(default_factory=list)

    @property
    def after_warmup(self) -> list[Sample]:
        return [s for s in self.samples if s.t >= self.warmup]

    @property
    def rss_start(self) -> int:
        return self.after_warmup[0].rss_kb

    @property
    def rss_max(self) -> int:
        return max(s.rss_kb for s in self.after_warmup)

    @property
    def fds_start(self) -> int:
        return self.after_warmup[0].fds

    @property
    def fds_max(self) -> int:
        return max(s.fds for s in self.after_warmup)

    def problems(self) -> list[str]:
        """What breaks the soak's promises (empty when it held)."""
        out = []
        if len(self.after_warmup) < 2:
            return ["too few samples after the warm-up"]
        if self.rss_max > RSS_BOUND * self.rss_start:
            out.append(f"RSS grew from {self.rss_start / 1024:.1f} to {self.rss_max / 1024:.1f} MiB after warm-up")
        if self.fds_max > self.fds_start + FD_SLACK:
            out.append(f"open descriptors grew from {self.fds_start} to {self.fds_max}")
        if self.wrk["errors"]:
            out.append(f"{self.wrk['errors']} failed requests (connect/read/write/status/timeout)")
        return out


def soak(
    seconds: float,
    rate: float,
    warmup: float,
    *,
    connections: int = 8,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    url: str | None = None,
    pid: int | None = None,
) -> SoakResult:
    """Drive a server (started here unless ``url`` and ``pid`` are given) for ``seconds``."""
    srv = None
    if url is None:
        srv = procs.server(workers, env).start()
        url, pid = srv.url, srv.pid
    assert pid is not None
    try:
        delay = max(1, round(connections * 1000 / rate))
        load, cmd = procs.wrk_start(url, connections, seconds, 1000, {"MIX": "1", "DELAY_MS": str(delay)})
        result = SoakResult(seconds, warmup, connections * 1000 / delay, {})
        start = time.monotonic()
        while load.poll() is None:
            pids = tree(pid)
            result.samples.append(Sample(time.monotonic() - start, rss_kb(pids), fd_count(pids)))
            time.sleep(1.0)
        out, err = load.communicate()
        if load.returncode != 0:
            raise RuntimeError(f"wrk failed: {err.strip()[-300:]}")
        result.wrk = procs.summary(out, cmd)
        return result
    finally:
        if srv is not None:
            srv.stop()


def report(r: SoakResult, workers: int, started: str) -> str:
    w = r.wrk
    end = r.samples[-1]
    command = f"python bench/soak.py --minutes {r.seconds / 60:g} --rate {r.target_rate:g} --workers {workers}"
    verdict = "held" if not r.problems() else "; ".join(r.problems())
    cells = [
        f"{r.seconds / 60:g} min",
        f"{r.warmup / 60:g} min",
        f"{w['requests']:,}",
        f"{w['rps']:.0f}/s",
        str(w["errors"]),
        f"{w['p50'] / 1000:.1f}",
        f"{w['p99'] / 1000:.1f}",
        f"{r.rss_start / 1024:.1f} MiB",
        f"{r.rss_max / 1024:.1f} MiB (+{(r.rss_max / r.rss_start - 1):.1%})",
        f"{end.rss_kb / 1024:.1f} MiB",
        str(r.fds_start),
        str(r.fds_max),
        verdict,
    ]
    header = [
        "duration", "warm-up", "requests", "rate", "errors", "p50 ms", "p99 ms", "RSS after warm-up",
        "RSS max", "RSS end", "fds after warm-up", "fds max", "verdict",
    ]  # fmt: skip
    return "\n".join(
        [
            f"Machine: {machine()}; load generator on the same machine. Run {started} (UTC), git {git_rev()}.",
            "",
            f"Command: `{command}` (`make soak`): one server with the shipped defaults (embedded cache of 10,000 "
            "verdicts), wrk with 8 connections, each waiting between requests (`DELAY_MS`), a different "
            "1,000-character prompt per request, one in ten an attack, one in ten with PII. RSS and open "
            "descriptors of the server's process tree sampled every second.",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---:|" * (len(header) - 1) + "---|",
            "| " + " | ".join(cells) + " |",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--rate", type=float, default=200.0, help="requests per second")
    ap.add_argument("--warmup", type=float, default=None, help="minutes (default: a tenth, at least 1)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    seconds = args.minutes * 60
    warmup = (args.warmup * 60) if args.warmup is not None else min(max(60.0, seconds / 10), seconds / 2)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    r = soak(seconds, args.rate, warmup, workers=args.workers)
    text = report(r, args.workers, started)
    print(text)
    if args.write:
        replace_section(DOC, "soak", "### Last run\n\n" + text)
        print(f"\nwritten to {DOC}")
    sys.exit(1 if r.problems() else 0)


if __name__ == "__main__":
    main()
