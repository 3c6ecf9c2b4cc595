"""Every Prometheus metric of the service, defined once.

Names are the ones the deployment guide's dashboards query.  Labels are bounded:
route templates, status classes (2xx...), verdicts, categories, detector names,
provider names; never raw paths, ids or user data.
"""

from __future__ import annotations

import os
import platform

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)

from prompt_sentinel import __version__
from prompt_sentinel.engine.models import Verdict

# No *_created series: they double the exposition and no dashboard reads them.
disable_created_metrics()

LATENCY_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
DETECTOR_BUCKETS = (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)

REQUESTS = Counter("promptsentinel_requests", "HTTP requests served", ["route", "method", "status"])
REQUEST_DURATION = Histogram(
    "promptsentinel_request_duration_seconds",
    "HTTP request latency",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
DETECTIONS = Counter("promptsentinel_detections", "Detection verdicts", ["verdict", "mode"])
DETECTION_CATEGORIES = Counter("promptsentinel_detection_categories", "Verdict categories", ["category"])
DETECTOR_DURATION = Histogram(
    "promptsentinel_detector_duration_seconds",
    "Time spent in each detector",
    ["detector"],
    buckets=DETECTOR_BUCKETS,
)
DETECTOR_ERRORS = Counter("promptsentinel_detector_errors", "Detector failures", ["detector"])
CACHE_REQUESTS = Counter("promptsentinel_cache_requests", "Verdict cache lookups", ["backend"])
CACHE_HITS = Counter("promptsentinel_cache_hits", "Verdict cache hits", ["backend"])
AUTH_FAILURES = Counter("promptsentinel_auth_failures", "Rejected authentication", ["reason"])
RATE_LIMITED = Counter("promptsentinel_rate_limited", "Requests refused by the rate limiter", ["route"])
REDIS_ERRORS = Counter("promptsentinel_redis_errors", "Redis operations that failed", ["operation"])
REDIS_UP = Gauge("promptsentinel_redis_up", "1 when Redis answers, 0 when degraded", multiprocess_mode="liveall")
PROVIDER_CALLS = Counter("promptsentinel_llm_provider_calls", "LLM judge calls", ["provider", "outcome"])
PROVIDER_DURATION = Histogram(
    "promptsentinel_llm_provider_duration_seconds",
    "LLM judge call latency",
    ["provider"],
    buckets=LATENCY_BUCKETS,
)
PROVIDER_TOKENS = Counter("promptsentinel_llm_provider_tokens", "LLM tokens used", ["provider", "kind"])
PROVIDER_COST = Counter("promptsentinel_llm_provider_cost_usd", "Estimated LLM spend (USD)", ["provider"])
BUILD_INFO = Info("promptsentinel_build", "Build information")


def observe_detector(name: str, seconds: float, failed: bool) -> None:
    """Engine observer: detector latency and errors."""
    DETECTOR_DURATION.labels(name).observe(seconds)
    if failed:
        DETECTOR_ERRORS.labels(name).inc()


# --- exposition -------------------------------------------------------------------
# Under several uvicorn workers every process writes its values to files in
# PROMETHEUS_MULTIPROC_DIR (set by the parent before the workers start); whoever
# serves /metrics then reads them all through a MultiProcessCollector.

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class _BuildInfoCollector:
    """Re-exports BUILD_INFO, which multiprocess files do not carry (Info is per process)."""

    def collect(self):  # type: ignore[no-untyped-def]
        return BUILD_INFO.collect()


def multiprocess_dir() -> str | None:
    """The multiprocess directory when this process runs in multiprocess mode."""
    return os.environ.get(MULTIPROC_ENV) or None


def exposition_registry() -> CollectorRegistry:
    """The registry whose exposition is the whole service (all workers)."""
    path = multiprocess_dir()
    if path is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=path)
    registry.register(_BuildInfoCollector())  # type: ignore[arg-type]
    return registry


def render() -> tuple[bytes, str]:
    """The text exposition and its content type."""
    return generate_latest(exposition_registry()), CONTENT_TYPE_LATEST


def set_build_info(environment: str) -> None:
    BUILD_INFO.info({"version": __version__, "python": platform.python_version(), "environment": environment})


def preinitialise(cache_backend: str, default_mode: str) -> None:
    """Create the label sets dashboards query so they are exported at zero.

    A labelled counter with no child shows no sample: the cache hit-rate panel and
    the verdict mix would show "no data" instead of 0 on a fresh process.
    """
    CACHE_REQUESTS.labels(cache_backend)
    CACHE_HITS.labels(cache_backend)
    for verdict in Verdict:
        DETECTIONS.labels(verdict.value, default_mode)


def mark_worker_dead(pid: int) -> None:
    """Drop a stopped worker's live gauges (multiprocess mode only)."""
    path = multiprocess_dir()
    if path is not None:
        multiprocess.mark_process_dead(pid, path)
