"""Request and response models shared by the API, the CLI and the SDK.

Length limits are *not* declared here: an over-long prompt is a 413 (checked by the
engine against MAX_PROMPT_LENGTH), not a 422, and the limit is configurable.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from prompt_sentinel.engine.models import Category, Mode, Verdict

Role = Literal["system", "user", "assistant", "tool"]


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    content: str


# One character that is not whitespace in Python's sense (``str.isspace``, what
# ``str.strip`` removes), spelled out: ECMA-262's ``\S`` (JSON Schema's regex dialect)
# counts U+001C-U+001F and U+0085 as non-blank and U+FEFF as blank.
_NON_BLANK = "[^\\t-\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
_ONE_OF_INPUT: dict[str, Any] = {
    # What ``_one_of`` enforces, published in the OpenAPI schema so that clients and
    # fuzzers know which bodies are valid: a non-blank ``prompt`` or a non-empty
    # ``messages`` with some non-blank content; the other one absent or null.
    "oneOf": [
        {
            "required": ["prompt"],
            "properties": {"prompt": {"type": "string", "pattern": _NON_BLANK}, "messages": {"type": "null"}},
        },
        {
            "required": ["messages"],
            "properties": {
                "prompt": {"type": "null"},
                "messages": {
                    "type": "array",
                    "minItems": 1,
                    "contains": {
                        "type": "object",
                        "required": ["content"],
                        "properties": {"content": {"pattern": _NON_BLANK}},
                    },
                },
            },
        },
    ]
}


class DetectInput(BaseModel):
    """Either ``prompt`` or ``messages``, never both."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_ONE_OF_INPUT)

    prompt: str | None = Field(None, description="The text to screen.")
    messages: list[Message] | None = Field(None, description="Role-separated chat messages.")

    @model_validator(mode="after")
    def _one_of(self) -> DetectInput:
        if (self.prompt is None) == (self.messages is None):
            raise ValueError("give exactly one of 'prompt' or 'messages'")
        if self.prompt is not None and not self.prompt.strip():
            raise ValueError("'prompt' must not be empty")
        if self.messages is not None:
            if not self.messages:
                raise ValueError("'messages' must not be empty")
            if not any(m.content.strip() for m in self.messages):
                raise ValueError("'messages' must contain some non-empty content")
        return self


class DetectRequest(DetectInput):
    mode: Mode | None = Field(None, description="Overrides DETECTION_MODE for this request.")
    # Strict, as published: 0, 1 or "true" are refused (422), not read as booleans.
    check_pii: StrictBool | None = Field(None, description="Defaults to ENABLE_PII_DETECTION.")
    use_llm: StrictBool = Field(False, description="Ask the LLM judge (when configured) whatever the local score.")


class Reason(BaseModel):
    category: Category
    description: str
    confidence: float = Field(ge=0, le=1)
    source: str
    rule_id: str


class PIIEntity(BaseModel):
    pii_type: str
    start: int
    end: int
    masked_value: str
    message_index: int | None = None


class MessageResult(BaseModel):
    index: int
    role: Role
    verdict: Verdict
    confidence: float = Field(ge=0, le=1)
    categories: list[Category]


class DetectResponse(BaseModel):
    verdict: Verdict
    confidence: float = Field(ge=0, le=1)
    categories: list[Category]
    reasons: list[Reason]
    pii_detected: list[PIIEntity]
    modified_prompt: str | None = None
    modified_messages: list[Message] | None = None
    per_message: list[MessageResult] | None = None
    mode: Mode
    processing_time_ms: float
    request_id: str
    cached: bool = False


class BatchItem(DetectInput):
    id: str = Field(min_length=1, max_length=256)


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Items are validated one by one by the route so a bad item fails alone.
    items: list[Any] = Field(min_length=1)
    mode: Mode | None = None
    check_pii: StrictBool | None = None


class ItemError(BaseModel):
    code: str
    message: str


class BatchResult(BaseModel):
    id: str | None
    result: DetectResponse | None = None
    error: ItemError | None = None


class BatchResponse(BaseModel):
    results: list[BatchResult]
    processing_time_ms: float
    request_id: str


class ErrorBody(BaseModel):
    """Every error the API returns has this shape; it never echoes prompt text."""

    error: str
    message: str
    details: list[dict[str, object]] = Field(default_factory=list)
    request_id: str | None = None


class HealthResponse(BaseModel):
    status: Literal["ok", "ready", "degraded", "unavailable"]
    version: str
    checks: dict[str, dict[str, object]] = Field(default_factory=dict)
