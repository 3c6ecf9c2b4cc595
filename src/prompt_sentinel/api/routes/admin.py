"""Admin API: create, list, show, revoke and rotate API keys.

Mounted when AUTHENTICATION_MODE is optional/required or ADMIN_API_KEY is set; every
route needs a key with the ``admin`` permission (never anonymous, whatever the
caller's address).  The secret is in the body of create and rotate only.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from prompt_sentinel.api.deps import require_json
from prompt_sentinel.api.errors import APIError
from prompt_sentinel.api.responses import FastJSONResponse
from prompt_sentinel.api.security import require_admin
from prompt_sentinel.schemas import ErrorBody
from prompt_sentinel.store import SharedState, StoreUnavailable
from prompt_sentinel.store.api_keys import ApiKey, NewKey, iso

log = logging.getLogger("promptsentinel.admin")

ERRORS = {
    401: {"model": ErrorBody, "description": "Missing or invalid API key"},
    403: {"model": ErrorBody, "description": "The key lacks the admin permission"},
    429: {"model": ErrorBody, "description": "Rate limited"},
    503: {"model": ErrorBody, "description": "The shared key store (Redis) is unavailable"},
}
NOT_FOUND = {404: {"model": ErrorBody, "description": "No such key"}}
READ_ONLY = {409: {"model": ErrorBody, "description": "The key comes from ADMIN_API_KEY or the keys file"}}

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(require_admin)], responses=ERRORS)  # type: ignore[arg-type]


def _json_integer(value: object) -> object:
    """JSON Schema's ``integer``, as published: a number without a fraction (``5.0``
    included), never a string (``"5"``) or a boolean, which pydantic would otherwise coerce."""
    if isinstance(value, (str, bool)):
        raise ValueError("must be an integer")
    return value


OptionalJSONInt = Annotated[int | None, BeforeValidator(_json_integer)]


class CreateKeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="A label for the key's owner.")
    permissions: list[Literal["detect", "admin"]] = Field(default_factory=lambda: ["detect"], min_length=1)
    rate_limit: OptionalJSONInt = Field(
        None, ge=1, le=10_000_000, description="Requests per RATE_LIMIT_WINDOW for this key."
    )
    expires_in_days: OptionalJSONInt = Field(None, ge=1, le=3650)


class CreatedKey(BaseModel):
    api_key: str = Field(description="The secret: shown this once, stored only as a keyed hash.")
    key_id: str
    name: str
    permissions: list[str]
    rate_limit: int | None
    created_at: str | None
    expires_at: str | None


class KeyInfo(BaseModel):
    key_id: str
    name: str
    permissions: list[str]
    rate_limit: int | None
    created_at: str | None
    expires_at: str | None
    revoked_at: str | None
    status: Literal["active", "revoked", "expired"]
    source: Literal["store", "file", "env"]
    hint: str = Field(description="The first characters of the key, to recognise it.")


class KeyList(BaseModel):
    keys: list[KeyInfo]


def _shared(request: Request) -> SharedState:
    state: SharedState = request.app.state.shared
    return state


SharedDep = Annotated[SharedState, Depends(_shared)]


def _created(new: NewKey) -> dict[str, object]:
    r = new.record
    return {
        "api_key": new.api_key,
        "key_id": r.key_id,
        "name": r.name,
        "permissions": sorted(r.permissions),
        "rate_limit": r.rate_limit,
        "created_at": iso(r.created_at),
        "expires_at": iso(r.expires_at),
    }


def _unavailable() -> APIError:
    return APIError(
        503,
        "store_unavailable",
        "the shared key store (Redis) is unavailable; retry shortly",
        {"Retry-After": "1"},
    )


async def _find(shared: SharedState, key_id: str) -> ApiKey:
    rec = shared.read_only.get(key_id)
    if rec is None:
        try:
            rec = await shared.keys.get(key_id)
        except StoreUnavailable:
            raise _unavailable() from None
    if rec is None:
        raise APIError(404, "not_found", "no API key with this id")
    return rec


def _shared_store(shared: SharedState) -> None:
    if not shared.keys_shared:
        raise APIError(
            409,
            "per_process_store",
            "with WORKERS > 1 and no REDIS_URL each worker has its own key store; "
            "use REDIS_URL / REDIS_CLUSTER or API_KEYS_FILE",
        )


def _writable(shared: SharedState, key_id: str) -> None:
    _shared_store(shared)
    if key_id in shared.read_only:
        raise APIError(409, "read_only", "this key comes from ADMIN_API_KEY or the keys file; change it there")


@router.post("/api-keys", status_code=201, response_model=CreatedKey, dependencies=[Depends(require_json)])
async def create_key(body: CreateKeyRequest, shared: SharedDep) -> FastJSONResponse:
    _shared_store(shared)
    expires = time.time() + body.expires_in_days * 86400 if body.expires_in_days else None
    try:
        new = await shared.keys.create(body.name, frozenset(body.permissions), body.rate_limit, expires)
    except StoreUnavailable:
        raise _unavailable() from None
    log.info("api key created", extra={"key_id": new.record.key_id})
    return FastJSONResponse(_created(new), status_code=201)


@router.get("/api-keys", response_model=KeyList)
async def list_keys(shared: SharedDep) -> FastJSONResponse:
    try:
        stored = await shared.keys.list()
    except StoreUnavailable:
        raise _unavailable() from None
    return FastJSONResponse({"keys": [r.public() for r in (*shared.read_only.values(), *stored)]})


@router.get("/api-keys/{key_id}", response_model=KeyInfo, responses=NOT_FOUND)  # type: ignore[arg-type]
async def get_key(key_id: str, shared: SharedDep) -> FastJSONResponse:
    return FastJSONResponse((await _find(shared, key_id)).public())


@router.delete("/api-keys/{key_id}", status_code=204, responses={**NOT_FOUND, **READ_ONLY})  # type: ignore[dict-item]
async def revoke_key(key_id: str, shared: SharedDep) -> Response:
    _writable(shared, key_id)
    try:
        rec = await shared.keys.revoke(key_id)
    except StoreUnavailable:
        raise _unavailable() from None
    if rec is None:
        raise APIError(404, "not_found", "no API key with this id")
    log.info("api key revoked", extra={"key_id": key_id})
    return Response(status_code=204)


@router.post("/api-keys/{key_id}/rotate", response_model=CreatedKey, responses={**NOT_FOUND, **READ_ONLY})  # type: ignore[dict-item]
async def rotate_key(key_id: str, shared: SharedDep) -> FastJSONResponse:
    _writable(shared, key_id)
    rec = await _find(shared, key_id)
    if rec.status() == "revoked":
        raise APIError(409, "revoked", "a revoked key cannot be rotated; create a new one")
    try:
        new = await shared.keys.rotate(key_id)
    except StoreUnavailable:
        raise _unavailable() from None
    if new is None:
        raise APIError(404, "not_found", "no API key with this id")
    log.info("api key rotated", extra={"key_id": key_id})
    return FastJSONResponse(_created(new))
