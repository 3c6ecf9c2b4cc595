"""Pure-ASGI middleware: one access log line and the request metrics per HTTP request.

It sits outermost, so its latency covers every other middleware and it sees the 413s
and 429s they send.  Labels are bounded: the route *template* (``/api/v1/detect``; an
unknown path is ``unmatched``), the method from a fixed set, the status class (``2xx``).
Prometheus children are cached per label tuple, so a request costs two dict look-ups
and no ``.labels()`` call after the first one of its kind.

What the detect routes know about a request comes from the ASGI scope state
(``request.state``): ``verdict`` (one request) or ``verdicts`` (a batch), optionally
``mode`` and ``categories``, and ``prompt_chars`` / ``prompt_hash`` for the log.  Prompt
text is never read here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from time import perf_counter
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prompt_sentinel.engine.models import Category, Verdict
from prompt_sentinel.observability import metrics, tracing
from prompt_sentinel.observability.logging import current_state

__all__ = ["AccessMiddleware", "UNMATCHED"]

UNMATCHED = "unmatched"
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_STATUS_CLASS = {code: f"{code // 100}xx" for code in range(100, 600)}
_VERDICTS = frozenset(v.value for v in Verdict)
_CATEGORIES = frozenset(c.value for c in Category)

access_log = logging.getLogger("promptsentinel.access")


class AccessMiddleware:
    """Access line + ``promptsentinel_requests_total`` / ``..._request_duration_seconds``
    + ``promptsentinel_detections_total`` (+ the request span while tracing)."""

    def __init__(self, app: ASGIApp, default_mode: str, static_paths: Callable[[], Iterable[str]] = tuple) -> None:
        self.app = app
        self.default_mode = default_mode
        self._static_paths_source = static_paths
        self._static_paths: frozenset[str] | None = None
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._detections: dict[tuple[str, str], Any] = {}
        self._state_var = current_state()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        token = self._state_var.set(state)
        status = 500  # what an exception before the response start becomes
        request_span = tracing.RequestSpan(scope) if tracing.enabled() else None
        recorded = False

        def finish() -> None:
            nonlocal recorded
            recorded = True
            elapsed = perf_counter() - start
            route = self._route(scope)
            trace_id = None
            if request_span is not None:
                trace_id = request_span.end(route, status, state.get("request_id"))
            self._record(scope, state, route, status, elapsed, trace_id)

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif not message.get("more_body", False) and message["type"] == "http.response.body":
                # Count and log before the last byte leaves: a client that has its answer
                # then finds it in /metrics and in the log.
                finish()
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            if not recorded:  # no complete response (an exception, a disconnect)
                finish()
            if request_span is not None:
                request_span.detach()
            self._state_var.reset(token)

    def _route(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None:
            template = getattr(route, "path_format", None) or getattr(route, "path", None)
            if template:
                return str(template)
        # Refused before routing (413 from the size limit...): a known static path is
        # still its own template; anything else stays in one bounded bucket.
        if self._static_paths is None:
            try:
                self._static_paths = frozenset(self._static_paths_source())
            except Exception:  # never let the label lookup break a response
                self._static_paths = frozenset()
        path = scope.get("path", "")
        return path if path in self._static_paths else UNMATCHED

    def _record(
        self,
        scope: Scope,
        state: dict[str, Any],
        route: str,
        status: int,
        elapsed: float,
        trace_id: str | None,
    ) -> None:
        method = scope.get("method", "GET")
        if method not in _METHODS:
            method = "OTHER"
        key = (route, method, status)
        children = self._children.get(key)
        if children is None:
            sclass = _STATUS_CLASS.get(status, "other")
            children = (
                metrics.REQUESTS.labels(route, method, sclass),
                metrics.REQUEST_DURATION.labels(route, method),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(elapsed)

        verdict = state.get("verdict")
        if verdict is not None or "verdicts" in state:
            self._count_verdicts(state, verdict)

        level = logging.WARNING if status >= 500 else logging.INFO
        if not access_log.isEnabledFor(level):
            return
        client = scope.get("client")
        extra: dict[str, Any] = {
            "request_id": state.get("request_id"),
            "route": route,
            "method": method,
            "status": status,
            "latency_ms": round(elapsed * 1000, 3),
            "client": client[0] if client else None,
        }
        if verdict is not None:
            extra["verdict"] = str(verdict)
        if "prompt_chars" in state:
            extra["prompt_chars"] = state["prompt_chars"]
            extra["prompt_hash"] = state.get("prompt_hash")
        if trace_id is not None:
            extra["trace_id"] = trace_id
        # makeRecord + handle: the same record as .log(), without the caller-frame lookup.
        access_log.handle(
            access_log.makeRecord(access_log.name, level, "access", 0, "request", None, None, extra=extra)
        )

    def _count_verdicts(self, state: dict[str, Any], verdict: Any) -> None:
        mode = str(state.get("mode") or self.default_mode)
        verdicts = [verdict] if verdict is not None else list(state.get("verdicts") or ())
        for v in verdicts:
            key = (str(v), mode)
            child = self._detections.get(key)
            if child is None:
                value = key[0] if key[0] in _VERDICTS else "other"
                child = metrics.DETECTIONS.labels(value, mode)
                self._detections[key] = child
            child.inc()
        for category in state.get("categories") or ():
            name = str(category)
            metrics.DETECTION_CATEGORIES.labels(name if name in _CATEGORIES else "other").inc()
