"""The policy per mode: thresholds, agreement, strip, redact, severity."""

from __future__ import annotations

import pytest

from prompt_sentinel.engine.models import Category, DetectorResult, Finding, Mode, PIIMatch, Verdict
from prompt_sentinel.engine.policy import Policy, Thresholds, worst

INJ = Category.DIRECT_INJECTION


def res(source: str, conf: float, span: tuple[int, int] | None = None) -> DetectorResult:
    return DetectorResult(source, (Finding(INJ, "test finding", conf, source, f"{source}.x", span),))


PII = DetectorResult(
    "pii", (Finding(Category.PII, "email address", 0.9, "pii", "pii.email"),), (PIIMatch("email", 3, 10),)
)


@pytest.mark.parametrize(
    ("results", "mode", "expected"),
    [
        ([], Mode.MODERATE, Verdict.ALLOW),  # nothing found
        ([res("heuristics", 0.95)], Mode.PERMISSIVE, Verdict.BLOCK),  # unmistakable: even permissive blocks
        ([res("heuristics", 0.8)], Mode.PERMISSIVE, Verdict.FLAG),  # strong, no span: flag
        ([res("heuristics", 0.8, (0, 5))], Mode.PERMISSIVE, Verdict.STRIP),  # localised: strip
        ([res("heuristics", 0.8)], Mode.MODERATE, Verdict.BLOCK),
        ([res("heuristics", 0.6)], Mode.MODERATE, Verdict.FLAG),
        ([res("heuristics", 0.6)], Mode.STRICT, Verdict.BLOCK),
        ([res("heuristics", 0.4)], Mode.MODERATE, Verdict.ALLOW),  # weak signal alone
        ([res("heuristics", 0.4)], Mode.STRICT, Verdict.FLAG),
        ([res("heuristics", 0.2)], Mode.STRICT, Verdict.ALLOW),
        ([res("heuristics", 0.6), res("classifier", 0.55)], Mode.MODERATE, Verdict.BLOCK),  # two sources agree
        ([res("heuristics", 0.65), res("classifier", 0.65)], Mode.PERMISSIVE, Verdict.FLAG),  # not in permissive
        ([res("encoding", 0.7)], Mode.MODERATE, Verdict.ALLOW),  # obfuscation alone is weak evidence
        ([res("encoding", 0.7)], Mode.STRICT, Verdict.FLAG),
        ([res("encoding", 0.9)], Mode.PERMISSIVE, Verdict.BLOCK),  # tag smuggling / blocked payload
        ([res("encoding", 0.7), res("heuristics", 0.45)], Mode.MODERATE, Verdict.FLAG),  # corroborating doubts
        ([res("encoding", 0.7), res("heuristics", 0.3)], Mode.MODERATE, Verdict.ALLOW),  # one doubt is not enough
        ([res("heuristics", 0.45), res("heuristics", 0.48)], Mode.MODERATE, Verdict.ALLOW),  # same source twice
        ([PII], Mode.MODERATE, Verdict.REDACT),
        ([res("heuristics", 0.6), PII], Mode.MODERATE, Verdict.REDACT),  # flag + PII: cleaned prompt
        ([res("heuristics", 0.95), PII], Mode.MODERATE, Verdict.BLOCK),  # block wins
    ],
)
def test_verdicts(results: list[DetectorResult], mode: Mode, expected: Verdict) -> None:
    assert Policy().decide(results, mode).verdict is expected


def test_pii_disabled_ignores_pii() -> None:
    d = Policy().decide([PII], Mode.MODERATE, pii_enabled=False)
    assert d.verdict is Verdict.ALLOW and d.pii == () and d.reasons == ()


def test_source_thresholds_are_per_source() -> None:
    table = {m: Thresholds(flag=0.8, block=0.95) for m in Mode}
    policy = Policy({"classifier": table})
    assert policy.decide([res("classifier", 0.9)], Mode.MODERATE).verdict is Verdict.FLAG
    assert policy.decide([res("classifier", 0.7)], Mode.MODERATE).verdict is Verdict.ALLOW
    assert policy.decide([res("heuristics", 0.9)], Mode.MODERATE).verdict is Verdict.BLOCK


def test_reasons_and_categories() -> None:
    d = Policy().decide([res("heuristics", 0.9), res("classifier", 0.3), PII], Mode.MODERATE)
    assert [f.source for f in d.reasons] == ["heuristics", "pii"]  # below-flag findings are not reasons
    assert d.categories == (Category.DIRECT_INJECTION, Category.PII)
    assert 0.75 <= d.confidence <= 1.0


def test_allow_confidence_reflects_doubt() -> None:
    assert Policy().decide([], Mode.MODERATE).confidence == 1.0
    assert Policy().decide([res("heuristics", 0.4)], Mode.MODERATE).confidence < 0.7


def test_worst() -> None:
    assert worst([Verdict.ALLOW, Verdict.REDACT, Verdict.FLAG]) is Verdict.REDACT
    assert worst([Verdict.STRIP, Verdict.BLOCK]) is Verdict.BLOCK
    assert worst([]) is Verdict.ALLOW
