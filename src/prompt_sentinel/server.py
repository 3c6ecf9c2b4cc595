"""Run the ASGI app under uvicorn: TLS, the metrics listener, logging, signals.

Start-up checks (each failure is a :class:`ConfigError` naming the key, exit status 2):
TLS certificate and key (present, PEM, matching), LOG_CONFIG, tracing and profiling
prerequisites, and the metrics port.

* TLS: uvicorn builds its own ``SSLContext``; :func:`tls_context` wraps uvicorn's
  default factory and sets ``minimum_version`` from TLS_MIN_VERSION (1.2 or 1.3).
* Metrics: with ENABLE_METRICS a separate plain-HTTP listener serves ``/metrics`` on
  METRICS_PORT (0: none; the main port's ``/metrics`` stays).  With several workers the
  parent sets PROMETHEUS_MULTIPROC_DIR *before* they start (a fresh temporary directory,
  removed at exit, unless the variable is already set: then its ``*.db`` files are
  wiped), every worker writes its values there, and the one listener, in the parent,
  adds them up.
* SIGTERM: uvicorn stops accepting, lets in-flight requests finish within
  GRACEFUL_SHUTDOWN_TIMEOUT, runs the shutdown hooks, and the process exits 0.
"""

from __future__ import annotations

import functools
import glob
import logging
import os
import shutil
import signal
import socket
import ssl
import tempfile
from pathlib import Path
from typing import Any

import uvicorn

from prompt_sentinel.observability import metrics, profiling, tracing
from prompt_sentinel.observability.logging import logging_config, setup_logging
from prompt_sentinel.settings import ConfigError, Settings

log = logging.getLogger("promptsentinel.server")

TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


def tls_context(min_version: str, config: uvicorn.Config, default: Any) -> ssl.SSLContext:
    """uvicorn's ``ssl_context_factory``: its default context with our minimum version."""
    ctx: ssl.SSLContext = default()
    ctx.minimum_version = TLS_VERSIONS[min_version]
    return ctx


def check_tls(settings: Settings) -> None:
    """Refuse to start with a missing, unreadable, malformed or mismatched cert/key."""
    if not settings.enable_tls:
        return
    cert, key = settings.tls_cert_path, settings.tls_key_path
    for name, path in (("TLS_CERT_PATH", cert), ("TLS_KEY_PATH", key)):
        if path is None:
            raise ConfigError(f"{name}: required when ENABLE_TLS=true")
        if not path.is_file():
            raise ConfigError(f"{name}: {path} does not exist or is not a file")
        if not os.access(path, os.R_OK):
            raise ConfigError(f"{name}: {path} is not readable")
    assert cert is not None and key is not None
    pem = cert.read_text(encoding="ascii", errors="replace")
    if "-----BEGIN CERTIFICATE-----" not in pem:
        raise ConfigError(f"TLS_CERT_PATH: {cert} holds no PEM certificate")
    if "PRIVATE KEY-----" not in key.read_text(encoding="ascii", errors="replace"):
        raise ConfigError(f"TLS_KEY_PATH: {key} holds no PEM private key")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        ctx.load_cert_chain(str(cert), str(key))
    except ssl.SSLError as exc:
        if "KEY_VALUES_MISMATCH" in str(exc) or "key values mismatch" in str(exc):
            raise ConfigError(
                f"TLS_KEY_PATH: the private key {key} does not match the certificate in TLS_CERT_PATH ({cert})"
            ) from None
        raise ConfigError(f"TLS_CERT_PATH/TLS_KEY_PATH: cannot load {cert} with {key}: {exc.reason or exc}") from None


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    kwargs: dict[str, Any] = {}
    if settings.enable_tls:
        kwargs.update(
            ssl_certfile=str(settings.tls_cert_path),
            ssl_keyfile=str(settings.tls_key_path),
            ssl_context_factory=functools.partial(tls_context, settings.tls_min_version),
        )
    return uvicorn.Config(
        "prompt_sentinel.api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        # The standard asyncio loop, not uvloop: the same throughput here, but uvloop
        # serves some connections late while the CPU-bound detection saturates the
        # worker (p99 1.2-1.9 s against 90 ms at 64 connections; docs/BENCHMARKS.md, "load").
        loop="asyncio",
        timeout_keep_alive=int(settings.keepalive_timeout),
        timeout_graceful_shutdown=settings.graceful_shutdown_timeout,  # type: ignore[arg-type]
        limit_concurrency=settings.worker_connections,  # per worker process, as in the guide
        log_level=settings.log_level.lower(),
        # JSON (or LOG_CONFIG) in this process and, re-applied by uvicorn, in each worker.
        log_config=logging_config(settings),
        access_log=False,  # our own access line, without prompt text, is logged instead
        proxy_headers=False,
        server_header=False,
        **kwargs,
    )


def preflight(settings: Settings) -> None:
    """Every start-up check that can run before a worker exists."""
    setup_logging(settings)
    check_tls(settings)
    profiling.check_available(settings)
    if settings.enable_tracing:
        tracing.check_available()
        tracing.resolve_endpoint(settings)
    if settings.enable_metrics and settings.metrics_port == settings.port:
        raise ConfigError("METRICS_PORT: must differ from PORT (set 0 to serve /metrics on PORT only)")


def start_metrics_listener(settings: Settings) -> Any:
    """The separate /metrics listener (prometheus_client's threaded HTTP server)."""
    from prometheus_client import start_http_server

    try:
        server, _thread = start_http_server(
            settings.metrics_port, addr=settings.host, registry=metrics.exposition_registry()
        )
    except OSError as exc:
        raise ConfigError(
            f"METRICS_PORT: cannot listen on {settings.host}:{settings.metrics_port}: {exc.strerror or exc}"
        ) from None
    log.info("metrics listener started", extra={"metrics_port": settings.metrics_port})
    return server


def _prepare_multiprocess_dir() -> str | None:
    """Set PROMETHEUS_MULTIPROC_DIR for the workers; returns a directory to remove at exit."""
    existing = os.environ.get(metrics.MULTIPROC_ENV)
    if existing:
        Path(existing).mkdir(parents=True, exist_ok=True)
        for stale in glob.glob(os.path.join(existing, "*.db")):
            os.remove(stale)
        return None
    path = tempfile.mkdtemp(prefix="promptsentinel-metrics-")
    os.environ[metrics.MULTIPROC_ENV] = path
    return path


def listening_socket(config: uvicorn.Config) -> socket.socket:
    """The socket the workers share (WORKERS > 1).

    uvicorn's ``bind_socket`` makes it with protocol 0, and asyncio sets TCP_NODELAY only
    on accepted sockets whose protocol is IPPROTO_TCP: every answer, written as headers
    then body, would wait ~40 ms for the client's delayed ACK. Wrapped again around the
    same descriptor, the protocol is read from it (6, TCP) and survives the hand-over to
    the workers.
    """
    return socket.socket(fileno=config.bind_socket().detach())


def _ignore_reraised_signal(signum: int, frame: object) -> None:
    """uvicorn re-raises the SIGTERM it handled once shutdown is complete; by then the
    work is done, so the process returns normally and exits 0."""


def run(settings: Settings) -> None:
    preflight(settings)
    multi = settings.workers > 1
    owned_dir = _prepare_multiprocess_dir() if multi else None
    listener = None
    try:
        config = uvicorn_config(settings)
        if settings.enable_metrics and settings.metrics_port:
            listener = start_metrics_listener(settings)
        server = uvicorn.Server(config)
        if multi:
            from uvicorn.supervisors import Multiprocess

            Multiprocess(config, sockets=[listening_socket(config)]).run()
        else:
            signal.signal(signal.SIGTERM, _ignore_reraised_signal)
            server.run()
            if not server.started:  # e.g. the application's startup failed
                raise SystemExit(uvicorn.config.STARTUP_FAILURE)
    finally:
        if listener is not None:
            listener.shutdown()
        if owned_dir is not None:
            shutil.rmtree(owned_dir, ignore_errors=True)
