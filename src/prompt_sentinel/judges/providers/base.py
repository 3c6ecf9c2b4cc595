"""One base for the three provider clients: HTTP, retries, error classification, metrics.

Exceptions::

    ProviderError            a provider gave no valid answer (after its retries)
      .kind: timeout | connection | rate_limited | server_error   (retried)
             auth_error | client_error | invalid_response         (not retried)

Messages are fixed text plus the provider name, HTTP status and the provider's short
error code: never the API key, the prompt or the provider's error message (which can
echo input).  Subclasses only say how to build a request and where the answer and the
token counts are in a reply.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from prompt_sentinel.judges.backoff import backoff_delay, retry_after
from prompt_sentinel.judges.prompt import AnswerError, JudgeAnswer, JudgePrompt, parse_answer
from prompt_sentinel.observability import providers as provider_metrics

__all__ = ["Price", "Provider", "ProviderError", "ProviderReply", "Usage", "WireRequest"]

RETRYABLE_KINDS = frozenset({"timeout", "connection", "rate_limited", "server_error"})
_OUTCOME = {
    "timeout": "timeout",
    "rate_limited": "rate_limited",
    "invalid_response": "invalid_response",
}
_SAFE_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")  # trusted pattern on a provider's short error code
MAX_OUTPUT_TOKENS = 256
RETRY_AFTER_JITTER = 0.1  # wait up to 10 % longer than asked, so replicas do not return together


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million tokens."""

    input: float = 0.0
    output: float = 0.0

    def cost(self, usage: Usage) -> float:
        return (usage.input_tokens * self.input + usage.output_tokens * self.output) / 1_000_000


@dataclass(frozen=True, slots=True)
class WireRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProviderReply:
    provider: str
    model: str
    answer: JudgeAnswer
    usage: Usage
    cost_usd: float
    attempts: int


class ProviderError(Exception):
    """A provider gave no valid answer; safe to log (see the module docstring)."""

    def __init__(
        self,
        provider: str,
        kind: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retry_after_s: float | None = None,
        usage: Usage | None = None,
        cost_usd: float = 0.0,
    ) -> None:
        self.provider = provider
        self.kind = kind
        self.status = status
        self.code = code if code is not None and _SAFE_CODE.fullmatch(code) else None
        self.retry_after_s = retry_after_s
        self.usage = usage or Usage()
        self.cost_usd = cost_usd
        detail = ", ".join(p for p in (f"HTTP {status}" if status else "", self.code or "") if p)
        super().__init__(f"{provider}: {kind}" + (f" ({detail})" if detail else ""))

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS

    @property
    def outcome(self) -> str:
        """The bounded ``outcome`` label of the provider metrics."""
        return _OUTCOME.get(self.kind, "error")


class Provider(ABC):
    """An LLM API that can judge a :class:`JudgePrompt`; one shared ``httpx.AsyncClient``."""

    name: ClassVar[str]

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str,
        client: httpx.AsyncClient,
        timeout: float = 30.0,
        max_retries: int = 3,
        backoff_factor: float = 2.0,
        price: Price | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._api_key = api_key
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.client = client
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.price = price or Price()
        self._rng = rng or random.Random()

    def __repr__(self) -> str:  # never the key
        return f"<{type(self).__name__} model={self.model!r} base_url={self.base_url!r}>"

    # -- what differs between providers ---------------------------------------------------
    @abstractmethod
    def build_request(self, prompt: JudgePrompt) -> WireRequest:
        """Path (after the base URL), auth headers and JSON body for one judgement."""

    @abstractmethod
    def read_usage(self, body: dict[str, Any]) -> Usage:
        """Token counts of a 200 reply (zeros where absent)."""

    @abstractmethod
    def read_text(self, body: dict[str, Any]) -> str:
        """The model's answer text in a 200 reply; AnswerError if the shape is wrong."""

    def error_code(self, body: Any) -> str | None:
        """The provider's short error code from an error body (type / status)."""
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            for key in ("type", "status", "code"):
                if isinstance(error.get(key), str):
                    return str(error[key])
        return None

    def server_delay(self, response: httpx.Response, body: Any) -> float | None:
        """How long the server asked us to wait before retrying."""
        return retry_after(response.headers)

    # -- shared behaviour ---------------------------------------------------------------
    async def judge(self, prompt: JudgePrompt, deadline: float) -> ProviderReply:
        """Ask for a judgement, retrying transient failures until ``deadline`` (loop time).

        A retry is not attempted when its wait would pass the deadline: the router
        then has the remaining time for the next provider.
        """
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ProviderError(self.name, "timeout")
            started = loop.time()
            try:
                reply = await self._once(prompt, min(self.timeout, remaining), attempt + 1)
            except ProviderError as exc:
                self._record(exc.outcome, loop.time() - started, exc.usage, exc.cost_usd)
                if not exc.retryable or attempt >= self.max_retries:
                    raise
                if exc.retry_after_s is not None:
                    delay = exc.retry_after_s * (1.0 + RETRY_AFTER_JITTER * self._rng.random())
                else:
                    delay = backoff_delay(attempt, self.backoff_factor, self._rng)
                if loop.time() + delay >= deadline:
                    raise
                await asyncio.sleep(delay)
                attempt += 1
                continue
            except asyncio.CancelledError:  # the overall deadline cut this call
                self._record("timeout", loop.time() - started, Usage(), 0.0)
                raise
            self._record("ok", loop.time() - started, reply.usage, reply.cost_usd)
            return reply

    def _record(self, outcome: str, seconds: float, usage: Usage, cost: float) -> None:
        provider_metrics.record_call(
            self.name,
            outcome,
            seconds,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=cost,
        )

    async def _once(self, prompt: JudgePrompt, timeout: float, attempts: int) -> ProviderReply:
        req = self.build_request(prompt)
        try:
            response = await self.client.post(
                self.base_url + req.path,
                headers=req.headers,
                params=req.params or None,
                json=req.body,
                timeout=httpx.Timeout(timeout),
            )
        except httpx.TimeoutException:
            raise ProviderError(self.name, "timeout") from None
        except httpx.HTTPError:
            raise ProviderError(self.name, "connection") from None
        body = _json_or_none(response.content)
        status = response.status_code
        if status == 200:
            return self._reply(body, attempts)
        kind = (
            "rate_limited"
            if status == 429
            else "server_error"
            if status >= 500 or status == 408
            else "auth_error"
            if status in (401, 403)
            else "client_error"
        )
        raise ProviderError(
            self.name,
            kind,
            status=status,
            code=self.error_code(body),
            retry_after_s=self.server_delay(response, body) if kind in RETRYABLE_KINDS else None,
        )

    def _reply(self, body: Any, attempts: int) -> ProviderReply:
        usage = Usage()
        try:
            if body is None:
                raise AnswerError("reply is not JSON")
            if not isinstance(body, dict):
                raise AnswerError("reply is not an object")
            usage = self.read_usage(body)  # before the text: a refused answer still costs
            text = self.read_text(body)
            answer = parse_answer(text)
        except AnswerError:
            raise ProviderError(
                self.name,
                "invalid_response",
                status=200,
                usage=usage,
                cost_usd=self.price.cost(usage),
            ) from None
        return ProviderReply(self.name, self.model, answer, usage, self.price.cost(usage), attempts)


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


def int_or_zero(value: Any) -> int:
    """A token count from a reply, 0 when absent or malformed."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0
