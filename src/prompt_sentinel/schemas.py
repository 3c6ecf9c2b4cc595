"""Request and response models shared by the API, the CLI and the SDK.

Length limits are *not* declared here: an over-long prompt is a 413 (checked by the
engine against MAX_PROMPT_LENGTH), not a 422, and the limit is configurable.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from prompt_sentinel.engine.models import Category, Mode, Verdict

Role = Literal["system", "user", "assistant", "tool"]


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    content: str


class DetectInput(BaseModel):
    """Either ``prompt`` or ``messages``, never both."""

    model_config = ConfigDict(extra="forbid")

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
    check_pii: bool | None = Field(None, description="Defaults to ENABLE_PII_DETECTION.")
    use_llm: bool = Field(False, description="Ask the LLM judge (when configured) whatever the local score.")


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
    check_pii: bool | None = None


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
