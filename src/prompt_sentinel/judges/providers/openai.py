"""OpenAI Chat Completions API: ``POST {OPENAI_BASE_URL}/chat/completions``.

``OPENAI_BASE_URL`` includes the version (``https://api.openai.com/v1``), as in
OpenAI's own clients, so OpenAI-compatible gateways work unchanged.  Auth:
``Authorization: Bearer``.  The answer is constrained with a strict ``json_schema``
response format.  Errors: ``{"error": {"message", "type", "param", "code"}}``; 429s
carry ``retry-after`` / ``retry-after-ms``.
"""

from __future__ import annotations

from typing import Any

from prompt_sentinel.judges.prompt import ANSWER_SCHEMA, AnswerError, JudgePrompt
from prompt_sentinel.judges.providers.base import (
    MAX_OUTPUT_TOKENS,
    Provider,
    Usage,
    WireRequest,
    int_or_zero,
)

__all__ = ["OpenAIProvider", "response_schema"]

# Reasoning models reject ``temperature`` and spend completion tokens on reasoning.
_REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")


def response_schema() -> dict[str, Any]:
    """The answer schema in the subset strict structured outputs accept (bounds checked locally)."""
    props = {
        k: {key: v for key, v in spec.items() if key in ("type", "enum")}
        for k, spec in ANSWER_SCHEMA["properties"].items()
    }
    return {
        "type": "object",
        "properties": props,
        "required": list(ANSWER_SCHEMA["required"]),
        "additionalProperties": False,
    }


class OpenAIProvider(Provider):
    name = "openai"

    def build_request(self, prompt: JudgePrompt) -> WireRequest:
        reasoning = self.model.startswith(_REASONING_PREFIXES)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": prompt.user},
            ],
            "max_completion_tokens": MAX_OUTPUT_TOKENS * (8 if reasoning else 1),
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "judge_answer",
                    "strict": True,
                    "schema": response_schema(),
                },
            },
        }
        if not reasoning:
            body["temperature"] = 0
        return WireRequest(
            path="/chat/completions",
            headers={"authorization": f"Bearer {self._api_key}"},
            body=body,
        )

    def read_usage(self, body: dict[str, Any]) -> Usage:
        usage = body.get("usage")
        if not isinstance(usage, dict):
            return Usage()
        return Usage(int_or_zero(usage.get("prompt_tokens")), int_or_zero(usage.get("completion_tokens")))

    def read_text(self, body: dict[str, Any]) -> str:
        choices = body.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise AnswerError("reply has no choices")
        message = choices[0].get("message")
        if not isinstance(message, dict):
            raise AnswerError("reply has no message")
        if message.get("refusal"):
            raise AnswerError("the model refused")
        content = message.get("content")
        if not isinstance(content, str):
            raise AnswerError("reply has no text content")
        return content

    def error_code(self, body: Any) -> str | None:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            return str(error["code"])
        return super().error_code(body)
