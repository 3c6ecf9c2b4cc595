"""Anthropic Messages API: ``POST {ANTHROPIC_BASE_URL}/v1/messages``.

Auth: ``x-api-key`` and ``anthropic-version`` headers.  Errors come as
``{"type": "error", "error": {"type": "rate_limit_error", "message": ...}}``; 529
(``overloaded_error``) is retried like any 5xx.
"""

from __future__ import annotations

from typing import Any

from prompt_sentinel.judges.prompt import AnswerError, JudgePrompt
from prompt_sentinel.judges.providers.base import (
    MAX_OUTPUT_TOKENS,
    Provider,
    Usage,
    WireRequest,
    int_or_zero,
)

__all__ = ["AnthropicProvider"]

API_VERSION = "2023-06-01"


class AnthropicProvider(Provider):
    name = "anthropic"

    def build_request(self, prompt: JudgePrompt) -> WireRequest:
        return WireRequest(
            path="/v1/messages",
            headers={"x-api-key": self._api_key, "anthropic-version": API_VERSION},
            body={
                "model": self.model,
                "max_tokens": MAX_OUTPUT_TOKENS,
                "temperature": 0,
                "system": prompt.system,
                "messages": [{"role": "user", "content": prompt.user}],
            },
        )

    def read_usage(self, body: dict[str, Any]) -> Usage:
        usage = body.get("usage")
        if not isinstance(usage, dict):
            return Usage()
        return Usage(int_or_zero(usage.get("input_tokens")), int_or_zero(usage.get("output_tokens")))

    def read_text(self, body: dict[str, Any]) -> str:
        if body.get("type") != "message":
            raise AnswerError("reply is not a message")
        blocks = body.get("content")
        if not isinstance(blocks, list):
            raise AnswerError("reply has no content")
        texts = [
            b["text"]
            for b in blocks
            if isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str)
        ]
        if not texts:
            raise AnswerError("reply has no text block")
        return "".join(texts)
