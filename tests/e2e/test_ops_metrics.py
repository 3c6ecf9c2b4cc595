"""Prometheus metrics of a real server process: exact counts, both listeners, several
workers, and the dashboards' and alerts' PromQL against a live exposition."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml

from tests.observability.ops_support import ALLOW, BLOCK, Scrape, detect, scrape
from tests.support.procs import ROOT, Server

SPEC_NAMES = (
    "promptsentinel_requests_total",
    "promptsentinel_detections_total",
    "promptsentinel_request_duration_seconds_bucket",
    "promptsentinel_cache_hits_total",
    "promptsentinel_cache_requests_total",
)
N_BLOCK, N_ALLOW = 3, 2


@pytest.fixture(scope="module")
def mixed() -> Iterator[tuple[Server, Scrape, Scrape]]:
    """A server that served a known mix of requests, and its two expositions."""
    srv = Server(env={"LOG_LEVEL": "INFO"}).start()
    try:
        with httpx.Client(base_url=srv.url, timeout=30) as c:
            # distinct texts: a verdict cache must not change what the engine sees
            for i in range(N_BLOCK):
                assert c.post("/api/v1/detect", json={"prompt": f"{BLOCK} (ticket {i})"}).json()["verdict"] == "block"
            for i in range(N_ALLOW):
                assert c.post("/api/v1/detect", json={"prompt": f"{ALLOW} {i}?"}).json()["verdict"] == "allow"
            assert (
                c.post(
                    "/api/v1/detect",
                    content=b"{not json",
                    headers={"content-type": "application/json"},
                ).status_code
                == 422
            )
            assert c.get("/no/such/page/12345").status_code == 404
        on_metrics_port = scrape(f"http://127.0.0.1:{srv.metrics_port}/metrics")
        on_main_port = scrape(f"{srv.url}/metrics")
        yield srv, on_metrics_port, on_main_port
    finally:
        assert srv.stop() == 0


def test_spec_metric_names_are_exported(mixed: tuple[Server, Scrape, Scrape]) -> None:
    _, m, _ = mixed
    for name in SPEC_NAMES:
        assert m.series(name), f"{name} has no sample"
    # the cache series exist at zero before any lookup (backend label pre-initialised)
    assert m.value("promptsentinel_cache_requests_total", backend="memory") is not None
    assert m.value("promptsentinel_cache_hits_total", backend="memory") is not None


def test_counts_are_exact(mixed: tuple[Server, Scrape, Scrape]) -> None:
    _, m, _ = mixed
    route, post = "/api/v1/detect", "POST"
    assert m.value("promptsentinel_detections_total", verdict="block", mode="moderate") == N_BLOCK
    assert m.value("promptsentinel_detections_total", verdict="allow", mode="moderate") == N_ALLOW
    assert m.sum("promptsentinel_detections_total") == N_BLOCK + N_ALLOW
    assert m.value("promptsentinel_requests_total", route=route, method=post, status="2xx") == N_BLOCK + N_ALLOW
    assert m.value("promptsentinel_requests_total", route=route, method=post, status="4xx") == 1
    assert m.value("promptsentinel_requests_total", route="unmatched", method="GET", status="4xx") == 1
    n = N_BLOCK + N_ALLOW + 1
    assert m.value("promptsentinel_request_duration_seconds_count", route=route, method=post) == n
    assert m.value("promptsentinel_request_duration_seconds_bucket", route=route, method=post, le="+Inf") == n
    # every screened prompt ran the rule detector once
    assert m.value("promptsentinel_detector_duration_seconds_count", detector="heuristics") == (N_BLOCK + N_ALLOW)
    info = m.series("promptsentinel_build_info")
    assert info and info[0]["version"]


def test_labels_are_bounded(mixed: tuple[Server, Scrape, Scrape]) -> None:
    _, m, _ = mixed
    for labels in m.series("promptsentinel_requests_total"):
        assert labels["status"] in {"1xx", "2xx", "3xx", "4xx", "5xx"}
        assert "12345" not in labels["route"]


def test_main_port_metrics_match(mixed: tuple[Server, Scrape, Scrape]) -> None:
    _, m, main = mixed
    for verdict in ("block", "allow"):
        assert main.value("promptsentinel_detections_total", verdict=verdict, mode="moderate") == (
            m.value("promptsentinel_detections_total", verdict=verdict, mode="moderate")
        )


_METRIC = re.compile(r"\bpromptsentinel_[a-z0-9_]+\b")


def _promql_in(path: Path) -> list[str]:
    if path.suffix == ".json":
        exprs: list[str] = []

        def walk(node: object) -> None:
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "expr" and isinstance(v, str):
                        exprs.append(v)
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(json.loads(path.read_text()))
        return exprs
    rules = yaml.safe_load(path.read_text())
    return [r["expr"] for g in (rules or {}).get("groups", []) for r in g["rules"]]


def test_dashboard_and_alert_queries_use_exported_metrics(
    mixed: tuple[Server, Scrape, Scrape],
) -> None:
    _, m, _ = mixed
    files = sorted((ROOT / "deploy" / "monitoring").glob("*.json")) + [ROOT / "deploy" / "monitoring" / "alerts.yml"]
    assert any(p.suffix == ".json" for p in files)
    checked = 0
    for path in files:
        for expr in _promql_in(path):
            for name in _METRIC.findall(expr):
                assert name in m.names, f"{path.name}: {name} is not exported (in {expr!r})"
                checked += 1
    assert checked >= 20


def test_counts_add_up_across_two_workers() -> None:
    srv = Server(env={"WORKERS": "2"}).start()
    try:
        prompts = [f"{BLOCK} (case {i})" for i in range(6)] + [f"{ALLOW} {i}?" for i in range(4)]
        with ThreadPoolExecutor(4) as pool:  # fresh connections, spread over the workers
            verdicts = [r.json()["verdict"] for r in pool.map(lambda p: detect(srv.url, p), prompts)]
        assert verdicts.count("block") == 6 and verdicts.count("allow") == 4
        for url in (f"http://127.0.0.1:{srv.metrics_port}/metrics", f"{srv.url}/metrics"):
            m = scrape(url)
            assert m.value("promptsentinel_detections_total", verdict="block", mode="moderate") == 6
            assert m.value("promptsentinel_detections_total", verdict="allow", mode="moderate") == 4
            assert (
                m.value(
                    "promptsentinel_requests_total",
                    route="/api/v1/detect",
                    method="POST",
                    status="2xx",
                )
                == 10
            )
            # one live-gauge series per worker process: the listener reads both workers' files
            assert len(m.series("promptsentinel_redis_up")) == 2
            assert m.series("promptsentinel_build_info")
    finally:
        assert srv.stop() == 0
