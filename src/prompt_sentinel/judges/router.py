"""Routing: providers in order, each behind its breaker and the budget, within one deadline.

For one text the router builds one prompt (one random boundary), then for each provider
in the configured order:

* skips it while its circuit is open (no call, no time spent);
* skips it when the budget cannot hold the estimated cost of the call;
* otherwise calls it with a fair share of the time left (time left divided by the
  providers still worth trying, so a hanging or retrying provider cannot starve the
  failover; the last one gets all that is left); the provider retries transient errors
  itself within its share; the first valid answer wins.

The whole step runs under ``asyncio.timeout``: when the deadline passes, the call in
flight is cancelled, counted as a timeout for its provider, and the outcome is
"unavailable", whatever per-provider timeouts and retries would still have allowed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from prompt_sentinel.judges.breaker import CircuitBreaker
from prompt_sentinel.judges.budget import Budget
from prompt_sentinel.judges.prompt import JudgeAnswer, JudgePrompt, build_prompt
from prompt_sentinel.judges.providers.base import MAX_OUTPUT_TOKENS, Provider, ProviderError, Usage

__all__ = ["Attempt", "JudgeOutcome", "Router"]

log = logging.getLogger("promptsentinel.judges")

CHARS_PER_TOKEN_ESTIMATE = 3  # conservative for English; reservations are settled to actuals


@dataclass(frozen=True, slots=True)
class Attempt:
    """What happened with one provider: ``ok``, ``circuit_open``, ``budget``, ``deadline``
    or a :class:`ProviderError` kind (``timeout``, ``rate_limited``, ``invalid_response``...)."""

    provider: str
    result: str


@dataclass(frozen=True, slots=True)
class JudgeOutcome:
    """The judge step's result.  ``answer`` is set only when ``status == "ok"``."""

    status: Literal["ok", "unavailable", "budget_exhausted"]
    answer: JudgeAnswer | None = None
    provider: str | None = None
    model: str | None = None
    cached: bool = False
    attempts: tuple[Attempt, ...] = ()

    @property
    def deadline_exceeded(self) -> bool:
        return any(a.result == "deadline" for a in self.attempts)


@dataclass
class Router:
    providers: Sequence[Provider]
    breakers: dict[str, CircuitBreaker]
    budget: Budget
    deadline: float = 5.0

    async def judge(self, text: str) -> JudgeOutcome:
        """Ask the providers in order; never raises for provider trouble."""
        prompt = build_prompt(text)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.deadline
        attempts: list[Attempt] = []
        try:
            async with asyncio.timeout_at(deadline):
                for i, provider in enumerate(self.providers):
                    # A fair share of the time left, so one hanging or retrying provider
                    # cannot starve the failover: time left / providers still worth trying.
                    still = sum(1 for p in self.providers[i:] if self.breakers[p.name].state != "open")
                    share_end = loop.time() + (deadline - loop.time()) / max(1, still)
                    outcome = await self._try(provider, prompt, share_end, attempts)
                    if outcome is not None:
                        return outcome
        except TimeoutError:
            pass
        if attempts and all(a.result == "budget" for a in attempts):
            return JudgeOutcome("budget_exhausted", attempts=tuple(attempts))
        log.warning(
            "llm judge unavailable",
            extra={
                "attempts": ",".join(f"{a.provider}:{a.result}" for a in attempts),
                "prompt_chars": prompt.text_chars,
            },
        )
        return JudgeOutcome("unavailable", attempts=tuple(attempts))

    async def _try(
        self, provider: Provider, prompt: JudgePrompt, until: float, attempts: list[Attempt]
    ) -> JudgeOutcome | None:
        name = provider.name
        breaker = self.breakers[name]
        if not breaker.allow():
            attempts.append(Attempt(name, "circuit_open"))
            return None
        estimate = provider.price.cost(
            Usage(
                (len(prompt.system) + len(prompt.user)) // CHARS_PER_TOKEN_ESTIMATE,
                MAX_OUTPUT_TOKENS,
            )
        )
        reservation = self.budget.reserve(name, estimate)
        if reservation is None:
            breaker.release()
            attempts.append(Attempt(name, "budget"))
            return None
        try:
            reply = await provider.judge(prompt, until)
        except ProviderError as exc:
            breaker.failure()
            self.budget.settle(reservation, exc.usage, exc.cost_usd, ok=False)
            attempts.append(Attempt(name, exc.kind))
            log.warning(
                "llm provider failed",
                extra={"provider": name, "kind": exc.kind, "status": exc.status, "code": exc.code},
            )
            return None
        except asyncio.CancelledError:
            breaker.failure()
            self.budget.settle(reservation, Usage(), 0.0, ok=False)
            attempts.append(Attempt(name, "deadline"))
            raise
        except Exception as exc:  # a bug must cost the judge, never the request
            breaker.failure()
            self.budget.settle(reservation, Usage(), 0.0, ok=False)
            attempts.append(Attempt(name, "error"))
            log.error("llm provider crashed", extra={"provider": name, "error": type(exc).__name__})
            return None
        breaker.success()
        self.budget.settle(reservation, reply.usage, reply.cost_usd, ok=True)
        attempts.append(Attempt(name, "ok"))
        return JudgeOutcome("ok", reply.answer, name, reply.model, attempts=tuple(attempts))
