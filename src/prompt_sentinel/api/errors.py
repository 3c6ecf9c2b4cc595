"""Error handlers: one body shape (schemas.ErrorBody), never an echo of the input."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from prompt_sentinel.api.responses import FastJSONResponse
from prompt_sentinel.engine.engine import PromptTooLong

log = logging.getLogger("promptsentinel.api")


class APIError(Exception):
    """An error with an HTTP status, a stable code and a message safe to return."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> FastJSONResponse:
    body = {
        "error": code,
        "message": message,
        "details": details or [],
        "request_id": getattr(request.state, "request_id", None),
    }
    return FastJSONResponse(body, status_code=status, headers=headers)


def _clean_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        # Never include "input" (it may be prompt text) nor "ctx" values built from it.
        out.append(
            {
                "loc": [p for p in err.get("loc", ()) if isinstance(p, (str, int))],
                "msg": str(err.get("msg", "invalid value")),
                "type": str(err.get("type", "value_error")),
            }
        )
    return out


def _summary(details: list[dict[str, Any]]) -> str:
    if not details:
        return "invalid request"
    first = details[0]
    loc = ".".join(str(p) for p in first["loc"] if p != "body")
    if first["type"] == "json_invalid":
        return "request body is not valid JSON"
    return f"{loc}: {first['msg']}" if loc else first["msg"]


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> FastJSONResponse:
        details = _clean_errors(exc)
        return error_response(request, 422, "validation_error", _summary(details), details)

    @app.exception_handler(PromptTooLong)
    async def _too_long(request: Request, exc: PromptTooLong) -> FastJSONResponse:
        return error_response(request, 413, "prompt_too_long", str(exc))

    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError) -> FastJSONResponse:
        return error_response(request, exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> FastJSONResponse:
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's answer to a body that is not UTF-8: a validation error like any other.
            return error_response(
                request,
                422,
                "validation_error",
                "request body is not valid UTF-8 JSON",
                [{"loc": ["body"], "msg": "invalid UTF-8 or JSON", "type": "json_invalid"}],
            )
        codes = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}
        code = codes.get(exc.status_code, "http_error")
        return error_response(request, exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> FastJSONResponse:
        # The traceback goes to the log without locals; the client gets no details.
        log.error("unhandled error", exc_info=(type(exc), exc, None))
        return error_response(request, 500, "internal_error", "internal error")
