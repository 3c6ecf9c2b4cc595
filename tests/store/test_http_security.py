"""The HTTP edge in process: route groups, client addresses, middleware order, CORS, headers.

The full per-mode matrix runs against real servers in tests/e2e/test_auth_modes.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import prompt_sentinel.api.app as app_module
from prompt_sentinel.api.security import (
    SecurityMiddleware,
    client_address,
    parse_networks,
    route_group,
    route_label,
)
from prompt_sentinel.engine.engine import Engine
from prompt_sentinel.settings import ConfigError, load_settings
from prompt_sentinel.store.api_keys import generate_key
from tests.store.conftest import arun

ADMIN = generate_key()


@pytest.mark.parametrize(
    ("path", "group", "label"),
    [
        ("/health", "public", "other"),  # liveness is never guarded
        ("/health/ready", "public", "other"),  # nor readiness
        ("/metrics", "public", "other"),  # nor the scrape endpoint
        ("/api/v1/detect", "detect", "/api/v1/detect"),
        ("/api/v1/detect/batch", "detect", "/api/v1/detect/batch"),
        ("/api/v1/admin/api-keys", "admin", "/api/v1/admin/api-keys"),
        (
            "/api/v1/admin/api-keys/key_0123",
            "admin",
            "/api/v1/admin/api-keys/{key_id}",
        ),  # ids never label
        ("/docs", "other", "other"),  # guarded in required mode, not rate limited
        ("/nope", "other", "other"),  # unknown paths are guarded too (no route discovery)
    ],
)
def test_route_groups(path: str, group: str, label: str) -> None:
    assert route_group(path) == group and route_label(path) == label


def _scope(peer: str, xff: list[str]) -> dict[str, Any]:
    return {"client": (peer, 5000), "headers": [(b"x-forwarded-for", v.encode()) for v in xff]}


@pytest.mark.parametrize(
    ("trusted", "peer", "xff", "client"),
    [
        ([], "10.0.0.9", ["1.2.3.4"], "10.0.0.9"),  # no trusted proxies: the header is ignored
        (
            ["10.0.0.0/8"],
            "192.0.2.7",
            ["1.2.3.4"],
            "192.0.2.7",
        ),  # untrusted peer: spoofed header ignored
        (["10.0.0.0/8"], "10.0.0.9", ["1.2.3.4"], "1.2.3.4"),  # trusted proxy: the hop it saw
        (
            ["10.0.0.0/8"],
            "10.0.0.9",
            ["6.6.6.6, 1.2.3.4, 10.0.0.5"],
            "1.2.3.4",
        ),  # rightmost untrusted hop
        (
            ["10.0.0.0/8"],
            "10.0.0.9",
            ["6.6.6.6", "1.2.3.4"],
            "1.2.3.4",
        ),  # repeated headers are joined
        (["10.0.0.0/8"], "10.0.0.9", ["10.0.0.1, 10.0.0.2"], "10.0.0.1"),  # all trusted: the first
        (["10.0.0.0/8"], "10.0.0.9", ["1.2.3.4, not-an-ip"], "10.0.0.9"),  # garbage: the peer
        (["10.0.0.0/8"], "10.0.0.9", [], "10.0.0.9"),  # no header: the peer
        (["::1"], "::1", ["2001:db8::1"], "2001:db8::1"),  # IPv6
    ],
)
def test_client_address(trusted: list[str], peer: str, xff: list[str], client: str) -> None:
    assert client_address(_scope(peer, xff), parse_networks(trusted)) == client


def test_bad_trusted_proxy_fails_loudly() -> None:
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        parse_networks(["10.0.0.300"])


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FastAPI]:
    monkeypatch.setattr(app_module, "build_engine", lambda s: Engine([]))

    def make(**overrides: Any) -> FastAPI:
        return app_module.create_app(load_settings(**overrides))

    return make


def _call(app: FastAPI, method: str, path: str, **kw: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.request(method, path, **kw)

    return arun(go())


def test_the_quick_start_installs_no_security_middleware(make_app: Callable[..., FastAPI]) -> None:
    app = make_app()
    assert not any(m.cls is SecurityMiddleware for m in app.user_middleware)
    # admin routes do not exist without AUTHENTICATION_MODE or ADMIN_API_KEY
    assert _call(app, "GET", "/api/v1/admin/api-keys").status_code == 404
    assert _call(app, "POST", "/api/v1/detect", json={"prompt": "hi"}).status_code == 200


@pytest.mark.parametrize(
    ("request_kw", "status"),
    [
        (
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            401,
        ),  # not a 422
        ({"content": b"x" * 1000, "headers": {"content-type": "text/plain"}}, 401),  # not a 415
        (
            {"json": {"prompt": "hi"}, "headers": {"Authorization": "Basic abc"}},
            401,
        ),  # not a bearer token
    ],
)
def test_refused_callers_never_reach_body_parsing(
    make_app: Callable[..., FastAPI], request_kw: dict[str, Any], status: int
) -> None:
    app = make_app(authentication_mode="required", admin_api_key=ADMIN)
    assert _call(app, "POST", "/api/v1/detect", **request_kw).status_code == status


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Authorization": f"Bearer {ADMIN}"}, 200),  # Authorization: Bearer
        ({"authorization": f"bearer {ADMIN}"}, 200),  # scheme is case-insensitive
        ({"X-Sentinel-Key": ADMIN}, 200),  # the configured API_KEY_HEADER
        ({"X-API-Key": ADMIN}, 401),  # the default header is not read when another is configured
    ],
)
def test_key_headers(make_app: Callable[..., FastAPI], headers: dict[str, str], status: int) -> None:
    app = make_app(authentication_mode="required", admin_api_key=ADMIN, api_key_header="X-Sentinel-Key")
    assert _call(app, "POST", "/api/v1/detect", json={"prompt": "hi"}, headers=headers).status_code == status


def test_unknown_paths_need_a_key_in_required_mode(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(authentication_mode="required", admin_api_key=ADMIN)
    assert _call(app, "GET", "/nope").status_code == 401
    assert _call(app, "GET", "/nope", headers={"X-API-Key": ADMIN}).status_code == 404
    assert _call(app, "GET", "/health/ready").status_code == 200


def test_rate_limit_headers_on_limited_routes_only(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(rate_limit_enabled=True, rate_limit_requests=2, rate_limit_burst=5)
    first = _call(app, "POST", "/api/v1/detect", json={"prompt": "hi"})
    assert first.status_code == 200
    assert (first.headers["ratelimit-limit"], first.headers["ratelimit-remaining"]) == ("2", "1")
    assert "ratelimit-limit" not in _call(app, "GET", "/health").headers
    _call(app, "POST", "/api/v1/detect", json={"prompt": "hi"})
    refused = _call(app, "POST", "/api/v1/detect", json={"prompt": "hi"})
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 30 and refused.headers["ratelimit-remaining"] == "0"
    assert refused.headers["x-request-id"] == refused.json()["request_id"]


def test_anonymous_limits_follow_x_forwarded_for_from_trusted_proxies(
    make_app: Callable[..., FastAPI],
) -> None:
    app = make_app(rate_limit_enabled=True, rate_limit_requests=1, trusted_proxies="127.0.0.1")

    def hit(client: str) -> int:
        return _call(
            app,
            "POST",
            "/api/v1/detect",
            json={"prompt": "hi"},
            headers={"X-Forwarded-For": client},
        ).status_code

    assert [hit("1.1.1.1"), hit("1.1.1.1"), hit("2.2.2.2")] == [200, 429, 200]


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        ("https://app.example.com", "https://app.example.com", "https://app.example.com"),  # listed
        ("https://app.example.com", "https://evil.example", None),  # not listed
        ("*", "https://anything.example", "*"),  # wildcard, and then never with credentials
    ],
)
def test_cors(make_app: Callable[..., FastAPI], origins: str, origin: str, allowed: str | None) -> None:
    app = make_app(allowed_origins=origins, authentication_mode="required", admin_api_key=ADMIN)
    pre = _call(
        app,
        "OPTIONS",
        "/api/v1/detect",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-api-key,content-type",
        },
    )
    assert pre.headers.get("access-control-allow-origin") == allowed
    assert "access-control-allow-credentials" not in pre.headers
    if allowed:
        assert pre.status_code == 200  # a preflight is answered before authentication
        real = _call(
            app,
            "POST",
            "/api/v1/detect",
            json={"prompt": "hi"},
            headers={"Origin": origin, "X-API-Key": ADMIN},
        )
        assert real.status_code == 200 and real.headers["access-control-allow-origin"] == allowed
        assert "ratelimit-remaining" in real.headers["access-control-expose-headers"].lower()


def test_no_cors_headers_without_allowed_origins(make_app: Callable[..., FastAPI]) -> None:
    r = _call(
        make_app(),
        "POST",
        "/api/v1/detect",
        json={"prompt": "hi"},
        headers={"Origin": "https://x.example"},
    )
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"authentication_mode": "required"},
            "no key can ever be valid",
        ),  # nothing could authenticate
        ({"admin_api_key": "short"}, "ADMIN_API_KEY"),  # a guessable bootstrap key
        ({"api_key_hash_secret": "short"}, "API_KEY_HASH_SECRET"),  # a weak hash secret
    ],
)
def test_unsafe_settings_stop_start_up(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(**overrides)
