"""The SDK's result types: the server's own models, imported, never copied.

Detection and health models come from :mod:`prompt_sentinel.schemas`; the admin key
models (``CreatedKey``, ``KeyInfo``, ``KeyList``) from the admin routes, imported on first
use because that module pulls in the server's stack.  :class:`FailOpenResult` is the one
type of the SDK's own: the synthetic answer of ``fail_mode="open"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from prompt_sentinel.engine.models import Category, Mode, Verdict
from prompt_sentinel.schemas import (
    BatchItem,
    BatchResponse,
    BatchResult,
    DetectResponse,
    ErrorBody,
    HealthResponse,
    ItemError,
    Message,
    MessageResult,
    PIIEntity,
    Reason,
)

if TYPE_CHECKING:
    from prompt_sentinel.api.routes.admin import CreatedKey, KeyInfo, KeyList

__all__ = [
    "FAIL_OPEN_RULE",
    "BatchItem",
    "BatchResponse",
    "BatchResult",
    "Category",
    "CreatedKey",
    "DetectResponse",
    "ErrorBody",
    "FailOpenResult",
    "HealthResponse",
    "ItemError",
    "KeyInfo",
    "KeyList",
    "Message",
    "MessageResult",
    "Mode",
    "PIIEntity",
    "Reason",
    "Verdict",
    "screened",
]

FAIL_OPEN_RULE = "sdk.unreachable.fail_open"
_ADMIN_MODELS = ("CreatedKey", "KeyInfo", "KeyList")


class FailOpenResult(DetectResponse):
    """An *unscreened* allow, made by the SDK when the service was unreachable and the
    client was built with ``fail_mode="open"``.

    ``Reason.category`` has no neutral value, so the mark is on the result itself:
    ``fail_open`` is True, ``rule_id`` is ``"sdk.unreachable.fail_open"``, ``request_id``
    starts with ``"sdk-fail-open-"`` and ``error`` names what failed (``"ConnectError"``,
    ``"503"``).  Use :func:`screened` to tell it from a real verdict.
    """

    fail_open: Literal[True] = True
    rule_id: Literal["sdk.unreachable.fail_open"] = FAIL_OPEN_RULE
    error: str


def screened(result: DetectResponse) -> bool:
    """False for a :class:`FailOpenResult` (the service never saw the prompt)."""
    return not isinstance(result, FailOpenResult)


def admin_model(name: str) -> Any:
    """``CreatedKey`` / ``KeyInfo`` / ``KeyList`` from the admin routes (imported lazily)."""
    from prompt_sentinel.api.routes import admin

    return getattr(admin, name)


def __getattr__(name: str) -> Any:
    if name in _ADMIN_MODELS:
        return admin_model(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
