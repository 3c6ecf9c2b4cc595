"""Named result objects shared by detectors, the policy and the API.

Nothing here ever holds prompt text except :class:`PreparedText` (the input
itself) and the spans that point into it; descriptions are fixed strings
chosen by detectors, so they are safe to log and return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    DIRECT_INJECTION = "direct_injection"
    INDIRECT_INJECTION = "indirect_injection"
    JAILBREAK = "jailbreak"
    PROMPT_LEAK = "prompt_leak"
    ROLE_MANIPULATION = "role_manipulation"
    CONTEXT_SWITCHING = "context_switching"
    ENCODING_ATTACK = "encoding_attack"
    PII = "pii"


class Verdict(StrEnum):
    ALLOW = "allow"
    FLAG = "flag"
    STRIP = "strip"
    REDACT = "redact"
    BLOCK = "block"


class Mode(StrEnum):
    STRICT = "strict"
    MODERATE = "moderate"
    PERMISSIVE = "permissive"


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason to distrust a prompt.

    ``description`` is a fixed, detector-chosen sentence (never prompt text).
    ``span`` is a [start, end) range of str indices into the *raw* text when the
    detector can localise the finding (used by ``strip``); None otherwise.
    """

    category: Category
    description: str
    confidence: float
    source: str
    rule_id: str
    span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class PIIMatch:
    """A PII value found at [start, end) (str indices into the raw text)."""

    pii_type: str
    start: int
    end: int
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class DetectorResult:
    """What one detector says about one text."""

    detector: str
    findings: tuple[Finding, ...] = ()
    pii: tuple[PIIMatch, ...] = ()
    # A calibrated probability that the text is an attack, for detectors that
    # produce one (the classifier); None for rule-based detectors.
    score: float | None = None
    elapsed_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class DecodedPayload:
    """A hidden payload found inside the text and decoded.

    ``span`` locates the encoded form in the raw text; ``text`` is what it
    decodes to (already scanned recursively up to a bounded depth).
    """

    encoding: str  # base64, hex, url, html_entities, unicode_escape, rot13
    span: tuple[int, int]
    text: str
    depth: int = 1


@dataclass(frozen=True, slots=True)
class PreparedText:
    """The input and every view of it that detectors match on.

    ``raw`` is the text as received.  ``normalised`` is NFKC, without
    invisible characters, homoglyphs folded to Latin, leetspeak folded,
    spaced letters collapsed, casefolded and whitespace-squeezed.  It is for
    matching only: its indices do not line up with ``raw``.
    """

    raw: str
    normalised: str
    invisible_count: int = 0
    payloads: tuple[DecodedPayload, ...] = ()
    # Names of the obfuscations seen while normalising (homoglyphs, leetspeak,
    # spacing, invisible, ...); a signal for the policy and the encoding detector.
    obfuscations: frozenset[str] = field(default_factory=frozenset)

    def views(self) -> tuple[str, ...]:
        """Distinct texts to match patterns on: raw, normalised, decoded payloads."""
        seen: list[str] = [self.raw]
        if self.normalised != self.raw:
            seen.append(self.normalised)
        for p in self.payloads:
            seen.append(p.text)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class DetectContext:
    """Per-call options a detector may read."""

    mode: Mode = Mode.MODERATE
    check_pii: bool = True
    role: str = "user"  # system | user | assistant | tool
