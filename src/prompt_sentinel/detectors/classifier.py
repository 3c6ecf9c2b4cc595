"""Offline ML classifier detector: the shipped n-gram model scores every view,
a fine-tuned transformer gives a second opinion on the uncertain ones.

Views scored by the n-gram model: the raw text, the engine's normalised view
(homoglyphs, leetspeak, spacing undone) when it differs, and each decoded
payload.  The highest calibrated probability wins.  Long texts are scored in
overlapping windows inside the model (max over windows), so an injection
hidden in the middle of a long benign document still counts; cost is linear
in length.

Cascade: the reported probability is the mean of the n-gram probability and
the encoder's (``ml.encoder``, ONNX int8, at most 256 tokens of the raw text).
For a text the encoder cannot read whole (longer than that, or mostly outside
its English vocabulary) it is the larger of the mean and the n-gram
probability: the encoder may raise such a score but not lower it, so an
injection in the middle of a long document, or in Russian, keeps the n-gram
model's score (``ml.encoder.combine``).  The encoder only runs where its vote
can change the verdict: when the n-gram probability is at least ``2 * flag - 1``
(below that its share counts as 0, which keeps the result under every threshold
of the request's mode), and, for a text certainly too long to read whole, only
when the range it could raise the score to crosses a threshold.  Without the
encoder (``ENABLE_ENCODER=false``, or its runtime missing) the n-gram
probability and its own thresholds are used.
"""

from __future__ import annotations

import logging
import time
from typing import ClassVar

from prompt_sentinel.engine.models import (
    Category,
    DetectContext,
    DetectorResult,
    Finding,
    PreparedText,
)
from prompt_sentinel.ml.encoder import EncoderError, EncoderModel, combine, load_default_encoder
from prompt_sentinel.ml.features import canonical
from prompt_sentinel.ml.model import DEFAULT_MODEL, ClassifierModel

__all__ = ["ClassifierDetector", "views_of"]

log = logging.getLogger(__name__)

_DESCRIPTION = "ML classifier rates the prompt as a likely prompt injection or jailbreak"
# Decoded payloads are bounded by the raw text's length already; this caps the
# count so a prompt made of thousands of tiny encoded chunks stays cheap.
_MAX_PAYLOADS = 32


def views_of(text: PreparedText) -> list[str]:
    """Canonical forms of the views the classifier scores: raw first, each once.

    Views that canonicalise alike score alike, so scoring one is enough; the first
    of equal probabilities wins either way.  The normalised view is skipped when it
    equals the raw view's canonical form.  Training scores the same views
    (``ml.dataset.window_matrix``), so the model learns what it is shown at run time.
    """
    views = [canonical(text.raw)]
    others = [text.normalised] if text.normalised and text.normalised != views[0] else []
    others.extend(p.text for p in text.payloads[:_MAX_PAYLOADS] if p.text)
    for view in others:
        c = canonical(view)
        if c not in views:
            views.append(c)
    return views


class ClassifierDetector:
    """Detector backed by :class:`~prompt_sentinel.ml.model.ClassifierModel` and,
    when available, :class:`~prompt_sentinel.ml.encoder.EncoderModel`.

    Construct once at start-up (loads and verifies the artefacts, ~1 s);
    ``detect`` is thread-safe.  ``result.score`` is always the reported
    probability (the cascade's mean, or the n-gram model's alone); a finding is
    added when it reaches the reporting threshold (below every mode's flag
    threshold, so the policy decides).
    """

    name: ClassVar[str] = "classifier"

    def __init__(self, model: ClassifierModel | None = None, encoder: bool | EncoderModel = True) -> None:
        self.model = model or ClassifierModel.load(DEFAULT_MODEL)
        # Set when the encoder was asked for but cannot run (shown on /health/detailed).
        self.degraded: str | None = None
        if encoder is True:
            try:
                encoder = load_default_encoder()
            except EncoderError as exc:
                log.warning("classifier: transformer encoder unavailable, n-gram model alone: %s", exc)
                self.degraded = f"transformer encoder unavailable, n-gram model alone: {exc}"
                encoder = False
        self.encoder: EncoderModel | None = encoder or None
        head = self.encoder or self.model
        self.rule_id = f"classifier.{self.model.name}" + (f"+{self.encoder.name}" if self.encoder else "")
        # Part of the engine's cache fingerprint: a retrained model must not
        # serve verdicts cached from the previous one.
        self.version = f"{self.model.name}:{self.model.meta['sha256'][:16]}"
        if self.encoder:
            self.version += f"+{self.encoder.name}:{self.encoder.meta['files']['model']['sha256'][:16]}"
        self._thresholds: dict[str, dict[str, float]] = head.thresholds
        self._report = head.report_threshold

    @property
    def thresholds(self) -> dict[str, dict[str, float]]:
        """Per-mode ``{"flag": p, "block": p}`` probabilities chosen on validation data."""
        return self._thresholds

    def _second_opinion(self, encoder: EncoderModel, p: float, raw: str, mode: str) -> float:
        """``combine`` with the encoder, run only where its vote can change the verdict."""
        th = self._thresholds.get(mode) or self._thresholds["moderate"]
        if p < 2.0 * th["flag"] - 1.0:  # even a certain encoder leaves the mean under flag
            return p / 2.0
        # A text it cannot read whole can only be raised, to at most (p + 1) / 2: skip it
        # unless that range crosses a threshold (the verdict is the same either way).
        if encoder.surely_partial(raw) and not any(p < t <= (p + 1.0) / 2.0 for t in th.values()):
            return p
        return combine(p, *encoder.score(raw))

    def detect(self, text: PreparedText, ctx: DetectContext) -> DetectorResult:
        """Score all views; report a finding when the best reaches the report threshold."""
        start = time.perf_counter()
        views = views_of(text)
        best = self.model.score_canonical(views[0])
        for view in views[1:]:
            s = self.model.score_canonical(view)
            if s.probability > best.probability:
                best = s
        probability = best.probability
        if self.encoder:
            probability = self._second_opinion(self.encoder, probability, text.raw, ctx.mode.value)
        findings: tuple[Finding, ...] = ()
        if probability >= self._report:
            category = Category.JAILBREAK if best.jailbreak >= 0.5 else Category.DIRECT_INJECTION
            findings = (
                Finding(
                    category=category,
                    description=_DESCRIPTION,
                    confidence=round(probability, 4),
                    source=self.name,
                    rule_id=self.rule_id,
                ),
            )
        return DetectorResult(
            detector=self.name,
            findings=findings,
            score=probability,
            elapsed_ms=(time.perf_counter() - start) * 1000.0,
        )
