"""What the middleware and the decorator share: finding the field to screen in a JSON
body or an argument, turning OpenAI-style chat messages into PromptSentinel's, and the
exceptions a screened handler raises."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.exceptions import HTTPException

from prompt_sentinel.schemas import DetectResponse
from prompt_sentinel.sdk import AsyncPromptSentinel

__all__ = [
    "MISSING",
    "PromptRejected",
    "UnscreenableInput",
    "get_path",
    "screen_value",
    "set_path",
    "to_messages",
]

MISSING: Any = object()
ROLES = frozenset({"system", "user", "assistant", "tool"})
ROLE_ALIASES = {"developer": "system", "function": "tool"}  # OpenAI's newer / older names
TEXT_PARTS = frozenset({"text", "input_text", "output_text"})


class PromptRejected(HTTPException):
    """The verdict is one of the blocking verdicts.  A 403 for Starlette/FastAPI; in other
    code, catch it and read ``result`` (the full :class:`DetectResponse`)."""

    def __init__(self, result: DetectResponse) -> None:
        self.result = result
        super().__init__(
            403,
            detail={
                "error": "prompt_rejected",
                "message": "the prompt was rejected by PromptSentinel",
                "verdict": result.verdict.value,
                "categories": [c.value for c in result.categories],
                "request_id": result.request_id,
            },
        )


class UnscreenableInput(HTTPException):
    """The field is present but is neither text nor a list of chat messages (a 422):
    passing it on unscreened would be a way around the screen."""

    def __init__(self, field: str) -> None:
        super().__init__(
            422,
            detail={
                "error": "unscreenable_field",
                "message": f"'{field}' must be a string or a list of chat messages",
            },
        )


def get_path(obj: Any, path: str) -> Any:
    """``obj`` at a dotted ``path`` (dict keys, list indexes, attributes); MISSING if absent."""
    for part in path.split(".") if path else ():
        if isinstance(obj, dict):
            obj = obj.get(part, MISSING)
        elif isinstance(obj, list) and part.isdigit():
            obj = obj[int(part)] if int(part) < len(obj) else MISSING
        else:
            obj = getattr(obj, part, MISSING)
        if obj is MISSING:
            return MISSING
    return obj


def set_path(obj: Any, path: str, value: Any) -> None:
    """Set a dotted path that :func:`get_path` found in parsed JSON (dicts and lists)."""
    *parents, last = path.split(".")
    for part in parents:
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    if isinstance(obj, list):
        obj[int(last)] = value
    else:
        obj[last] = value


def _content(value: Any) -> str | None:
    if value is None:
        return ""  # an assistant turn that only calls tools
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts: screen the text ones
        texts = []
        for part in value:
            if not isinstance(part, dict):
                return None
            if part.get("type") in TEXT_PARTS:
                if not isinstance(part.get("text"), str):
                    return None
                texts.append(part["text"])
        return "\n".join(texts)
    return None


def to_messages(value: Iterable[Any]) -> list[dict[str, str]] | None:
    """OpenAI-style messages (dicts or objects with ``role`` and ``content``) as
    ``{"role", "content"}`` dicts; None if any entry is not a chat message."""
    out = []
    for m in value:
        raw = m if isinstance(m, dict) else getattr(m, "__dict__", None)
        if not isinstance(raw, dict):
            return None
        role = raw.get("role")
        role = ROLE_ALIASES.get(role, role) if isinstance(role, str) else role
        content = _content(raw.get("content"))
        if role not in ROLES or content is None:
            return None
        out.append({"role": role, "content": content})
    return out


async def screen_value(
    client: AsyncPromptSentinel,
    value: Any,
    field: str,
    *,
    mode: str | None = None,
    check_pii: bool | None = None,
) -> DetectResponse | None:
    """Screen a prompt string or a message list; None when there is no text to screen.

    Raises UnscreenableInput for any other value, and the SDK's errors (e.g.
    ServiceUnavailable with ``fail_mode="closed"``)."""
    if isinstance(value, str):
        if not value.strip():
            return None
        return await client.detect(value, mode=mode, check_pii=check_pii)
    if isinstance(value, (list, tuple)):
        messages = to_messages(value)
        if messages is None:
            raise UnscreenableInput(field)
        if not any(m["content"].strip() for m in messages):
            return None
        return await client.detect(messages=messages, mode=mode, check_pii=check_pii)
    raise UnscreenableInput(field)
