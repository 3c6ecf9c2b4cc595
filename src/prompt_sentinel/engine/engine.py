"""The detection engine: prepare text, run detectors, apply the policy, build the answer.

The engine is synchronous and CPU-bound; it holds no per-request state, so one
instance serves every request of a process (and every thread of ``scan``).
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from prompt_sentinel.detectors.base import Detector
from prompt_sentinel.engine import redact as redaction
from prompt_sentinel.engine.models import (
    Category,
    DetectContext,
    DetectorResult,
    Finding,
    Mode,
    PIIMatch,
    PreparedText,
    Verdict,
)
from prompt_sentinel.engine.policy import Decision, Policy, worst
from prompt_sentinel.engine.prepare import prepare
from prompt_sentinel.schemas import (
    DetectResponse,
    Message,
    MessageResult,
    PIIEntity,
    Reason,
)

log = logging.getLogger("promptsentinel.engine")

# Detectors that look for attacks; the app's own system prompt is trusted, so on
# system messages only PII detection runs.
PII_DETECTOR = "pii"

# Observer(detector_name, seconds, failed) — the metrics layer plugs in here.
DetectorObserver = Callable[[str, float, bool], None]
# Span hook(detector_name) -> context manager around one detector run (tracing plugs in here).
DetectorSpanHook = Callable[[str], AbstractContextManager[object]]


class PromptTooLong(ValueError):
    """The input is longer than MAX_PROMPT_LENGTH characters."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"prompt exceeds MAX_PROMPT_LENGTH ({limit} characters)")
        self.limit = limit


@dataclass(frozen=True, slots=True)
class EngineOptions:
    max_prompt_length: int = 50_000
    pii_enabled: bool = True
    redaction_mode: str = "mask"
    redaction_secret: bytes | None = None
    default_mode: Mode = Mode.MODERATE


@dataclass(frozen=True, slots=True)
class Analysis:
    prepared: PreparedText
    results: tuple[DetectorResult, ...]
    decision: Decision


class Engine:
    def __init__(
        self,
        detectors: Sequence[Detector],
        policy: Policy | None = None,
        options: EngineOptions | None = None,
        fingerprint_extra: str = "",
    ) -> None:
        self.detectors = tuple(detectors)
        self.policy = policy or Policy()
        self.options = options or EngineOptions()
        self.observer: DetectorObserver | None = None
        self.span_hook: DetectorSpanHook | None = None
        parts = [d.name for d in self.detectors] + [
            repr(sorted(self.policy.source_thresholds.items(), key=lambda kv: kv[0])),
            repr(self.options),
            fingerprint_extra,
        ]
        # Changes whenever detectors, thresholds or options change: cache keys include it.
        self.fingerprint = hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    # -- single text ---------------------------------------------------------
    def analyse(self, text: str, ctx: DetectContext) -> Analysis:
        prepared = prepare(text)
        results = []
        for det in self.detectors:
            if ctx.role == "system" and det.name != PII_DETECTOR:
                continue
            start = time.perf_counter()
            failed = False
            try:
                if self.span_hook is None:
                    res = det.detect(prepared, ctx)
                else:
                    with self.span_hook(det.name):
                        res = det.detect(prepared, ctx)
            except Exception:  # a broken detector degrades, never fails the request
                failed = True
                log.exception("detector failed", extra={"detector": det.name})
                res = DetectorResult(detector=det.name)
            elapsed = time.perf_counter() - start
            if self.observer is not None:
                self.observer(det.name, elapsed, failed)
            if ctx.role == "tool" and res.findings:
                res = _as_indirect(res)
            results.append(res)
        pii_enabled = self.options.pii_enabled and ctx.check_pii
        decision = self.policy.decide(results, ctx.mode, pii_enabled=pii_enabled)
        return Analysis(prepared, tuple(results), decision)

    def _modified(self, text: str, decision: Decision) -> str | None:
        """Strip the offending sentences (strip verdict), then redact PII (both verdicts)."""
        if decision.verdict not in (Verdict.REDACT, Verdict.STRIP):
            return None
        pii: list[PIIMatch] = list(decision.pii)
        if decision.strip_spans:
            spans = _merge([redaction.expand_to_sentence(text, s) for s in decision.strip_spans])
            pii = [m for m in pii if not any(a < m.end and m.start < b for a, b in spans)]
            text = redaction.strip(text, spans)
            pii = [
                PIIMatch(
                    m.pii_type,
                    m.start - _removed_before(spans, m.start),
                    m.end - _removed_before(spans, m.start),
                    m.confidence,
                )
                for m in pii
            ]
        return redaction.redact(text, pii, self.options.redaction_mode, self.options.redaction_secret)

    def _pii_entities(self, text: str, decision: Decision, index: int | None) -> list[PIIEntity]:
        return [
            PIIEntity(
                pii_type=m.pii_type,
                start=m.start,
                end=m.end,
                masked_value=redaction.masked_value(
                    text, m, self.options.redaction_mode, self.options.redaction_secret
                ),
                message_index=index,
            )
            for m in decision.pii
        ]

    # -- public entry point --------------------------------------------------
    def check_length(self, prompt: str | None, messages: Sequence[Message] | None) -> None:
        total = len(prompt) if prompt is not None else sum(len(m.content) for m in messages or ())
        if total > self.options.max_prompt_length:
            raise PromptTooLong(self.options.max_prompt_length)

    def detect(
        self,
        prompt: str | None = None,
        messages: Sequence[Message] | None = None,
        *,
        mode: Mode | None = None,
        check_pii: bool | None = None,
        request_id: str | None = None,
    ) -> DetectResponse:
        """Screen a prompt or a list of messages.  Raises PromptTooLong."""
        start = time.perf_counter()
        self.check_length(prompt, messages)
        mode = mode or self.options.default_mode
        check = self.options.pii_enabled if check_pii is None else check_pii
        rid = request_id or uuid.uuid4().hex
        if prompt is not None:
            a = self.analyse(prompt, DetectContext(mode=mode, check_pii=check, role="user"))
            d = a.decision
            return DetectResponse(
                verdict=d.verdict,
                confidence=d.confidence,
                categories=list(d.categories),
                reasons=[_reason(f) for f in d.reasons],
                pii_detected=self._pii_entities(prompt, d, None),
                modified_prompt=self._modified(prompt, d),
                mode=mode,
                processing_time_ms=round((time.perf_counter() - start) * 1000, 3),
                request_id=rid,
            )

        assert messages is not None
        per: list[MessageResult] = []
        reasons: list[Reason] = []
        pii: list[PIIEntity] = []
        modified: list[Message] = []
        categories: dict[Category, None] = {}
        verdicts: list[Verdict] = []
        confidences: list[tuple[Verdict, float]] = []
        any_modified = False
        for i, msg in enumerate(messages):
            ctx = DetectContext(mode=mode, check_pii=check, role=msg.role)
            d = self.analyse(msg.content, ctx).decision
            verdicts.append(d.verdict)
            confidences.append((d.verdict, d.confidence))
            per.append(
                MessageResult(
                    index=i, role=msg.role, verdict=d.verdict, confidence=d.confidence, categories=list(d.categories)
                )
            )
            reasons.extend(_reason(f) for f in d.reasons)
            categories.update(dict.fromkeys(d.categories))
            pii.extend(self._pii_entities(msg.content, d, i))
            new = self._modified(msg.content, d)
            any_modified |= new is not None
            modified.append(Message(role=msg.role, content=new if new is not None else msg.content))
        verdict = worst(verdicts)
        confidence = max((c for v, c in confidences if v is verdict), default=1.0)
        return DetectResponse(
            verdict=verdict,
            confidence=confidence,
            categories=list(categories),
            reasons=reasons,
            pii_detected=pii,
            modified_messages=modified if any_modified and verdict is not Verdict.BLOCK else None,
            per_message=per,
            mode=mode,
            processing_time_ms=round((time.perf_counter() - start) * 1000, 3),
            request_id=rid,
        )

    def cache_key(self, prompt: str | None, messages: Sequence[Message] | None, mode: Mode, check_pii: bool) -> str:
        """A key that never contains the prompt: sha256 over fingerprint, mode and text."""
        h = hashlib.sha256()
        h.update(f"{self.fingerprint}|{mode.value}|{int(check_pii)}|".encode())
        if prompt is not None:
            h.update(b"p\x00" + prompt.encode("utf-8", "surrogatepass"))
        else:
            for m in messages or ():
                h.update(f"m\x00{m.role}\x00".encode() + m.content.encode("utf-8", "surrogatepass") + b"\x00")
        return h.hexdigest()


def _reason(f: Finding) -> Reason:
    return Reason(
        category=f.category,
        description=f.description,
        confidence=round(f.confidence, 4),
        source=f.source,
        rule_id=f.rule_id,
    )


def _as_indirect(res: DetectorResult) -> DetectorResult:
    """Instructions arriving in tool output are indirect injection."""
    findings = tuple(
        Finding(Category.INDIRECT_INJECTION, f.description, f.confidence, f.source, f.rule_id, f.span)
        if f.category is Category.DIRECT_INJECTION
        else f
        for f in res.findings
    )
    return DetectorResult(res.detector, findings, res.pii, res.score, res.elapsed_ms)


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _removed_before(spans: Sequence[tuple[int, int]], pos: int) -> int:
    return sum(b - a for a, b in spans if b <= pos)
