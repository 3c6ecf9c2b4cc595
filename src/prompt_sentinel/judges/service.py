"""The judge service and the one function the detect route calls.

``JudgeService.from_settings`` builds the providers that have a key (in LLM_PROVIDERS
order) on one shared ``httpx.AsyncClient``; with no key it returns None and the
service runs offline with no judge.  ``judge_response`` decides whether a response is
worth a second opinion, asks within the deadline and adjusts the verdict (rules in
:mod:`prompt_sentinel.judges.policy`).  ``health`` reports breaker states and recent
outcomes without ever calling a provider.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from prompt_sentinel import __version__
from prompt_sentinel.judges.breaker import CircuitBreaker
from prompt_sentinel.judges.budget import Budget, BudgetLimits
from prompt_sentinel.judges.cache import JudgeCache, cache_key
from prompt_sentinel.judges.policy import JudgePolicy, apply_outcome, should_consult
from prompt_sentinel.judges.prompt import PROMPT_VERSION
from prompt_sentinel.judges.providers import PROVIDERS, Price, Provider
from prompt_sentinel.judges.router import JudgeOutcome, Router
from prompt_sentinel.observability import providers as provider_metrics
from prompt_sentinel.schemas import DetectResponse, Message

if TYPE_CHECKING:
    from prompt_sentinel.settings import Settings

__all__ = ["JudgeService", "judge_response", "render_messages"]


class JudgeService:
    """Providers in failover order, their breakers, the budget, the answer cache and the policy."""

    def __init__(
        self,
        providers: Sequence[Provider],
        *,
        policy: JudgePolicy | None = None,
        budget: Budget | None = None,
        breaker_failures: int = 5,
        breaker_cooldown: float = 30.0,
        cache_size: int = 1024,
        cache_ttl: float = 3600.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not providers:
            raise ValueError("a JudgeService needs at least one provider")
        self.policy = policy or JudgePolicy()
        self.budget = budget or Budget(BudgetLimits())
        self.breakers = {p.name: CircuitBreaker(breaker_failures, breaker_cooldown) for p in providers}
        self.router = Router(providers, self.breakers, self.budget, self.policy.deadline)
        self.cache: JudgeCache[JudgeOutcome] = JudgeCache(cache_size, cache_ttl)
        self.fingerprint = "|".join([PROMPT_VERSION, *(f"{p.name}:{p.model}" for p in providers)])
        self._client = client

    @property
    def providers(self) -> Sequence[Provider]:
        return self.router.providers

    @classmethod
    def from_settings(cls, settings: Settings, *, client: httpx.AsyncClient | None = None) -> JudgeService | None:
        """The configured judge, or None when disabled or no provider has a key."""
        if not settings.llm_judge_enabled:
            return None
        named = []
        for name in settings.llm_providers:
            key = getattr(settings, f"{name}_api_key")
            if key is not None and key.get_secret_value():
                named.append((name, key.get_secret_value()))
        if not named:
            return None
        client = client or httpx.AsyncClient(
            headers={"user-agent": f"promptsentinel/{__version__}"},
            follow_redirects=False,  # a redirect would resend the key elsewhere
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )
        providers = [
            PROVIDERS[name](
                api_key=key,
                model=getattr(settings, f"{name}_model"),
                base_url=getattr(settings, f"{name}_base_url"),
                client=client,
                timeout=settings.llm_timeout,
                max_retries=settings.llm_max_retries,
                backoff_factor=settings.llm_backoff_factor,
                price=Price(**settings.llm_prices.get(name, {})),
            )
            for name, key in named
        ]
        policy = JudgePolicy(
            band_low=settings.llm_judge_band_low,
            band_high=settings.llm_judge_band_high,
            min_confidence=settings.llm_judge_min_confidence,
            can_clear_block=settings.llm_judge_can_clear_block,
            fail_mode=settings.llm_judge_fail_mode,
            deadline=settings.llm_judge_deadline,
        )
        limits = BudgetLimits(
            settings.llm_budget_hourly_usd,
            settings.llm_budget_daily_usd,
            settings.llm_budget_monthly_usd,
        )
        return cls(
            providers,
            policy=policy,
            budget=Budget(limits),
            breaker_failures=settings.llm_breaker_failures,
            breaker_cooldown=settings.llm_breaker_cooldown,
            cache_size=settings.llm_judge_cache_size,
            cache_ttl=settings.llm_judge_cache_ttl,
            client=client,
        )

    def should_consult(self, response: DetectResponse, *, use_llm: bool, allowed: bool) -> bool:
        return should_consult(response, self.policy, use_llm=use_llm, allowed=allowed)

    async def judge(self, text: str) -> JudgeOutcome:
        """One judgement: the cached answer for this text, else the providers (never raises)."""
        key = cache_key(self.fingerprint, text)
        hit = self.cache.get(key)
        if hit is not None:
            return JudgeOutcome(hit.status, hit.answer, hit.provider, hit.model, cached=True, attempts=hit.attempts)
        outcome = await self.router.judge(text)
        if outcome.status == "ok":
            self.cache.put(key, outcome)
        return outcome

    def health(self) -> dict[str, Any]:
        """Breakers, recent outcomes and budget, for /health/detailed; never calls a provider."""
        recent = provider_metrics.snapshot()
        entries: dict[str, Any] = {}
        for p in self.providers:
            b = self.breakers[p.name].snapshot()
            entries[p.name] = {
                "model": p.model,
                "breaker": b.state,
                "consecutive_failures": b.consecutive_failures,
                "recent": recent.get(p.name),
            }
        exhausted = self.budget.exhausted()
        some_bad = any(
            e["breaker"] != "closed" or (e["recent"] or {}).get("status", "ok") != "ok" for e in entries.values()
        )
        return {
            # a failing judge degrades detection; it never makes the service unavailable
            "status": "degraded" if (some_bad or exhausted) else "ok",
            "available": any(e["breaker"] != "open" for e in entries.values()) and not exhausted,
            "order": [p.name for p in self.providers],
            "deadline_s": self.policy.deadline,
            "fail_mode": self.policy.fail_mode,
            "budget_exhausted": exhausted,
            "providers": entries,
        }

    def usage(self) -> dict[str, Any]:
        """Calls, tokens and cost per provider (GET /api/v1/monitoring/usage)."""
        return self.budget.usage()

    def budget_status(self) -> dict[str, Any]:
        """Limits, spend and what is left (GET /api/v1/monitoring/budget)."""
        return self.budget.status()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def render_messages(messages: Sequence[Message]) -> str:
    """The text the judge sees for a chat: every non-system message, labelled with its role.

    The application's own system prompt is trusted and may be confidential: it is not
    sent to a third-party judge.
    """
    return "\n\n".join(f"[{m.role}]\n{m.content}" for m in messages if m.role != "system")


async def judge_response(
    service: JudgeService | None,
    prompt_or_messages_text: str,
    response: DetectResponse,
    *,
    use_llm: bool,
    allowed: bool,
) -> DetectResponse:
    """Consult the judge when it is worth it and return the (possibly) adjusted response.

    * ``service`` None (no judge configured), or a response that already has an
      ``llm_judge`` reason (idempotent) -> ``response`` unchanged.
    * Consulted only when :func:`~prompt_sentinel.judges.policy.should_consult` says so:
      the local attack score is in the configured band, or ``use_llm and allowed``.
    * Otherwise the verdict moves by the policy's bounded rule and one reason with
      source ``llm_judge`` is appended (also on failure: unavailable, failed open /
      closed, or skipped for budget).  ``processing_time_ms`` includes the judge's time.
    Never raises for provider trouble; returns within the configured deadline (plus
    scheduling slack).
    """
    if service is None or any(r.source == "llm_judge" for r in response.reasons):
        return response  # no judge, or already judged (e.g. a response from the verdict cache)
    if not service.should_consult(response, use_llm=use_llm, allowed=allowed):
        return response
    start = time.perf_counter()
    outcome = await service.judge(prompt_or_messages_text)
    out = apply_outcome(response, outcome, service.policy)
    elapsed_ms = (time.perf_counter() - start) * 1000
    return out.model_copy(update={"processing_time_ms": round(response.processing_time_ms + elapsed_ms, 3)})
