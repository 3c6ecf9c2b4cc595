"""The per-request profiler: admin key only, never in production."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from prompt_sentinel.observability.profiling import ProfilingMiddleware, check_available
from prompt_sentinel.settings import ConfigError, load_settings

ADMIN = "admin-key-for-profiling-tests-0123"


def _work() -> int:
    return sum(i * i for i in range(200_000))


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()

    @app.get("/work")
    async def work() -> dict[str, int]:
        return {"n": _work()}

    app.add_middleware(ProfilingMiddleware, admin_key=ADMIN, key_header="X-API-Key")
    return TestClient(app)


@pytest.mark.parametrize(
    ("headers", "status", "content_type"),
    [
        # no X-Profile: the request runs as usual
        ({}, 200, "application/json"),
        ({"X-Profile": "0"}, 200, "application/json"),
        # asked without a key, or with a wrong one: refused, not run
        ({"X-Profile": "1"}, 403, "application/json"),
        ({"X-Profile": "1", "X-API-Key": "not-the-admin-key"}, 403, "application/json"),
        ({"X-Profile": "1", "X-API-Key": ADMIN[:-1]}, 403, "application/json"),
        # an unknown format, even with the key
        ({"X-Profile": "flamegraph", "X-API-Key": ADMIN}, 403, "application/json"),
        # the admin key in the API key header or as a bearer token
        ({"X-Profile": "1", "X-API-Key": ADMIN}, 200, "text/html"),
        ({"X-Profile": "text", "Authorization": f"Bearer {ADMIN}"}, 200, "text/plain"),
        ({"X-Profile": "speedscope", "X-API-Key": ADMIN}, 200, "application/json"),
    ],
)
def test_profile_only_for_the_admin(
    client: TestClient, headers: dict[str, str], status: int, content_type: str
) -> None:
    r = client.get("/work", headers=headers)
    assert r.status_code == status
    assert r.headers["content-type"].startswith(content_type)


def test_text_profile_names_the_code_that_ran(client: TestClient) -> None:
    r = client.get("/work", headers={"X-Profile": "text", "X-API-Key": ADMIN})
    assert "_work" in r.text and r.headers["x-profiled-status"] == "200"


class _Record:
    def __init__(self, permissions: set[str]) -> None:
        self.permissions = frozenset(permissions)


class _Auth:
    """Stands in for the key store's authenticator (app.state.shared.auth)."""

    async def verify(self, key: str) -> _Record:
        table = {
            "stored-admin-key-0123456789abcdef": {"admin", "detect"},
            "stored-detect-key-0123456789abcde": {"detect"},
        }
        if key not in table:
            raise LookupError("unknown key")
        return _Record(table[key])


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("stored-admin-key-0123456789abcdef", 200),  # a stored key with the admin permission
        ("stored-detect-key-0123456789abcde", 403),  # a stored key without it
        ("no-such-key-0123456789abcdef01234", 403),  # an unknown key
    ],
)
def test_stored_admin_keys_may_profile(key: str, status: int) -> None:
    from types import SimpleNamespace

    app = FastAPI()

    @app.get("/work")
    async def work() -> dict[str, int]:
        return {"n": 1}

    app.state.shared = SimpleNamespace(auth=_Auth())
    app.add_middleware(ProfilingMiddleware, admin_key=None, key_header="X-API-Key")
    r = TestClient(app).get("/work", headers={"X-Profile": "text", "X-API-Key": key})
    assert r.status_code == status


def test_without_an_admin_key_nothing_can_be_profiled() -> None:
    app = FastAPI()
    app.add_middleware(ProfilingMiddleware, admin_key=None, key_header="X-API-Key")
    r = TestClient(app).get("/", headers={"X-Profile": "1", "X-API-Key": ""})
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("environment", "refused"),
    [("production", True), ("staging", False), ("development", False)],
)
def test_profiling_refused_in_production(environment: str, refused: bool) -> None:
    settings = load_settings(enable_profiling=True, environment=environment)
    if refused:
        with pytest.raises(ConfigError, match="ENABLE_PROFILING"):
            check_available(settings)
    else:
        check_available(settings)
