"""The work behind WebSocket ``detect`` and ``batch`` messages (api/routes/ws.py).

The same steps as POST /api/v1/detect and /api/v1/detect/batch (verdict cache, LLM
judge, the batch limits), each returning the answer message to send.  Errors become
``{"type": "error", ...}`` messages; none echoes prompt text.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import ValidationError

from prompt_sentinel.api.detecting import detect_request
from prompt_sentinel.engine.engine import PromptTooLong
from prompt_sentinel.observability.metrics import DETECTIONS
from prompt_sentinel.schemas import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    BatchResult,
    DetectRequest,
    ItemError,
)
from prompt_sentinel.store.auth import Principal

__all__ = ["batch_message", "detect_message", "error", "validation_message"]

_ENVELOPE = ("type", "id")


def error(msg_id: Any, code: str, message: str, **extra: Any) -> dict[str, Any]:
    """An error message answering ``msg_id`` (None when the request's id is unknown)."""
    return {"type": "error", "id": msg_id, "error": code, "message": message, **extra}


def validation_message(exc: ValidationError) -> tuple[str, list[dict[str, Any]]]:
    """The first error as text, and every error without its input (never prompt text)."""
    details = [
        {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
        for e in exc.errors(include_input=False, include_url=False, include_context=False)
    ]
    first = details[0] if details else {"loc": [], "msg": "invalid message"}
    loc = ".".join(str(p) for p in first["loc"])
    return (f"{loc}: {first['msg']}" if loc else str(first["msg"])), details


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in _ENVELOPE}


async def detect_message(
    state: Any, principal: Principal, msg_id: Any, data: dict[str, Any], rid: str
) -> dict[str, Any]:
    """``{"type": "result", "id", "result": DetectResponse}`` or an error message."""
    try:
        body = DetectRequest.model_validate(_fields(data))
    except ValidationError as exc:
        message, details = validation_message(exc)
        return error(msg_id, "validation_error", message, details=details)
    # As the HTTP route: a (paid) judge call on request only for callers with a key,
    # or anyone when AUTHENTICATION_MODE=none.
    allowed = state.settings.authentication_mode == "none" or principal.key_id is not None
    try:
        result = await detect_request(state, state.engine, body, rid, allowed=allowed)
    except PromptTooLong as exc:
        return error(msg_id, "prompt_too_long", str(exc))
    DETECTIONS.labels(result["verdict"], result["mode"]).inc()
    return {"type": "result", "id": msg_id, "result": result}


async def batch_message(state: Any, msg_id: Any, data: dict[str, Any], rid: str) -> dict[str, Any]:
    """``{"type": "batch_result", "id", "result": BatchResponse}`` or an error message.

    A bad item fails alone, as over HTTP; the loop yields between items so one large
    batch does not hold up other messages and connections."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        body = BatchRequest.model_validate(_fields(data))
    except ValidationError as exc:
        message, details = validation_message(exc)
        return error(msg_id, "validation_error", message, details=details)
    limit = state.settings.max_batch_size
    if len(body.items) > limit:
        return error(msg_id, "batch_too_large", f"batch has {len(body.items)} items; the maximum is {limit}")
    results: list[BatchResult] = []
    for n, raw in enumerate(body.items):
        item_id = raw.get("id") if isinstance(raw, dict) else None
        item_id = item_id if isinstance(item_id, str) else None
        try:
            item = BatchItem.model_validate(raw)
            res = state.engine.detect(
                item.prompt,
                item.messages,
                mode=body.mode,
                check_pii=body.check_pii,
                request_id=f"{rid}.{n}",
            )
            DETECTIONS.labels(res.verdict.value, res.mode.value).inc()
            results.append(BatchResult(id=item.id, result=res))
        except ValidationError as exc:
            failure = ItemError(code="validation_error", message=validation_message(exc)[0])
            results.append(BatchResult(id=item_id, error=failure))
        except PromptTooLong as exc:
            failure = ItemError(code="prompt_too_long", message=str(exc))
            results.append(BatchResult(id=item_id, error=failure))
        await asyncio.sleep(0)
    out = BatchResponse(
        results=results,
        request_id=rid,
        processing_time_ms=round((loop.time() - start) * 1000, 3),
    )
    return {"type": "batch_result", "id": msg_id, "result": out.model_dump(mode="json")}
