"""Authentication, rate limiting and CORS at the HTTP edge.

:class:`SecurityMiddleware` is pure ASGI and runs before routing, so

- every route is covered, including ones added later and unknown paths: only
  ``/health*`` and ``/metrics`` are public (secure by default);
- a refused caller never gets its body read or parsed (FastAPI parses the JSON body
  before it resolves dependencies, so a dependency would answer 422 to an anonymous
  caller with a malformed body, and parse up to MAX_REQUEST_BYTES for it);
- with AUTHENTICATION_MODE=none, no ADMIN_API_KEY and rate limiting off it is not
  installed at all: the quick start pays nothing.

Route groups: ``/api/v1/admin*`` needs the ``admin`` permission in every mode (never
anonymous); ``/api/v1/detect*`` needs ``detect`` when a key is required or presented;
any other non-public path needs a valid key in ``required`` mode.  Detect and admin
routes are rate limited (per key id, else per client address) and answer with
``RateLimit-*`` headers.  The caller is left in ``scope["state"]["principal"]``.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prompt_sentinel.api.errors import APIError
from prompt_sentinel.api.responses import dumps
from prompt_sentinel.observability.metrics import AUTH_FAILURES, RATE_LIMITED
from prompt_sentinel.settings import ConfigError, Settings
from prompt_sentinel.store.auth import ANONYMOUS, Authenticator, AuthFailure, Principal
from prompt_sentinel.store.rate_limit import Quota, RateDecision, RateLimiter

log = logging.getLogger("promptsentinel.security")

ADMIN_PREFIX = "/api/v1/admin"
DETECT_PREFIX = "/api/v1/detect"
MONITORING_PREFIX = "/api/v1/monitoring"  # judge usage and budget: admin only
REALM = b'Bearer realm="promptsentinel"'
ERROR_CODES = {
    "missing": "missing_api_key",
    "invalid": "invalid_api_key",
    "revoked": "revoked_api_key",
    "expired": "expired_api_key",
    "forbidden": "forbidden",
    "unavailable": "auth_unavailable",
}
_KNOWN_ROUTES = ("/api/v1/detect", "/api/v1/detect/batch", "/api/v1/admin/api-keys")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def route_group(path: str) -> str:
    """public | admin | detect | other."""
    if path.startswith("/health") or path == "/metrics":
        return "public"
    if path.startswith((ADMIN_PREFIX, MONITORING_PREFIX)):
        return "admin"
    if path.startswith(DETECT_PREFIX):
        return "detect"
    return "other"


def route_label(path: str) -> str:
    """A bounded metric label for a limited path (never a raw id)."""
    if path in _KNOWN_ROUTES:
        return path
    return "/api/v1/admin/api-keys/{key_id}" if path.startswith(ADMIN_PREFIX) else "other"


def parse_networks(values: Sequence[str]) -> list[Network]:
    """TRUSTED_PROXIES entries (addresses or CIDRs); ConfigError on a bad one."""
    out = []
    for v in values:
        try:
            out.append(ipaddress.ip_network(v, strict=False))
        except ValueError:
            raise ConfigError(f"TRUSTED_PROXIES: '{v}' is not an IP address or network") from None
    return out


def _trusted(host: str, networks: Sequence[Network]) -> bool:
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(addr in n for n in networks)


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    """The peer address; behind a trusted proxy, the rightmost untrusted X-Forwarded-For hop."""
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    if not trusted or not _trusted(peer, trusted):
        return str(peer)
    forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
    hops = [h.strip() for h in ",".join(forwarded).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return str(peer)  # garbage from a trusted proxy: fall back to the peer
    return hops[0] if hops else str(peer)


class RateLimited(Exception):
    def __init__(self, decision: RateDecision) -> None:
        super().__init__("rate limited")
        self.decision = decision


@dataclass
class Guard:
    """Decides, per request, who the caller is and whether it may proceed."""

    mode: str
    header_name: str
    admin_enabled: bool
    auth: Authenticator
    limiter: RateLimiter
    limit_all: bool  # RATE_LIMIT_ENABLED: default quotas for keys and anonymous callers
    key_quota: Quota
    anon_quota: Quota
    trusted: list[Network]

    def __post_init__(self) -> None:
        self.header = self.header_name.lower().encode("latin-1")

    def presented_key(self, scope: Scope) -> str | None:
        bearer = None
        for name, value in scope["headers"]:
            if name == self.header:
                return value.decode("latin-1").strip()
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer" and token.strip():
                    bearer = token.strip()
        return bearer

    async def principal(self, scope: Scope, group: str) -> Principal:
        """The caller; raises AuthFailure (401/403/503)."""
        if self.mode == "none" and group != "admin":
            return ANONYMOUS
        key = self.presented_key(scope)
        if key is None:
            if group == "admin" or self.mode == "required":
                raise AuthFailure(
                    "missing",
                    f"an API key is required ({self.header_name} header or Authorization: Bearer)",
                )
            return ANONYMOUS
        p = Principal.of(await self.auth.verify(key))
        need = "admin" if group == "admin" else "detect" if group == "detect" else None
        if need is not None and need not in p.permissions:
            raise AuthFailure("forbidden", f"this API key lacks the '{need}' permission")
        return p

    async def rate(self, scope: Scope, group: str, p: Principal) -> RateDecision | None:
        if group not in ("admin", "detect"):
            return None
        if p.key_id is not None:
            if p.rate_limit is not None:
                quota = Quota(p.rate_limit, self.key_quota.window, self.key_quota.burst)
            elif self.limit_all:
                quota = self.key_quota
            else:
                return None
            bucket = "k:" + p.key_id
        elif self.limit_all:
            quota, bucket = self.anon_quota, "ip:" + client_address(scope, self.trusted)
        else:
            return None
        decision = await self.limiter.hit(bucket, quota)
        if not decision.allowed:
            raise RateLimited(decision)
        return decision


async def _refuse(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    message: str,
    headers: list[tuple[bytes, bytes]],
) -> None:
    rid = scope.get("state", {}).get("request_id")
    body = dumps({"error": code, "message": message, "details": [], "request_id": rid})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    """Authenticate and rate limit before routing (see the module docstring)."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        group = route_group(scope["path"])
        if group == "public" or (group == "admin" and not self.guard.admin_enabled):
            await self.app(scope, receive, send)
            return
        try:
            principal = await self.guard.principal(scope, group)
            decision = await self.guard.rate(scope, group, principal)
        except AuthFailure as exc:
            AUTH_FAILURES.labels(exc.reason).inc()
            headers = []
            if exc.status == 401:
                headers.append(
                    (
                        b"www-authenticate",
                        REALM if exc.reason == "missing" else REALM + b', error="invalid_token"',
                    )
                )
            elif exc.status == 503:
                headers.append((b"retry-after", b"1"))
            await _refuse(scope, send, exc.status, ERROR_CODES[exc.reason], exc.message, headers)
            return
        except RateLimited as exc:
            RATE_LIMITED.labels(route_label(scope["path"])).inc()
            d = exc.decision
            await _refuse(
                scope,
                send,
                429,
                "rate_limited",
                f"rate limit exceeded; retry after {max(1, math.ceil(d.retry_after))} s",
                d.headers(),
            )
            return
        scope.setdefault("state", {})["principal"] = principal
        if decision is None:
            await self.app(scope, receive, send)
            return
        extra = decision.headers()

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_limits)


def require_admin(request: Request) -> Principal:
    """Dependency for admin routes: defence in depth behind the middleware."""
    p: Any = request.scope.get("state", {}).get("principal")
    if not isinstance(p, Principal) or p.key_id is None:
        raise APIError(401, "missing_api_key", "an API key is required", {"WWW-Authenticate": REALM.decode()})
    if "admin" not in p.permissions:
        raise APIError(403, "forbidden", "this API key lacks the 'admin' permission")
    return p


def install_cors(app: FastAPI, settings: Settings) -> None:
    """CORS from ALLOWED_ORIGINS; keys travel in headers, so credentials are never allowed."""
    if not settings.allowed_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=[settings.api_key_header, "Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=[
            "X-Request-ID",
            "Retry-After",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
            "RateLimit-Policy",
        ],
        max_age=600,
    )


def install(app: FastAPI, settings: Settings, guard: Guard | None) -> None:
    """Add the security middleware (when it has work to do), then CORS outside it."""
    app.state.guard = guard  # the WebSocket route (routes/ws.py) authenticates with it too
    if guard is not None:
        app.add_middleware(SecurityMiddleware, guard=guard)
    install_cors(app, settings)
