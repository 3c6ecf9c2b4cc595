"""TLS terminated by a real server process: minimum version enforced, plain HTTP refused
cleanly, bad certificate files stop start-up with a message naming the key."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.observability.certs import Certs, make_certs
from tests.observability.ops_support import json_lines
from tests.support.procs import CLI, ROOT, Server, free_port


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("tls"))


def _tls_server(certs: Certs, min_version: str) -> Server:
    return Server(
        scheme="https",
        env={
            "ENABLE_TLS": "true",
            "TLS_CERT_PATH": str(certs.cert),
            "TLS_KEY_PATH": str(certs.key),
            "TLS_MIN_VERSION": min_version,
        },
    )


def _client_context(certs: Certs, version: ssl.TLSVersion) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(certs.cert))
    ctx.minimum_version = ctx.maximum_version = version
    return ctx


def _get_health(port: int, ctx: ssl.SSLContext) -> tuple[str, bytes]:
    """A raw HTTPS GET /health with exactly the client's TLS version; returns (version, head)."""
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        ctx.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        tls.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := tls.recv(65536):
            data += chunk
        return str(tls.version()), data.split(b"\r\n", 1)[0]


@pytest.fixture(scope="module")
def tls13(certs: Certs) -> Iterator[Server]:
    srv = _tls_server(certs, "1.3").start()
    yield srv
    assert srv.stop() == 0


@pytest.mark.parametrize(
    ("client_version", "served"),
    [
        (ssl.TLSVersion.TLSv1_2, False),  # below the minimum: refused in the handshake
        (ssl.TLSVersion.TLSv1_3, True),  # at the minimum: served
    ],
)
def test_min_version_1_3(certs: Certs, tls13: Server, client_version: ssl.TLSVersion, served: bool) -> None:
    ctx = _client_context(certs, client_version)
    if served:
        version, status = _get_health(tls13.port, ctx)
        assert version == "TLSv1.3" and status == b"HTTP/1.1 200 OK"
    else:
        with pytest.raises(ssl.SSLError):
            _get_health(tls13.port, ctx)


def test_plain_http_to_the_tls_port_fails_cleanly(certs: Certs, tls13: Server) -> None:
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{tls13.port}/health", timeout=10)
    # the server is unharmed and logged nothing but JSON
    assert _get_health(tls13.port, _client_context(certs, ssl.TLSVersion.TLSv1_3))[1].endswith(b"200 OK")
    json_lines(tls13.logs())


def test_min_version_1_2_serves_tls_1_2(certs: Certs) -> None:
    srv = _tls_server(certs, "1.2").start()
    try:
        version, status = _get_health(srv.port, _client_context(certs, ssl.TLSVersion.TLSv1_2))
        assert version == "TLSv1.2" and status == b"HTTP/1.1 200 OK"
        r = httpx.post(
            f"{srv.url}/api/v1/detect",
            json={"prompt": "hello"},
            verify=ssl.create_default_context(cafile=str(certs.cert)),
            timeout=30,
        )
        assert r.status_code == 200
    finally:
        assert srv.stop() == 0


@pytest.mark.parametrize(
    ("cert", "key", "named"),
    [
        ("cert", "other_key", "TLS_KEY_PATH"),  # key of another certificate
        ("missing", "key", "TLS_CERT_PATH"),  # no certificate file
        ("cert", "missing", "TLS_KEY_PATH"),  # no key file
    ],
)
def test_bad_cert_or_key_stops_start_up(certs: Certs, tmp_path: Path, cert: str, key: str, named: str) -> None:
    paths = {
        "cert": certs.cert,
        "key": certs.key,
        "other_key": certs.other_key,
        "missing": tmp_path / "nope.pem",
    }
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "METRICS_PORT": str(free_port()),
        "ENABLE_TLS": "true",
        "TLS_CERT_PATH": str(paths[cert]),
        "TLS_KEY_PATH": str(paths[key]),
    }
    proc = subprocess.run([str(CLI), "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert named in proc.stderr and "Traceback" not in proc.stderr
