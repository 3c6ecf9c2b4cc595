"""Encoding-attack detector: hidden characters, obfuscation and encoded payloads.

It reads what :func:`prompt_sentinel.engine.prepare.prepare` already found (the
invisible-character count, the obfuscations undone, the decoded payloads) and
scores how suspicious the disguise itself is.  What a payload *says* is judged
by the other detectors, which scan decoded payloads as views of their own; so a
plain encoded payload scores only a moderate 0.5 here (benign base64 exists),
unless ``block_encoded_inputs`` is set, when any substantial one scores 0.95.
"""

from __future__ import annotations

import time
from typing import ClassVar

from prompt_sentinel.engine.decode import encoded_char_count
from prompt_sentinel.engine.models import (
    Category,
    DecodedPayload,
    DetectContext,
    DetectorResult,
    Finding,
    PreparedText,
)

__all__ = ["EncodingDetector"]

MAX_FINDINGS = 16

# Obfuscations undone by normalisation: (rule id, confidence, description).
_OBFUSCATION_RULES: dict[str, tuple[str, float, str]] = {
    "homoglyph": (
        "encoding.homoglyph",
        0.6,
        "Words mix Latin letters with look-alike letters from another script.",
    ),
    "leetspeak": ("encoding.leetspeak", 0.4, "Words spell letters with digits or symbols."),
    "spacing": ("encoding.spacing", 0.35, "Words are spelled out with separated letters."),
    "combining_marks": (
        "encoding.combining_marks",
        0.3,
        "Letters carry stacked combining marks used as styling.",
    ),
    "styled_letters": (
        "encoding.styled_letters",
        0.15,
        "Text uses styled look-alike letters (fullwidth, mathematical, small capitals).",
    ),
}
# Signs of deliberate disguise; two or more at once rarely happen by accident.
_DISGUISES = frozenset({"homoglyph", "leetspeak", "spacing", "invisible", "combining_marks"})


class EncodingDetector:
    """Scores hidden characters, obfuscated words and encoded payloads.

    ``block_encoded_inputs``: when true, a substantial encoded payload (at least
    ``min_encoded_chars`` encoded characters decoding to at least
    ``min_decoded_chars`` printable ones) scores 0.95 under rule
    ``encoding.blocked_payload``.
    """

    name: ClassVar[str] = "encoding"

    def __init__(
        self,
        block_encoded_inputs: bool = False,
        *,
        min_encoded_chars: int = 32,
        min_decoded_chars: int = 16,
    ) -> None:
        self.block_encoded_inputs = block_encoded_inputs
        self.min_encoded_chars = min_encoded_chars
        self.min_decoded_chars = min_decoded_chars

    def detect(self, text: PreparedText, ctx: DetectContext) -> DetectorResult:
        """Findings for ``text``; spans point into ``text.raw``."""
        started = time.perf_counter()
        findings: list[Finding] = []
        findings += self._hidden_characters(text)
        findings += self._obfuscations(text)
        findings += self._payloads(text)
        seen: set[tuple[str, tuple[int, int] | None]] = set()
        unique = []
        for f in sorted(findings, key=lambda f: -f.confidence):
            if (f.rule_id, f.span) not in seen:
                seen.add((f.rule_id, f.span))
                unique.append(f)
        return DetectorResult(
            detector=self.name,
            findings=tuple(unique[:MAX_FINDINGS]),
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def _finding(
        self,
        rule_id: str,
        confidence: float,
        description: str,
        span: tuple[int, int] | None = None,
    ) -> Finding:
        return Finding(
            category=Category.ENCODING_ATTACK,
            description=description,
            confidence=confidence,
            source=self.name,
            rule_id=rule_id,
            span=span,
        )

    def _hidden_characters(self, text: PreparedText) -> list[Finding]:
        out: list[Finding] = []
        smuggled = [p for p in text.payloads if p.depth == 1 and p.encoding in ("tag_chars", "variation_selectors")]
        for p in smuggled:
            out.append(
                self._finding(
                    f"encoding.{p.encoding}",
                    0.9,
                    "Text hidden in invisible Unicode tag or variation-selector characters.",
                    p.span,
                )
            )
        if not smuggled and ("tag_chars" in text.obfuscations or "variation_selectors" in text.obfuscations):
            out.append(self._finding("encoding.tag_chars", 0.7, "Invisible Unicode tag characters are present."))
        if "invisible" in text.obfuscations and text.invisible_count > 0:
            n = text.invisible_count
            confidence = 0.3 if n < 3 else 0.5 if n < 10 else 0.7
            out.append(
                self._finding(
                    "encoding.invisible_chars",
                    confidence,
                    "Zero-width, bidirectional or other invisible characters are present.",
                )
            )
        return out

    def _obfuscations(self, text: PreparedText) -> list[Finding]:
        out = [
            self._finding(rule_id, confidence, description)
            for name, (rule_id, confidence, description) in _OBFUSCATION_RULES.items()
            if name in text.obfuscations
        ]
        if len(_DISGUISES & text.obfuscations) >= 2:
            out.append(
                self._finding(
                    "encoding.mixed_obfuscation",
                    0.7,
                    "Several kinds of text obfuscation are combined.",
                )
            )
        return out

    def _substantial(self, p: DecodedPayload, raw: str, top: DecodedPayload | None = None) -> bool:
        """At least ``min_encoded_chars`` encoded chars giving ``min_decoded_chars``."""
        top = top or p
        encoded = encoded_char_count(top.encoding, raw[top.span[0] : top.span[1]])
        decoded = len("".join(p.text.split()))  # decoders keep only printable text
        return encoded >= self.min_encoded_chars and decoded >= self.min_decoded_chars

    def _payloads(self, text: PreparedText) -> list[Finding]:
        out: list[Finding] = []
        # A nested payload shares its outermost ancestor's span; size is judged there.
        outer = {p.span: p for p in text.payloads if p.depth == 1}
        for p in text.payloads:
            if p.encoding in ("tag_chars", "variation_selectors", "reversed_cue"):
                continue  # scored elsewhere (tags, selectors) or not evidence by itself (a cue)
            top = outer.get(p.span, p)
            substantial = self._substantial(top, text.raw) and self._substantial(p, text.raw, top)
            if self.block_encoded_inputs and substantial:
                out.append(
                    self._finding(
                        "encoding.blocked_payload",
                        0.95,
                        "Encoded input is blocked by configuration.",
                        p.span,
                    )
                )
            elif p.depth > 1 and substantial:
                out.append(
                    self._finding(
                        "encoding.nested_payload",
                        0.65,
                        "A payload is encoded more than once.",
                        p.span,
                    )
                )
            elif p.encoding in ("rot13", "reversed") or (p.depth == 1 and substantial):
                out.append(
                    self._finding(
                        f"encoding.payload.{p.encoding}",
                        0.5,
                        "An encoded payload decodes to readable text.",
                        p.span,
                    )
                )
        return out
