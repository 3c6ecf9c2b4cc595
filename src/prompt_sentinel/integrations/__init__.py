"""Screen prompts inside your own application: an ASGI middleware and a decorator.

* :class:`PromptSentinelMiddleware` screens a JSON field of incoming requests
  (Starlette, FastAPI, any ASGI app) and rejects (403) or annotates them.
* :func:`screen` does the same for one argument of an async function (a route handler,
  or the step of a chat loop that calls the model).

Both use an :class:`~prompt_sentinel.sdk.AsyncPromptSentinel`; its ``fail_mode`` decides
what happens when PromptSentinel is unreachable.  docs/INTEGRATIONS.md has examples.
"""

from __future__ import annotations

from prompt_sentinel.integrations._screen import (
    PromptRejected,
    UnscreenableInput,
    get_path,
    to_messages,
)
from prompt_sentinel.integrations.asgi import PromptSentinelMiddleware
from prompt_sentinel.integrations.decorator import screen

__all__ = [
    "PromptRejected",
    "PromptSentinelMiddleware",
    "UnscreenableInput",
    "get_path",
    "screen",
    "to_messages",
]
