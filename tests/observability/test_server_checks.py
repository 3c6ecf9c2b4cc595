"""server.py start-up checks: TLS files, minimum TLS version, metrics port."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from prompt_sentinel import server
from prompt_sentinel.settings import ConfigError, load_settings
from tests.observability.certs import Certs, make_certs


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


def _tls(certs: Certs, tmp: Path, cert: str, key: str) -> dict[str, object]:
    paths = {
        "good": certs.cert,
        "key": certs.key,
        "other": certs.other_key,
        "missing": tmp / "missing.pem",
        "garbage": tmp / "garbage.pem",
    }
    paths["garbage"].write_text("not a pem file\n")
    return {"enable_tls": True, "tls_cert_path": paths[cert], "tls_key_path": paths[key]}


@pytest.mark.parametrize(
    ("cert", "key", "named", "fragment"),
    [
        ("missing", "key", "TLS_CERT_PATH", "does not exist"),  # no certificate file
        ("good", "missing", "TLS_KEY_PATH", "does not exist"),  # no key file
        ("garbage", "key", "TLS_CERT_PATH", "no PEM certificate"),  # not a certificate
        ("good", "garbage", "TLS_KEY_PATH", "no PEM private key"),  # not a key
        ("good", "other", "TLS_KEY_PATH", "does not match"),  # a key of another certificate
        ("key", "key", "TLS_CERT_PATH", "no PEM certificate"),  # the key given twice
    ],
)
def test_bad_cert_or_key_stops_start_up_naming_the_key(
    certs: Certs, tmp_path: Path, cert: str, key: str, named: str, fragment: str
) -> None:
    settings = load_settings(**_tls(certs, tmp_path, cert, key))
    with pytest.raises(ConfigError, match=named) as err:
        server.check_tls(settings)
    assert fragment in str(err.value)


def test_matching_cert_and_key_pass(certs: Certs, tmp_path: Path) -> None:
    server.check_tls(load_settings(**_tls(certs, tmp_path, "good", "key")))


@pytest.mark.parametrize(("version", "expected"), [("1.2", ssl.TLSVersion.TLSv1_2), ("1.3", ssl.TLSVersion.TLSv1_3)])
def test_uvicorn_context_enforces_the_minimum_version(
    certs: Certs, tmp_path: Path, version: str, expected: ssl.TLSVersion
) -> None:
    settings = load_settings(**_tls(certs, tmp_path, "good", "key"), tls_min_version=version)
    config = server.uvicorn_config(settings)
    assert config.ssl_certfile == str(certs.cert) and config.ssl_keyfile == str(certs.key)
    # uvicorn calls the factory with its own default context builder
    ctx = config.ssl_context_factory(config, lambda: ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))
    assert ctx.minimum_version == expected


def test_metrics_port_must_differ_from_the_main_port(restore_logging) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="METRICS_PORT"):
        server.preflight(load_settings(port=8080, metrics_port=8080))
