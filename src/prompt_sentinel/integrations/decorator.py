"""A decorator that screens one argument of an async function before it runs.

    @screen(client, field="body.messages")
    async def chat(body: ChatRequest) -> ChatReply: ...

``field`` is the parameter's name, then an optional dotted path into it (keys, indexes,
attributes; a Starlette ``Request`` is read as JSON first).  The value must be a prompt
string or a list of chat messages (OpenAI-style dicts or objects).  A blocking verdict
raises :class:`PromptRejected` (a 403 ``HTTPException`` in Starlette/FastAPI; elsewhere an
exception carrying ``.result``).  With ``result_arg="screening"`` the result is passed to
that parameter, which is hidden from the signature FastAPI sees.  The SDK's errors
(e.g. ServiceUnavailable with ``fail_mode="closed"``) propagate.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal, ParamSpec, TypeVar

from starlette.requests import Request

from prompt_sentinel.integrations._screen import MISSING, PromptRejected, get_path, screen_value
from prompt_sentinel.sdk import AsyncPromptSentinel

__all__ = ["screen"]

P = ParamSpec("P")
R = TypeVar("R")


def _signature(fn: Callable[..., Any]) -> inspect.Signature:
    try:  # evaluated annotations, so FastAPI can read them from the wrapper
        return inspect.signature(fn, eval_str=True)
    except (NameError, TypeError):
        return inspect.signature(fn)


def screen(
    client: AsyncPromptSentinel,
    *,
    field: str = "prompt",
    action: Literal["reject", "annotate"] = "reject",
    block_verdicts: Iterable[str] = ("block",),
    mode: str | None = None,
    check_pii: bool | None = None,
    result_arg: str | None = None,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Screen ``field`` of each call of the decorated async function (see the module doc)."""
    if action not in ("reject", "annotate"):
        raise ValueError("action must be 'reject' or 'annotate'")
    blocking = frozenset(block_verdicts)
    param, _, path = field.partition(".")

    def decorate(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"@screen needs an async function; {fn.__name__} is not one")
        sig = _signature(fn)
        for name in (param, result_arg):
            if name is not None and name not in sig.parameters:
                raise TypeError(f"{fn.__name__} has no parameter {name!r}")

        @functools.wraps(fn)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = sig.bind_partial(*args, **kwargs)
            bound.apply_defaults()
            value = bound.arguments.get(param, MISSING)
            if isinstance(value, Request):
                value = await value.json()
            if path and value is not MISSING:
                value = get_path(value, path)
            result = None
            if value is not MISSING and value is not None:
                result = await screen_value(client, value, field, mode=mode, check_pii=check_pii)
            if result is not None and action == "reject" and result.verdict.value in blocking:
                raise PromptRejected(result)
            if result_arg is not None:
                bound.arguments[result_arg] = result
            return await fn(*bound.args, **bound.kwargs)

        if result_arg is not None:
            params = [p for p in sig.parameters.values() if p.name != result_arg]
            wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
        return wrapper

    return decorate
