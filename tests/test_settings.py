"""Settings: spec names, precedence env > secrets > YAML > defaults, loud failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompt_sentinel.engine.models import Mode
from prompt_sentinel.settings import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no config/ here: defaults only
    monkeypatch.setattr("prompt_sentinel.settings_sources.SECRETS_DIR", tmp_path / "secrets")


def test_defaults() -> None:
    s = load_settings()
    assert s.port == 8080 and s.metrics_port == 9090
    assert s.detection_mode is Mode.MODERATE
    assert s.authentication_mode == "none" and s.api_key_header == "X-API-Key"
    assert s.max_prompt_length == 50_000 and s.max_batch_size == 100
    assert s.enable_pii_detection and not s.block_encoded_inputs


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ({"DETECTION_MODE": "STRICT"}, "detection_mode", Mode.STRICT),  # case-insensitive value
        ({"METRICS_ENABLED": "false"}, "enable_metrics", False),  # alias from the staging compose
        ({"ENABLE_METRICS": "false"}, "enable_metrics", False),
        (
            {"ALLOWED_ORIGINS": "https://a.example,https://b.example"},
            "allowed_origins",
            ["https://a.example", "https://b.example"],
        ),
        ({"MAX_PROMPT_LENGTH": "10000"}, "max_prompt_length", 10_000),
        ({"BLOCK_ENCODED_INPUTS": "true"}, "block_encoded_inputs", True),
        ({"RATE_LIMIT_REQUESTS": "5", "RATE_LIMIT_WINDOW": "10"}, "rate_limit_window", 10),
        ({"TLS_MIN_VERSION": "1.3"}, "tls_min_version", "1.3"),
        ({"LOG_LEVEL": "debug"}, "log_level", "DEBUG"),
        ({"REDIS_CLUSTER": "redis-cluster:6379"}, "redis_cluster", "redis-cluster:6379"),
    ],
)
def test_spec_environment_names(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], field: str, expected: object
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert getattr(load_settings(), field) == expected


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"DETECTION_MODE": "paranoid"}, "DETECTION_MODE"),
        ({"PORT": "eighty"}, "PORT"),
        ({"TLS_MIN_VERSION": "1.1"}, "TLS_MIN_VERSION"),
        ({"AUTHENTICATION_MODE": "sometimes"}, "AUTHENTICATION_MODE"),
        ({"PII_REDACTION_MODE": "hash"}, "PII_HASH_SECRET"),  # hash without a key is refused
        ({"ENABLE_TLS": "true"}, "TLS_CERT_PATH"),
        ({"CONFIG_FILE": "/nonexistent/config.yaml"}, "CONFIG_FILE"),
    ],
)
def test_invalid_values_name_the_key(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], key: str) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ConfigError, match=key):
        load_settings()


def test_yaml_shapes_and_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text(
        "server:\n  port: 8081\n  timeout: 45s\ndetection:\n  mode: strict\n  cache_ttl: 60\n"
        "monitoring:\n  enabled: true\n  port: 9191\n"
    )
    (tmp_path / "config" / "performance.yaml").write_text(
        "cache:\n  max_size: 5\nrate_limiting:\n  enabled: true\n  requests_per_minute: 7\n  burst: 2\n"
        "llm_providers:\n  timeout: 3\n"
    )
    s = load_settings()
    assert (s.port, s.request_timeout, s.detection_mode, s.cache_ttl) == (8081, 45.0, Mode.STRICT, 60)
    assert (s.metrics_port, s.cache_max_size, s.rate_limit_enabled) == (9191, 5, True)
    assert (s.rate_limit_requests, s.rate_limit_window, s.rate_limit_burst, s.llm_timeout) == (7, 60, 2, 3.0)
    monkeypatch.setenv("DETECTION_MODE", "permissive")  # env beats YAML
    assert load_settings().detection_mode is Mode.PERMISSIVE


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("detection:\n  mode: [\n", "not valid YAML"),
        ("detection:\n  moed: strict\n", "detection.moed"),
        ("detections:\n  mode: strict\n", "detections"),
        ("- a\n- b\n", "mapping"),
        ("detection:\n  mode: paranoid\n", "DETECTION_MODE"),
    ],
)
def test_broken_config_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(content)
    monkeypatch.setenv("CONFIG_FILE", str(path))
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_secret_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "anthropic_api_key").write_text("sk-ant-from-docker-secret\n")
    key_file = tmp_path / "openai"
    key_file.write_text("sk-from-file")
    monkeypatch.setenv("OPENAI_API_KEY_FILE", str(key_file))
    (tmp_path / "config").mkdir()
    s = load_settings()
    assert s.anthropic_api_key is not None
    assert s.anthropic_api_key.get_secret_value() == "sk-ant-from-docker-secret"
    assert s.openai_api_key is not None and s.openai_api_key.get_secret_value() == "sk-from-file"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env")  # env beats secrets
    assert load_settings().anthropic_api_key.get_secret_value() == "sk-ant-env"  # type: ignore[union-attr]
    monkeypatch.setenv("GEMINI_API_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="GEMINI_API_KEY_FILE"):
        load_settings()
