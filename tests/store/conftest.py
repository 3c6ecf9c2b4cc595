"""Fixtures for the shared-state tests: one real redis-server for the module, fresh key prefixes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from prompt_sentinel.settings import Settings, load_settings
from tests.support.procs import Redis

T = TypeVar("T")


def arun(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a fresh loop (redis-py async clients are per loop)."""
    return asyncio.run(coro)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Redis]:
    srv = Redis().start()
    yield srv
    srv.stop()


@pytest.fixture
def redis_settings(redis_server: Redis) -> Settings:
    """Settings pointing at the shared test Redis under a key prefix of their own."""
    return load_settings(redis_url=redis_server.url, redis_key_prefix=f"t{uuid.uuid4().hex[:8]}:")
