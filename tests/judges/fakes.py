"""Local HTTP servers on loopback that speak the three providers' wire formats.

Each :class:`FakeProvider` checks what a real API checks (path, method, auth headers,
JSON body shape) and answers in that API's own shapes: a success with token usage, or
its error body (``{"type": "error", "error": {...}}`` for Anthropic, ``{"error":
{"message", "type", "param", "code"}}`` for OpenAI, ``{"error": {"code", "message",
"status", "details"}}`` for Gemini).  Tests script what comes next with
:meth:`FakeProvider.then`; every request is recorded for assertions.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ATTACK = {"label": "attack", "confidence": 0.95, "category": "jailbreak", "reason": "persona"}
BENIGN = {"label": "benign", "confidence": 0.9, "category": "none", "reason": "plain question"}


@dataclass
class Recorded:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    at: float  # time.monotonic() on arrival


@dataclass
class Step:
    """One scripted reply: a model answer, an error status, raw bytes; optional delay first."""

    answer: Any = None  # dict -> JSON text; str -> sent as the model's text verbatim
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # the whole HTTP body (e.g. malformed JSON)
    delay: float = 0.0
    retry_info: str | None = None  # Gemini RetryInfo retryDelay, e.g. "0.2s"


class FakeProvider(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, provider: str, key: str = "test-key-0123456789abcdef") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.provider = provider
        self.key = key
        self.model = {"anthropic": "claude-test", "openai": "gpt-test", "gemini": "gemini-test"}[provider]
        self.script: deque[Step] = deque()
        self.default = Step(answer=BENIGN)
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    # -- test API -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        root = f"http://127.0.0.1:{self.server_address[1]}"
        return root + "/v1" if self.provider == "openai" else root

    def then(self, *steps: Step) -> FakeProvider:
        with self.lock:
            self.script.extend(steps)
        return self

    def reset(self) -> None:
        with self.lock:
            self.script.clear()
            self.requests.clear()
            self.default = Step(answer=BENIGN)

    def start(self) -> FakeProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def next_step(self) -> Step:
        with self.lock:
            return self.script.popleft() if self.script else self.default

    def record(self, rec: Recorded) -> None:
        with self.lock:
            self.requests.append(rec)


# --- wire formats ---------------------------------------------------------------------------
_GEMINI_PATH = re.compile(r"/v1beta/models/([A-Za-z0-9._-]+):generateContent")


def error_body(provider: str, status: int, message: str) -> dict[str, Any]:
    """The provider's own error shape for ``status`` (messages may echo input, as real ones do)."""
    if provider == "anthropic":
        kind = {
            400: "invalid_request_error",
            401: "authentication_error",
            403: "permission_error",
            404: "not_found_error",
            429: "rate_limit_error",
            529: "overloaded_error",
        }.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}
    if provider == "openai":
        code = {401: "invalid_api_key", 429: "rate_limit_exceeded", 404: "model_not_found"}.get(status)
        kind = "server_error" if status >= 500 else "invalid_request_error"
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}
    gstatus = {
        400: "INVALID_ARGUMENT",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }.get(status, "UNKNOWN")
    return {"error": {"code": status, "message": message, "status": gstatus}}


def success_body(provider: str, model: str, text: str, in_tokens: int, out_tokens: int) -> Any:
    if provider == "anthropic":
        return {
            "id": "msg_01Test",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": in_tokens, "output_tokens": out_tokens},
        }
    if provider == "openai":
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "logprobs": None,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": text, "refusal": None},
                }
            ],
            "usage": {
                "prompt_tokens": in_tokens,
                "completion_tokens": out_tokens,
                "total_tokens": in_tokens + out_tokens,
            },
        }
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": in_tokens,
            "candidatesTokenCount": out_tokens,
            "totalTokenCount": in_tokens + out_tokens,
        },
        "modelVersion": model,
        "responseId": "resp-test",
    }


def _user_text(provider: str, body: dict[str, Any]) -> str:
    if provider == "anthropic":
        return str(body["messages"][0]["content"])
    if provider == "openai":
        return str(body["messages"][-1]["content"])
    return str(body["contents"][0]["parts"][0]["text"])


def _check(
    server: FakeProvider, path: str, query: dict[str, list[str]], headers: dict[str, str], body: Any
) -> tuple[int, str] | None:
    """What the real API would refuse: (status, message) or None."""
    p = server.provider
    if p == "anthropic":
        if path != "/v1/messages":
            return 404, "Not found"
        if headers.get("x-api-key") != server.key:
            return 401, "invalid x-api-key"
        if not headers.get("anthropic-version"):
            return 400, "anthropic-version: header is required"
        ok = (
            isinstance(body, dict)
            and isinstance(body.get("model"), str)
            and isinstance(body.get("max_tokens"), int)
            and isinstance(body.get("messages"), list)
            and body["messages"]
            and body["messages"][0].get("role") == "user"
            and isinstance(body.get("system", ""), str)
        )
        return None if ok else (400, "messages: field required")
    if p == "openai":
        if path != "/v1/chat/completions":
            return 404, "Invalid URL (POST " + path + ")"
        auth = headers.get("authorization", "")
        if auth != f"Bearer {server.key}":
            return 401, "Incorrect API key provided: " + auth[7:]  # real ones echo (part of) the key
        ok = (
            isinstance(body, dict)
            and isinstance(body.get("model"), str)
            and isinstance(body.get("messages"), list)
            and len(body["messages"]) >= 1
            and all(m.get("role") in ("system", "user", "assistant", "developer") for m in body["messages"])
        )
        return None if ok else (400, "Missing required parameter: 'messages'.")
    m = _GEMINI_PATH.fullmatch(path)
    if m is None:
        return 404, "Requested entity was not found."
    key = headers.get("x-goog-api-key") or (query.get("key") or [None])[0]
    if key is None:
        return 403, "Method doesn't allow unregistered callers."
    if key != server.key:
        return 400, "API key not valid. Please pass a valid API key."
    ok = (
        isinstance(body, dict)
        and isinstance(body.get("contents"), list)
        and body["contents"]
        and isinstance(body["contents"][0].get("parts"), list)
    )
    return None if ok else (400, "* GenerateContentRequest.contents: contents is not specified")


class _Handler(BaseHTTPRequestHandler):
    server: FakeProvider
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        srv = self.server
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        headers = {k.lower(): v for k, v in self.headers.items()}
        raw = self.rfile.read(int(headers.get("content-length", "0") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        srv.record(Recorded(parts.path, query, headers, body, time.monotonic()))
        refused = _check(srv, parts.path, query, headers, body)
        if refused is not None:
            status, message = refused
            self._send(status, error_body(srv.provider, status, message))
            return
        step = srv.next_step()
        if step.delay:
            time.sleep(step.delay)
        if step.raw is not None:
            self._send(step.status, None, step.headers, raw=step.raw)
        elif step.status != 200:
            # Real error messages can echo the input: ours quote it, and the client must not.
            err = error_body(srv.provider, step.status, "bad: " + _user_text(srv.provider, body)[:80])
            if step.retry_info:
                err["error"]["details"] = [
                    {
                        "@type": "type.googleapis.com/google.rpc.RetryInfo",
                        "retryDelay": step.retry_info,
                    }
                ]
            self._send(step.status, err, step.headers)
        else:
            text = step.answer if isinstance(step.answer, str) else json.dumps(step.answer)
            out = success_body(srv.provider, srv.model, text, len(raw) // 4, len(text) // 4)
            self._send(200, out, step.headers)

    def _send(
        self,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
            pass
