"""Heuristic detector: multilingual injection patterns on every view of a text.

All patterns (:data:`prompt_sentinel.patterns.injection.PATTERNS`) go through
one :class:`~prompt_sentinel.engine.matcher.Matcher` (linear-time RE2) on every
view of the text: the raw text, the normalised view (which catches leetspeak,
homoglyphs, spacing tricks; skipped when it differs from the raw text only by
case, since every pattern is case-insensitive) and each decoded payload.  One
finding per pattern that fired, wherever it fired:

* found in the raw text: its span is the first raw match;
* found only in the normalised view: no raw span (normalised indices do not
  line up with the raw text), so ``span`` is None;
* found only in a decoded payload: the span of the encoded payload in the raw
  text, so stripping removes the whole hidden instruction.

Negation: an occurrence preceded by "don't", "nicht", "不要" ... (or, for
verb-second and verb-final languages, followed by "nicht", "pas", "मत"; see
:mod:`prompt_sentinel.patterns.negation`) asks for the opposite of the
injection.  A pattern whose every occurrence is negated keeps its finding but
at confidence 0.3 at most: "Don't ignore the previous instructions" is benign.

Combination bonus: when patterns of two or more techniques fire (say an
instruction override and a system-prompt extraction), each is evidence for the
other.  Strong findings (confidence >= 0.6) of distinct techniques whose raw
spans do not overlap are combined (``c = c + (1 - c) * s / 2`` for each further
technique, strongest first, capped at 0.99) and every contributing finding is
raised to that value.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar, NamedTuple

from prompt_sentinel.engine.matcher import Matcher
from prompt_sentinel.engine.models import DetectContext, DetectorResult, Finding, PreparedText
from prompt_sentinel.engine.text import normalise
from prompt_sentinel.patterns import negation
from prompt_sentinel.patterns.injection import PATTERNS, InjectionPattern

__all__ = ["HeuristicDetector"]

logger = logging.getLogger(__name__)

STRONG = 0.6  # findings at or above this take part in the combination bonus
_COMBINED_CAP = 0.99

Span = tuple[int, int]


class HeuristicDetector:
    """Rule-based prompt-injection detector (name ``heuristics``).

    Compiles its patterns once; ``detect`` is thread-safe and never raises.
    """

    name: ClassVar[str] = "heuristics"

    def __init__(self, patterns: Sequence[InjectionPattern] = PATTERNS) -> None:
        self._patterns = tuple(patterns)
        self._matcher = Matcher((i, pat.regex) for i, pat in enumerate(self._patterns))

    @property
    def patterns(self) -> tuple[InjectionPattern, ...]:
        """The patterns this detector matches (matcher id ``i`` is ``patterns[i]``)."""
        return self._patterns

    def detect(self, text: PreparedText, ctx: DetectContext) -> DetectorResult:
        """Match every pattern on every view of ``text``; see the module docstring."""
        start = time.perf_counter()
        try:
            findings = self._findings(text)
        except Exception as exc:  # never raise on user input; say what failed, not the text
            logger.error("heuristic detector failed: %s", type(exc).__name__)
            findings = ()
        elapsed = (time.perf_counter() - start) * 1000.0
        return DetectorResult(detector=self.name, findings=findings, elapsed_ms=elapsed)

    def _findings(self, text: PreparedText) -> tuple[Finding, ...]:
        hits: dict[int, _Hit] = {}
        raw, norm = text.raw, text.normalised
        self._scan(raw, hits, raw_view=True, payload_span=None)
        # Patterns are case-insensitive: a view that differs from the raw text only
        # by case adds nothing (ASCII prose with single spaces is the common case).
        if norm and norm != raw and norm != raw.lower():
            self._scan(norm, hits, raw_view=False, payload_span=None)
        seen = {raw, norm}
        for payload in text.payloads:
            # Decoded payloads may hide obfuscation of their own (base64 of leetspeak):
            # match their normalised form too.
            for view in (payload.text, normalise(payload.text)):
                if view not in seen:
                    seen.add(view)
                    self._scan(view, hits, raw_view=False, payload_span=payload.span)
        if not hits:
            return ()
        findings = [self._finding(pid, hit) for pid, hit in hits.items()]
        return tuple(sorted(_combine(findings), key=lambda f: (-f.confidence, f.rule_id)))

    def _scan(self, view: str, hits: dict[int, _Hit], *, raw_view: bool, payload_span: Span | None) -> None:
        """Record the patterns that fire in one view, keeping the best evidence per pattern."""
        for pid in self._matcher.match_ids(view):
            affirmed, where = self._locate(pid, view)
            span = where if raw_view else payload_span
            lead = self._patterns[pid].lead_score is not None and self._leads_only(pid, view)
            old = hits.get(pid)
            if old is None:
                hits[pid] = _Hit(affirmed, span, lead)
            else:  # affirmed beats negated; an earlier (raw) span beats a later one; lead in every view
                hits[pid] = _Hit(old.affirmed or affirmed, old.span or span, old.lead and lead)

    def _leads_only(self, pid: int, view: str) -> bool:
        """Does every match of ``pid`` in ``view`` start the text (only whitespace before)?"""
        first = len(view) - len(view.lstrip())
        return all(start <= first for start, _ in self._matcher.iter_spans(pid, view))

    def _locate(self, pid: int, view: str) -> tuple[bool, Span | None]:
        """(whether some occurrence is not negated, the first such occurrence)."""
        if self._patterns[pid].technique in _NO_NEGATION:
            return True, self._matcher.first_span(pid, view)
        first: Span | None = None
        for span in self._matcher.iter_spans(pid, view):
            if not _negated(view, span):
                return True, span
            first = first or span
        return False, first

    def _finding(self, pid: int, hit: _Hit) -> Finding:
        pat = self._patterns[pid]
        score = pat.lead_score if hit.lead and pat.lead_score is not None else pat.score
        return Finding(
            category=pat.category,
            description=pat.description,
            confidence=score if hit.affirmed else min(score, negation.NEGATED_CAP),
            source=self.name,
            rule_id=pat.id,
            span=hit.span,
        )


class _Hit(NamedTuple):
    affirmed: bool  # some occurrence is not negated ("don't ignore ..." is negated)
    span: Span | None  # where in the raw text, when known
    lead: bool  # every occurrence, in every view, opens its text (see InjectionPattern.lead_score)


# Chat-template tokens are structure, not language: a word before them changes nothing.
_NO_NEGATION = frozenset({"turn"})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_PUNCT = ',.;:!?)]}"»”'


def _negated(view: str, span: Span) -> bool:
    """Is the match at ``span`` negated by the word before, inside or after it?"""
    start, end = span
    before = view[max(0, start - 24) : start]
    if before.rstrip().endswith(negation.BEFORE_GLUED):
        return True
    words = before.translate(_QUOTES).casefold().split()
    if words and not words[-1].endswith(tuple(_PUNCT)):
        last = words[-1].strip("\"'«“(")
        rhetorical = last == "not" and len(words) > 1 and words[-2] == "why"  # "why not ignore"
        if (last in negation.BEFORE and not rhetorical) or (last.endswith("n'") and len(last) <= 3):
            return True
    inside = view[start:end].casefold().split()[1:3]
    if any(w.strip(_PUNCT) in negation.INSIDE for w in inside):
        return True
    after = view[end : end + 40].split()
    if after and after[0].strip(_PUNCT) in negation.AFTER:
        return True
    return _own_instructions([w.strip(_PUNCT).casefold() for w in after[:4]])


def _own_instructions(words: list[str]) -> bool:
    """ "... instructions (that) I gave you" / "... in my last message": the user's own."""
    if words[:1] in (["that"], ["which"]):
        words = words[1:]
    if len(words) >= 2 and words[0] == "i" and words[1] in negation.OWN_VERBS:
        return True
    return len(words) >= 2 and words[0] in ("in", "from") and words[1] == "my"


def _technique(finding: Finding) -> str:
    return finding.rule_id.split(".", 1)[0]


def _overlaps(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _combine(findings: list[Finding]) -> list[Finding]:
    """Raise strong findings of two or more distinct techniques (see module docstring)."""
    best: dict[str, Finding] = {}
    for f in findings:
        if f.confidence >= STRONG:
            tech = _technique(f)
            if tech not in best or f.confidence > best[tech].confidence:
                best[tech] = f
    evidence: list[Finding] = []
    for f in sorted(best.values(), key=lambda f: -f.confidence):
        # Two patterns matching the same words are one piece of evidence.
        if not any(_overlaps(f.span, e.span) for e in evidence):
            evidence.append(f)
    if len(evidence) < 2:
        return findings
    combined = evidence[0].confidence
    for f in evidence[1:]:
        combined += (1.0 - combined) * f.confidence / 2.0
    combined = round(min(combined, _COMBINED_CAP), 4)
    raised = {id(f) for f in evidence}
    return [replace(f, confidence=max(f.confidence, combined)) if id(f) in raised else f for f in findings]
