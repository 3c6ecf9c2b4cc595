"""Self-signed certificates for the TLS tests, made with the openssl command line."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Certs:
    cert: Path  # self-signed for localhost / 127.0.0.1
    key: Path  # the key of ``cert``
    other_key: Path  # a key that does not match ``cert``


def make_certs(directory: Path) -> Certs:
    exe = shutil.which("openssl")
    if exe is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key, other = directory / "cert.pem", directory / "key.pem", directory / "other.pem"
    subprocess.run(
        [
            exe,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            exe,
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            str(other),
        ],
        check=True,
        capture_output=True,
    )
    return Certs(cert, key, other)
