"""The references for bench/load.py: two echo endpoints under uvicorn.

``--kind asgi`` (default): a bare ASGI app that reads the whole body, parses it and sends
it back (orjson both ways): the least an HTTP JSON service can do per request, on
uvicorn's defaults (uvloop and httptools).

``--kind fastapi``: the same echo as a FastAPI route with a pydantic body model
(``{"prompt": str}``) returning a response model, also on uvicorn's defaults: what the
framework we build on costs before any detection.  (Not on the asyncio loop that
``promptsentinel serve`` uses: with several workers uvicorn's asyncio loop leaves Nagle's
algorithm on for accepted connections, ~40 ms per answer, which ``server.py`` works
around and this reference should not have to.)

The ratio of our requests/s to theirs is our overhead on the same machine.

Run: ``python bench/echo_app.py --port 8090 [--workers N] [--kind fastapi]``
"""

from __future__ import annotations

import argparse
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, Field

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


class Echo(BaseModel):
    prompt: str = Field(min_length=1, max_length=100_000)


def _fastapi_app() -> FastAPI:
    api = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @api.get("/")
    async def ready() -> dict[str, str]:  # what bench/procs.py waits for
        return {}

    @api.post("/", response_model=Echo)
    async def echo(body: Echo) -> Echo:
        return body

    return api


fastapi_app = _fastapi_app()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--kind", choices=["asgi", "fastapi"], default="asgi")
    args = ap.parse_args()
    name = "app" if args.kind == "asgi" else "fastapi_app"
    uvicorn.run(
        f"echo_app:{name}" if args.workers > 1 else globals()[name],
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_level="warning",
        app_dir=str(__import__("pathlib").Path(__file__).parent),
    )


if __name__ == "__main__":
    main()
