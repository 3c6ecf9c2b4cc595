"""When the judge is consulted, and how far its answer may move a verdict.

The local layers' *attack score* of a response is read from its verdict and confidence
(the engine's confidence is "how sure of the verdict", on the policy's scaled axis where
the flag threshold is 0.5 and the block threshold 0.75):

* allow -> ``1 - confidence``; flag, strip, block -> ``confidence``;
* redact -> ``confidence`` when an attack category is present (a flag-level finding
  plus PII), else 0 (PII alone says nothing about injection).

Consulted when ``band_low <= score < band_high`` (default 0.25-0.75: from "half-way to a
flag" up to the block threshold), or when the request asked for it (``use_llm``) and the
caller may; a block is only ever put to the judge when ``can_clear_block`` is set,
since otherwise nothing the judge says could change it.

The answer moves the verdict by at most one step, and only when the judge's confidence
reaches ``min_confidence``:

| local verdict | judge: attack | judge: benign                          |
|---------------|---------------|----------------------------------------|
| allow         | flag          | allow                                  |
| flag, strip   | block         | allow                                  |
| redact        | block         | redact (PII stays; attack categories dropped) |
| block         | block         | flag if ``can_clear_block``, else block |

When no judge answers: ``fail_mode`` "open" keeps the local verdict, "closed" blocks.
An exhausted budget skips the judge and keeps the local verdict in either mode.  Every
case adds one reason with source ``llm_judge`` saying what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from prompt_sentinel.engine.models import Category, Verdict
from prompt_sentinel.judges.router import JudgeOutcome
from prompt_sentinel.schemas import DetectResponse, Reason

__all__ = ["JudgePolicy", "apply_outcome", "attack_score", "should_consult"]

SOURCE = "llm_judge"
_ESCALATE = {
    Verdict.ALLOW: Verdict.FLAG,
    Verdict.FLAG: Verdict.BLOCK,
    Verdict.STRIP: Verdict.BLOCK,
    Verdict.REDACT: Verdict.BLOCK,
    Verdict.BLOCK: Verdict.BLOCK,
}
_CLEAR = {
    Verdict.ALLOW: Verdict.ALLOW,
    Verdict.FLAG: Verdict.ALLOW,
    Verdict.STRIP: Verdict.ALLOW,
    Verdict.REDACT: Verdict.REDACT,
    Verdict.BLOCK: Verdict.FLAG,
}
_RESULT_WORDS = {
    "circuit_open": "circuit open",
    "budget": "over budget",
    "deadline": "cut by the deadline",
    "invalid_response": "invalid answer",
    "rate_limited": "rate limited",
    "server_error": "server error",
    "auth_error": "authentication refused",
    "client_error": "request refused",
    "connection": "unreachable",
    "timeout": "timed out",
}


@dataclass(frozen=True, slots=True)
class JudgePolicy:
    band_low: float = 0.25
    band_high: float = 0.75
    min_confidence: float = 0.7
    can_clear_block: bool = False
    fail_mode: Literal["open", "closed"] = "open"
    deadline: float = 5.0


def _attack_categories(response: DetectResponse) -> list[Category]:
    return [c for c in response.categories if c is not Category.PII]


def attack_score(response: DetectResponse) -> float:
    """The local layers' attack score on the policy's scaled axis (see the module docstring)."""
    if response.verdict is Verdict.ALLOW:
        return 1.0 - response.confidence
    if response.verdict is Verdict.REDACT:
        return response.confidence if _attack_categories(response) else 0.0
    return response.confidence


def should_consult(response: DetectResponse, policy: JudgePolicy, *, use_llm: bool, allowed: bool) -> bool:
    """Is the judge worth its cost and latency for this response?"""
    if response.verdict is Verdict.BLOCK and not policy.can_clear_block:
        return False
    if use_llm and allowed:
        return True
    return policy.band_low <= attack_score(response) < policy.band_high


def _category(response: DetectResponse, preferred: Category | None = None) -> Category:
    """Reason.category is required: the judge's, the response's first, or direct_injection."""
    if preferred is not None:
        return preferred
    return next(iter(_attack_categories(response)), Category.DIRECT_INJECTION)


def _summary(outcome: JudgeOutcome, deadline: float) -> str:
    """Which provider did what, in bounded words (provider names and failure kinds only)."""
    parts = [f"{a.provider} {_RESULT_WORDS.get(a.result, 'failed')}" for a in outcome.attempts]
    if outcome.deadline_exceeded:
        parts.append(f"{deadline:g} s deadline passed")
    return "; ".join(parts) or "no provider tried"


def apply_outcome(response: DetectResponse, outcome: JudgeOutcome, policy: JudgePolicy) -> DetectResponse:
    """The response with the verdict adjusted by the rule above and one ``llm_judge`` reason."""
    old = response.verdict
    update: dict[str, object] = {}
    if outcome.status == "budget_exhausted":
        reason = Reason(
            category=_category(response),
            confidence=0.0,
            source=SOURCE,
            rule_id="llm_judge.skipped.budget",
            description=f"LLM judge skipped: the spend budget is exhausted; the local verdict ({old}) stands",
        )
    elif outcome.status != "ok" or outcome.answer is None:
        summary = _summary(outcome, policy.deadline)
        if policy.fail_mode == "closed" and old is Verdict.BLOCK:
            tail = "failed closed: the block stands"
        elif policy.fail_mode == "closed":
            update = {"verdict": Verdict.BLOCK, "confidence": round(attack_score(response), 4)}
            tail = f"failed closed: verdict {old} -> block"
        else:
            tail = f"failed open: the local verdict ({old}) stands"
        reason = Reason(
            category=_category(response),
            confidence=0.0,
            source=SOURCE,
            rule_id=f"llm_judge.unavailable.{policy.fail_mode}",
            description=f"LLM judge unavailable ({summary}); {tail}",
        )
    else:
        answer = outcome.answer
        sure = answer.confidence >= policy.min_confidence
        if not sure:
            new = old
        elif answer.is_attack:
            new = _ESCALATE[old]
        else:
            new = _CLEAR[old] if (old is not Verdict.BLOCK or policy.can_clear_block) else old
        if new is not old:
            update = {"verdict": new, "confidence": answer.confidence}
        if answer.is_attack and sure and answer.category and answer.category not in response.categories:
            update["categories"] = [*response.categories, answer.category]
        elif not answer.is_attack and sure and new in (Verdict.ALLOW, Verdict.REDACT):
            update["categories"] = [c for c in response.categories if c is Category.PII]
        change = f"verdict {old} -> {new}" if new is not old else f"verdict {old} kept"
        if not sure:
            change += f" (below the minimum judge confidence {policy.min_confidence:g})"
        cached = ", cached answer" if outcome.cached else ""
        reason = Reason(
            category=_category(response, answer.category),
            confidence=round(answer.confidence, 4),
            source=SOURCE,
            rule_id=f"llm_judge.{answer.label}",
            description=f"LLM judge ({outcome.provider} {outcome.model}{cached}) rated the text "
            f"{answer.label} with confidence {answer.confidence:.2f}; {change}",
        )
    new_verdict = update.get("verdict", old)
    if new_verdict is not old and new_verdict in (Verdict.ALLOW, Verdict.FLAG, Verdict.BLOCK):
        update["modified_prompt"] = None  # these verdicts carry no rewritten text
        update["modified_messages"] = None
    update["reasons"] = [*response.reasons, reason]
    return response.model_copy(update=update)
