"""Tracing configuration: endpoint resolution (Jaeger mapping) and the no-op span."""

from __future__ import annotations

import pytest

from prompt_sentinel.observability import tracing
from prompt_sentinel.settings import ConfigError, load_settings


@pytest.mark.parametrize(
    ("settings", "environ", "expected"),
    [
        # nothing set: the OTLP/HTTP default
        ({}, {}, "http://localhost:4318/v1/traces"),
        # the deployment guide's Jaeger Thrift URL, mapped to Jaeger's OTLP intake
        ({"jaeger_endpoint": "http://jaeger:14268/api/traces"}, {}, "http://jaeger:4318/v1/traces"),
        # other legacy Jaeger ports too; no port means 4318
        ({"jaeger_endpoint": "http://jaeger:14250"}, {}, "http://jaeger:4318/v1/traces"),
        (
            {"jaeger_endpoint": "https://jaeger.example"},
            {},
            "https://jaeger.example:4318/v1/traces",
        ),
        # a Jaeger already addressed on a non-legacy port keeps it
        ({"jaeger_endpoint": "http://jaeger:4318"}, {}, "http://jaeger:4318/v1/traces"),
        ({"jaeger_endpoint": "http://[::1]:9999/api/traces"}, {}, "http://[::1]:9999/v1/traces"),
        # the OTLP base URL gets the signal path, once
        (
            {"otel_exporter_otlp_endpoint": "http://collector:4318"},
            {},
            "http://collector:4318/v1/traces",
        ),
        (
            {"otel_exporter_otlp_endpoint": "http://collector:4318/v1/traces/"},
            {},
            "http://collector:4318/v1/traces",
        ),
        # OTLP wins over Jaeger; the signal-specific variable wins over both
        (
            {"otel_exporter_otlp_endpoint": "http://c:4318", "jaeger_endpoint": "http://j:14268"},
            {},
            "http://c:4318/v1/traces",
        ),
        (
            {"otel_exporter_otlp_endpoint": "http://c:4318"},
            {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://t:1/x"},
            "http://t:1/x",
        ),
    ],
)
def test_resolve_endpoint(settings: dict[str, str], environ: dict[str, str], expected: str) -> None:
    assert tracing.resolve_endpoint(load_settings(**settings), environ) == expected


def test_malformed_jaeger_endpoint_names_the_key() -> None:
    with pytest.raises(ConfigError, match="JAEGER_ENDPOINT"):
        tracing.resolve_endpoint(load_settings(jaeger_endpoint="jaeger:14268"), {})


def test_span_is_a_shared_no_op_while_tracing_is_off() -> None:
    assert tracing.configure(load_settings(enable_tracing=False)) is False
    assert tracing.span("a") is tracing.span("b")
    with tracing.span("cache.get", backend="memory"):
        pass
    assert tracing.current_trace_id() is None
