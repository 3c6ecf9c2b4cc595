"""A short road for the hot request: a valid JSON ``POST /api/v1/detect``.

FastAPI's routing, dependency solving and request plumbing cost about as much per
request as the rule layers of the engine (docs/BENCHMARKS.md, "Load: reading it").
This pure-ASGI middleware, innermost of ours (after the request id, the size limit,
authentication, rate limits and CORS have run), answers the common case itself: the
body declares JSON, parses, and validates as :class:`~prompt_sentinel.schemas.DetectRequest`.
Then it runs exactly what the route runs (:func:`~prompt_sentinel.api.detecting.detect_request`
and the route's ``note`` for the access log and metrics) and sends the same bytes.

Everything else (another path or method, a wrong Content-Type, a body that does not
parse or validate) goes to FastAPI with the body replayed, so every error keeps one
implementation and the OpenAPI schema keeps describing the route.  Errors raised while
detecting are answered by the app's own exception handlers.
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import ValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from prompt_sentinel.api.deps import is_json_media
from prompt_sentinel.api.detecting import detect_request
from prompt_sentinel.api.responses import FastJSONResponse
from prompt_sentinel.api.routes.detect import may_use_llm, note
from prompt_sentinel.replay import replay_body
from prompt_sentinel.schemas import DetectRequest

__all__ = ["DetectFastPath"]

PATH = "/api/v1/detect"


def _content_type(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1")
    return ""


class DetectFastPath:
    """Answer valid ``POST /api/v1/detect`` requests without FastAPI's routing; pass the rest on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != PATH
            or not is_json_media(_content_type(scope))
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            request_body = DetectRequest.model_validate(orjson.loads(body))
        except (orjson.JSONDecodeError, ValidationError, TypeError, ValueError):
            await self.app(scope, replay_body(body, receive), send)
            return
        await self._detect(scope, request_body, receive, send)

    async def _detect(self, scope: Scope, body: DetectRequest, receive: Receive, send: Send) -> None:
        # No scope["route"]: the access log, metrics and traces name the path from the
        # OpenAPI paths when routing did not run (observability/access.py).
        request = Request(scope, receive)
        state = request.app.state
        try:
            rid = scope["state"].get("request_id", "")
            result = await detect_request(state, state.engine, body, rid, allowed=may_use_llm(request))
            note(request, body.prompt, body.messages, result)
            response = FastJSONResponse(result)
        except Exception as exc:  # the app's handlers answer (PromptTooLong: 413, else 500)
            response = await _handled(request, exc)
        await response(scope, receive, send)


async def _handled(request: Request, exc: Exception) -> Any:
    """The response the app's exception handler for ``exc`` gives (most specific class first)."""
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        handler = handlers.get(cls)
        if handler is not None:
            return await handler(request, exc)
    raise exc
