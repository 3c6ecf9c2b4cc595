"""WebSocket ``/api/v1/ws``: detect, batch and ping over one long-lived connection.

Protocol (JSON text frames; docs/INTEGRATIONS.md has a client)::

    -> {"type": "auth", "api_key": "psk_..."}                    first message only
    <- {"type": "auth_ok", "id": null, "authenticated": true, "key_id": "..."}
    -> {"type": "detect", "id": 1, "prompt": "..."}              DetectRequest fields
    <- {"type": "result", "id": 1, "result": {...DetectResponse...}}
    -> {"type": "batch", "id": "b", "items": [...], "mode": "strict"}   BatchRequest fields
    <- {"type": "batch_result", "id": "b", "result": {...BatchResponse...}}
    -> {"type": "ping", "id": 7}
    <- {"type": "pong", "id": 7}
    <- {"type": "error", "id": 1, "error": "rate_limited", "message": "...", "retry_after": 2.0}

Answers echo the request's ``id`` (a string of at most 256 characters, an integer, or
absent) and may come out of order: several requests run at once, and a ping is answered
as soon as it is read.

Authentication, in the modes of AUTHENTICATION_MODE: a key in the handshake (the
API_KEY_HEADER header or ``Authorization: Bearer``) or in a first ``auth`` message.
``required`` closes with 1008 when the first message is not ``auth`` (or none comes
within WS_AUTH_TIMEOUT); ``optional`` treats a connection without a key as anonymous;
``none`` ignores keys.  A bad, revoked or expired key, or one without the ``detect``
permission, is closed with 1008 whatever the mode.  Each detect or batch message counts
against the caller's HTTP quota (per key, else per address) when one applies.

Limits: WS_RATE_LIMIT_MESSAGES per WS_RATE_LIMIT_WINDOW per connection (burst
WS_RATE_LIMIT_BURST; every message counts; an excess message gets a ``rate_limited``
error and the connection stays open); at most WS_MAX_IN_FLIGHT detect/batch messages
in progress per connection (when all are busy the server stops reading, so TCP pushes
back on the client); WS_MAX_MESSAGE_BYTES per message (default MAX_REQUEST_BYTES).

A text frame that is not a JSON object gets an ``invalid_json`` error and the
connection stays open (its id is unknown, so ``id`` is null); a binary frame is closed
with 1003.

Close codes: 1000 normal; 1003 binary frame; 1008 policy violation (authentication,
origin not in ALLOWED_ORIGINS); 1009 message too big; 1013 try again later (more than
WS_MAX_CONNECTIONS connections on this worker, or the key store is unavailable).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, NoReturn

import orjson
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from prompt_sentinel.api import wswork
from prompt_sentinel.api.responses import dumps
from prompt_sentinel.api.security import ERROR_CODES, Guard, RateLimited
from prompt_sentinel.api.wswork import error
from prompt_sentinel.observability.metrics import AUTH_FAILURES, RATE_LIMITED
from prompt_sentinel.settings import Settings
from prompt_sentinel.store.auth import ANONYMOUS, AuthFailure, Principal
from prompt_sentinel.store.rate_limit import MemoryRateLimiter, Quota

log = logging.getLogger("promptsentinel.ws")
router = APIRouter(tags=["websocket"])

PATH = "/api/v1/ws"
NORMAL, UNSUPPORTED, POLICY, TOO_BIG, INTERNAL, TRY_LATER = 1000, 1003, 1008, 1009, 1011, 1013
MAX_ID_CHARS = 256


class Closed(Exception):
    """The connection is over (closed by us or by the peer)."""


@dataclass
class _Registry:
    active: int = 0


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)  # "\ud800" escapes, legal in prompts, which orjson refuses


def _origin_allowed(ws: WebSocket, settings: Settings) -> bool:
    """Browsers send Origin and do not apply CORS to WebSockets: allow the same origins
    as ALLOWED_ORIGINS does for HTTP.  Non-browser clients send no Origin."""
    origin = ws.headers.get("origin")
    return origin is None or "*" in settings.allowed_origins or origin in settings.allowed_origins


class Connection:
    """One WebSocket client, from the handshake to the close."""

    def __init__(self, ws: WebSocket) -> None:
        state = ws.app.state
        self.ws = ws
        self.app = ws.app
        self.settings: Settings = state.settings
        self.guard: Guard | None = getattr(state, "guard", None)
        s = self.settings
        self.max_bytes = s.ws_max_message_bytes or s.max_request_bytes
        self.quota = Quota(s.ws_rate_limit_messages, s.ws_rate_limit_window, s.ws_rate_limit_burst)
        self.limiter = MemoryRateLimiter(max_keys=1)
        self.slots = asyncio.Semaphore(s.ws_max_in_flight)
        self.tasks: set[asyncio.Task[None]] = set()
        self.conn_id = uuid.uuid4().hex[:16]
        self.seq = 0
        self.principal: Principal = ANONYMOUS
        self.close_code = NORMAL

    async def run(self) -> None:
        registry = getattr(self.app.state, "ws_registry", None)
        if registry is None:
            registry = self.app.state.ws_registry = _Registry()
        await self.ws.accept()
        full = registry.active >= self.settings.ws_max_connections
        registry.active += 1
        try:
            if full:
                await self.close(TRY_LATER, "too many connections; retry later")
            if not _origin_allowed(self.ws, self.settings):
                await self.refuse(None, POLICY, "origin_not_allowed", "origin not allowed")
            await self.loop(await self.handshake())
        except (Closed, WebSocketDisconnect):
            pass
        except Exception as exc:  # a bug: log it without locals, close with 1011
            log.error("websocket connection failed", exc_info=(type(exc), exc, None))
            self.close_code = INTERNAL
            with contextlib.suppress(RuntimeError, OSError):
                await self.ws.close(INTERNAL, "internal error")
        finally:
            registry.active -= 1
            for task in self.tasks:
                task.cancel()
            log.info(
                "websocket closed",
                extra={"connection": self.conn_id, "message_count": self.seq, "code": self.close_code},
            )

    # --- authentication ---------------------------------------------------------------

    async def handshake(self) -> bool:
        """Authenticate from the headers; True when the first message may be ``auth``."""
        if self.settings.authentication_mode == "none" or self.guard is None:
            return True
        if self.guard.presented_key(self.ws.scope) is None:
            return True
        try:
            self.principal = await self.guard.principal(self.ws.scope, "detect")
        except AuthFailure as exc:
            await self.auth_failed(None, exc)
        return False

    async def auth_message(self, msg_id: Any, data: dict[str, Any]) -> None:
        key = data.get("api_key")
        if self.settings.authentication_mode == "none" or self.guard is None:
            await self.send({"type": "auth_ok", "id": msg_id, "authenticated": False})
            return
        try:
            if not isinstance(key, str):
                raise AuthFailure("missing", "the auth message needs an 'api_key' string")
            principal = Principal.of(await self.guard.auth.verify(key))
            if "detect" not in principal.permissions:
                raise AuthFailure("forbidden", "this API key lacks the 'detect' permission")
        except AuthFailure as exc:
            await self.auth_failed(msg_id, exc)
        self.principal = principal
        await self.send({"type": "auth_ok", "id": msg_id, "authenticated": True, "key_id": principal.key_id})

    async def auth_failed(self, msg_id: Any, exc: AuthFailure) -> NoReturn:
        AUTH_FAILURES.labels(exc.reason).inc()
        code = TRY_LATER if exc.reason == "unavailable" else POLICY
        await self.refuse(msg_id, code, ERROR_CODES[exc.reason], exc.message)

    # --- the message loop -------------------------------------------------------------

    async def receive_text(self, first: bool) -> str:
        required = first and self.settings.authentication_mode == "required"
        try:
            message = await asyncio.wait_for(self.ws.receive(), self.settings.ws_auth_timeout if required else None)
        except TimeoutError:
            await self.refuse(None, POLICY, "missing_api_key", "no auth message in time")
        if message["type"] == "websocket.disconnect":
            self.close_code = int(message.get("code") or NORMAL)
            raise Closed
        text = message.get("text")
        if text is None:
            await self.close(UNSUPPORTED, "binary frames are not supported; send JSON text")
        if len(text) > self.max_bytes // 4 and len(text.encode("utf-8", "surrogatepass")) > (self.max_bytes):
            await self.close(TOO_BIG, f"message exceeds {self.max_bytes} bytes")
        return str(text)

    async def loop(self, may_auth: bool) -> None:
        first = True
        while True:
            text = await self.receive_text(first and may_auth)
            self.seq += 1
            try:
                data = _loads(text)
            except ValueError:
                data = None
            msg_id = data.get("id") if isinstance(data, dict) else None
            kind = data.get("type") if isinstance(data, dict) else None
            required = self.settings.authentication_mode == "required"
            if first and may_auth and required and kind != "auth":
                await self.refuse(
                    msg_id,
                    POLICY,
                    "missing_api_key",
                    'the first message must be {"type": "auth", "api_key": ...}',
                )
            auth_allowed, first = first and may_auth, False
            if not await self.within_limits(msg_id):
                continue
            if not isinstance(data, dict):
                await self.send(error(None, "invalid_json", "expected a JSON object"))
            elif msg_id is not None and not (
                (isinstance(msg_id, str) and len(msg_id) <= MAX_ID_CHARS)
                or (isinstance(msg_id, int) and not isinstance(msg_id, bool))
            ):
                await self.send(
                    error(
                        None,
                        "invalid_id",
                        f"'id' must be a string (<= {MAX_ID_CHARS}) or an integer",
                    )
                )
            elif kind == "ping":
                await self.send({"type": "pong", "id": msg_id})
            elif kind == "auth":
                if auth_allowed:
                    await self.auth_message(msg_id, data)
                else:
                    await self.send(
                        error(
                            msg_id,
                            "unexpected_auth",
                            "authenticate in the handshake or the first message",
                        )
                    )
            elif kind in ("detect", "batch"):
                await self.start(msg_id, kind, data)
            else:
                await self.send(error(msg_id, "unknown_type", "'type' must be detect, batch, ping or auth"))

    async def within_limits(self, msg_id: Any) -> bool:
        decision = self.limiter.hit("connection", self.quota)
        if decision.allowed:
            return True
        RATE_LIMITED.labels(PATH).inc()
        await self.send(
            error(
                msg_id,
                "rate_limited",
                "too many messages on this connection",
                retry_after=round(decision.retry_after, 3),
            )
        )
        return False

    async def start(self, msg_id: Any, kind: str, data: dict[str, Any]) -> None:
        """Run a detect or batch message once a slot is free (reading waits meanwhile)."""
        if self.guard is not None:
            try:
                await self.guard.rate(self.ws.scope, "detect", self.principal)
            except RateLimited as exc:
                RATE_LIMITED.labels(PATH).inc()
                await self.send(
                    error(
                        msg_id,
                        "rate_limited",
                        "rate limit exceeded for this caller",
                        retry_after=round(exc.decision.retry_after, 3),
                    )
                )
                return
        await self.slots.acquire()
        rid = f"{self.conn_id}-{self.seq}"
        state, principal = self.app.state, self.principal
        if kind == "detect":
            work = wswork.detect_message(state, principal, msg_id, data, rid)
        else:
            work = wswork.batch_message(state, msg_id, data, rid)
        task = asyncio.create_task(self.answer(work))
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.slots.release()
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            if not isinstance(exc, (Closed, WebSocketDisconnect)):
                log.error("websocket task failed", exc_info=(type(exc), exc, None))

    async def answer(self, work: Awaitable[dict[str, Any]]) -> None:
        await self.send(await work)

    # --- sending and closing ----------------------------------------------------------

    async def send(self, payload: dict[str, Any]) -> None:
        try:
            await self.ws.send_text(dumps(payload).decode())
        except (WebSocketDisconnect, RuntimeError, OSError):
            raise Closed from None

    async def refuse(self, msg_id: Any, code: int, reason: str, message: str) -> NoReturn:
        """Send an error message saying why, then close with ``code``; raises Closed."""
        await self.send(error(msg_id, reason, message))
        await self.close(code, reason)

    async def close(self, code: int, reason: str) -> NoReturn:
        """Close with ``code`` (cancelling work in progress); raises Closed."""
        self.close_code = code
        for task in self.tasks:
            task.cancel()
        with contextlib.suppress(RuntimeError, OSError):
            await self.ws.close(code, reason[:120])
        raise Closed


@router.websocket(PATH)
async def websocket_endpoint(websocket: WebSocket) -> None:
    """Detect, batch and ping over a WebSocket (protocol in the module docstring)."""
    await Connection(websocket).run()
