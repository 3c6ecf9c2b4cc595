"""An ASGI middleware (Starlette, FastAPI, any ASGI app) that screens a JSON field of
incoming requests with PromptSentinel before the application sees them.

    app.add_middleware(PromptSentinelMiddleware, client=AsyncPromptSentinel(url),
                       fields=("messages", "prompt"), paths=("/v1/chat",))

For each POST/PUT/PATCH to a screened path with a JSON body, every one of ``fields``
(dotted paths, e.g. ``"prompt"``, ``"input.text"``, ``"messages"``) present in the body
is screened:

* a blocking verdict (``block_verdicts``, default ``{"block"}``) with ``action="reject"``
  -> 403 ``{"error": "prompt_rejected", ...}``; the application is never called;
* otherwise the (most severe) result is put in ``scope["state"][state_key]``
  (``request.state.prompt_sentinel`` in Starlette/FastAPI) and the request goes on, its
  body replayed unchanged (or, with ``rewrite=True``, with the server's redacted or
  stripped text in place of the field);
* a field that is neither text nor chat messages -> 422 (passing it on would bypass the
  screen); a body over ``max_body`` bytes -> 413; no field, or a body that is not JSON ->
  passed on unscreened (``state_key`` set to None) unless ``require_field=True`` (-> 400).
  The body is parsed as Starlette parses it, whatever its Content-Type;
* PromptSentinel unreachable -> 503 ``screening_unavailable`` with the client's
  ``fail_mode="closed"``; with ``"open"`` the SDK's FailOpenResult lets it through.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from prompt_sentinel.engine.models import Verdict
from prompt_sentinel.integrations._screen import (
    MISSING,
    UnscreenableInput,
    get_path,
    screen_value,
    set_path,
)
from prompt_sentinel.replay import replay_body
from prompt_sentinel.schemas import DetectResponse
from prompt_sentinel.sdk import AsyncPromptSentinel, InvalidRequest, PromptSentinelError

__all__ = ["PromptSentinelMiddleware"]

log = logging.getLogger("promptsentinel.integrations")
SEVERITY = {v: n for n, v in enumerate((Verdict.ALLOW, Verdict.FLAG, Verdict.REDACT, Verdict.STRIP, Verdict.BLOCK))}


class _Reply(Exception):
    """Answer the request here with a JSON error."""

    def __init__(self, status: int, body: dict[str, Any], headers: Sequence[tuple[bytes, bytes]] = ()):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, list(headers)


def _dumps(data: Any) -> bytes:
    try:
        return orjson.dumps(data)
    except TypeError:  # a lone surrogate: ASCII escapes instead
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()


class PromptSentinelMiddleware:
    """Screen one JSON field of matching requests (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        client: AsyncPromptSentinel,
        fields: str | Sequence[str] = ("prompt",),
        paths: Iterable[str] = ("/",),
        methods: Iterable[str] = ("POST", "PUT", "PATCH"),
        action: Literal["reject", "annotate"] = "reject",
        block_verdicts: Iterable[str] = ("block",),
        mode: str | None = None,
        check_pii: bool | None = None,
        max_body: int = 1024 * 1024,
        require_field: bool = False,
        rewrite: bool = False,
        state_key: str = "prompt_sentinel",
    ) -> None:
        if action not in ("reject", "annotate"):
            raise ValueError("action must be 'reject' or 'annotate'")
        self.app = app
        self.client = client
        self.fields = (fields,) if isinstance(fields, str) else tuple(fields)
        self.paths = tuple(paths)
        self.methods = frozenset(m.upper() for m in methods)
        self.action = action
        self.block = frozenset(block_verdicts)
        self.mode, self.check_pii = mode, check_pii
        self.max_body = max_body
        self.require_field = require_field
        self.rewrite = rewrite
        self.state_key = state_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state[self.state_key] = None  # always there: None means "not screened"
        if scope["method"] not in self.methods or not scope["path"].startswith(self.paths):
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(receive)
            if body is None:
                return  # the client went away
            result, new_body = await self._screen(body)
        except _Reply as reply:
            await self._reply(send, reply)
            return
        state[self.state_key] = result
        if new_body is not body:
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(new_body)).encode()))
            scope = {**scope, "headers": headers}  # the same state dict
            body = new_body
        await self.app(scope, replay_body(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _Reply(413, _error("request_too_large", f"body exceeds {self.max_body} bytes"))
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _unscreened(self, why: str) -> None:
        if self.require_field:
            raise _Reply(400, _error("unscreenable_request", why))

    async def _screen(self, body: bytes) -> tuple[DetectResponse | None, bytes]:
        """The most severe result over every field present, and the body to replay."""
        # Parsed as Starlette's request.json() does, whatever the Content-Type says
        # (FastAPI reads a body without one as JSON): what the app reads, we screen.
        try:
            data = json.loads(body)
        except ValueError:
            self._unscreened("the body is not JSON")
            return None, body
        present = [(f, v) for f in self.fields if (v := get_path(data, f)) is not MISSING]
        if not present:
            self._unscreened(f"none of {', '.join(self.fields)} is in the body")
            return None, body
        worst: DetectResponse | None = None
        rewritten = False
        for field, value in present:  # every one: the app may read any of them
            result = await self._detect(field, value)
            if result is None:
                continue
            if self.action == "reject" and result.verdict.value in self.block:
                raise _Reply(403, _rejection(result))
            if self.rewrite:
                rewritten = _rewrite(data, field, value, result) or rewritten
            if worst is None or SEVERITY[result.verdict] > SEVERITY[worst.verdict]:
                worst = result
        return worst, _dumps(data) if rewritten else body

    async def _detect(self, field: str, value: Any) -> DetectResponse | None:
        try:
            return await screen_value(self.client, value, field, mode=self.mode, check_pii=self.check_pii)
        except UnscreenableInput as exc:
            raise _Reply(exc.status_code, dict(exc.detail)) from None
        except InvalidRequest as exc:  # e.g. 413 prompt_too_long: the caller's input
            raise _Reply(exc.status, _error(exc.code, exc.body.message)) from None
        except PromptSentinelError as exc:
            log.warning("screening failed", extra={"error": type(exc).__name__})
            raise _Reply(
                503,
                _error("screening_unavailable", "the prompt could not be screened; retry later"),
                [(b"retry-after", b"1")],
            ) from None

    async def _reply(self, send: Send, reply: _Reply) -> None:
        body = orjson.dumps(reply.body)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *reply.headers,
        ]
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _rewrite(data: Any, field: str, value: Any, result: DetectResponse) -> bool:
    """Put the server's redacted / stripped text in place of the field; False if none."""
    if isinstance(value, str) and result.modified_prompt is not None:
        set_path(data, field, result.modified_prompt)
        return True
    if isinstance(value, list) and result.modified_messages is not None:
        for original, new in zip(value, result.modified_messages, strict=False):
            if isinstance(original, dict) and isinstance(original.get("content"), str):
                original["content"] = new.content
        return True
    return False


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": code, "message": message, "details": [], "request_id": None}


def _rejection(result: DetectResponse) -> dict[str, Any]:
    return {
        "error": "prompt_rejected",
        "message": "the prompt was rejected by PromptSentinel",
        "details": [{"verdict": result.verdict.value, "categories": [c.value for c in result.categories]}],
        "request_id": result.request_id,
    }
