"""JSON responses that never fail on odd Unicode.

orjson is fast but refuses lone surrogates (legal in JSON input as "\\ud800" and thus
possible in prompts we echo back in ``modified_prompt``); those rare bodies fall back
to the standard library with ASCII escapes, which is still valid JSON.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from fastapi.responses import JSONResponse


def dumps(content: Any) -> bytes:
    try:
        return orjson.dumps(content)
    except TypeError:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":"), default=str).encode()


class FastJSONResponse(JSONResponse):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)
