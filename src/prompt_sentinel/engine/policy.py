"""Turn detector results and a mode into a verdict.

Each non-PII finding is compared with the thresholds of its *source* for the mode:

| mode       | rule-based flag | rule-based block | on flag-level findings              |
|------------|----------------:|-----------------:|-------------------------------------|
| strict     | 0.30            | 0.50             | flag                                |
| moderate   | 0.50            | 0.70             | flag                                |
| permissive | 0.60            | 0.90             | strip when every one has a span, else flag |

The encoding detector (obfuscation, payloads) has higher thresholds: strict 0.50/0.90,
moderate 0.75/0.90, permissive 0.85/0.90.  The classifier brings its own per-mode
thresholds (chosen on validation data and stored with the model).  Two different sources
at flag level or above agree that the text is an attack: in strict and moderate mode that
escalates to block.  Two different sources each just short of flagging (at least 80% of
their flag threshold) corroborate each other: the verdict is flag.
PII found (and PII checking on) turns allow or flag into ``redact``; ``block``
stays block.  Severity, lowest first: allow < flag < redact < strip < block.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from prompt_sentinel.engine.models import Category, DetectorResult, Finding, Mode, PIIMatch, Verdict

SEVERITY = {Verdict.ALLOW: 0, Verdict.FLAG: 1, Verdict.REDACT: 2, Verdict.STRIP: 3, Verdict.BLOCK: 4}


@dataclass(frozen=True, slots=True)
class Thresholds:
    flag: float
    block: float


RULE_THRESHOLDS: Mapping[Mode, Thresholds] = {
    Mode.STRICT: Thresholds(flag=0.30, block=0.50),
    Mode.MODERATE: Thresholds(flag=0.50, block=0.70),
    Mode.PERMISSIVE: Thresholds(flag=0.60, block=0.90),
}
# Obfuscation by itself (homoglyphs, leetspeak, invisible characters) is weak evidence:
# benign text has it too.  Alone it needs more to flag; next to another source's doubt it
# corroborates (below).  Tag-character smuggling (0.9) and BLOCK_ENCODED_INPUTS (0.95) block.
ENCODING_THRESHOLDS: Mapping[Mode, Thresholds] = {
    Mode.STRICT: Thresholds(flag=0.50, block=0.90),
    Mode.MODERATE: Thresholds(flag=0.75, block=0.90),
    Mode.PERMISSIVE: Thresholds(flag=0.85, block=0.90),
}
DEFAULT_SOURCE_THRESHOLDS: Mapping[str, Mapping[Mode, Thresholds]] = {"encoding": ENCODING_THRESHOLDS}
# Two different sources each at least this far up their own scale (0.5 = flag threshold)
# corroborate each other: allow becomes flag.
CORROBORATION = 0.4


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    confidence: float
    categories: tuple[Category, ...]
    reasons: tuple[Finding, ...]
    pii: tuple[PIIMatch, ...] = ()
    strip_spans: tuple[tuple[int, int], ...] = ()
    max_score: float = 0.0


@dataclass
class Policy:
    """Thresholds per source and mode; sources without an entry use RULE_THRESHOLDS."""

    source_thresholds: dict[str, Mapping[Mode, Thresholds]] = field(
        default_factory=lambda: dict(DEFAULT_SOURCE_THRESHOLDS)
    )

    def thresholds(self, source: str, mode: Mode) -> Thresholds:
        table = self.source_thresholds.get(source, RULE_THRESHOLDS)
        return table.get(mode, RULE_THRESHOLDS[mode])

    def decide(self, results: Iterable[DetectorResult], mode: Mode, *, pii_enabled: bool = True) -> Decision:
        flagged: list[Finding] = []
        blocking: list[Finding] = []
        pii: list[PIIMatch] = []
        pii_findings: list[Finding] = []
        doubts: dict[str, Finding] = {}  # strongest sub-flag finding per source
        max_score = 0.0
        for result in results:
            pii.extend(result.pii)
            for f in result.findings:
                if f.category is Category.PII:
                    pii_findings.append(f)
                    continue
                th = self.thresholds(f.source, mode)
                # Normalise every source's score onto one scale for "how sure"
                scaled = _scaled(f.confidence, th)
                max_score = max(max_score, scaled)
                if f.confidence >= th.block:
                    blocking.append(f)
                elif f.confidence >= th.flag:
                    flagged.append(f)
                elif scaled >= CORROBORATION:
                    prev = doubts.get(f.source)
                    if prev is None or prev.confidence < f.confidence:
                        doubts[f.source] = f
        if not (blocking or flagged) and len(doubts) >= 2:
            flagged = list(doubts.values())  # two sources agree, each short of flagging

        reasons = sorted(blocking + flagged, key=lambda f: -f.confidence)
        verdict = Verdict.ALLOW
        strip_spans: tuple[tuple[int, int], ...] = ()
        if blocking:
            verdict = Verdict.BLOCK
        elif flagged:
            sources = {f.source for f in flagged}
            if len(sources) >= 2 and mode is not Mode.PERMISSIVE and not doubts_only(flagged, doubts):
                verdict = Verdict.BLOCK
            elif mode is Mode.PERMISSIVE and all(f.span is not None for f in flagged):
                verdict = Verdict.STRIP
                strip_spans = tuple(f.span for f in flagged if f.span is not None)
            else:
                verdict = Verdict.FLAG

        if pii_enabled and pii and SEVERITY[verdict] < SEVERITY[Verdict.REDACT]:
            verdict = Verdict.REDACT
        if pii_enabled and pii:
            reasons.extend(sorted(pii_findings, key=lambda f: -f.confidence))
        else:
            pii = []

        categories = tuple(dict.fromkeys(f.category for f in reasons))
        if verdict is Verdict.ALLOW:
            confidence = 1.0 - max_score
        elif verdict is Verdict.REDACT and not (blocking or flagged):
            confidence = max((f.confidence for f in pii_findings), default=1.0)
        else:
            confidence = max_score
        return Decision(
            verdict=verdict,
            confidence=round(min(max(confidence, 0.0), 1.0), 4),
            categories=categories,
            reasons=tuple(reasons),
            pii=tuple(pii) if pii_enabled else (),
            strip_spans=strip_spans,
            max_score=max_score,
        )


def _scaled(score: float, th: Thresholds) -> float:
    """Map a source's score so that its flag threshold is 0.5 and block is 0.75.

    Scores from sources with different thresholds become comparable; the
    mapping is monotonic and keeps 0 -> 0 and 1 -> 1.
    """
    if score <= th.flag:
        return 0.5 * score / th.flag if th.flag > 0 else 0.5
    if score <= th.block:
        return 0.5 + 0.25 * (score - th.flag) / max(th.block - th.flag, 1e-9)
    return 0.75 + 0.25 * (score - th.block) / max(1.0 - th.block, 1e-9)


def doubts_only(flagged: Sequence[Finding], doubts: Mapping[str, Finding]) -> bool:
    """True when the flag comes from corroborating doubts alone (they never block)."""
    return bool(doubts) and all(doubts.get(f.source) is f for f in flagged)


def worst(verdicts: Sequence[Verdict]) -> Verdict:
    return max(verdicts, key=SEVERITY.__getitem__, default=Verdict.ALLOW)
