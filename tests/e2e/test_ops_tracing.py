"""Traces of a real server process reach an OTLP/HTTP receiver on loopback."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from tests.observability.ops_support import BLOCK, json_lines
from tests.support.procs import Server

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


class Receiver(ThreadingHTTPServer):
    """A minimal OTLP/HTTP collector: POST /v1/traces with a protobuf body."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.spans: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest.FromString(body)
        with self.server.lock:
            self.server.paths.append(self.path)
            for rs in request.resource_spans:
                resource = {a.key: a.value.string_value for a in rs.resource.attributes}
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        self.server.spans.append(
                            {
                                "name": s.name,
                                "trace_id": s.trace_id.hex(),
                                "span_id": s.span_id.hex(),
                                "parent": s.parent_span_id.hex(),
                                "kind": s.kind,
                                "attributes": {a.key: a.value for a in s.attributes},
                                "service": resource.get("service.name"),
                            }
                        )
        reply = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    thread = threading.Thread(target=rec.serve_forever, daemon=True)
    thread.start()
    yield rec
    rec.shutdown()
    rec.server_close()


def test_request_and_detector_spans_reach_the_collector(receiver: Receiver) -> None:
    srv = Server(
        env={
            "ENABLE_TRACING": "true",
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,
            "OTEL_BSP_SCHEDULE_DELAY": "100",
        }
    ).start()
    try:
        r = httpx.post(
            f"{srv.url}/api/v1/detect",
            json={"prompt": BLOCK},
            timeout=30,
            headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"},
        )
        assert r.status_code == 200
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with receiver.lock:
                ours = [s for s in receiver.spans if s["trace_id"] == TRACE_ID]
            if any(s["name"].startswith("detector ") for s in ours) and any(
                s["name"] == "POST /api/v1/detect" for s in ours
            ):
                break
            time.sleep(0.1)
    finally:
        assert srv.stop() == 0

    assert receiver.paths and set(receiver.paths) == {"/v1/traces"}
    request_span = next(s for s in ours if s["name"] == "POST /api/v1/detect")
    assert request_span["parent"] == PARENT_ID  # the caller's traceparent was honoured
    assert request_span["kind"] == 2  # SPAN_KIND_SERVER
    assert request_span["attributes"]["http.route"].string_value == "/api/v1/detect"
    assert request_span["attributes"]["http.response.status_code"].int_value == 200
    assert request_span["service"] == "promptsentinel"
    detectors = {s["attributes"]["detector"].string_value for s in ours if s["name"].startswith("detector ")}
    assert "heuristics" in detectors
    assert all(s["parent"] == request_span["span_id"] for s in ours if s["name"].startswith("detector "))
    # the access line carries the trace id
    access = [x for x in json_lines(srv.logs()) if x.get("route") == "/api/v1/detect"]
    assert access and access[0]["trace_id"] == TRACE_ID
