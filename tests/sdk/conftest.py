"""Real servers for the SDK tests, and one way to call both clients.

``call(kind, url, method, ...)`` runs a method of the blocking client (``kind="sync"``)
or of the async one (``"async"``, on a fresh event loop), so every test runs twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from prompt_sentinel.sdk import AsyncPromptSentinel, PromptSentinel
from prompt_sentinel.store.api_keys import generate_key
from tests.e2e.state_support import start_servers
from tests.support.procs import Server

ADMIN = generate_key()
KINDS = ("sync", "async")


def call(kind: str, url: str, method: str, *args: Any, client: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """``method`` of a fresh client of ``kind`` (options in ``client``)."""
    options = client or {}
    if kind == "sync":
        with PromptSentinel(url, **options) as c:
            return getattr(c, method)(*args, **kwargs)

    async def go() -> Any:
        async with AsyncPromptSentinel(url, **options) as c:
            return await getattr(c, method)(*args, **kwargs)

    return asyncio.run(go())


@pytest.fixture(scope="session")
def sdk_servers() -> Iterator[dict[str, Server]]:
    """``secured``: AUTHENTICATION_MODE=required with an admin key; ``limited``: one
    request per second per client (Retry-After: 1)."""
    secured, limited = start_servers(
        {"AUTHENTICATION_MODE": "required", "ADMIN_API_KEY": ADMIN},
        {"RATE_LIMIT_ENABLED": "true", "RATE_LIMIT_REQUESTS": "1", "RATE_LIMIT_WINDOW": "1", "RATE_LIMIT_BURST": "1"},
    )
    yield {"secured": secured, "limited": limited}
    secured.stop()
    limited.stop()


@pytest.fixture(scope="session")
def secured(sdk_servers: dict[str, Server]) -> Server:
    return sdk_servers["secured"]


@pytest.fixture(scope="session")
def limited(sdk_servers: dict[str, Server]) -> Server:
    return sdk_servers["limited"]
