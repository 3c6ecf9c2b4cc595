"""One detection request as the HTTP route and the WebSocket both answer it.

The verdict cache first (:func:`~prompt_sentinel.store.cache.cached_detect`), then, when
an LLM judge is configured, :func:`~prompt_sentinel.judges.judge_response` on a cache
miss.  Who may ask for a paid judge call (``allowed``) is the caller's to decide.
"""

from __future__ import annotations

from typing import Any

from prompt_sentinel.engine.engine import Engine
from prompt_sentinel.judges import judge_response, render_messages
from prompt_sentinel.schemas import DetectRequest, DetectResponse
from prompt_sentinel.store.cache import cached_detect

__all__ = ["detect_request"]


async def detect_request(
    state: Any, engine: Engine, body: DetectRequest, request_id: str, *, allowed: bool
) -> dict[str, Any]:
    """The JSON-ready answer to ``body``; raises PromptTooLong like the engine."""
    judge = getattr(state, "judge", None)
    post = None
    if judge is not None:
        text = body.prompt if body.prompt is not None else render_messages(body.messages or [])

        async def post(result: dict[str, Any]) -> dict[str, Any]:
            judged = await judge_response(
                judge, text, DetectResponse.model_validate(result), use_llm=body.use_llm, allowed=allowed
            )
            return judged.model_dump(mode="json")

    return await cached_detect(
        getattr(state, "verdict_cache", None),
        engine,
        body.prompt,
        body.messages,
        mode=body.mode,
        check_pii=body.check_pii,
        request_id=request_id,
        post=post,
        key_tag="llm" if judge is not None and body.use_llm else "",
    )
