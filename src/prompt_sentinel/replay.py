"""Hand an ASGI app a request body that a middleware has already read."""

from __future__ import annotations

from starlette.types import Message, Receive

__all__ = ["replay_body"]


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over ``body`` in one message, then the client's next messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
