"""Shared helpers for the deployment tests: paths, the model check, a recording backend."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@functools.cache
def model_loads() -> bool:
    """The shipped classifier (package data under models/) is there and loads.  Its own
    tests (tests/ml, tests/detectors) fail when it does not; these tests are about the
    deployment and only need some engine."""
    from prompt_sentinel.ml.model import ClassifierModel, ModelError

    try:
        ClassifierModel.load()
    except ModelError:
        return False
    return True


def engine_env() -> dict[str, str]:
    """Settings for a test server: the defaults, minus the classifier if it cannot load."""
    return {} if model_loads() else {"ENABLE_CLASSIFIER": "false"}


def ensure_tool(script: str, *commands: str, always: bool = False) -> None:
    """Run scripts/<script> (it installs Debian packages and returns at once when they are
    there) if a command is missing, or always; skip only when it cannot install them."""
    if not always and all(shutil.which(c) for c in commands):
        return
    if shutil.which("apt-get") is None and not all(shutil.which(c) for c in commands):
        pytest.skip(f"{', '.join(commands)} missing and apt-get unavailable")
    proc = subprocess.run(["bash", str(ROOT / "scripts" / script)], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 or not all(shutil.which(c) for c in commands):
        pytest.skip(f"scripts/{script} could not install {commands}: {proc.stderr[-500:]}")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Backend:
    """The application behind the edge proxy: records every request it receives."""

    port: int = 0
    seen: list[Seen] = field(default_factory=list)

    def last(self) -> Seen:
        return self.seen[-1]


@contextmanager
def recording_backend() -> Iterator[Backend]:
    backend = Backend()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            backend.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            out = json.dumps({"ok": True}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = do_PUT = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    backend.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield backend
    finally:
        server.shutdown()
        server.server_close()


def load_json(response: Any) -> dict[str, Any]:
    assert response.headers.get("content-type", "").startswith("application/json"), response.text
    data = response.json()
    assert isinstance(data, dict)
    return data
