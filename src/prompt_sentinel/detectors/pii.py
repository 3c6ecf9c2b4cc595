"""PII detector: emails, phones, cards, national ids, keys and tokens.

How one text is scanned (all linear in its length):

1. The raw text is turned into an ASCII view of the same length in which
   every non-ASCII character (lone surrogates included) is one ``?`` byte,
   so byte offsets in the view *are* str indices into the raw text.
2. One hyperscan pass (every pattern, ``HS_FLAG_SINGLEMATCH``) says which
   patterns occur at all; ordinary prose usually fires none.
3. Only the patterns that fired run again, one RE2 search loop each, to get
   spans; each candidate is checked by its validator (Luhn, mod-97,
   phonenumbers, ...) and, for some types, a keyword nearby.
   A rejected candidate of a bounded pattern (at most _RESCAN_WIDTH characters) is
   not skipped whole: the search resumes one character after its start, so a
   value overlapping it is still found ("+44 20 7946 0958 4111 1111 1111 1111":
   the card pattern first matches "7946 0958 4111 1111", which fails Luhn).
   Bounded patterns keep this linear; unbounded ones resume after the match.
4. Overlaps are resolved: higher confidence first, then the longer match.

``engine="re2"`` swaps step 2 for an RE2 ``Set`` (for platforms without
hyperscan).  It is as fast on prose but up to ten times slower on dense noise
(bench/bench_pii.py), and RE2::Set reports *no match* when its DFA runs out of
memory, so a crafted input could slip past it; hyperscan has no such failure.
"""

from __future__ import annotations

import re._parser
import time
from bisect import bisect_right
from collections.abc import Callable
from threading import local
from typing import ClassVar, cast

import re2

from prompt_sentinel.engine.models import (
    Category,
    DetectContext,
    DetectorResult,
    Finding,
    PIIMatch,
    PreparedText,
)
from prompt_sentinel.patterns.pii import (
    CONTEXT_BOOST,
    CONTEXT_WINDOW,
    PII_LABELS,
    PII_PATTERNS,
    PII_TYPES,
    PIIPattern,
)
from prompt_sentinel.patterns.pii_validators import VALIDATORS, Accepted, Validator, warm_up

__all__ = ["PIIDetector"]

_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 32 << 20  # room for the DFA cache of the larger patterns
_RESCAN_WIDTH = 64  # patterns whose matches are at most this long are searched again inside a rejected one


def _max_width(regex: str) -> int:
    """The longest match of one of our own (trusted) patterns; huge when unbounded."""
    return int(re._parser.parse(regex).getwidth()[1])


# Non-ASCII characters that commonly sit inside values (a no-break space in a
# French phone number, full-width digits in Japanese text): the view gets their
# ASCII twin instead of "?", so the value is found and its span still exact.
_FOLD: dict[str, int] = {
    **dict.fromkeys("\u00a0\u2007\u2009\u202f\u3000", ord(" ")),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\uff0d", ord("-")),
    **{chr(0xFF10 + i): ord("0") + i for i in range(10)},
    "\uff0b": ord("+"),
    "\uff08": ord("("),
    "\uff09": ord(")"),
    "\uff0e": ord("."),
    "\uff20": ord("@"),
}


def _ascii_view(raw: str) -> bytes:
    """Same length as ``raw``; non-ASCII code points become ``?`` or their _FOLD twin."""
    view = raw.encode("ascii", "replace")
    if raw.isascii():
        return view
    present = [ch for ch in _FOLD if ch in raw]  # C-speed scans; usually none present
    if not present:
        return view
    buf = bytearray(view)
    for ch in present:
        byte = _FOLD[ch]
        i = raw.find(ch)
        while i >= 0:
            buf[i] = byte
            i = raw.find(ch, i + 1)
    return bytes(buf)


def _has_context(raw: str, start: int, words: tuple[str, ...]) -> bool:
    """A keyword ends within CONTEXT_WINDOW characters before ``start``.

    ASCII keywords must stand as whole words ("aba" is not in "database").
    """
    window = raw[max(0, start - CONTEXT_WINDOW) : start].lower()
    for word in words:
        i = window.find(word)
        while i >= 0:
            j = i + len(word)
            before_ok = i == 0 or not window[i - 1].isalnum()
            after_ok = j == len(window) or not window[j].isalnum()
            if not word.isascii() or (before_ok and after_ok):
                return True
            i = window.find(word, i + 1)
    return False


class _HyperscanPrefilter:
    """Which patterns occur at all: one hyperscan block-mode pass."""

    def __init__(self, regexes: list[bytes]) -> None:
        import hyperscan

        self._hs = hyperscan
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(
            expressions=regexes,
            ids=list(range(len(regexes))),
            elements=len(regexes),
            flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(regexes),
        )
        self._local = local()  # a Scratch must not be shared between threads

    def fired(self, view: bytes) -> list[int]:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hs.Scratch(self._db)
        hits: list[int] = []
        self._db.scan(view, match_event_handler=_on_match, context=hits, scratch=scratch)
        return sorted(hits)


def _on_match(pattern_id: int, _from: int, _to: int, _flags: int, hits: object) -> None:
    cast("list[int]", hits).append(pattern_id)


class _RE2SetPrefilter:
    """Which patterns occur at all: one RE2 ``Set`` pass (fallback engine)."""

    def __init__(self, regexes: list[bytes]) -> None:
        self._set = re2.Set.SearchSet(_RE2_OPTIONS)
        for rx in regexes:
            self._set.Add(rx)
        self._set.Compile()

    def fired(self, view: bytes) -> list[int]:
        return sorted(self._set.Match(view) or ())


class PIIDetector:
    """Finds PII in the raw text; spans are str indices into ``PreparedText.raw``.

    ``enabled_types`` limits the scan to some PII types (names as in
    :data:`prompt_sentinel.patterns.pii.PII_TYPES`); an unknown name raises
    ValueError.  Safe to share between threads.
    """

    name: ClassVar[str] = "pii"

    def __init__(self, enabled_types: frozenset[str] | None = None, engine: str = "hyperscan") -> None:
        if enabled_types is not None and not enabled_types <= PII_TYPES:
            raise ValueError(f"unknown PII types: {sorted(enabled_types - PII_TYPES)}")
        if engine not in ("hyperscan", "re2"):
            raise ValueError(f"unknown PII engine {engine!r}: use 'hyperscan' or 're2'")
        self._patterns = tuple(p for p in PII_PATTERNS if enabled_types is None or p.pii_type in enabled_types)
        sources = [p.regex.encode("ascii") for p in self._patterns]
        self._regexes = tuple(re2.compile(rx, _RE2_OPTIONS) for rx in sources)
        self._validators: tuple[Validator | None, ...] = tuple(
            VALIDATORS[p.validator] if p.validator else None for p in self._patterns
        )
        self._rescan = tuple(_max_width(p.regex) <= _RESCAN_WIDTH for p in self._patterns)
        warm_up()
        prefilter = _HyperscanPrefilter if engine == "hyperscan" else _RE2SetPrefilter
        self._fired: Callable[[bytes], list[int]] | None = prefilter(sources).fired if sources else None

    def detect(self, text: PreparedText, ctx: DetectContext) -> DetectorResult:
        """PII matches in ``text.raw`` and one finding per PII type found."""
        if not ctx.check_pii:
            return DetectorResult(detector=self.name)
        t0 = time.perf_counter()
        matches = self.find(text.raw)
        return DetectorResult(
            detector=self.name,
            findings=_findings(matches),
            pii=matches,
            elapsed_ms=(time.perf_counter() - t0) * 1000.0,
        )

    def find(self, raw: str) -> tuple[PIIMatch, ...]:
        """Validated, non-overlapping PII matches in ``raw``, ordered by start."""
        if not raw or self._fired is None:
            return ()
        view = _ascii_view(raw)
        fired = self._fired(view)
        if not fired:
            return ()
        folded = raw if raw.isascii() else view.decode("ascii")
        candidates: list[PIIMatch] = []
        for i in fired:
            candidates.extend(self._candidates(i, raw, view, folded))
        return _resolve(candidates)

    def _candidates(self, i: int, raw: str, view: bytes, folded: str) -> list[PIIMatch]:
        pattern, regex, validator = self._patterns[i], self._regexes[i], self._validators[i]
        group = 1 if regex.groups else 0
        n = len(view)
        out: list[PIIMatch] = []
        pos = 0
        while pos <= n:
            m = regex.search(view, pos)
            if m is None:
                break
            found = self._check(pattern, validator, m.span(group), raw, view, folded)
            if found is not None:
                out.append(found)
                pos = max(m.start() + 1, found.end if self._rescan[i] else m.end())
            else:
                pos = m.start() + 1 if self._rescan[i] else max(m.start() + 1, m.end())
        return out

    @staticmethod
    def _check(
        pattern: PIIPattern, validator: Validator | None, span: tuple[int, int], raw: str, view: bytes, folded: str
    ) -> PIIMatch | None:
        """One candidate: context, validation, then the glue test on the span that is kept."""
        s, e = span
        n = len(view)
        # Glued to a letter or digit: part of a longer token, not a value.
        if s > 0 and view[s - 1] in _ALNUM and view[s] in _ALNUM:
            return None
        hit = bool(pattern.context) and _has_context(raw, s, pattern.context)
        if pattern.needs_context and not hit:
            return None
        confidence = pattern.confidence
        if validator is not None:
            accepted = _validate(validator, folded, s, e)
            if accepted is None:
                return None
            s, e = accepted.start, accepted.end
            confidence = accepted.confidence if accepted.confidence is not None else confidence
        # After validation: a greedy, length-capped phone match may end inside the digits
        # that follow it and still hold a valid number once shortened.
        if e < n and view[e] in _ALNUM and view[e - 1] in _ALNUM:
            return None
        if hit and not pattern.needs_context:
            confidence = min(1.0, confidence + CONTEXT_BOOST)
        return PIIMatch(pattern.pii_type, s, e, round(confidence, 3))


def _validate(validator: Validator, folded: str, s: int, e: int) -> Accepted | None:
    # Validators call third-party parsers; a bug there must not take the request down.
    try:
        return validator(folded, s, e)
    except Exception:  # noqa: BLE001 - any failure means "not confirmed"
        return None


def _resolve(candidates: list[PIIMatch]) -> tuple[PIIMatch, ...]:
    """Keep the best of overlapping matches: higher confidence, then longer, then earlier.

    Greedy in that order, run per cluster of mutually overlapping candidates
    (the same result as one global pass; most clusters hold one candidate).
    """
    kept: list[PIIMatch] = []
    cluster: list[PIIMatch] = []
    cluster_end = -1
    for m in sorted(candidates, key=lambda c: (c.start, c.end)):
        if cluster and m.start >= cluster_end:
            kept.extend(_best_of(cluster))
            cluster = []
        cluster.append(m)
        cluster_end = max(cluster_end, m.end) if len(cluster) > 1 else m.end
    kept.extend(_best_of(cluster))
    kept.sort(key=lambda c: c.start)
    return tuple(kept)


def _best_of(cluster: list[PIIMatch]) -> list[PIIMatch]:
    if len(cluster) < 2:
        return cluster
    starts: list[int] = []  # the chosen, disjoint intervals, ordered by start
    ends: list[int] = []
    chosen: list[PIIMatch] = []
    for m in sorted(cluster, key=lambda c: (-c.confidence, c.start - c.end, c.start)):
        i = bisect_right(starts, m.start)
        if (i > 0 and ends[i - 1] > m.start) or (i < len(starts) and starts[i] < m.end):
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        chosen.append(m)
    return chosen


def _findings(matches: tuple[PIIMatch, ...]) -> tuple[Finding, ...]:
    best: dict[str, float] = {}
    count: dict[str, int] = {}
    for m in matches:
        best[m.pii_type] = max(best.get(m.pii_type, 0.0), m.confidence)
        count[m.pii_type] = count.get(m.pii_type, 0) + 1
    return tuple(
        Finding(
            category=Category.PII,
            description=f"{PII_LABELS.get(t, t)} detected ({count[t]}x)",
            confidence=best[t],
            source="pii",
            rule_id=f"pii.{t}",
        )
        for t in sorted(best)
    )
