"""AccessMiddleware: bounded labels, exact counts, one safe access line per request."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from prompt_sentinel.api.middleware import RequestContextMiddleware
from prompt_sentinel.observability.access import UNMATCHED, AccessMiddleware
from tests.observability.conftest import sample

PROMPT = "SECRET-PROMPT-TEXT-for-access-tests"


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/acc/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @app.post("/acc/detect")
    async def detect(request: Request) -> dict[str, str]:
        body = await request.json()
        request.state.verdict = body["verdict"]
        request.state.prompt_chars = len(body["prompt"])
        request.state.prompt_hash = "0123456789ab"
        if "mode" in body:
            request.state.mode = body["mode"]
        return {"ok": "yes"}

    @app.post("/acc/batch")
    async def batch(request: Request) -> dict[str, str]:
        request.state.verdicts = ["block", "allow", "block"]
        request.state.categories = ["jailbreak", "made-up-category"]
        return {"ok": "yes"}

    @app.get("/acc/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    app.add_middleware(RequestContextMiddleware, max_body=2048)
    app.add_middleware(AccessMiddleware, default_mode="moderate", static_paths=lambda: [r.path for r in app.routes])
    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "route", "status_class"),
    [
        # a path parameter: the template is the label, never the id
        ("GET", "/acc/items/12345", {}, "/acc/items/{item_id}", "2xx"),
        # validation error on a matched route
        ("GET", "/acc/items/not-a-number", {}, "/acc/items/{item_id}", "4xx"),
        # unknown paths share one bucket
        ("GET", "/acc/no/such/path/9f8e7d", {}, UNMATCHED, "4xx"),
        # refused by the size limit before routing: a static path keeps its name
        ("POST", "/acc/detect", {"content": b"x" * 4096}, "/acc/detect", "4xx"),
        # an unhandled exception is a 5xx
        ("GET", "/acc/boom", {}, "/acc/boom", "5xx"),
        # a method outside the fixed set
        ("PURGE", "/acc/items/1", {}, "/acc/items/{item_id}", "4xx"),
    ],
)
def test_request_metrics_use_bounded_labels(
    client: TestClient,
    method: str,
    path: str,
    kwargs: dict[str, object],
    route: str,
    status_class: str,
) -> None:
    label_method = method if method != "PURGE" else "OTHER"
    before = sample("promptsentinel_requests_total", route=route, method=label_method, status=status_class)
    hist_before = sample("promptsentinel_request_duration_seconds_count", route=route, method=label_method)
    client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert sample("promptsentinel_requests_total", route=route, method=label_method, status=status_class) == before + 1
    assert sample("promptsentinel_request_duration_seconds_count", route=route, method=label_method) == hist_before + 1


def test_verdicts_counted_per_request_with_mode(client: TestClient) -> None:
    block = sample("promptsentinel_detections_total", verdict="block", mode="moderate")
    allow_strict = sample("promptsentinel_detections_total", verdict="allow", mode="strict")
    for _ in range(3):
        client.post("/acc/detect", json={"verdict": "block", "prompt": PROMPT})
    client.post("/acc/detect", json={"verdict": "allow", "prompt": PROMPT, "mode": "strict"})
    assert sample("promptsentinel_detections_total", verdict="block", mode="moderate") == block + 3
    assert sample("promptsentinel_detections_total", verdict="allow", mode="strict") == allow_strict + 1


def test_batch_verdicts_and_categories(client: TestClient) -> None:
    block = sample("promptsentinel_detections_total", verdict="block", mode="moderate")
    other = sample("promptsentinel_detection_categories_total", category="other")
    client.post("/acc/batch", json={})
    assert sample("promptsentinel_detections_total", verdict="block", mode="moderate") == block + 2
    # an unknown category never becomes a label value of its own
    assert sample("promptsentinel_detection_categories_total", category="other") == other + 1
    assert sample("promptsentinel_detection_categories_total", category="made-up-category") == 0


def test_one_access_line_with_the_request_facts_and_no_prompt(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="promptsentinel.access"):
        r = client.post(
            "/acc/detect",
            json={"verdict": "flag", "prompt": PROMPT},
            headers={"X-Request-ID": "client-chosen-id-1"},
        )
    lines = [rec for rec in caplog.records if rec.name == "promptsentinel.access"]
    assert len(lines) == 1
    rec = lines[0]
    assert r.headers["x-request-id"] == "client-chosen-id-1"
    assert rec.request_id == "client-chosen-id-1"  # type: ignore[attr-defined]
    assert (rec.route, rec.method, rec.status, rec.verdict) == (  # type: ignore[attr-defined]
        "/acc/detect",
        "POST",
        200,
        "flag",
    )
    assert rec.prompt_chars == len(PROMPT) and rec.prompt_hash == "0123456789ab"  # type: ignore[attr-defined]
    assert rec.latency_ms >= 0  # type: ignore[attr-defined]
    assert PROMPT not in str(vars(rec))


def test_server_errors_are_logged_at_warning(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="promptsentinel.access"):
        client.get("/acc/boom")
    rec = [r for r in caplog.records if r.name == "promptsentinel.access"][-1]
    assert rec.levelno == logging.WARNING and rec.status == 500  # type: ignore[attr-defined]


def test_label_children_are_cached() -> None:
    mw = AccessMiddleware(_app(), default_mode="moderate")
    client = TestClient(mw)
    for _ in range(3):
        client.get("/acc/items/1")
    assert list(mw._children) == [("/acc/items/{item_id}", "GET", 200)]
