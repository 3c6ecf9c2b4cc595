"""The admin API's contract, in process on the embedded store (real servers: tests/e2e)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import prompt_sentinel.api.app as app_module
from prompt_sentinel.engine.engine import Engine
from prompt_sentinel.settings import load_settings
from prompt_sentinel.store.api_keys import generate_key, is_well_formed
from tests.store.conftest import arun

ADMIN = generate_key()
FILE_KEY = generate_key()
H = {"X-API-Key": ADMIN}


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FastAPI:
    monkeypatch.setattr(app_module, "build_engine", lambda s: Engine([]))
    keys = tmp_path / "api_keys"
    keys.write_text(f"- id: ci\n  key: {FILE_KEY}\n")
    return app_module.create_app(load_settings(authentication_mode="required", admin_api_key=ADMIN, api_keys_file=keys))


def calls(app: FastAPI, *reqs: tuple[str, str, dict[str, Any]]) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            return [await c.request(m, p, **{"headers": H, **kw}) for m, p, kw in reqs]

    return arun(go())


def test_create_returns_the_key_once_and_lists_never_do(app: FastAPI) -> None:
    body = {"name": "frontend", "permissions": ["detect"], "rate_limit": 50, "expires_in_days": 30}
    created, listed = calls(
        app,
        ("POST", "/api/v1/admin/api-keys", {"json": body}),
        ("GET", "/api/v1/admin/api-keys", {}),
    )
    assert created.status_code == 201
    c = created.json()
    assert set(c) == {
        "api_key",
        "key_id",
        "name",
        "permissions",
        "rate_limit",
        "created_at",
        "expires_at",
    }
    assert is_well_formed(c["api_key"]) and c["rate_limit"] == 50 and c["expires_at"] > c["created_at"]
    assert listed.status_code == 200 and c["api_key"] not in listed.text and ADMIN not in listed.text
    assert FILE_KEY not in listed.text
    rows = {k["key_id"]: k for k in listed.json()["keys"]}
    assert rows["admin"]["source"] == "env" and rows["ci"]["source"] == "file"
    assert rows[c["key_id"]]["status"] == "active" and rows[c["key_id"]]["hint"] == c["api_key"][:8]


@pytest.mark.parametrize(
    ("method", "path", "kw", "status", "code"),
    [
        ("GET", "/api/v1/admin/api-keys/key_missing", {}, 404, "not_found"),  # unknown id
        ("DELETE", "/api/v1/admin/api-keys/key_missing", {}, 404, "not_found"),
        ("POST", "/api/v1/admin/api-keys/key_missing/rotate", {}, 404, "not_found"),
        (
            "DELETE",
            "/api/v1/admin/api-keys/admin",
            {},
            409,
            "read_only",
        ),  # ADMIN_API_KEY is changed in env
        (
            "POST",
            "/api/v1/admin/api-keys/ci/rotate",
            {},
            409,
            "read_only",
        ),  # keys-file keys in the file
        (
            "POST",
            "/api/v1/admin/api-keys",
            {"json": {"name": ""}},
            422,
            "validation_error",
        ),  # empty name
        (
            "POST",
            "/api/v1/admin/api-keys",
            {"json": {"name": "x", "permissions": ["root"]}},
            422,
            "validation_error",
        ),  # unknown permission
        (
            "POST",
            "/api/v1/admin/api-keys",
            {"json": {"name": "x", "rate_limit": 0}},
            422,
            "validation_error",
        ),  # non-positive limit
        (
            "POST",
            "/api/v1/admin/api-keys",
            {"json": {"name": "x", "extra": 1}},
            422,
            "validation_error",
        ),  # unknown field
        ("POST", "/api/v1/admin/api-keys", {"content": b"name=x"}, 415, "unsupported_media_type"),
    ],
)
def test_errors(app: FastAPI, method: str, path: str, kw: dict[str, Any], status: int, code: str) -> None:
    (r,) = calls(app, (method, path, kw))
    assert (r.status_code, r.json()["error"]) == (status, code)


def test_revoke_then_rotate_is_refused_and_get_shows_revoked(app: FastAPI) -> None:
    (created,) = calls(app, ("POST", "/api/v1/admin/api-keys", {"json": {"name": "x"}}))
    kid = created.json()["key_id"]
    revoked, again, shown, rotate = calls(
        app,
        ("DELETE", f"/api/v1/admin/api-keys/{kid}", {}),
        ("DELETE", f"/api/v1/admin/api-keys/{kid}", {}),
        ("GET", f"/api/v1/admin/api-keys/{kid}", {}),
        ("POST", f"/api/v1/admin/api-keys/{kid}/rotate", {}),
    )
    assert (revoked.status_code, again.status_code) == (204, 204)  # revoking twice is idempotent
    assert shown.json()["status"] == "revoked" and shown.json()["revoked_at"]
    assert rotate.status_code == 409


def test_rotate_keeps_the_id_and_kills_the_old_secret(app: FastAPI) -> None:
    (created,) = calls(app, ("POST", "/api/v1/admin/api-keys", {"json": {"name": "x"}}))
    c = created.json()
    rotated, old = calls(
        app,
        ("POST", f"/api/v1/admin/api-keys/{c['key_id']}/rotate", {}),
        (
            "POST",
            "/api/v1/detect",
            {"json": {"prompt": "hi"}, "headers": {"X-API-Key": c["api_key"]}},
        ),
    )
    r = rotated.json()
    assert rotated.status_code == 200 and r["key_id"] == c["key_id"] and r["api_key"] != c["api_key"]
    assert old.status_code == 401
    (fresh,) = calls(
        app,
        (
            "POST",
            "/api/v1/detect",
            {"json": {"prompt": "hi"}, "headers": {"X-API-Key": r["api_key"]}},
        ),
    )
    assert fresh.status_code == 200


def test_embedded_keys_cannot_be_written_when_workers_would_disagree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app_module, "build_engine", lambda s: Engine([]))
    multi = app_module.create_app(load_settings(authentication_mode="required", admin_api_key=ADMIN, workers=2))
    created, listed = calls(
        multi,
        ("POST", "/api/v1/admin/api-keys", {"json": {"name": "x"}}),
        ("GET", "/api/v1/admin/api-keys", {}),
    )
    assert (created.status_code, created.json()["error"]) == (409, "per_process_store")
    assert listed.status_code == 200  # reading is harmless
