"""Detection-quality metrics for labelled JSONL (``text``, ``label`` 0/1, optional ``source``)."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from prompt_sentinel.engine.engine import Engine
from prompt_sentinel.engine.models import Mode, Verdict


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, label: int, detected: bool) -> None:
        if label == 1:
            if detected:
                self.tp += 1
            else:
                self.fn += 1
        elif detected:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.tn + self.fn

    def metrics(self) -> dict[str, float | int | None]:
        def div(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        precision = div(self.tp, self.tp + self.fp)
        recall = div(self.tp, self.tp + self.fn)
        fpr = div(self.fp, self.fp + self.tn)
        f1 = (
            round(2 * precision * recall / (precision + recall), 4)
            if precision and recall
            else (0.0 if precision is not None and recall is not None else None)
        )
        tnr = None if fpr is None else 1 - fpr
        parts = [x for x in (recall, tnr) if x is not None]
        bal = round(sum(parts) / len(parts), 4) if parts else None
        return {
            **asdict(self),
            "n": self.n,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "fpr": fpr,
            "balanced_accuracy": bal,
        }


def read_labelled(paths: Iterable[Path]) -> Iterable[tuple[str, int, str]]:
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                yield str(row["text"]), int(row["label"]), str(row.get("source") or path.stem)


def evaluate(engine: Engine, paths: Iterable[Path], mode: Mode | None = None) -> dict[str, object]:
    """Run the engine on every row; any verdict other than allow counts as a detection."""
    total = Counts()
    by_source: dict[str, Counts] = defaultdict(Counts)
    latencies: list[float] = []
    skipped = 0
    for text, label, source in read_labelled(paths):
        if len(text) > engine.options.max_prompt_length or not text.strip():
            skipped += 1
            continue
        start = time.perf_counter()
        res = engine.detect(text, mode=mode)
        latencies.append((time.perf_counter() - start) * 1000)
        detected = res.verdict is not Verdict.ALLOW
        total.add(label, detected)
        by_source[source].add(label, detected)
    latencies.sort()

    def pct(p: float) -> float | None:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 3) if latencies else None

    return {
        "mode": (mode or engine.options.default_mode).value,
        "overall": total.metrics(),
        "by_source": {k: v.metrics() for k, v in sorted(by_source.items())},
        "latency_ms": {"p50": pct(0.5), "p99": pct(0.99)},
        "skipped": skipped,
    }
