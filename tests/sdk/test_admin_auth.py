"""Admin key operations and authentication errors, both clients, AUTHENTICATION_MODE=required."""

from __future__ import annotations

import pytest

from prompt_sentinel.sdk import (
    AuthenticationError,
    Conflict,
    NotFound,
    PermissionDenied,
    Verdict,
)
from prompt_sentinel.store.api_keys import generate_key
from tests.sdk.conftest import ADMIN, KINDS, call
from tests.support.procs import Server


def as_key(key: str | None) -> dict[str, object]:
    return {"api_key": key}


@pytest.mark.parametrize("kind", KINDS)
def test_key_lifecycle(secured: Server, kind: str) -> None:
    url, admin = secured.url, as_key(ADMIN)
    created = call(
        kind, url, "create_key", f"sdk-{kind}", permissions=["detect"], rate_limit=1000, expires_in_days=7, client=admin
    )
    assert created.api_key.startswith("psk_") and created.permissions == ["detect"]
    assert created.rate_limit == 1000 and created.expires_at is not None

    info = call(kind, url, "get_key", created.key_id, client=admin)
    assert (info.key_id, info.status, info.source) == (created.key_id, "active", "store")
    listed = call(kind, url, "list_keys", client=admin)
    assert created.key_id in {k.key_id for k in listed}
    assert "admin" in {k.key_id for k in listed}  # the bootstrap ADMIN_API_KEY, read only

    result = call(kind, url, "detect", "hello there", client=as_key(created.api_key))
    assert result.verdict == Verdict.ALLOW

    rotated = call(kind, url, "rotate_key", created.key_id, client=admin)
    assert rotated.key_id == created.key_id and rotated.api_key != created.api_key
    with pytest.raises(AuthenticationError):
        call(kind, url, "detect", "hello", client=as_key(created.api_key))  # the old secret
    call(kind, url, "detect", "hello", client=as_key(rotated.api_key))

    assert call(kind, url, "revoke_key", created.key_id, client=admin) is None
    assert call(kind, url, "get_key", created.key_id, client=admin).status == "revoked"
    with pytest.raises(AuthenticationError) as info_exc:
        call(kind, url, "detect", "hello", client=as_key(rotated.api_key))
    assert info_exc.value.code == "revoked_api_key"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("method", "args", "error", "code"),
    [
        ("get_key", ("no-such-key",), NotFound, "not_found"),  # unknown id
        ("revoke_key", ("no-such-key",), NotFound, "not_found"),
        ("rotate_key", ("admin",), Conflict, "read_only"),  # the ADMIN_API_KEY record
    ],
)
def test_admin_errors(
    secured: Server, kind: str, method: str, args: tuple[str, ...], error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as info:
        call(kind, secured.url, method, *args, client=as_key(ADMIN))
    assert info.value.code == code  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def keys(secured: Server) -> dict[str, str | None]:
    admin = as_key(ADMIN)
    return {
        "none": None,
        "bad": generate_key(),
        "detect": call("sync", secured.url, "create_key", "d", permissions=["detect"], client=admin).api_key,
        "admin_only": call("sync", secured.url, "create_key", "a", permissions=["admin"], client=admin).api_key,
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("cred", "method", "error", "code"),
    [
        ("none", "detect", AuthenticationError, "missing_api_key"),  # required mode, no key
        ("bad", "detect", AuthenticationError, "invalid_api_key"),  # well formed, unknown
        ("none", "detect_batch", AuthenticationError, "missing_api_key"),
        ("admin_only", "detect", PermissionDenied, "forbidden"),  # lacks 'detect'
        ("detect", "list_keys", PermissionDenied, "forbidden"),  # lacks 'admin'
        ("none", "list_keys", AuthenticationError, "missing_api_key"),
        ("bad", "create_key", AuthenticationError, "invalid_api_key"),
    ],
)
def test_auth_errors(
    secured: Server, keys: dict[str, str | None], kind: str, cred: str, method: str, error: type[Exception], code: str
) -> None:
    args: tuple[object, ...] = {"detect": ("hello",), "detect_batch": (["hello"],), "create_key": ("x",)}.get(
        method, ()
    )
    # fail_mode="open" must not turn an auth error into an unscreened allow
    with pytest.raises(error) as info:
        call(kind, secured.url, method, *args, client={"api_key": keys[cred], "fail_mode": "open"})
    assert info.value.code == code  # type: ignore[attr-defined]
    assert info.value.status == (401 if error is AuthenticationError else 403)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", KINDS)
def test_bearer_header(secured: Server, keys: dict[str, str | None], kind: str) -> None:
    """A custom header set: the key as ``Authorization: Bearer``."""
    options = {"headers": {"Authorization": f"Bearer {keys['detect']}"}}
    assert call(kind, secured.url, "detect", "hello", client=options).verdict == Verdict.ALLOW
