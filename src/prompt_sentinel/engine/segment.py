"""Word boundaries for text whose spaces were the obfuscation: ``f o r g e t a l l`` -> ``forget all``.

Letter spacing ("i g n o r e  a l l") collapses to one run of letters; without its word
boundaries the classifier's word n-grams and most patterns cannot read it.  :func:`segment`
puts the boundaries back with the most probable split under a unigram model (cost of a word
= log of its frequency rank, the classic Zipf approximation), by dynamic programming: linear
in the run's length (at most ``MAX_WORD`` candidates per position).  :func:`known` lets the
leetspeak fold choose "l" over "i" for a "1" when only that spelling is a word ("ru1es").

The words (``models/words.txt``, most frequent first) are the ASCII words seen at least three
times in the training data, written by ``promptsentinel train`` (:mod:`prompt_sentinel.ml.vocab`);
loaded on first use (~20 ms) because most prompts never need them.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

__all__ = ["MAX_WORD", "WORDS_FILE", "commonest", "known", "segment", "use_words"]

WORDS_FILE = Path(__file__).resolve().parent.parent / "models" / "words.txt"
MAX_WORD = 24
_UNKNOWN = 30.0  # cost of one letter that starts no known word: a last resort
_MIN_RUN = 6  # shorter runs ("a b c", "u s a") are left alone

_lock = threading.Lock()
_path = WORDS_FILE
_costs: dict[str, float] | None = None


def use_words(path: Path) -> None:
    """Read the words from ``path`` from now on (training builds and uses its own list)."""
    global _path, _costs
    with _lock:
        _path, _costs = path, None


def _load() -> dict[str, float]:
    global _costs
    costs = _costs
    if costs is not None:
        return costs
    with _lock:
        if _costs is None:
            try:
                words = [w for w in _path.read_text(encoding="utf-8").split("\n") if w]
            except OSError:
                words = []  # no list: nothing is segmented, folding stays as before
            scale = math.log(max(len(words), 2))
            _costs = {w: math.log((i + 1) * scale) for i, w in enumerate(words)}
        return _costs


def known(word: str) -> bool:
    """Is ``word`` in the word list?"""
    return word in _load()


def commonest(words: list[str]) -> str | None:
    """The most frequent of ``words`` in the word list, or None when none is in it."""
    costs = _load()
    found = [(costs[w], w) for w in words if w in costs]
    return min(found)[1] if found else None


def segment(run: str) -> str | None:
    """``run`` (lower-case letters, no digits) split into words, or None when no good split exists.

    A split is refused when it needs a letter that starts no known word, averages under
    three letters a word, or has two one-letter words in a row (so the result never looks
    like spaced letters again: the normalisation stays idempotent).
    """
    if len(run) < _MIN_RUN or not run.isalpha():
        return None
    costs = _load()
    if not costs:
        return None
    n = len(run)
    best = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        for k in range(max(0, i - MAX_WORD), i):
            c = costs.get(run[k:i])
            if c is None:
                if i - k != 1:
                    continue
                c = _UNKNOWN
            v = best[k] + c
            if v < best[i]:
                best[i], back[i] = v, k
    words: list[str] = []
    i = n
    while i > 0:
        words.append(run[back[i] : i])
        i = back[i]
    words.reverse()
    if len(words) < 2 or n < 3 * len(words):
        return None  # one word, or many short ones ("g el ten"): not a clear split
    for a, b in zip(words, words[1:], strict=False):
        if len(a) == 1 and len(b) == 1:
            return None
    if any(len(w) == 1 and w not in costs for w in words):
        return None
    return " ".join(words)
