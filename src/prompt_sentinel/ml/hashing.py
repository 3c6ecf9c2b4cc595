"""Vectorised n-gram hashing behind :mod:`prompt_sentinel.ml.features`.

Every n-gram occurrence of a text becomes one integer key
``window << n_bits | bucket``; counting equal keys gives the sparse feature
vectors.  All arithmetic is uint64 numpy that wraps modulo 2**64 identically on
every platform, over Unicode code points (never Python's salted ``hash``).

The hashes are part of the model: changing any constant or step here changes
``feature_fingerprint`` and needs a retrain.  Pure speed-ups must keep every
key bit for bit; ``tests/ml/test_features.py`` pins them.

Speed notes (the classifier runs on every request):

- Punctuation becomes a space through a boolean look-up table over the code
  point array (:data:`_IS_SPLIT`), not ``str.translate`` with a dict, which
  costs ~45 µs per 1,000 non-ASCII characters.
- Powers of the hash primes are cached and grown on demand (:func:`_powers`).
- :func:`count_keys` sorts 32-bit keys whenever they fit (half the bytes of
  int64: about twice as fast) instead of calling ``np.unique``.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["bucket", "count_keys", "ngram_keys", "salt", "WORD_SPLIT_CHARS"]

_PRIME = np.uint64(0x100000001B3)  # FNV-64 prime: odd, spreads low bits upwards
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier (Fibonacci hashing)
_WORD_SEED = np.uint64(0xC2B2AE3D27D4EB4F)
_BIGRAM_MUL = np.uint64(0x165667B19E3779F9)
_PRIME_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))  # P * P_INV == 1 (mod 2**64)
_SPACE = np.uint64(32)

# Punctuation that separates words; CJK text without spaces stays one "word",
# its signal comes from the character n-grams.
WORD_SPLIT_CHARS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»„，。！？：；、（）【】《》…"


def _split_table() -> np.ndarray:
    """``table[cp]`` is True when code point ``cp`` (< 0x10000) separates words.

    Every separator is in the Basic Multilingual Plane and U+FFFF is not one,
    so looking up ``min(cp, 0xFFFF)`` answers for any code point.
    """
    table = np.zeros(0x10000, dtype=bool)
    table[[ord(c) for c in WORD_SPLIT_CHARS]] = True
    assert not table[0xFFFF]
    # None is Han or kana either, so CJK tests may read the unsplit code points.
    assert not any(
        0x3040 <= ord(c) <= 0x30FF or 0x3400 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF for c in WORD_SPLIT_CHARS
    )
    return table


_IS_SPLIT = _split_table()


def salt(kind: int) -> np.uint64:
    """Distinct constant per n-gram kind, so "ab" as chars and as a word differ."""
    return np.uint64((kind * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF)


def bucket(h: np.ndarray, n_bits: int, dtype: type[np.integer] = np.int64) -> np.ndarray:
    """Fibonacci hashing of 64-bit keys into ``2**n_bits`` buckets (as ``dtype``)."""
    h = h ^ (h >> np.uint64(31))
    return ((h * _MIX) >> np.uint64(64 - n_bits)).astype(dtype)


class _PowerTable:
    """``base ** i mod 2**64`` for ``i < n``, cached and grown by doubling.

    Readers take a reference to the current array; a grower swaps in a longer
    one under a lock, so concurrent calls never see a partial table.
    """

    def __init__(self, base: np.uint64) -> None:
        self._base = base
        self._table = np.ones(1, dtype=np.uint64)
        self._lock = threading.Lock()

    def get(self, n: int) -> np.ndarray:
        """At least ``n`` powers (a prefix is all a caller may read)."""
        table = self._table
        if len(table) >= n:
            return table
        with self._lock:
            if len(self._table) < n:
                size = max(n, 2 * len(self._table), 1024)
                out = np.empty(size, dtype=np.uint64)
                out[0] = 1
                with np.errstate(over="ignore"):
                    out[1:] = np.cumprod(np.full(size - 1, self._base, dtype=np.uint64))
                self._table = out
            return self._table


_POW = _PowerTable(_PRIME)
_POW_INV = _PowerTable(_PRIME_INV)


def _code_points(text: str) -> np.ndarray:
    """uint32 code points; lone surrogates pass through as themselves."""
    return np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)


def _assign(
    lo: np.ndarray, hi: np.ndarray, buckets: np.ndarray, starts: np.ndarray, span: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each n-gram occupying ``[lo, hi)`` with every window that contains it.

    Window ``k`` covers ``[starts[k], starts[k] + span)`` of the padded text.
    An n-gram that fits in no window (a 300-character "word") goes to the
    window where it starts.  General but slow (per-element binary searches);
    :func:`_assign_sorted` is the fast path.
    """
    k_hi = np.searchsorted(starts, lo, side="right") - 1
    k_lo = np.minimum(np.searchsorted(starts + span, hi, side="left"), k_hi)
    count = k_hi - k_lo + 1
    rep = np.repeat(np.arange(len(lo)), count)
    first = np.cumsum(count) - count
    win = k_lo[rep] + (np.arange(len(rep)) - first[rep])
    return win, buckets[rep]


def _assign_sorted(
    kinds: list[tuple[np.ndarray, np.ndarray]], buckets: np.ndarray, starts: np.ndarray, span: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_assign` for n-gram kinds whose ``lo`` and ``hi`` both ascend.

    ``kinds`` holds ``(lo, hi)`` per kind, in the order of ``buckets``.  With
    both bounds ascending, the n-grams of one kind inside window ``k`` are a
    contiguous run ``[a_k, b_k)``: ``a_k`` the first with ``lo >= start``,
    ``b_k`` the first with ``hi > start + span``.  So two binary searches per
    window and kind, not per n-gram, then one gather.  The caller guarantees
    that every n-gram fits in some window (see :func:`ngram_keys`).
    """
    n_win = len(starts)
    firsts: list[np.ndarray] = []
    lasts: list[np.ndarray] = []
    offset = 0
    for lo, hi in kinds:
        firsts.append(np.searchsorted(lo, starts, side="left") + offset)
        lasts.append(np.searchsorted(hi, starts + span, side="right") + offset)
        offset += len(lo)
    first = np.concatenate(firsts)
    length = np.maximum(np.concatenate(lasts) - first, 0)
    # Element j of run r is buckets[first[r] + j]: repeat each run's
    # (first - where the run begins in the output), then add the output index.
    out_start = np.cumsum(length) - length
    src = np.repeat(first - out_start, length) + np.arange(int(out_start[-1] + length[-1]))
    win = np.repeat(np.tile(np.arange(n_win, dtype=buckets.dtype), len(kinds)), length)
    return win, buckets[src]


def ngram_keys(
    text: str, starts: np.ndarray, span: int, n_bits: int, char: tuple[int, int], word: tuple[int, int]
) -> np.ndarray:
    """``window << n_bits | bucket`` for every n-gram occurrence in every window.

    The keys are uint32 when they fit (fewer than ``2**(32 - n_bits)``
    windows: 4,096 at 20 bits, half a million characters), else int64;
    smaller keys make the gathers and the sort in :func:`count_keys` cheaper.

    ``char`` and ``word`` are the (min, max) n-gram orders.  Positions are in
    the text padded with one space each side (so word starts and ends make
    their own n-grams).  Character n-grams hash by a rolling polynomial; words
    (runs between spaces once punctuation is a space) hash by prefix sums of
    the same polynomial, all in vectorised uint64 arithmetic.
    """
    cps32 = _code_points(" " + text + " ")
    cps = cps32.astype(np.uint64)
    n = len(cps)
    hs: list[np.ndarray] = []
    los: list[np.ndarray] = []
    his: list[np.ndarray] = []
    h = np.zeros(n, dtype=np.uint64)
    pos = np.arange(n)
    longest = 0  # the longest n-gram, in characters
    with np.errstate(over="ignore"):
        for m in range(1, char[1] + 1):
            # h[i] hashes cps[i : i + m].
            h = h[: n - m + 1] * _PRIME + cps[m - 1 :]
            if m >= char[0] and len(h):
                hs.append(h ^ salt(m))
                los.append(pos[: len(h)])
                his.append(pos[: len(h)] + m)
                longest = m
        n_char_kinds = len(los)
        # Words: punctuation becomes a space (same length, so offsets line up).
        split = _IS_SPLIT[np.minimum(cps32, 0xFFFF)]
        flat = np.where(split, _SPACE, cps)
        is_word = (cps32 != 32) & ~split
        # Chinese and Japanese are written without spaces: each Han or kana
        # character is a word of its own, so word n-grams generalise there too.
        cjk = ((cps32 >= 0x3040) & (cps32 <= 0x30FF)) | ((cps32 >= 0x3400) & (cps32 <= 0x9FFF))
        cjk |= (cps32 >= 0xF900) & (cps32 <= 0xFAFF)
        w_lo = np.flatnonzero(is_word[1:] & (~is_word[:-1] | cjk[1:] | cjk[:-1])) + 1
        w_hi = np.flatnonzero(is_word[:-1] & (~is_word[1:] | cjk[:-1] | cjk[1:])) + 1
        if len(w_lo):
            pw = _POW.get(n)
            inv = _POW_INV.get(n)
            prefix = np.zeros(n + 1, dtype=np.uint64)
            np.cumsum(flat * pw[:n], out=prefix[1:])
            hw = (prefix[w_hi] - prefix[w_lo]) * inv[w_lo] ^ _WORD_SEED
            hg = np.zeros(len(hw), dtype=np.uint64)
            for m in range(1, word[1] + 1):
                hg = hg[: len(hw) - m + 1] * _BIGRAM_MUL + hw[m - 1 :]
                if m >= word[0] and len(hg):
                    hs.append(hg ^ salt(100 + m))
                    los.append(w_lo[: len(hg)])
                    his.append(w_hi[m - 1 :])
            if len(los) > n_char_kinds:
                # The highest word order present holds the longest: every lower-order
                # n-gram lies inside one of its n-grams.
                longest = max(longest, int((his[-1] - los[-1]).max()))
    key_type = np.uint32 if len(starts) << n_bits <= 1 << 32 else np.int64
    if not hs:
        return np.zeros(0, dtype=key_type)
    buckets = bucket(np.concatenate(hs), n_bits, key_type)
    if len(starts) == 1:
        return buckets
    # The fast path needs every n-gram to fit in a window: true when the
    # longest is at most span + 1 - (largest gap between window starts).
    if longest <= span + 1 - int((starts[1:] - starts[:-1]).max()):
        win, b = _assign_sorted(list(zip(los, his, strict=True)), buckets, starts, span)
    else:
        win, b = _assign(np.concatenate(los), np.concatenate(his), buckets, starts, span)
        win = win.astype(key_type)
    return (win << n_bits) | b


def count_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys (int64) and how often each occurs: ``np.unique``, faster.

    Skips ``np.unique``'s generic bookkeeping; sorting uint32 keys (see
    :func:`ngram_keys`) is about twice as fast as int64.
    """
    s = np.sort(keys)
    if not len(s):
        return s.astype(np.int64), np.zeros(0, dtype=np.int64)
    new = np.empty(len(s), dtype=bool)
    new[0] = True
    np.not_equal(s[1:], s[:-1], out=new[1:])
    first = np.flatnonzero(new)
    counts = np.empty(len(first), dtype=np.int64)
    np.subtract(first[1:], first[:-1], out=counts[:-1])
    counts[-1] = len(s) - first[-1]
    return s[first].astype(np.int64), counts
