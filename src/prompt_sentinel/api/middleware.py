"""Pure-ASGI middleware: request ids and the request-size limit (before the body is read)."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prompt_sentinel.api.responses import dumps

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")


def _valid_request_id(value: str) -> bool:
    return 0 < len(value) <= 128 and all(c in _ID_CHARS for c in value)


async def _send_error(send: Send, status: int, code: str, message: str, rid: str) -> None:
    body = dumps({"error": code, "message": message, "details": [], "request_id": rid})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", rid.encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(HTTPException):
    """Raised from receive(); an HTTPException so FastAPI's body parser re-raises it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body exceeds MAX_REQUEST_BYTES ({limit} bytes)")


class RequestContextMiddleware:
    """Give every request an id (X-Request-ID accepted when well-formed) and enforce
    MAX_REQUEST_BYTES on the declared Content-Length and on the bytes actually received."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = ""
        length: int | None = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                cand = value.decode("latin-1")
                if _valid_request_id(cand):
                    rid = cand
            elif name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = -1
        rid = rid or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        if length is not None and (length < 0 or length > self.max_body):
            if length < 0:
                await _send_error(send, 400, "bad_request", "invalid Content-Length", rid)
            else:
                await _send_error(
                    send,
                    413,
                    "request_too_large",
                    f"request body exceeds MAX_REQUEST_BYTES ({self.max_body} bytes)",
                    rid,
                )
            return

        received = 0
        max_body = self.max_body

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_body:
                    raise BodyTooLarge(max_body)
            return message

        started = False

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            if not started:
                await _send_error(
                    send, 413, "request_too_large", f"request body exceeds MAX_REQUEST_BYTES ({max_body} bytes)", rid
                )
