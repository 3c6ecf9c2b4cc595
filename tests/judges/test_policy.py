"""When the judge is consulted and how its answer moves a verdict (the documented table)."""

from __future__ import annotations

import pytest

from prompt_sentinel.engine.models import Category, Mode, Verdict
from prompt_sentinel.judges import Attempt, JudgeOutcome, JudgePolicy, apply_outcome, should_consult
from prompt_sentinel.judges.prompt import JudgeAnswer
from prompt_sentinel.schemas import DetectResponse, Reason

A, F, S, R, B = Verdict.ALLOW, Verdict.FLAG, Verdict.STRIP, Verdict.REDACT, Verdict.BLOCK
INJ, PII = Category.DIRECT_INJECTION, Category.PII


def response(
    verdict: Verdict,
    confidence: float,
    categories: list[Category] | None = None,
    modified: str | None = None,
) -> DetectResponse:
    cats = categories if categories is not None else ([] if verdict is A else [INJ])
    reasons = [Reason(category=c, description="rule", confidence=0.6, source="heuristics", rule_id="x") for c in cats]
    return DetectResponse(
        verdict=verdict,
        confidence=confidence,
        categories=cats,
        reasons=reasons,
        pii_detected=[],
        modified_prompt=modified,
        mode=Mode.MODERATE,
        processing_time_ms=1.0,
        request_id="r",
    )


def answer(label: str, confidence: float, category: Category | None = Category.JAILBREAK) -> JudgeOutcome:
    a = JudgeAnswer(
        label=label,
        confidence=confidence,  # type: ignore[arg-type]
        category=category if label == "attack" else None,
        reason="secret reasoning",
    )
    return JudgeOutcome("ok", a, "anthropic", "claude-test", attempts=(Attempt("anthropic", "ok"),))


UNAVAILABLE = JudgeOutcome(
    "unavailable",
    attempts=(
        Attempt("anthropic", "rate_limited"),
        Attempt("openai", "circuit_open"),
        Attempt("gemini", "deadline"),
    ),
)
BUDGET = JudgeOutcome("budget_exhausted", attempts=(Attempt("anthropic", "budget"),))


@pytest.mark.parametrize(
    ("resp", "use_llm", "allowed", "policy", "consult"),
    [
        (response(A, 1.0), False, False, JudgePolicy(), False),  # clean allow: not worth it
        (response(A, 0.7), False, False, JudgePolicy(), True),  # allow, score 0.3: uncertain
        (response(A, 0.8), False, False, JudgePolicy(), False),  # score 0.2: below the band
        (response(F, 0.6), False, False, JudgePolicy(), True),  # every flag is in the band
        (response(S, 0.55), False, False, JudgePolicy(), True),  # strip: flag level
        (response(R, 0.6), False, False, JudgePolicy(), True),  # redact hiding a flag
        (response(R, 0.99, [PII]), False, False, JudgePolicy(), False),  # PII only
        (response(B, 0.6), False, False, JudgePolicy(), False),  # block: judge can't clear it
        (response(B, 0.6), False, False, JudgePolicy(can_clear_block=True), True),  # unless allowed
        (response(B, 0.9), False, False, JudgePolicy(can_clear_block=True), False),  # clear-cut
        (response(A, 1.0), True, True, JudgePolicy(), True),  # asked for, and allowed to
        (response(A, 1.0), True, False, JudgePolicy(), False),  # asked for, not allowed
        (response(B, 0.99), True, True, JudgePolicy(), False),  # asking can't reopen a block
        (response(A, 0.95), False, False, JudgePolicy(band_low=0.0), True),  # band from 0
    ],
)
def test_should_consult(resp: DetectResponse, use_llm: bool, allowed: bool, policy: JudgePolicy, consult: bool) -> None:
    assert should_consult(resp, policy, use_llm=use_llm, allowed=allowed) is consult


@pytest.mark.parametrize(
    ("resp", "outcome", "policy", "verdict", "rule"),
    [
        (response(A, 0.7), answer("attack", 0.9), JudgePolicy(), F, "llm_judge.attack"),  # escalate
        (response(F, 0.6), answer("attack", 0.9), JudgePolicy(), B, "llm_judge.attack"),  # escalate
        (
            response(S, 0.55, modified="x"),
            answer("attack", 0.9),
            JudgePolicy(),
            B,
            "llm_judge.attack",
        ),  # strip -> block
        (
            response(R, 0.6, [INJ, PII], "m"),
            answer("attack", 0.9),
            JudgePolicy(),
            B,
            "llm_judge.attack",
        ),  # redact -> block
        (response(F, 0.6), answer("benign", 0.9), JudgePolicy(), A, "llm_judge.benign"),  # clear
        (
            response(S, 0.55, modified="x"),
            answer("benign", 0.9),
            JudgePolicy(),
            A,
            "llm_judge.benign",
        ),  # strip cleared
        (
            response(R, 0.6, [INJ, PII], "m"),
            answer("benign", 0.9),
            JudgePolicy(),
            R,
            "llm_judge.benign",
        ),  # PII still redacted
        (response(B, 0.6), answer("benign", 0.99), JudgePolicy(), B, "llm_judge.benign"),  # kept
        (
            response(B, 0.6),
            answer("benign", 0.99),
            JudgePolicy(can_clear_block=True),
            F,
            "llm_judge.benign",
        ),  # one step down only
        (response(F, 0.6), answer("attack", 0.5), JudgePolicy(), F, "llm_judge.attack"),  # unsure
        (response(F, 0.6), answer("benign", 0.69), JudgePolicy(), F, "llm_judge.benign"),  # unsure
        (response(A, 0.7), answer("benign", 0.9), JudgePolicy(), A, "llm_judge.benign"),  # agrees
        (response(A, 0.7), UNAVAILABLE, JudgePolicy(), A, "llm_judge.unavailable.open"),  # open
        (
            response(F, 0.6),
            UNAVAILABLE,
            JudgePolicy(fail_mode="closed"),
            B,
            "llm_judge.unavailable.closed",
        ),  # fail closed blocks
        (
            response(A, 0.7),
            BUDGET,
            JudgePolicy(fail_mode="closed"),
            A,
            "llm_judge.skipped.budget",
        ),  # a budget skip is not a failure
    ],
)
def test_apply_outcome(
    resp: DetectResponse, outcome: JudgeOutcome, policy: JudgePolicy, verdict: Verdict, rule: str
) -> None:
    out = apply_outcome(resp, outcome, policy)
    assert out.verdict is verdict
    judge_reasons = [r for r in out.reasons if r.source == "llm_judge"]
    assert len(judge_reasons) == 1 and judge_reasons[0].rule_id == rule
    assert out.reasons[:-1] == resp.reasons  # local reasons kept, in order
    assert "secret reasoning" not in judge_reasons[0].description  # model text never surfaces
    if verdict in (A, F, B) and verdict is not resp.verdict:
        assert out.modified_prompt is None  # no rewritten text for these verdicts
    if verdict is R:
        assert out.modified_prompt == resp.modified_prompt and out.categories == [PII]


def test_escalation_adds_the_judges_category_and_confidence() -> None:
    out = apply_outcome(response(A, 0.7), answer("attack", 0.92, Category.PROMPT_LEAK), JudgePolicy())
    assert out.categories == [Category.PROMPT_LEAK] and out.confidence == 0.92
    assert "allow -> flag" in out.reasons[-1].description
    assert "anthropic claude-test" in out.reasons[-1].description


def test_clearing_drops_attack_categories() -> None:
    out = apply_outcome(response(F, 0.6), answer("benign", 0.9), JudgePolicy())
    assert out.categories == [] and out.confidence == 0.9


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (JudgePolicy(), "failed open: the local verdict (flag) stands"),  # open
        (JudgePolicy(fail_mode="closed"), "failed closed: verdict flag -> block"),  # closed
    ],
)
def test_unavailable_reason_says_what_failed_and_how(policy: JudgePolicy, words: str) -> None:
    text = apply_outcome(response(F, 0.6), UNAVAILABLE, policy).reasons[-1].description
    assert words in text
    assert "anthropic rate limited" in text and "openai circuit open" in text
    assert "5 s deadline passed" in text


def test_fail_closed_on_a_block_keeps_it() -> None:
    out = apply_outcome(response(B, 0.6), UNAVAILABLE, JudgePolicy(fail_mode="closed"))
    assert out.verdict is B and "the block stands" in out.reasons[-1].description
