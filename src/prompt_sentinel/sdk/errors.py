"""The SDK's exceptions (the tree is drawn in the package docstring).

Messages come from the server's error body (which never echoes prompt text) or are
fixed sentences written here: no exception ever carries the screened text.
"""

from __future__ import annotations

from prompt_sentinel.schemas import ErrorBody

__all__ = [
    "APIError",
    "AuthenticationError",
    "Conflict",
    "InvalidRequest",
    "NotFound",
    "PermissionDenied",
    "PromptSentinelError",
    "ProtocolError",
    "RateLimited",
    "ServerError",
    "ServiceUnavailable",
]


class PromptSentinelError(Exception):
    """Base class of every error the SDK raises."""


class ServiceUnavailable(PromptSentinelError):
    """No usable answer: connection refused or reset, a timeout, or a 5xx after the retries.

    Raised by ``detect`` / ``detect_batch`` only with ``fail_mode="closed"``; the other
    methods always raise it.  ``status`` is None for transport failures; ``cause`` names the
    transport error (e.g. ``"ConnectError"``).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        cause: str | None = None,
        body: ErrorBody | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.cause = cause
        self.body = body


class ProtocolError(PromptSentinelError):
    """A 2xx answer that does not match the SDK's model of it (version skew or a proxy)."""


class APIError(PromptSentinelError):
    """The service answered with an error (4xx, or 500) and an ``ErrorBody``."""

    def __init__(self, status: int, body: ErrorBody) -> None:
        super().__init__(f"{status} {body.error}: {body.message}")
        self.status = status
        self.body = body

    @property
    def code(self) -> str:
        """The stable error code, e.g. ``invalid_api_key``."""
        return self.body.error

    @property
    def request_id(self) -> str | None:
        return self.body.request_id


class InvalidRequest(APIError):
    """400, 413, 415 or 422: the request (or a local check of it) is invalid."""


class AuthenticationError(APIError):
    """401: missing, invalid, revoked or expired API key."""


class PermissionDenied(APIError):
    """403: the key lacks the permission the route needs (``detect`` or ``admin``)."""


class NotFound(APIError):
    """404: no such route or API key."""


class Conflict(APIError):
    """409: e.g. rotating a read-only or revoked key."""


class ServerError(APIError):
    """500 (or another 5xx but 502/503/504): never retried and never failed open, since an
    error that a crafted prompt can trigger must not let that prompt through."""


class RateLimited(APIError):
    """429 after the retries; ``retry_after`` is the server's last Retry-After in seconds."""

    def __init__(self, status: int, body: ErrorBody, retry_after: float | None) -> None:
        super().__init__(status, body)
        self.retry_after = retry_after


_BY_STATUS: dict[int, type[APIError]] = {
    400: InvalidRequest,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    413: InvalidRequest,
    415: InvalidRequest,
    422: InvalidRequest,
}


def for_status(status: int, body: ErrorBody, retry_after: float | None = None) -> APIError:
    """The exception for a 4xx answer."""
    if status == 429:
        return RateLimited(status, body, retry_after)
    return _BY_STATUS.get(status, APIError)(status, body)
