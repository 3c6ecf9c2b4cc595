"""What the sync and the async client share: configuration, request building, and the
decision taken after each attempt (done, retry after a delay, raise, or fail open).

The two clients only move bytes and sleep; every rule lives here, once:

* 429: retried after ``Retry-After`` (else backoff) while the wait is at most
  ``max_retry_after``; then :class:`RateLimited`.  Never failed open: a caller that is
  over its quota must not get unscreened prompts through.
* 502, 503, 504 and transport errors: retried with exponential backoff and full jitter
  (a ``Retry-After`` is honoured) for idempotent calls; a connect failure, where nothing
  reached the server, is retried for every call.  Then :class:`ServiceUnavailable`, or
  with ``fail_mode="open"`` a :class:`FailOpenResult` for detect calls.
* 500 and other 5xx: :class:`ServerError`, never retried, never failed open (an error a
  crafted prompt can trigger must not open the gate).
* other 4xx: the matching :class:`APIError` subclass at once.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from urllib.parse import quote

import httpx
import orjson
from pydantic import BaseModel, ValidationError

from prompt_sentinel import __version__
from prompt_sentinel.engine.models import Mode, Verdict
from prompt_sentinel.schemas import (
    BatchResponse,
    BatchResult,
    DetectRequest,
    DetectResponse,
    ErrorBody,
    HealthResponse,
    Message,
)
from prompt_sentinel.sdk.errors import (
    InvalidRequest,
    ProtocolError,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    for_status,
)
from prompt_sentinel.sdk.models import FailOpenResult, admin_model

if TYPE_CHECKING:
    from prompt_sentinel.api.routes.admin import CreatedKey, KeyInfo

T = TypeVar("T")
FailMode = Literal["open", "closed"]
MessageLike = Message | Mapping[str, Any]
BatchInput = Iterable[Mapping[str, Any] | BaseModel | str]

KEYS = "/api/v1/admin/api-keys"


def _key_path(key_id: str) -> str:
    return f"{KEYS}/{quote(key_id, safe='')}"


UNAVAILABLE = frozenset({502, 503, 504})
# Nothing was sent: safe to retry even a call that is not idempotent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One API operation: how to send it and how to read its answer."""

    method: str
    path: str
    parse: Callable[[Any], T]  # the decoded JSON (None for an empty body) -> result
    body: Any = None
    idempotent: bool = True
    fail_open: Callable[[str], T] | None = None  # the synthetic result for fail_mode="open"
    also_ok: frozenset[int] = field(default_factory=frozenset)  # non-2xx answers that are results


@dataclass(frozen=True)
class Retry:
    delay: float


@dataclass(frozen=True)
class Done(Generic[T]):
    value: T


def encode(body: Any) -> bytes:
    """JSON bytes; lone surrogates (legal in prompts) fall back to ASCII escapes."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode()


def decode(content: bytes) -> Any:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)  # "\ud800" escapes: orjson refuses, json accepts


def retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date); None when absent or bad."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _first_error(exc: ValidationError) -> str:
    """A ValidationError as text without its input (which may be prompt text)."""
    errors = exc.errors(include_input=False, include_url=False)
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    loc = ".".join(str(p) for p in first["loc"])
    extra = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return (f"{loc}: {first['msg']}" if loc else str(first["msg"])) + extra


def model_parser(model: type[T]) -> Callable[[Any], T]:
    def parse(data: Any) -> T:
        try:
            return model.model_validate(data)  # type: ignore[attr-defined, no-any-return]
        except ValidationError as exc:
            raise ProtocolError(f"the answer does not match {model.__name__}: {_first_error(exc)}") from None

    return parse


def local_error(message: str) -> InvalidRequest:
    """A request refused before sending (same type as the server's 422)."""
    return InvalidRequest(422, ErrorBody(error="validation_error", message=message))


def fail_open_result(mode: Mode | None, error: str) -> FailOpenResult:
    return FailOpenResult(
        verdict=Verdict.ALLOW,
        confidence=0.0,
        categories=[],
        reasons=[],
        pii_detected=[],
        mode=mode or Mode.MODERATE,
        processing_time_ms=0.0,
        request_id=f"sdk-fail-open-{uuid.uuid4().hex}",
        error=error,
    )


class BaseClient:
    """Configuration and decisions shared by :class:`PromptSentinel` and
    :class:`AsyncPromptSentinel` (see the module docstring for the retry rules)."""

    def __init__(
        self,
        base_url: str = "http://localhost:8080",
        *,
        api_key: str | None = None,
        api_key_header: str = "X-API-Key",
        timeout: float | httpx.Timeout = 10.0,
        max_retries: int = 2,
        backoff_factor: float = 0.25,
        max_backoff: float = 8.0,
        max_retry_after: float = 30.0,
        fail_mode: FailMode = "closed",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if fail_mode not in ("open", "closed"):
            raise ValueError("fail_mode must be 'open' or 'closed'")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        self.fail_mode: FailMode = fail_mode
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.timeout = timeout
        self.headers = {"User-Agent": f"promptsentinel-python/{__version__}", **(headers or {})}
        if api_key:
            self.headers[api_key_header] = api_key

    # --- the operations, as Call objects -------------------------------------------

    def _detect_call(
        self,
        prompt: str | None,
        messages: Sequence[MessageLike] | None,
        mode: Mode | str | None,
        check_pii: bool | None,
        use_llm: bool,
    ) -> Call[DetectResponse]:
        try:
            req = DetectRequest.model_validate(
                {
                    "prompt": prompt,
                    "messages": messages,
                    "mode": mode,
                    "check_pii": check_pii,
                    "use_llm": use_llm,
                }
            )
        except ValidationError as exc:
            raise local_error(_first_error(exc)) from None
        body = req.model_dump(mode="json", exclude_none=True)
        if not use_llm:
            body.pop("use_llm")
        return Call(
            "POST",
            "/api/v1/detect",
            model_parser(DetectResponse),
            body,
            fail_open=lambda err: fail_open_result(req.mode, err),
        )

    def _batch_call(self, items: BatchInput, mode: Mode | str | None, check_pii: bool | None) -> Call[BatchResponse]:
        out: list[Any] = []
        for n, item in enumerate(items):
            if isinstance(item, str):
                out.append({"id": str(n), "prompt": item})
            elif isinstance(item, BaseModel):
                out.append(item.model_dump(mode="json", exclude_none=True))
            else:
                out.append(dict(item))
        if not out:
            raise local_error("items: give at least one item")
        body: dict[str, Any] = {"items": out}
        if mode is not None:
            body["mode"] = Mode(mode).value
        if check_pii is not None:
            body["check_pii"] = check_pii

        def synthetic(err: str) -> BatchResponse:
            results = [
                BatchResult(
                    id=i.get("id") if isinstance(i.get("id"), str) else None,
                    result=fail_open_result(Mode(mode) if mode else None, err),
                )
                for i in out
            ]
            return BatchResponse(
                results=results,
                processing_time_ms=0.0,
                request_id=f"sdk-fail-open-{uuid.uuid4().hex}",
            )

        return Call("POST", "/api/v1/detect/batch", model_parser(BatchResponse), body, fail_open=synthetic)

    def _health_call(self, path: str) -> Call[HealthResponse]:
        # /health/ready answers 503 with the same body when a dependency is unavailable.
        ok = frozenset({503}) if path == "/health/ready" else frozenset()
        return Call("GET", path, model_parser(HealthResponse), also_ok=ok)

    def _create_call(
        self,
        name: str,
        permissions: Sequence[str],
        rate_limit: int | None,
        expires_in_days: int | None,
    ) -> Call[CreatedKey]:
        body: dict[str, Any] = {"name": name, "permissions": list(permissions)}
        if rate_limit is not None:
            body["rate_limit"] = rate_limit
        if expires_in_days is not None:
            body["expires_in_days"] = expires_in_days
        return Call("POST", KEYS, model_parser(admin_model("CreatedKey")), body, idempotent=False)

    def _list_call(self) -> Call[list[KeyInfo]]:
        parse = model_parser(admin_model("KeyList"))
        return Call("GET", KEYS, lambda data: list(parse(data).keys))

    def _get_call(self, key_id: str) -> Call[KeyInfo]:
        return Call("GET", _key_path(key_id), model_parser(admin_model("KeyInfo")))

    def _revoke_call(self, key_id: str) -> Call[None]:
        return Call("DELETE", _key_path(key_id), lambda data: None)

    def _rotate_call(self, key_id: str) -> Call[CreatedKey]:
        return Call(
            "POST",
            f"{_key_path(key_id)}/rotate",
            model_parser(admin_model("CreatedKey")),
            idempotent=False,
        )

    # --- after each attempt ----------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_backoff, self.backoff_factor * 2**attempt))

    def _wait(self, attempt: int, hinted: float | None) -> float | None:
        """The delay before the next attempt, or None: give up."""
        if attempt >= self.max_retries:
            return None
        if hinted is None:
            return self._backoff(attempt)
        return hinted if hinted <= self.max_retry_after else None

    def _unavailable(self, call: Call[T], exc: ServiceUnavailable, cause: str) -> Done[T]:
        if self.fail_mode == "open" and call.fail_open is not None:
            return Done(call.fail_open(cause))
        raise exc

    def _after_error(self, call: Call[T], attempt: int, error: httpx.TransportError) -> Retry | Done[T]:
        name = type(error).__name__
        if call.idempotent or isinstance(error, _NOT_SENT):
            delay = self._wait(attempt, None)
            if delay is not None:
                return Retry(delay)
        exc = ServiceUnavailable(f"PromptSentinel at {self.base_url} is unreachable ({name})", cause=name)
        return self._unavailable(call, exc, name)

    def _after_response(self, call: Call[T], attempt: int, response: httpx.Response) -> Retry | Done[T]:
        status = response.status_code
        if 200 <= status < 300:
            return Done(call.parse(self._json(call, response)))
        if status in call.also_ok:  # e.g. /health/ready's 503, unless a proxy sent it
            with contextlib.suppress(ProtocolError):
                return Done(call.parse(self._json(call, response)))
        hinted = retry_after(response.headers)
        body = self._error_body(response)
        if status == 429:
            delay = self._wait(attempt, hinted)
            if delay is not None:
                return Retry(delay)
            raise RateLimited(status, body, hinted)
        if status in UNAVAILABLE:
            delay = self._wait(attempt, hinted) if call.idempotent else None
            if delay is not None:
                return Retry(delay)
            exc = ServiceUnavailable(f"PromptSentinel answered {status} {body.error}", status=status, body=body)
            return self._unavailable(call, exc, str(status))
        if status >= 500:
            raise ServerError(status, body)
        raise for_status(status, body, hinted)

    @staticmethod
    def _json(call: Call[Any], response: httpx.Response) -> Any:
        try:
            return decode(response.content) if response.content else None
        except ValueError:
            raise ProtocolError(f"{call.method} {call.path}: the answer is not JSON") from None

    @staticmethod
    def _error_body(response: httpx.Response) -> ErrorBody:
        try:
            return ErrorBody.model_validate(decode(response.content))
        except (ValueError, ValidationError):  # a proxy's HTML page, say
            return ErrorBody(
                error=f"http_{response.status_code}",
                message=response.reason_phrase or "unexpected answer",
            )

    def _request(self, client: httpx.Client | httpx.AsyncClient, call: Call[Any]) -> httpx.Request:
        headers = dict(self.headers)
        content = None
        if call.body is not None:
            content = encode(call.body)
            headers["Content-Type"] = "application/json"
        return client.build_request(call.method, self.base_url + call.path, content=content, headers=headers)
