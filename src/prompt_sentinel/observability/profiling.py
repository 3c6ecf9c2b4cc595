"""Opt-in per-request profiles (pyinstrument), for operators only.

With ENABLE_PROFILING=true, a request carrying ``X-Profile: 1`` (or ``html``, ``text``,
``speedscope``) *and* an admin key (ADMIN_API_KEY, or a stored API key with the ``admin``
permission; in the API key header or ``Authorization: Bearer``) is run under
pyinstrument and answered with the profile instead of its normal response; the normal
status goes in ``X-Profiled-Status``.
Without a valid admin key such a request gets 403 and is not run.  Requests without
``X-Profile`` pass straight through (one header scan).

Off by default, and refused at start-up when ENVIRONMENT=production (:func:`check_available`).
pyinstrument is imported only when profiling is on (extra ``profiling``).
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prompt_sentinel.api.responses import dumps
from prompt_sentinel.settings import ConfigError, Settings

__all__ = ["ProfilingMiddleware", "check_available"]

log = logging.getLogger("promptsentinel.profiling")

_FORMATS = {
    "1": "html",
    "true": "html",
    "html": "html",
    "text": "text",
    "speedscope": "speedscope",
}
_CONTENT_TYPES = {
    "html": b"text/html; charset=utf-8",
    "text": b"text/plain; charset=utf-8",
    "speedscope": b"application/json",
}


def check_available(settings: Settings) -> None:
    """Fail start-up clearly when profiling is asked for but cannot or must not run."""
    if not settings.enable_profiling:
        return
    if settings.environment == "production":
        raise ConfigError("ENABLE_PROFILING: refused when ENVIRONMENT=production")
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        raise ConfigError("ENABLE_PROFILING=true needs pyinstrument: pip install 'promptsentinel[profiling]'") from None
    if settings.admin_api_key is None:
        log.warning("ENABLE_PROFILING is on but ADMIN_API_KEY is not set: every profile request will be refused")


async def _refuse(send: Send, scope: Scope, message: str) -> None:
    rid = scope.get("state", {}).get("request_id")
    body = dumps({"error": "forbidden", "message": message, "details": [], "request_id": rid})
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ProfilingMiddleware:
    """Profile a request when asked by an admin; see the module docstring."""

    def __init__(self, app: ASGIApp, admin_key: str | None, key_header: str) -> None:
        self.app = app
        self._admin_key = admin_key.encode() if admin_key else None
        self._key_header = key_header.lower().encode("latin-1")

    def _presented_keys(self, headers: list[tuple[bytes, bytes]]) -> list[bytes]:
        keys = []
        for name, value in headers:
            if name == self._key_header:
                keys.append(value.strip())
            elif name == b"authorization" and value[:7].lower() == b"bearer ":
                keys.append(value[7:].strip())
        return [k for k in keys if k]

    async def _is_admin(self, scope: Scope) -> bool:
        """ADMIN_API_KEY (constant-time compare), or an API key with the ``admin`` permission
        in the key store (``app.state.shared.auth``) when there is one."""
        keys = self._presented_keys(scope["headers"])
        if self._admin_key is not None and any(hmac.compare_digest(k, self._admin_key) for k in keys):
            return True
        state = getattr(scope.get("app"), "state", None)
        auth = getattr(getattr(state, "shared", None), "auth", None)
        if auth is None:
            return False
        for key in keys:
            try:
                record = await auth.verify(key.decode("latin-1"))
            except Exception:  # unknown, revoked, expired key or store unavailable: refuse
                continue
            if "admin" in getattr(record, "permissions", ()):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = None
        for name, value in scope["headers"]:
            if name == b"x-profile":
                wanted = value.decode("latin-1").strip().lower()
                break
        if wanted is None or wanted in ("", "0", "false"):
            await self.app(scope, receive, send)
            return
        fmt = _FORMATS.get(wanted)
        if fmt is None or not await self._is_admin(scope):
            await _refuse(send, scope, "X-Profile needs the admin key and one of: 1, html, text, speedscope")
            return
        await self._profile(scope, receive, send, fmt)

    async def _profile(self, scope: Scope, receive: Receive, send: Send, fmt: str) -> None:
        from pyinstrument import Profiler
        from pyinstrument.renderers import SpeedscopeRenderer

        status = 500

        async def swallow(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        profiler = Profiler(interval=0.0005, async_mode="enabled")
        profiler.start()
        try:
            await self.app(scope, receive, swallow)
        finally:
            profiler.stop()
        if fmt == "html":
            out: Any = profiler.output_html()
        elif fmt == "text":
            out = profiler.output_text(unicode=True, color=False)
        else:
            out = profiler.output(SpeedscopeRenderer())
        body = out.encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", _CONTENT_TYPES[fmt]),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-profiled-status", str(status).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
