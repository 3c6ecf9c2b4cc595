"""Latency and load-time benchmark of the shipped classifier (one thread).

    python training/bench_classifier.py

Prints the model load time and the median / p95 time of ClassifierDetector.detect
for prompts of 100 to 20,000 characters (raw view plus a differing normalised
view, as the engine passes it), so cost per 1,000 characters can be read off.
"""

from __future__ import annotations

import os
import random
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from prompt_sentinel.detectors.classifier import ClassifierDetector  # noqa: E402
from prompt_sentinel.engine.models import DetectContext, PreparedText  # noqa: E402
from prompt_sentinel.ml.features import canonical  # noqa: E402
from prompt_sentinel.ml.model import ClassifierModel  # noqa: E402

_VOCAB = """
the of and to in is you that it he was for on are as with his they at be this
have from or one had by word but not what all were we when your can said there
use an each which she do how their if will up other about out many then them
ignore system prompt instructions act as translator café naïve 東京 москва 123 2+2=4
"""
WORDS = _VOCAB.split()


def text_of(n: int, rng: random.Random) -> str:
    out: list[str] = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:n]


def main() -> None:
    t0 = time.perf_counter()
    model = ClassifierModel.load()
    load_s = time.perf_counter() - t0
    det = ClassifierDetector(model, encoder=False)  # the n-gram model (bench_engine.py: the cascade)
    ctx = DetectContext()
    rng = random.Random(0)
    print(f"load: {load_s * 1000:.0f} ms")
    for n in (100, 1000, 5000, 20_000):
        samples = []
        texts = [text_of(n, rng) for _ in range(20)]
        preps = [PreparedText(raw=t, normalised=canonical(t) + " x") for t in texts]
        reps = 200 if n <= 1000 else 20
        for i in range(reps):
            p = preps[i % len(preps)]
            s = time.perf_counter()
            det.detect(p, ctx)
            samples.append((time.perf_counter() - s) * 1000)
        samples.sort()
        med = statistics.median(samples)
        p95 = samples[int(0.95 * len(samples)) - 1]
        print(f"{n:>6} chars: median {med:.3f} ms, p95 {p95:.3f} ms ({med / n * 1000:.3f} ms/1k)")


if __name__ == "__main__":
    main()
