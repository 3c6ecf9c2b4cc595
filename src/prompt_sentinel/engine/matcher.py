"""A small linear-time multi-pattern matcher on google-re2.

Compile a list of ``(id, regex)`` once; then

* :meth:`Matcher.match_ids` returns the ids of the patterns that match;
* :meth:`Matcher.spans` runs the one compiled pattern for an id that fired
  and returns ``[start, end)`` str indices (a second pass only where needed).

``match_ids`` uses RE2's FilteredRE2 (``re2.Filter``) rather than one
``re2.Set``: the literal "atoms" every pattern requires are matched in one
pass (a literal set, whose automaton cannot blow up), and only the patterns
whose atoms are all present are then run, each on its own small DFA.  A
single Set over a few hundred patterns with word gaps is faster on ordinary
text but its DFA explodes on text made of many pattern openings (measured:
~190 ms for 10,000 characters of shuffled trigger words, against ~1.3 ms
here; see bench/bench_heuristics.py).  The cost here is bounded by
``len(text) * candidates``, linear in the text.

Patterns are compiled case-insensitively with UTF-8 (Unicode-aware) semantics.
Note that RE2's ``\\b``, ``\\w`` and ``\\s`` are ASCII-only: patterns for other
scripts must not rely on them.

Lone surrogates (legal in JSON, illegal in UTF-8) are replaced by U+FFFD before
matching; the replacement keeps one code point per code point, so str indices
are unchanged.  A :class:`Matcher` holds no mutable state after construction
and RE2 objects are safe to share, so one instance may serve many threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import re2

__all__ = ["Matcher", "MatcherError"]

# Per pattern: room for the program and a DFA cache (RE2's default is 8 MiB).
_MAX_MEM = 8 << 20

_SURROGATES = {cp: 0xFFFD for cp in range(0xD800, 0xE000)}


class MatcherError(ValueError):
    """A pattern failed to compile (raised at construction, never on text)."""


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = _MAX_MEM
    options.log_errors = False
    return options


def _clean(text: str) -> tuple[str, bytes]:
    """``text`` with lone surrogates replaced, and its UTF-8 encoding."""
    try:
        return text, text.encode("utf-8")
    except UnicodeEncodeError:
        cleaned = text.translate(_SURROGATES)
        return cleaned, cleaned.encode("utf-8")


class Matcher:
    """Match many regexes at once; find spans only for those that fired.

    ``patterns`` is an iterable of ``(id, regex)``; ids must be unique.  A
    regex that RE2 cannot compile raises :class:`MatcherError` naming the id.
    """

    __slots__ = ("_filter", "_ids", "_regexes")

    def __init__(self, patterns: Iterable[tuple[int, str]]) -> None:
        options = _options()
        self._filter = re2.Filter()
        self._ids: list[int] = []
        self._regexes: dict[int, re2._Regexp] = {}
        for pid, regex in patterns:
            if pid in self._regexes:
                raise MatcherError(f"duplicate pattern id {pid}")
            try:
                index = self._filter.Add(regex, options)
            except re2.error as exc:
                raise MatcherError(f"pattern {pid} does not compile: {exc}") from None
            if index != len(self._ids):  # pragma: no cover - RE2 numbers adds in order
                raise MatcherError("unexpected RE2 filter index")
            self._regexes[pid] = self._filter.re(index)
            self._ids.append(pid)
        if self._ids:
            try:
                self._filter.Compile()
            except re2.error as exc:
                raise MatcherError(f"pattern filter does not compile: {exc}") from None

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> tuple[int, ...]:
        """The pattern ids, in the order they were given."""
        return tuple(self._ids)

    def match_ids(self, text: str) -> list[int]:
        """Ids of every pattern that matches somewhere in ``text``, sorted."""
        if not self._ids or not text:
            return []
        _, data = _clean(text)
        hits = self._filter.Match(data)
        if not hits:
            return []
        return sorted(self._ids[i] for i in hits)

    def iter_spans(self, pid: int, text: str) -> Iterator[tuple[int, int]]:
        """Non-overlapping ``[start, end)`` str indices where ``pid`` matches, leftmost first.

        Lazy: a caller that stops early does not pay for the rest of the text.
        Unknown ids raise ``KeyError``.
        """
        regex = self._regexes[pid]
        cleaned, _ = _clean(text)
        for m in regex.finditer(cleaned):
            yield m.span()

    def spans(self, pid: int, text: str, limit: int | None = None) -> list[tuple[int, int]]:
        """Like :meth:`iter_spans`, as a list of at most ``limit`` spans (all when None)."""
        out: list[tuple[int, int]] = []
        for span in self.iter_spans(pid, text):
            out.append(span)
            if limit is not None and len(out) >= limit:
                break
        return out

    def first_span(self, pid: int, text: str) -> tuple[int, int] | None:
        """The leftmost match of pattern ``pid`` in ``text``, or None."""
        found = self.spans(pid, text, limit=1)
        return found[0] if found else None
