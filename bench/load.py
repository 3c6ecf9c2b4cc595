"""Load test of POST /api/v1/detect with wrk, against a bare uvicorn echo endpoint.

For each configuration (workers 1 and 2, with and without Redis) one server is started
with the shipped defaults, warmed up, and driven by wrk (2 threads, on the same machine)
with 100-, 1,000- and 10,000-character prompts at 1, 16 and 64 connections; every request
carries a different prompt (bench/prompts.lua), so no cache answers. The same matrix runs
against bench/echo_app.py (parse JSON, send it back) for the ratio. Then: the classifier
off (ENABLE_CLASSIFIER=false), to show where the time goes, and cache hits (one prompt
repeated).

Usage: python bench/load.py [--seconds 10] [--quick] [--write]
With --write the tables replace the 'load' section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import procs  # noqa: E402
from common import git_rev, machine, replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "BENCHMARKS.md"
TARGET = (1000, 64)  # (chars, connections) of the target


@dataclass(frozen=True)
class Row:
    target: str  # "echo", "echo, FastAPI", "detect", "detect, no classifier", "cache hit"
    workers: int
    redis: bool
    chars: int
    conns: int
    result: dict[str, Any]


def measure(
    url: str, sizes: list[int], conns: list[int], seconds: float, warmup: float, label: str, **kw: Any
) -> list[tuple[int, int, dict[str, Any]]]:
    procs.wrk(url, 16, warmup, 1000, **kw)
    out = []
    for chars in sizes:
        for c in conns:
            r = procs.wrk(url, c, seconds, chars, **kw)
            print(
                f"{label:38s} {chars:>6} chars {c:>3} conns: {r['rps']:8.0f} req/s  p50 {r['p50'] / 1000:7.1f}  "
                f"p95 {r['p95'] / 1000:7.1f}  p99 {r['p99'] / 1000:7.1f} ms  errors {r['errors']}",
                flush=True,
            )
            out.append((chars, c, r))
    return out


def run(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    sizes, conns = args.sizes, args.connections
    for workers in args.workers:
        e = procs.echo(workers).start()
        try:
            for chars, c, r in measure(e.url, sizes, conns, args.seconds, args.warmup, f"echo w{workers}", path="/"):
                rows.append(Row("echo", workers, False, chars, c, r))
        finally:
            e.stop()
        e = procs.echo(workers, kind="fastapi").start()
        try:
            label = f"echo FastAPI w{workers}"
            for chars, c, r in measure(e.url, [1000], conns, args.seconds, args.warmup, label, path="/"):
                rows.append(Row("echo, FastAPI", workers, False, chars, c, r))
        finally:
            e.stop()
        for with_redis in args.redis:
            red = procs.redis() if with_redis else None
            env = {"REDIS_URL": f"redis://127.0.0.1:{red.port}/0"} if red else {}
            s = procs.server(workers, env).start()
            try:
                label = f"detect w{workers}{' redis' if red else ''}"
                for chars, c, r in measure(s.url, sizes, conns, args.seconds, args.warmup, label):
                    rows.append(Row("detect", workers, red is not None, chars, c, r))
                r = procs.wrk(s.url, 64, args.seconds, 1000, same=True)
                print(f"{label + ' cache hit':38s}   1000 chars  64 conns: {r['rps']:8.0f} req/s", flush=True)
                rows.append(Row("cache hit", workers, red is not None, 1000, 64, r))
            finally:
                s.stop()
                if red:
                    red.stop()
        s = procs.server(workers, {"ENABLE_CLASSIFIER": "false"}).start()
        try:
            for chars, c, r in measure(s.url, [1000], conns, args.seconds, args.warmup, f"no classifier w{workers}"):
                rows.append(Row("detect, no classifier", workers, False, chars, c, r))
        finally:
            s.stop()
    return rows


def _find(rows: list[Row], target: str, workers: int, redis: bool, chars: int, conns: int) -> Row | None:
    for r in rows:
        if (r.target, r.workers, r.redis, r.chars, r.conns) == (target, workers, redis, chars, conns):
            return r
    return None


def report(rows: list[Row], args: argparse.Namespace, started: str, elapsed: float) -> str:
    lines = [
        f"Machine: {machine()}; load generator on the same machine. Run {started} (UTC), "
        f"git {git_rev()}, {elapsed / 60:.0f} min.",
        "",
        f"Command: `python bench/load.py --seconds {args.seconds:g}` (`make bench-load`): wrk 4.1 "
        "(`bench/ensure-wrk.sh`), 2 threads, `--timeout 10s`, "
        f"{args.seconds:g} s per cell after a {args.warmup:g} s warm-up per server; a different prompt on every "
        "request (`bench/prompts.lua`); servers with the shipped defaults (`promptsentinel serve`, INFO access "
        "log to a file, metrics on, embedded cache); Redis: `REDIS_URL` to a local redis-server (cache in "
        "Redis). Echo: `bench/echo_app.py`, a bare ASGI app on uvicorn's defaults (uvloop, httptools) that "
        "parses the JSON body and sends it back. Echo, FastAPI: the same echo as a FastAPI route with a "
        "pydantic body and response model, also on uvicorn's defaults: what our framework costs before any "
        "detection.",
        "",
        "| target | workers | Redis | chars | conns | req/s | p50 ms | p95 ms | p99 ms | errors | req/s vs echo | "
        "p99 vs echo |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        echo = _find(rows, "echo", r.workers, False, r.chars, r.conns)
        ratio = p99r = ""
        if echo is not None and r.target != "echo":
            ratio = f"{r.result['rps'] / echo.result['rps']:.1%}"
            p99r = f"{r.result['p99'] / max(echo.result['p99'], 1):.0f}x"
        res = r.result
        lines.append(
            f"| {r.target} | {r.workers} | {'yes' if r.redis else 'no'} | {r.chars:,} | {r.conns} | "
            f"{res['rps']:,.0f} | {res['p50'] / 1000:.1f} | {res['p95'] / 1000:.1f} | {res['p99'] / 1000:.1f} | "
            f"{res['errors']} | {ratio} | {p99r} |"
        )
    lines += [
        "",
        "Target (1,000 characters, 64 connections): at least 70% of the echo's req/s and a p99 at most "
        "1.5x the echo's.",
        "",
    ]
    for workers in args.workers:
        for ref in ("echo", "echo, FastAPI"):
            echo = _find(rows, ref, workers, False, *TARGET)
            for target in ("detect", "detect, no classifier"):
                r = _find(rows, target, workers, False, *TARGET)
                if echo and r:
                    lines.append(
                        f"- workers={workers}, {target} vs {ref}: {r.result['rps']:,.0f} / "
                        f"{echo.result['rps']:,.0f} req/s = {r.result['rps'] / echo.result['rps']:.1%}; p99 "
                        f"{r.result['p99'] / 1000:.1f} ms = {r.result['p99'] / max(echo.result['p99'], 1):.1f}x "
                        f"its {echo.result['p99'] / 1000:.1f} ms."
                    )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0, help="per cell")
    ap.add_argument("--warmup", type=float, default=3.0, help="per server")
    ap.add_argument("--quick", action="store_true", help="1,000 characters, 16 and 64 connections, one worker")
    ap.add_argument("--write", action="store_true", help="replace the 'load' section of docs/BENCHMARKS.md")
    args = ap.parse_args()
    args.sizes, args.connections, args.workers, args.redis = [100, 1000, 10_000], [1, 16, 64], [1, 2], [False, True]
    if args.quick:
        args.sizes, args.connections, args.workers, args.redis = [1000], [16, 64], [1], [False]
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    t0 = time.monotonic()
    rows = run(args)
    text = report(rows, args, started, time.monotonic() - t0)
    print()
    print(text)
    if args.write:
        replace_section(DOC, "load", "## Load (HTTP, wrk)\n\n" + text)
        print(f"\nwritten to {DOC}")


if __name__ == "__main__":
    main()
