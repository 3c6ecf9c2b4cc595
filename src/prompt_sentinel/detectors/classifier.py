"""Offline ML classifier detector: the shipped n-gram model scores every view.

Views scored: the raw text, the engine's normalised view (homoglyphs,
leetspeak, spacing undone) when it differs, and each decoded payload.  The
highest calibrated probability wins.  Long texts are scored in overlapping
windows inside the model (max over windows), so an injection hidden in the
middle of a long benign document still counts; cost is linear in length.
"""

from __future__ import annotations

import time
from typing import ClassVar

from prompt_sentinel.engine.models import (
    Category,
    DetectContext,
    DetectorResult,
    Finding,
    PreparedText,
)
from prompt_sentinel.ml.features import canonical
from prompt_sentinel.ml.model import DEFAULT_MODEL, ClassifierModel

__all__ = ["ClassifierDetector", "views_of"]

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
    """Detector backed by :class:`~prompt_sentinel.ml.model.ClassifierModel`.

    Construct once at start-up (loads and verifies the artefact, ~0.1 s);
    ``detect`` is thread-safe.  ``result.score`` is always the calibrated
    probability; a finding is added when it reaches the model's reporting
    threshold (below every mode's flag threshold, so the policy decides).
    """

    name: ClassVar[str] = "classifier"

    def __init__(self, model: ClassifierModel | None = None) -> None:
        self.model = model or ClassifierModel.load(DEFAULT_MODEL)
        self.rule_id = f"classifier.{self.model.name}"
        # Part of the engine's cache fingerprint: a retrained model must not
        # serve verdicts cached from the previous one.
        self.version = f"{self.model.name}:{self.model.meta['sha256'][:16]}"

    @property
    def thresholds(self) -> dict[str, dict[str, float]]:
        """Per-mode ``{"flag": p, "block": p}`` probabilities chosen on validation data."""
        return self.model.thresholds

    def detect(self, text: PreparedText, ctx: DetectContext) -> DetectorResult:
        """Score all views; report a finding when the best reaches the report threshold."""
        start = time.perf_counter()
        views = views_of(text)
        best = self.model.score_canonical(views[0])
        for view in views[1:]:
            s = self.model.score_canonical(view)
            if s.probability > best.probability:
                best = s
        findings: tuple[Finding, ...] = ()
        if best.probability >= self.model.report_threshold:
            category = Category.JAILBREAK if best.jailbreak >= 0.5 else Category.DIRECT_INJECTION
            findings = (
                Finding(
                    category=category,
                    description=_DESCRIPTION,
                    confidence=round(best.probability, 4),
                    source=self.name,
                    rule_id=self.rule_id,
                ),
            )
        return DetectorResult(
            detector=self.name,
            findings=findings,
            score=best.probability,
            elapsed_ms=(time.perf_counter() - start) * 1000.0,
        )
