"""One typed Settings object for the whole service.

Sources, highest priority first:

1. environment variables (the names in the deployment guide, e.g. ``DETECTION_MODE``);
2. secrets: ``NAME_FILE`` pointing to a file, then ``/run/secrets/<name>`` (Docker and
   Kubernetes secrets; the name is the lower-case variable name, e.g. ``anthropic_api_key``);
3. the YAML files: ``CONFIG_FILE`` (default ``config/config.yaml``) and
   ``PERFORMANCE_CONFIG_FILE`` (default ``config/performance.yaml``), shaped as in the guide;
4. the defaults below.

An invalid value or an unreadable / malformed config file raises :class:`ConfigError`
whose message names the offending key; the CLI prints it and exits with status 2.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from prompt_sentinel import settings_sources
from prompt_sentinel.engine.models import Mode
from prompt_sentinel.settings_sources import (  # noqa: F401  (re-exported)
    SECRET_FIELDS,
    SECRETS_DIR,
    YAML_KEYS,
    ConfigError,
    FileSecretsSource,
    YamlSource,
    _parse_duration,
)


class Settings(BaseSettings):
    """Every setting of the service, validated at start-up."""

    model_config = SettingsConfigDict(
        env_prefix="",
        case_sensitive=False,
        extra="ignore",
        populate_by_name=True,
    )

    # --- server ---
    host: str = "0.0.0.0"
    port: int = Field(8080, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    request_timeout: float = Field(30.0, gt=0)
    worker_connections: int = Field(1000, ge=1)
    keepalive_timeout: float = Field(65.0, gt=0)
    graceful_shutdown_timeout: float = Field(30.0, ge=0)
    environment: Literal["development", "staging", "production"] = "development"
    max_request_bytes: int = Field(16 * 1024 * 1024, ge=1024)

    # --- logging / observability (implemented by the operations issue) ---
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_config: Path | None = None
    enable_metrics: bool = Field(True, validation_alias=AliasChoices("enable_metrics", "metrics_enabled"))
    metrics_port: int = Field(9090, ge=0, le=65535)
    enable_profiling: bool = False
    enable_tracing: bool = False
    jaeger_endpoint: str | None = None
    otel_exporter_otlp_endpoint: str | None = None

    # --- security ---
    authentication_mode: Literal["none", "optional", "required"] = "none"
    api_key_header: str = "X-API-Key"
    admin_api_key: SecretStr | None = None
    api_key_hash_secret: SecretStr | None = None
    api_keys_file: Path | None = None
    api_key_cache_ttl: float = Field(30.0, ge=0)  # accept recently verified keys while Redis is down
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit_enabled: bool = False
    rate_limit_requests: int = Field(100, ge=1)
    rate_limit_window: int = Field(60, ge=1)
    rate_limit_requests_per_minute: int | None = Field(None, ge=1)
    rate_limit_burst: int = Field(20, ge=0)
    rate_limit_anonymous_requests: int | None = Field(None, ge=1)  # default: RATE_LIMIT_REQUESTS
    # WebSocket /api/v1/ws (api/routes/ws.py): limits per worker and per connection.
    ws_max_connections: int = Field(1000, ge=1)  # per worker; beyond it: close 1013
    ws_max_message_bytes: int | None = Field(None, ge=1024)  # default MAX_REQUEST_BYTES; close 1009
    ws_max_in_flight: int = Field(8, ge=1, le=1024)  # per connection; reading pauses when full
    ws_rate_limit_messages: int = Field(6000, ge=1)  # per connection per WS_RATE_LIMIT_WINDOW
    ws_rate_limit_window: float = Field(60.0, gt=0)
    ws_rate_limit_burst: int = Field(200, ge=1)
    ws_auth_timeout: float = Field(10.0, gt=0)  # wait for the first {"type":"auth"} message
    enable_tls: bool = False
    tls_cert_path: Path | None = None
    tls_key_path: Path | None = None
    tls_min_version: Literal["1.2", "1.3"] = "1.2"

    # --- detection ---
    detection_mode: Mode = Mode.MODERATE
    enable_pii_detection: bool = True
    pii_redaction_mode: Literal["mask", "partial", "hash", "remove"] = "mask"
    pii_hash_secret: SecretStr | None = None
    max_prompt_length: int = Field(50_000, ge=1, le=1_000_000)
    max_batch_size: int = Field(100, ge=1, le=10_000)
    block_encoded_inputs: bool = False
    enable_classifier: bool = True
    enable_encoder: bool = True  # the classifier's transformer second opinion (ml/encoder.py)

    # --- shared state (implemented by the shared-state issue) ---
    redis_url: str | None = None
    redis_cluster: str | None = None
    redis_pool_size: int = Field(20, ge=1)
    redis_pool_max_overflow: int = Field(10, ge=0)
    redis_pool_timeout: float = Field(30.0, gt=0)
    redis_password: SecretStr | None = None
    redis_socket_timeout: float = Field(0.5, gt=0)  # short: a dead Redis must not stall requests
    redis_connect_timeout: float = Field(0.5, gt=0)
    redis_key_prefix: str = "promptsentinel:"
    cache_enabled: bool = True
    cache_ttl: int = Field(3600, ge=0)
    cache_max_size: int = Field(10_000, ge=0)

    # --- LLM judges (implemented by the LLM-judge issue) ---
    anthropic_api_key: SecretStr | None = None
    openai_api_key: SecretStr | None = None
    gemini_api_key: SecretStr | None = None
    llm_timeout: float = Field(30.0, gt=0)
    llm_max_retries: int = Field(3, ge=0, le=10)
    llm_backoff_factor: float = Field(2.0, ge=0)
    # The judge runs only when enabled *and* some provider in LLM_PROVIDERS has a key.
    llm_judge_enabled: bool = True
    llm_providers: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["anthropic", "openai", "gemini"]
    )  # failover order
    anthropic_base_url: str = "https://api.anthropic.com"
    openai_base_url: str = "https://api.openai.com/v1"
    gemini_base_url: str = "https://generativelanguage.googleapis.com"
    anthropic_model: str = Field("claude-haiku-4-5", min_length=1)
    openai_model: str = Field("gpt-4.1-mini", min_length=1)
    gemini_model: str = Field("gemini-2.5-flash-lite", min_length=1)
    llm_judge_deadline: float = Field(5.0, gt=0, le=120)  # the whole judge step, all providers
    llm_judge_fail_mode: Literal["open", "closed"] = "open"
    llm_judge_band_low: float = Field(0.25, ge=0, le=1)  # attack-score band that consults the judge
    llm_judge_band_high: float = Field(0.75, ge=0, le=1)
    llm_judge_min_confidence: float = Field(0.7, ge=0, le=1)
    llm_judge_can_clear_block: bool = False
    llm_judge_cache_size: int = Field(1024, ge=0)
    llm_judge_cache_ttl: float = Field(3600.0, ge=0)
    llm_breaker_failures: int = Field(5, ge=1, le=1000)
    llm_breaker_cooldown: float = Field(30.0, gt=0)
    llm_budget_hourly_usd: float | None = Field(None, ge=0)
    llm_budget_daily_usd: float | None = Field(None, ge=0)
    llm_budget_monthly_usd: float | None = Field(None, ge=0)
    # USD per million tokens (list prices of the default models; set yours).
    llm_prices: dict[str, dict[str, float]] = Field(
        default_factory=lambda: {
            "anthropic": {"input": 1.0, "output": 5.0},
            "openai": {"input": 0.4, "output": 1.6},
            "gemini": {"input": 0.1, "output": 0.4},
        }
    )

    _duration = field_validator(
        "request_timeout",
        "keepalive_timeout",
        "graceful_shutdown_timeout",
        "llm_timeout",
        "redis_pool_timeout",
        "redis_socket_timeout",
        "redis_connect_timeout",
        "api_key_cache_ttl",
        "llm_judge_deadline",
        "llm_breaker_cooldown",
        "llm_judge_cache_ttl",
        mode="before",
    )(lambda v: _parse_duration(v))

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.upper() if isinstance(v, str) else v

    @field_validator("detection_mode", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        return v.lower() if isinstance(v, str) else v

    @field_validator("allowed_origins", "trusted_proxies", mode="before")
    @classmethod
    def _csv(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.strip()
            if v.startswith("["):
                import json

                try:
                    return json.loads(v)
                except ValueError:
                    raise ValueError("expected a comma-separated list or a JSON list") from None
            return [part.strip() for part in v.split(",") if part.strip()]
        return v

    @field_validator("llm_providers", mode="before")
    @classmethod
    def _provider_list(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = [part.strip().lower() for part in v.split(",") if part.strip()]
        if isinstance(v, list):
            known = ("anthropic", "openai", "gemini")
            bad = [p for p in v if p not in known]
            if bad:
                raise ValueError(f"unknown provider {bad[0]!r}; expected some of {', '.join(known)}")
            if len(set(v)) != len(v):
                raise ValueError("a provider is listed twice")
        return v

    @field_validator("anthropic_base_url", "openai_base_url", "gemini_base_url")
    @classmethod
    def _base_url(cls, v: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(v)
        loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
        # API keys travel in headers: plain HTTP only to a local gateway or test server.
        if (
            not parts.hostname
            or parts.query
            or parts.fragment
            or not (parts.scheme == "https" or (parts.scheme == "http" and loopback))
        ):
            raise ValueError("must be an https:// URL (http:// only for localhost) without query")
        return v.rstrip("/")

    @field_validator("llm_prices")
    @classmethod
    def _prices(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for name, price in v.items():
            if name not in ("anthropic", "openai", "gemini"):
                raise ValueError(f"unknown provider {name!r}")
            if set(price) != {"input", "output"} or min(price.values()) < 0:
                raise ValueError(f"{name}: give 'input' and 'output' USD per million tokens, >= 0")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.pii_redaction_mode == "hash" and self.pii_hash_secret is None:
            raise ValueError("PII_REDACTION_MODE=hash needs PII_HASH_SECRET (a keyed hash, never a bare one)")
        if self.pii_hash_secret is not None and len(self.pii_hash_secret.get_secret_value().encode()) < 16:
            raise ValueError("PII_HASH_SECRET must be at least 16 bytes")
        if self.enable_tls and (self.tls_cert_path is None or self.tls_key_path is None):
            raise ValueError("ENABLE_TLS=true needs TLS_CERT_PATH and TLS_KEY_PATH")
        if self.redis_url and self.redis_cluster:
            raise ValueError("set REDIS_URL or REDIS_CLUSTER, not both")
        if self.llm_judge_band_low >= self.llm_judge_band_high:
            raise ValueError("LLM_JUDGE_BAND_LOW must be below LLM_JUDGE_BAND_HIGH")
        if "*" in self.allowed_origins and len(self.allowed_origins) > 1:
            raise ValueError("ALLOWED_ORIGINS: '*' cannot be combined with explicit origins")
        explicit = self.model_fields_set
        if self.rate_limit_requests_per_minute is not None and not (
            {"rate_limit_requests", "rate_limit_window"} & explicit
        ):
            # performance.yaml's requests_per_minute maps onto a 60 s window unless
            # RATE_LIMIT_REQUESTS / RATE_LIMIT_WINDOW say otherwise.
            self.rate_limit_requests = self.rate_limit_requests_per_minute
            self.rate_limit_window = 60
        return self

    @model_validator(mode="after")
    def _security(self) -> Settings:
        if self.admin_api_key is not None and len(self.admin_api_key.get_secret_value()) < 32:
            raise ValueError("ADMIN_API_KEY must be at least 32 characters (try `promptsentinel keys generate`)")
        if self.api_key_hash_secret is not None and len(self.api_key_hash_secret.get_secret_value()) < 16:
            raise ValueError("API_KEY_HASH_SECRET must be at least 16 characters")
        if self.authentication_mode == "required" and not (
            self.admin_api_key or self.keys_file_path() or self.redis_url or self.redis_cluster
        ):
            raise ValueError(
                "AUTHENTICATION_MODE=required but no key can ever be valid: set ADMIN_API_KEY, "
                "API_KEYS_FILE (or the api_keys secret), REDIS_URL or REDIS_CLUSTER"
            )
        return self

    def keys_file_path(self) -> Path | None:
        """API_KEYS_FILE, else the ``api_keys`` Docker/Kubernetes secret when mounted."""
        if self.api_keys_file is not None:
            return self.api_keys_file
        default = settings_sources.SECRETS_DIR / "api_keys"  # read late: tests move it
        return default if default.is_file() else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, FileSecretsSource(settings_cls), YamlSource(settings_cls))


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors(include_input=False, include_url=False):
        key = ".".join(str(p) for p in err["loc"]).upper() or "configuration"
        lines.append(f"{key}: {err['msg']}")
    return "invalid configuration: " + "; ".join(lines)


def load_settings(**overrides: Any) -> Settings:
    """Build and validate Settings; raise ConfigError naming the key on any problem."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None
    except SettingsError as exc:
        raise ConfigError(f"invalid configuration: {exc}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
