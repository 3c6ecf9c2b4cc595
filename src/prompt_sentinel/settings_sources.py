"""Where settings come from besides the environment: YAML files and secret files.

See prompt_sentinel.settings for the order of sources.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

SECRETS_DIR = Path(os.environ.get("SECRETS_DIR", "/run/secrets"))

# YAML path -> Settings field.  Keys not listed are ignored with no error only when
# they belong to a known section; unknown sections are reported (typos fail loudly).
YAML_KEYS: dict[tuple[str, ...], str] = {
    ("server", "host"): "host",
    ("server", "port"): "port",
    ("server", "timeout"): "request_timeout",
    ("server", "workers"): "workers",
    ("server", "worker_connections"): "worker_connections",
    ("server", "keepalive_timeout"): "keepalive_timeout",
    ("server", "graceful_shutdown_timeout"): "graceful_shutdown_timeout",
    ("detection", "mode"): "detection_mode",
    ("detection", "cache_ttl"): "cache_ttl",
    ("detection", "max_prompt_length"): "max_prompt_length",
    ("detection", "block_encoded_inputs"): "block_encoded_inputs",
    ("detection", "enable_pii_detection"): "enable_pii_detection",
    ("detection", "pii_redaction_mode"): "pii_redaction_mode",
    ("detection", "enable_classifier"): "enable_classifier",
    ("detection", "enable_encoder"): "enable_encoder",
    ("detection", "max_batch_size"): "max_batch_size",
    ("monitoring", "enabled"): "enable_metrics",
    ("monitoring", "port"): "metrics_port",
    ("monitoring", "tracing"): "enable_tracing",
    ("security", "authentication_mode"): "authentication_mode",
    ("security", "api_key_header"): "api_key_header",
    ("security", "allowed_origins"): "allowed_origins",
    ("connection_pool", "size"): "redis_pool_size",
    ("connection_pool", "max_overflow"): "redis_pool_max_overflow",
    ("connection_pool", "timeout"): "redis_pool_timeout",
    ("cache", "enabled"): "cache_enabled",
    ("cache", "ttl"): "cache_ttl",
    ("cache", "max_size"): "cache_max_size",
    ("llm_providers", "timeout"): "llm_timeout",
    ("llm_providers", "max_retries"): "llm_max_retries",
    ("llm_providers", "backoff_factor"): "llm_backoff_factor",
    **{("llm_providers", k): f"llm_{k}" for k in ("breaker_failures", "breaker_cooldown", "prices")},
    **{
        ("llm_providers", k): f"llm_judge_{k}"
        for k in (
            "enabled",
            "deadline",
            "fail_mode",
            "band_low",
            "band_high",
            "min_confidence",
            "can_clear_block",
            "cache_size",
            "cache_ttl",
        )
    },
    **{("llm_providers", f"budget_{k}_usd"): f"llm_budget_{k}_usd" for k in ("hourly", "daily", "monthly")},
    **{
        ("llm_providers", f"{p}_{k}"): f"{p}_{k}"
        for p in ("anthropic", "openai", "gemini")
        for k in ("model", "base_url")
    },
    ("llm_providers", "order"): "llm_providers",
    ("rate_limiting", "enabled"): "rate_limit_enabled",
    ("rate_limiting", "requests_per_minute"): "rate_limit_requests_per_minute",
    ("rate_limiting", "burst"): "rate_limit_burst",
}
YAML_SECTIONS = {k[0] for k in YAML_KEYS}
SECRET_FIELDS = (
    "anthropic_api_key",
    "openai_api_key",
    "gemini_api_key",
    "admin_api_key",
    "pii_hash_secret",
    "api_key_hash_secret",
    "redis_url",
    "redis_password",
)


class ConfigError(Exception):
    """Start-up configuration is invalid; the message names the key."""


def _parse_duration(value: Any) -> Any:
    """Accept ``30``, ``"30"``, ``"30s"``, ``"2m"``, ``"500ms"`` for durations in seconds."""
    if isinstance(value, str):
        v = value.strip().lower()
        for suffix, factor in (("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)):
            if v.endswith(suffix) and v[: -len(suffix)].replace(".", "", 1).isdigit():
                return float(v[: -len(suffix)]) * factor
    return value


def _read_yaml(path: Path, label: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{label}: {path} is not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: {path} must contain a mapping at the top level")
    return data


def _flatten_yaml(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, body in data.items():
        if section not in YAML_SECTIONS:
            raise ConfigError(f"{path}: unknown section '{section}'")
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: section '{section}' must be a mapping")
        for key, value in body.items():
            target = YAML_KEYS.get((section, key))
            if target is None:
                raise ConfigError(f"{path}: unknown key '{section}.{key}'")
            out[target] = value
    return out


class YamlSource(PydanticBaseSettingsSource):
    """config.yaml then performance.yaml (the latter wins on overlap)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        self._values: dict[str, Any] = {}
        for env, default in (
            ("CONFIG_FILE", "config/config.yaml"),
            ("PERFORMANCE_CONFIG_FILE", "config/performance.yaml"),
        ):
            explicit = os.environ.get(env)
            path = Path(explicit or default)
            if explicit is None and not path.is_file():
                continue  # the default location is optional; an explicit one is not
            self._values.update(_flatten_yaml(_read_yaml(path, env), path))

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._values)


class FileSecretsSource(PydanticBaseSettingsSource):
    """``NAME_FILE`` variables, then files in /run/secrets named after the setting."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in SECRET_FIELDS:
            file_var = f"{name.upper()}_FILE"
            candidates = []
            if os.environ.get(file_var):
                candidates.append((file_var, Path(os.environ[file_var]), True))
            candidates.append((name, SECRETS_DIR / name, False))
            for label, path, required in candidates:
                if not required and not path.is_file():
                    continue
                try:
                    value = path.read_text(encoding="utf-8").strip()
                except OSError as exc:
                    raise ConfigError(f"{label}: cannot read secret file {path}: {exc.strerror}") from None
                if value:
                    out[name] = value
                break
        return out
