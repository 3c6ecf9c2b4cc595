"""The two clients: :class:`PromptSentinel` (blocking) and :class:`AsyncPromptSentinel`.

Both take the same arguments and have the same methods; every rule (retries, fail mode,
error mapping) is in :class:`~prompt_sentinel.sdk._base.BaseClient`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from prompt_sentinel.engine.models import Mode
from prompt_sentinel.schemas import BatchResponse, DetectResponse, HealthResponse
from prompt_sentinel.sdk._base import BaseClient, BatchInput, Call, Done, MessageLike

if TYPE_CHECKING:
    from prompt_sentinel.api.routes.admin import CreatedKey, KeyInfo

__all__ = ["AsyncPromptSentinel", "PromptSentinel"]

T = TypeVar("T")


class PromptSentinel(BaseClient):
    """Blocking client.

    ``PromptSentinel(base_url, api_key=None, api_key_header="X-API-Key", timeout=10.0,
    max_retries=2, backoff_factor=0.25, max_backoff=8.0, max_retry_after=30.0,
    fail_mode="closed", headers=None, http_client=None)``.  Use it as a context manager or
    call :meth:`close`.  One instance is safe to share between threads.
    """

    def __init__(
        self,
        base_url: str = "http://localhost:8080",
        *,
        http_client: httpx.Client | None = None,
        **options: Any,
    ) -> None:
        super().__init__(base_url, **options)
        self._owned = http_client is None
        self._client = http_client or httpx.Client(timeout=self.timeout)
        self._sleep = time.sleep

    def _send(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            request = self._request(self._client, call)
            try:
                response = self._client.send(request)
            except httpx.TransportError as exc:
                outcome = self._after_error(call, attempt, exc)
            else:
                outcome = self._after_response(call, attempt, response)
            if isinstance(outcome, Done):
                return outcome.value
            self._sleep(outcome.delay)
            attempt += 1

    def detect(
        self,
        prompt: str | None = None,
        *,
        messages: Sequence[MessageLike] | None = None,
        mode: Mode | str | None = None,
        check_pii: bool | None = None,
        use_llm: bool = False,
    ) -> DetectResponse:
        """Screen one prompt, or role-separated chat ``messages`` (give exactly one)."""
        return self._send(self._detect_call(prompt, messages, mode, check_pii, use_llm))

    def detect_batch(
        self, items: BatchInput, *, mode: Mode | str | None = None, check_pii: bool | None = None
    ) -> BatchResponse:
        """Screen many: items are ``{"id", "prompt"|"messages"}`` dicts, ``BatchItem``s, or
        plain strings (their ids are their positions).  A bad item fails alone."""
        return self._send(self._batch_call(items, mode, check_pii))

    def health(self) -> HealthResponse:
        """Liveness (``GET /health``)."""
        return self._send(self._health_call("/health"))

    def ready(self) -> HealthResponse:
        """Readiness with per-dependency checks; ``status`` is "unavailable" on a 503."""
        return self._send(self._health_call("/health/ready"))

    def create_key(
        self,
        name: str,
        *,
        permissions: Sequence[str] = ("detect",),
        rate_limit: int | None = None,
        expires_in_days: int | None = None,
    ) -> CreatedKey:
        """Issue a key (admin); the secret is in the answer, once."""
        return self._send(self._create_call(name, permissions, rate_limit, expires_in_days))

    def list_keys(self) -> list[KeyInfo]:
        return self._send(self._list_call())

    def get_key(self, key_id: str) -> KeyInfo:
        return self._send(self._get_call(key_id))

    def revoke_key(self, key_id: str) -> None:
        self._send(self._revoke_call(key_id))

    def rotate_key(self, key_id: str) -> CreatedKey:
        """A new secret for the same key id; the old secret stops working."""
        return self._send(self._rotate_call(key_id))

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def __enter__(self) -> PromptSentinel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncPromptSentinel(BaseClient):
    """Asynchronous client; same arguments as :class:`PromptSentinel` (``http_client`` is an
    ``httpx.AsyncClient``).  Use ``async with`` or ``await client.aclose()``."""

    def __init__(
        self,
        base_url: str = "http://localhost:8080",
        *,
        http_client: httpx.AsyncClient | None = None,
        **options: Any,
    ) -> None:
        super().__init__(base_url, **options)
        self._owned = http_client is None
        self._client = http_client or httpx.AsyncClient(timeout=self.timeout)
        self._sleep = asyncio.sleep

    async def _send(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            request = self._request(self._client, call)
            try:
                response = await self._client.send(request)
            except httpx.TransportError as exc:
                outcome = self._after_error(call, attempt, exc)
            else:
                outcome = self._after_response(call, attempt, response)
            if isinstance(outcome, Done):
                return outcome.value
            await self._sleep(outcome.delay)
            attempt += 1

    async def detect(
        self,
        prompt: str | None = None,
        *,
        messages: Sequence[MessageLike] | None = None,
        mode: Mode | str | None = None,
        check_pii: bool | None = None,
        use_llm: bool = False,
    ) -> DetectResponse:
        """Screen one prompt, or role-separated chat ``messages`` (give exactly one)."""
        return await self._send(self._detect_call(prompt, messages, mode, check_pii, use_llm))

    async def detect_batch(
        self, items: BatchInput, *, mode: Mode | str | None = None, check_pii: bool | None = None
    ) -> BatchResponse:
        """See :meth:`PromptSentinel.detect_batch`."""
        return await self._send(self._batch_call(items, mode, check_pii))

    async def health(self) -> HealthResponse:
        return await self._send(self._health_call("/health"))

    async def ready(self) -> HealthResponse:
        return await self._send(self._health_call("/health/ready"))

    async def create_key(
        self,
        name: str,
        *,
        permissions: Sequence[str] = ("detect",),
        rate_limit: int | None = None,
        expires_in_days: int | None = None,
    ) -> CreatedKey:
        return await self._send(self._create_call(name, permissions, rate_limit, expires_in_days))

    async def list_keys(self) -> list[KeyInfo]:
        return await self._send(self._list_call())

    async def get_key(self, key_id: str) -> KeyInfo:
        return await self._send(self._get_call(key_id))

    async def revoke_key(self, key_id: str) -> None:
        await self._send(self._revoke_call(key_id))

    async def rotate_key(self, key_id: str) -> CreatedKey:
        return await self._send(self._rotate_call(key_id))

    async def aclose(self) -> None:
        if self._owned:
            await self._client.aclose()

    async def __aenter__(self) -> AsyncPromptSentinel:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
