"""Latency of the PII detector by prompt length, on PII-bearing text and on adversarial noise.

Usage: python bench/bench_pii.py [--write] [--quick]
Both prefilter engines are measured (hyperscan, RE2 Set); spans always come from RE2.
With --write the tables replace the 'pii' section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, replace_section, stats_ms, text_of_length  # noqa: E402

from prompt_sentinel.detectors.pii import PIIDetector  # noqa: E402

LENGTHS = (100, 1_000, 10_000, 50_000)
PII_SNIPPETS = (
    "Mail me at jane.doe@example.com tomorrow.",
    "My number is +44 20 7946 0958 after six.",
    "Card 4111 1111 1111 1111 expires soon.",
    "Transfer to DE89 3704 0044 0532 0130 00 please.",
    "The server is at 203.0.113.7 behind the proxy.",
    "Use key AKIAIOSFODNN7EXAMPLE for the bucket.",
)


def with_pii(n: int, seed: int) -> str:
    """Prose with one PII snippet every ~250 characters."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n:
        s = text_of_length(200, rng.randrange(1 << 30)) + " " + rng.choice(PII_SNIPPETS)
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)[:n]


def adversarial(n: int) -> dict[str, str]:
    rng = random.Random(7)
    alnum = string.ascii_letters + string.digits
    return {
        "random digits": "".join(rng.choice(string.digits) for _ in range(n)),
        "digit groups '1234 5678 '": " ".join(
            "".join(rng.choice(string.digits) for _ in range(4)) for _ in range(n // 5)
        ),
        "'a@' runs": "a@" * (n // 2),
        "'a.a@a.' runs": "a.a@a." * (n // 6),
        "'1.1.1.1 ' repeats": "1.1.1.1 " * (n // 8),
        "hex with colons": ":".join("".join(rng.choice("0123456789abcdef") for _ in range(2)) for _ in range(n // 3)),
        "'::' runs": "::" * (n // 2),
        "'+1 ' runs": "+1 " * (n // 3),
        "'eyJ' runs": "eyJ" * (n // 3),
        "random base64url": "".join(rng.choice(alnum + "-_") for _ in range(n)),
        "random printable": "".join(rng.choice(string.printable) for _ in range(n)),
        "random '0-9 -.()+/'": "".join(rng.choice("0123456789 -.()+/") for _ in range(n)),
        "random '0-9a-f:. -@+'": "".join(rng.choice("0123456789abcdef:. -@+") for _ in range(n)),
        "random '0-9a-fA-F .-:@+/_'": "".join(rng.choice("0123456789 .-:abcdefABCDEF@+/_") for _ in range(n)),
        "PEM header + base64, no END": "-----BEGIN PRIVATE KEY-----\n"
        + "".join(rng.choice(alnum) for _ in range(n - 28)),
        "emoji": "\U0001f600" * n,
        "CJK with emails": ("你好世界这是一个测试a@b.co" * (n // 16))[:n],
    }


def median_ms(fn: Callable[[str], object], text: str, repeat: int) -> tuple[float, float]:
    fn(text)  # warm: phonenumbers region metadata, scratch allocation
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        samples.append(time.perf_counter() - t0)
    return stats_ms(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    args = ap.parse_args()
    scale = 0.2 if args.quick else 1.0

    t0 = time.perf_counter()
    engines = {"hyperscan": PIIDetector(), "re2-set": PIIDetector(engine="re2")}
    build_s = time.perf_counter() - t0

    lines = [
        f"Machine: {machine()}. Both detectors built (incl. imports) in {build_s:.2f} s.",
        "",
        "| text | chars | hyperscan p50 ms | p99 | RE2 Set p50 ms | p99 |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, text: str, repeat: int) -> None:
        cells = []
        for det in engines.values():
            p50, p99 = median_ms(det.find, text, max(3, int(repeat * scale)))
            cells += [f"{p50:.4f}", f"{p99:.4f}"]
        lines.append(f"| {label} | {len(text):,} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)

    for n in LENGTHS:
        row("prose, no PII", text_of_length(n, seed=n), max(20, 2_000_000 // n))
    for n in LENGTHS:
        row("prose + PII every ~250 chars", with_pii(n, seed=n), max(10, 500_000 // n))
    for n in (10_000, 50_000):
        for label, text in adversarial(n).items():
            row(f"adversarial: {label}", text, 5 if n > 10_000 else 20)

    if args.write:
        target = Path(__file__).resolve().parents[1] / "docs" / "BENCHMARKS.md"
        replace_section(target, "pii", "## PII detector\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
