"""Helpers shared by the benchmark scripts: machine description, text generation, stats."""

from __future__ import annotations

import functools
import os
import platform
import random
import re
import statistics
import subprocess
from datetime import date
from pathlib import Path

SENTENCES = [
    "The quarterly report shows revenue growth in every region except the north-east.",
    "Please summarise the attached meeting notes and list the action items with owners.",
    "Our team migrated the billing service to the new cluster last weekend without downtime.",
    "Can you explain how photosynthesis converts light into chemical energy in plants?",
    "Der Zug nach München hatte heute Morgen zwanzig Minuten Verspätung.",
    "Write a short poem about autumn leaves falling on a quiet village street.",
    "Les résultats de l'enquête seront publiés la semaine prochaine sur notre site.",
    "I need a recipe for a vegetarian lasagne that serves six people.",
    "What are the main differences between TCP and UDP for real-time applications?",
    "The museum opens at nine and the guided tour starts at half past ten.",
    "Refactor this function so that it handles empty input lists gracefully.",
    "El informe anual incluye un análisis detallado de los costes operativos.",
]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today().isoformat()}"


def text_of_length(n: int, seed: int) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n:
        s = rng.choice(SENTENCES)
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)[:n]


def stats_ms(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    p99 = samples[min(len(samples) - 1, int(0.99 * len(samples)))]
    return statistics.median(samples) * 1000, p99 * 1000


@functools.cache
def git_rev() -> str:
    """The commit the benchmark started on (read once, at import), "+dirty" with local edits.

    Read at import, not when the report is written: a 30-minute run must not name a
    commit made while it ran.
    """
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


git_rev()


def replace_section(path: Path, marker: str, body: str) -> None:
    """Replace the text between <!-- marker:start --> and <!-- marker:end --> (append if absent)."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
