"""Gemini API: ``POST {GEMINI_BASE_URL}/v1beta/models/{model}:generateContent``.

Auth: the ``x-goog-api-key`` header (never ``?key=``: URLs end up in proxy logs).
Errors: ``{"error": {"code": 429, "message", "status": "RESOURCE_EXHAUSTED",
"details": [{"@type": "...RetryInfo", "retryDelay": "20s"}]}}``: the RetryInfo delay
is honoured like a Retry-After header.  A prompt blocked by Gemini's own safety
filters has no candidate: that is an invalid response (the next provider is asked).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from prompt_sentinel.judges.backoff import retry_after, retry_info_delay
from prompt_sentinel.judges.prompt import ANSWER_SCHEMA, AnswerError, JudgePrompt
from prompt_sentinel.judges.providers.base import (
    MAX_OUTPUT_TOKENS,
    Provider,
    Usage,
    WireRequest,
    int_or_zero,
)

__all__ = ["GeminiProvider", "response_schema"]

API_VERSION = "v1beta"


def response_schema() -> dict[str, Any]:
    """The answer schema as a Gemini ``responseSchema`` (OpenAPI subset, upper-case types)."""
    props = {}
    for key, spec in ANSWER_SCHEMA["properties"].items():
        entry: dict[str, Any] = {"type": spec["type"].upper()}
        if "enum" in spec:
            entry["enum"] = list(spec["enum"])
        props[key] = entry
    return {
        "type": "OBJECT",
        "properties": props,
        "required": list(ANSWER_SCHEMA["required"]),
        "propertyOrdering": list(ANSWER_SCHEMA["required"]),
    }


class GeminiProvider(Provider):
    name = "gemini"

    def build_request(self, prompt: JudgePrompt) -> WireRequest:
        return WireRequest(
            path=f"/{API_VERSION}/models/{quote(self.model, safe='-._')}:generateContent",
            headers={"x-goog-api-key": self._api_key},
            body={
                "systemInstruction": {"parts": [{"text": prompt.system}]},
                "contents": [{"role": "user", "parts": [{"text": prompt.user}]}],
                "generationConfig": {
                    "temperature": 0,
                    "maxOutputTokens": MAX_OUTPUT_TOKENS,
                    "responseMimeType": "application/json",
                    "responseSchema": response_schema(),
                },
            },
        )

    def read_usage(self, body: dict[str, Any]) -> Usage:
        meta = body.get("usageMetadata")
        if not isinstance(meta, dict):
            return Usage()
        return Usage(
            int_or_zero(meta.get("promptTokenCount")),
            int_or_zero(meta.get("candidatesTokenCount"))
            + int_or_zero(meta.get("thoughtsTokenCount")),  # thinking is billed as output
        )

    def read_text(self, body: dict[str, Any]) -> str:
        candidates = body.get("candidates")
        if not isinstance(candidates, list) or not candidates or not isinstance(candidates[0], dict):
            raise AnswerError("reply has no candidate")
        content = candidates[0].get("content")
        parts = content.get("parts") if isinstance(content, dict) else None
        if not isinstance(parts, list):
            raise AnswerError("candidate has no parts")
        texts = [
            p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str) and not p.get("thought")
        ]
        if not texts:
            raise AnswerError("candidate has no text")
        return "".join(texts)

    def server_delay(self, response: httpx.Response, body: Any) -> float | None:
        header = retry_after(response.headers)
        return header if header is not None else retry_info_delay(body)
