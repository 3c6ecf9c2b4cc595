"""A/B of detection throughput between an earlier commit and the working tree, interleaved.

The machine is shared and its speed drifts by tens of percent within an hour, so req/s
from two separate `bench/load.py` runs cannot be compared; this runs both versions in
turns, in one session: one worker, wrk 2 threads, a different prompt per request.  The
earlier commit is checked out in a temporary git worktree and served by the same virtual
environment (its ``src/`` first on PYTHONPATH, so its code and its model answer).

Usage: python bench/ab_load.py OLD_REV [--rounds 3] [--seconds 8] [--chars 1000] [--conns 64]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import procs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("old_rev")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--chars", type=int, default=1000)
    ap.add_argument("--conns", type=int, default=64)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), args.old_rev], check=True
        )
        try:
            results = run(args, {"old": {"PYTHONPATH": str(tree / "src")}, "new": {}})
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    for name, rows in results.items():
        rps = [r for r, _ in rows]
        p99 = [p for _, p in rows]
        print(
            f"{name:14s} req/s median {statistics.median(rps):7.0f} (runs {', '.join(f'{r:.0f}' for r in rps)}); "
            f"p99 median {statistics.median(p99):.1f} ms"
        )
    old, new = statistics.median(r for r, _ in results["old"]), statistics.median(r for r, _ in results["new"])
    print(f"new / old: {new / old:.2f}; new / FastAPI echo: {new / results['FastAPI echo'][0][0]:.1%}")


def run(args: argparse.Namespace, versions: dict[str, dict[str, str]]) -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
    for rnd in range(args.rounds):
        for name, env in versions.items():
            s = procs.server(1, env).start()
            try:
                procs.wrk(s.url, 16, 3, args.chars)  # warm-up
                r = procs.wrk(s.url, args.conns, args.seconds, args.chars)
            finally:
                s.stop()
            results[name].append((r["rps"], r["p99"] / 1000))
            print(f"{name} round {rnd}: {r['rps']:.0f} req/s, p99 {r['p99'] / 1000:.1f} ms", flush=True)
    e = procs.echo(1, kind="fastapi").start()
    try:
        procs.wrk(e.url, 16, 3, args.chars, path="/")
        r = procs.wrk(e.url, args.conns, args.seconds, args.chars, path="/")
    finally:
        e.stop()
    results["FastAPI echo"] = [(r["rps"], r["p99"] / 1000)]
    return results


if __name__ == "__main__":
    main()
