from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.procs import Server

# Tests must not pick up a developer's config or secrets.
for var in list(os.environ):
    if var in {
        "DETECTION_MODE",
        "AUTHENTICATION_MODE",
        "REDIS_URL",
        "REDIS_CLUSTER",
        "LOG_CONFIG",
        "CONFIG_FILE",
        "PERFORMANCE_CONFIG_FILE",
        "ADMIN_API_KEY",
    }:
        del os.environ[var]


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One real `promptsentinel serve` process on embedded defaults, shared by API tests."""
    srv = Server(env={"LOG_LEVEL": "INFO"}).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    from prompt_sentinel.engine.factory import build_engine
    from prompt_sentinel.settings import load_settings

    return build_engine(load_settings())
