"""The word list behind :mod:`prompt_sentinel.engine.segment`, built from the training data.

Every word (a maximal run of letters and their marks, after NFKC and casefolding; Han
and kana excluded, the classifier reads each of those characters as a word; Latin words
with letters of another script in them excluded, they are homoglyph obfuscations) seen at least
``MIN_COUNT`` times across the training rows, most frequent first (ties alphabetical, so
the file is reproducible).  ``promptsentinel train`` writes it next to the model.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import re2

from prompt_sentinel.engine.segment import MAX_WORD

__all__ = ["MIN_COUNT", "build_words", "write_words"]

MIN_COUNT = 3
_WORD = re2.compile(r"(?:\pL\pM*)+")
_CJK = re2.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def build_words(texts: Iterable[str], min_count: int = MIN_COUNT) -> list[str]:
    """The words of ``texts`` (see the module docstring), most frequent first."""
    counts: Counter[str] = Counter()
    for text in texts:
        folded = unicodedata.normalize("NFKC", text).casefold()
        counts.update(w for w in _WORD.findall(folded) if len(w) <= MAX_WORD and _one_script(w))
    ranked = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return ranked


def _one_script(word: str) -> bool:
    """No Han or kana, and no letters of another script inside a Latin word ("thе" with a
    Cyrillic "е" is a homoglyph obfuscation, not a word)."""
    if _CJK.search(word):
        return False
    if word.isascii() or not any("a" <= c <= "z" for c in word):
        return True
    return all(c.isascii() or unicodedata.name(c, "").startswith(("LATIN", "COMBINING")) for c in word)


def write_words(path: Path, words: list[str]) -> None:
    """One word per line."""
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
