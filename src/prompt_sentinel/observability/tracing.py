"""OpenTelemetry tracing, exported as OTLP over HTTP (protobuf); off unless ENABLE_TRACING.

Where spans go, first match wins:

1. ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` (OpenTelemetry's own variable): used as is;
2. ``OTEL_EXPORTER_OTLP_ENDPOINT``: a collector's base URL; ``/v1/traces`` is appended
   unless the URL already ends with it;
3. ``JAEGER_ENDPOINT``: the deployment guide names Jaeger's legacy Thrift collector
   (``http://jaeger:14268/api/traces``).  Jaeger (1.35 and later, and v2) accepts OTLP
   itself, on port 4318, so that value is mapped to ``http://jaeger:4318/v1/traces``: same
   scheme and host; the legacy ports 14268 (Thrift HTTP), 14250 (gRPC), 6831/6832
   (agent, UDP) become 4318; the path becomes ``/v1/traces``.  Any other port is kept;
4. ``http://localhost:4318/v1/traces``.

Spans: one SERVER span per HTTP request (access middleware; W3C ``traceparent`` from the
caller is honoured), one per detector (the engine's ``span_hook``), and whatever other
code wraps in :func:`span` (cache, Redis and LLM provider calls).  The OpenTelemetry
SDK's own variables apply too (``OTEL_SERVICE_NAME``, ``OTEL_TRACES_SAMPLER``,
``OTEL_BSP_SCHEDULE_DELAY``...).

The SDK and exporter are imported only when tracing is on (extra ``otel``); a missing
package stops start-up with a message that says which extra to install.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from prompt_sentinel.settings import ConfigError, Settings

__all__ = [
    "check_available",
    "configure",
    "current_trace_id",
    "enabled",
    "resolve_endpoint",
    "shutdown",
    "span",
]

OTLP_HTTP_PORT = 4318
TRACES_PATH = "/v1/traces"
DEFAULT_ENDPOINT = f"http://localhost:{OTLP_HTTP_PORT}{TRACES_PATH}"
_JAEGER_LEGACY_PORTS = frozenset({14268, 14250, 6831, 6832})


class _NoopSpan(AbstractContextManager[None]):
    """What :func:`span` returns while tracing is off: costs one call and nothing else."""

    def __exit__(self, *exc: object) -> None:
        return None


_NOOP = _NoopSpan()
_tracer: Any = None
_provider: Any = None


def enabled() -> bool:
    return _tracer is not None


def tracer() -> Any:
    """The service's tracer, or None while tracing is off."""
    return _tracer


def span(name: str, **attributes: str | int | float | bool) -> AbstractContextManager[Any]:
    """A child span of the current one, e.g. ``with span("redis.get", backend="redis"):``.

    Safe to call on every hot path: without tracing it returns a shared no-op.
    """
    t = _tracer
    if t is None:
        return _NOOP
    return t.start_as_current_span(name, attributes=attributes or None)  # type: ignore[no-any-return]


def detector_span(name: str) -> AbstractContextManager[Any]:
    """The engine's span hook: one span per detector run."""
    return span(f"detector {name}", detector=name)


def _jaeger_to_otlp(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        raise ConfigError(f"JAEGER_ENDPOINT: {url!r} is not an http(s) URL")
    port = parts.port
    if port is None or port in _JAEGER_LEGACY_PORTS:
        port = OTLP_HTTP_PORT
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return urlunsplit((parts.scheme, f"{host}:{port}", TRACES_PATH, "", ""))


def resolve_endpoint(settings: Settings, environ: dict[str, str] | None = None) -> str:
    """The OTLP/HTTP traces URL that spans are sent to (see the module docstring)."""
    env = os.environ if environ is None else environ
    explicit = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if explicit:
        return explicit
    if settings.otel_exporter_otlp_endpoint:
        base = settings.otel_exporter_otlp_endpoint.rstrip("/")
        return base if base.endswith(TRACES_PATH) else base + TRACES_PATH
    if settings.jaeger_endpoint:
        return _jaeger_to_otlp(settings.jaeger_endpoint)
    return DEFAULT_ENDPOINT


def current_trace_id() -> str | None:
    """The current span's trace id as 32 hex digits (for log lines), or None."""
    if _tracer is None:
        return None
    from opentelemetry import trace

    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def check_available() -> None:
    """Raise ConfigError when the OpenTelemetry SDK or the OTLP/HTTP exporter is missing."""
    try:
        import opentelemetry.exporter.otlp.proto.http.trace_exporter  # noqa: F401
        import opentelemetry.sdk.trace  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "ENABLE_TRACING: needs the OpenTelemetry packages: "
            f"pip install 'promptsentinel[otel]' ({exc.name} is missing)"
        ) from None


def configure(settings: Settings) -> bool:
    """Start exporting spans when ENABLE_TRACING is true; returns whether tracing is on."""
    global _tracer, _provider
    shutdown()
    if not settings.enable_tracing:
        return False
    check_available()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    from prompt_sentinel import __version__

    attributes: dict[str, str] = {
        "service.version": __version__,
        "deployment.environment": settings.environment,
    }
    if not os.environ.get("OTEL_SERVICE_NAME"):
        attributes["service.name"] = "promptsentinel"
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=resolve_endpoint(settings))))
    _provider = provider
    _tracer = provider.get_tracer("prompt_sentinel", __version__)
    return True


def shutdown() -> None:
    """Flush pending spans and stop exporting (called at application shutdown)."""
    global _tracer, _provider
    provider, _provider, _tracer = _provider, None, None
    if provider is not None:
        provider.shutdown()


class RequestSpan:
    """The SERVER span of one HTTP request, current while the app handles it."""

    __slots__ = ("_span", "_token")

    def __init__(self, scope: dict[str, Any]) -> None:
        from opentelemetry import context, propagate, trace

        carrier = {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in scope.get("headers", ())
            if k in (b"traceparent", b"tracestate")
        }
        parent = propagate.extract(carrier) if carrier else None
        method = scope.get("method", "HTTP")
        self._span = _tracer.start_span(
            method,
            context=parent,
            kind=trace.SpanKind.SERVER,
            attributes={"http.request.method": method, "url.scheme": scope.get("scheme", "http")},
        )
        self._token = context.attach(trace.set_span_in_context(self._span))

    def end(self, route: str, status: int, request_id: str | None) -> str:
        """End the span; returns its trace id (32 hex digits) for the access line."""
        from opentelemetry.trace import Status, StatusCode

        span = self._span
        span.update_name(f"{span.name} {route}")
        span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", status)
        if request_id:
            span.set_attribute("promptsentinel.request_id", request_id)
        if status >= 500:
            span.set_status(Status(StatusCode.ERROR))
        span.end()
        return format(span.get_span_context().trace_id, "032x")

    def detach(self) -> None:
        """Make the caller's context current again (in the task that attached it)."""
        from opentelemetry import context

        context.detach(self._token)
