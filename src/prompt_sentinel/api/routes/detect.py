"""POST /api/v1/detect and /api/v1/detect/batch: validate, call the engine, shape."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from prompt_sentinel.api.deps import EngineDep, RequestIdDep, SettingsDep, require_json
from prompt_sentinel.api.detecting import detect_request
from prompt_sentinel.api.errors import APIError
from prompt_sentinel.api.responses import FastJSONResponse
from prompt_sentinel.engine.engine import PromptTooLong
from prompt_sentinel.schemas import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    BatchResult,
    DetectRequest,
    DetectResponse,
    ErrorBody,
    ItemError,
    Message,
)

router = APIRouter(prefix="/api/v1", tags=["detection"], dependencies=[Depends(require_json)])

ERRORS = {
    413: {"model": ErrorBody, "description": "Prompt or batch too large"},
    415: {"model": ErrorBody, "description": "Body is not JSON"},
    422: {"model": ErrorBody, "description": "Invalid request"},
    401: {"model": ErrorBody, "description": "Missing or invalid API key (AUTHENTICATION_MODE)"},
    403: {"model": ErrorBody, "description": "The key lacks the detect permission"},
    429: {"model": ErrorBody, "description": "Rate limited (see Retry-After and RateLimit-*)"},
}


def may_use_llm(request: Request) -> bool:
    """Who may ask for a (paid) judge call with use_llm: anyone in AUTHENTICATION_MODE=none
    (sidecar), otherwise only callers with a valid key (never anonymous ones)."""
    if request.app.state.settings.authentication_mode == "none":
        return True
    principal = request.scope.get("state", {}).get("principal")
    return principal is not None and getattr(principal, "key_id", None) is not None


def note(request: Request, prompt: str | None, messages: list[Message] | None, result: dict[str, Any]) -> None:
    """What the access log and metrics may know about a request: never the text itself."""
    text = prompt if prompt is not None else "\x00".join(m.content for m in messages or ())
    request.state.verdict = result["verdict"]
    request.state.mode = result["mode"]
    request.state.categories = result["categories"]
    request.state.prompt_chars = len(text)
    request.state.prompt_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@router.post("/detect", response_model=DetectResponse, responses=ERRORS)
async def detect(body: DetectRequest, request: Request, engine: EngineDep, rid: RequestIdDep) -> FastJSONResponse:
    result = await detect_request(request.app.state, engine, body, rid, allowed=may_use_llm(request))
    note(request, body.prompt, body.messages, result)
    return FastJSONResponse(result)


@router.post("/detect/batch", response_model=BatchResponse, responses=ERRORS)
async def detect_batch(
    body: BatchRequest, request: Request, engine: EngineDep, settings: SettingsDep, rid: RequestIdDep
) -> FastJSONResponse:
    start = time.perf_counter()
    if len(body.items) > settings.max_batch_size:
        raise APIError(
            413, "batch_too_large", f"batch has {len(body.items)} items; the maximum is {settings.max_batch_size}"
        )
    results: list[BatchResult] = []
    for n, raw in enumerate(body.items):
        item_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        try:
            item = BatchItem.model_validate(raw)
            res: DetectResponse = engine.detect(
                item.prompt, item.messages, mode=body.mode, check_pii=body.check_pii, request_id=f"{rid}.{n}"
            )
            results.append(BatchResult(id=item.id, result=res))
        except ValidationError as exc:
            first = exc.errors(include_input=False, include_url=False)[0]
            loc = ".".join(str(p) for p in first["loc"])
            msg = f"{loc}: {first['msg']}" if loc else first["msg"]
            results.append(BatchResult(id=item_id, error=ItemError(code="validation_error", message=msg)))
        except PromptTooLong as exc:
            results.append(BatchResult(id=item_id, error=ItemError(code="prompt_too_long", message=str(exc))))
    done = [r.result for r in results if r.result is not None]
    request.state.verdicts = [r.verdict.value for r in done]
    request.state.mode = (body.mode or engine.options.default_mode).value
    request.state.categories = [c.value for r in done for c in r.categories]
    out = BatchResponse(
        results=results, processing_time_ms=round((time.perf_counter() - start) * 1000, 3), request_id=rid
    )
    return FastJSONResponse(out.model_dump(mode="json"))
