"""Python SDK for PromptSentinel: a blocking and an asynchronous client over one base.

    from prompt_sentinel.sdk import PromptSentinel

    with PromptSentinel("http://localhost:8080", api_key="psk_...") as ps:
        result = ps.detect("Ignore all previous instructions")
        if result.verdict == "block":
            ...

Results are the server's own models (:mod:`prompt_sentinel.schemas`), so the SDK
cannot drift from what the server sends.  Methods: ``detect`` (``prompt`` or
``messages``), ``detect_batch``, ``health``, ``ready``, and the admin key operations
``create_key``, ``list_keys``, ``get_key``, ``revoke_key``, ``rotate_key``.

Retries (``max_retries``, default 2): 429 after ``Retry-After``; 502/503/504 and
transport errors with exponential backoff and jitter (connect failures for every call,
others only for idempotent ones).  ``fail_mode`` decides what ``detect`` and
``detect_batch`` do when the service stays unreachable: ``"closed"`` (default) raises
:class:`ServiceUnavailable`; ``"open"`` returns a :class:`FailOpenResult`, an allow
marked ``fail_open=True`` (see :func:`screened`).  Rate limits, auth errors and 500s
always raise.

Exceptions::

    PromptSentinelError
    ├── ServiceUnavailable     unreachable, timed out, or 502/503/504 after the retries
    ├── ProtocolError          a 2xx answer that does not match the model
    └── APIError               an error answer with an ErrorBody (.status, .code, .body)
        ├── InvalidRequest     400, 413, 415, 422 (also raised before sending)
        ├── AuthenticationError 401
        ├── PermissionDenied   403
        ├── NotFound           404
        ├── Conflict           409
        ├── RateLimited        429 after the retries (.retry_after)
        └── ServerError        500 and other 5xx: never retried, never failed open
"""

from __future__ import annotations

from typing import Any

from prompt_sentinel.sdk.client import AsyncPromptSentinel, PromptSentinel
from prompt_sentinel.sdk.errors import (
    APIError,
    AuthenticationError,
    Conflict,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    PromptSentinelError,
    ProtocolError,
    RateLimited,
    ServerError,
    ServiceUnavailable,
)
from prompt_sentinel.sdk.models import (
    FAIL_OPEN_RULE,
    BatchItem,
    BatchResponse,
    BatchResult,
    Category,
    DetectResponse,
    ErrorBody,
    FailOpenResult,
    HealthResponse,
    Message,
    Mode,
    Reason,
    Verdict,
    admin_model,
    screened,
)

__all__ = [
    "FAIL_OPEN_RULE",
    "APIError",
    "AsyncPromptSentinel",
    "AuthenticationError",
    "BatchItem",
    "BatchResponse",
    "BatchResult",
    "Category",
    "Conflict",
    "CreatedKey",
    "DetectResponse",
    "ErrorBody",
    "FailOpenResult",
    "HealthResponse",
    "InvalidRequest",
    "KeyInfo",
    "Message",
    "Mode",
    "NotFound",
    "PermissionDenied",
    "PromptSentinel",
    "PromptSentinelError",
    "ProtocolError",
    "RateLimited",
    "Reason",
    "ServerError",
    "ServiceUnavailable",
    "Verdict",
    "screened",
]


def __getattr__(name: str) -> Any:
    if name in ("CreatedKey", "KeyInfo", "KeyList"):
        return admin_model(name)  # the admin routes' models, imported on first use
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
