"""The reference for bench/load.py: a bare ASGI app under uvicorn that echoes JSON.

It reads the whole body, parses it and sends it back (orjson both ways): the least an
HTTP JSON service can do per request, on the same server stack as PromptSentinel
(uvicorn with uvloop and httptools). The ratio of our requests/s to this one's is our
overhead on the same machine.

Run: ``python bench/echo_app.py --port 8090 [--workers N]``
"""

from __future__ import annotations

import argparse
from typing import Any

import orjson
import uvicorn

_HEADERS = [(b"content-type", b"application/json")]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    try:
        out = orjson.dumps(orjson.loads(body)) if body else b"{}"
        status = 200
    except orjson.JSONDecodeError:
        out, status = b'{"error":"invalid_json"}', 422
    await send({"type": "http.response.start", "status": status, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": out})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    uvicorn.run(
        "echo_app:app" if args.workers > 1 else app,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_level="warning",
        app_dir=str(__import__("pathlib").Path(__file__).parent),
    )


if __name__ == "__main__":
    main()
