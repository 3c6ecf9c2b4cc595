"""Structured logging: JSON lines by default, LOG_CONFIG honoured, secrets never written.

The default configuration writes one JSON object per line to stdout (python-json-logger)
at LOG_LEVEL, for our loggers (``promptsentinel.*``) and uvicorn's alike.  LOG_CONFIG
names a ``logging.config.dictConfig`` YAML file (the deployment guide's logging.yaml is
one) that replaces the default.

Either way every handler gets :class:`SafetyFilter`, which

* replaces registered secret values (ADMIN_API_KEY, provider keys, API keys the key
  store registers) wherever they occur in a record, with ``[REDACTED]``;
* blanks extra fields whose names say they hold prompt text or credentials;
* renders exceptions without their message for error types that echo input
  (pydantic validation errors), and with secrets scrubbed otherwise;
* adds ``request_id`` (and ``trace_id`` while tracing) of the request being served.

Prompt text never reaches a logger in the first place: the access line carries its
length and a 12-hex-digit sha256 prefix (set by the detect route on request.state).
"""

from __future__ import annotations

import contextvars
import copy
import json
import logging
import logging.config
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pythonjsonlogger.orjson import OrjsonFormatter

from prompt_sentinel.settings import ConfigError, Settings

__all__ = [
    "JsonFormatter",
    "SafetyFilter",
    "current_state",
    "logging_config",
    "register_secret",
    "setup_logging",
]

REDACTED = "[REDACTED]"
FILTER_NAME = "promptsentinel_safety"
JSON_FORMAT = "%(levelname)s %(name)s %(process)s %(message)s"
FORMATTER_OPTIONS: dict[str, Any] = {
    "fmt": JSON_FORMAT,
    "timestamp": "time",  # ISO 8601, UTC
    "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
}

# Extra-field names whose values are never written (prompt text and credentials).
_SENSITIVE_KEYS = frozenset(
    {
        "prompt",
        "prompts",
        "text",
        "messages",
        "content",
        "body",
        "modified_prompt",
        "api_key",
        "apikey",
        "x-api-key",
        "authorization",
        "password",
        "secret",
        "token",
    }
)
# Exception types whose message embeds the offending input.
_ECHOING_EXCEPTIONS = frozenset(
    {
        "ValidationError",
        "RequestValidationError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "JSONDecodeError",
    }
)
# Attributes of a bare LogRecord: everything else on a record is an ``extra`` field.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "trace_id",
    "taskName",
}
_MIN_SECRET_LEN = 8  # shorter values would redact ordinary words

_secrets: set[str] = set()
# The ASGI scope state of the request being served (set by the access middleware).
_state: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "promptsentinel_request_state", default=None
)
_trace_id_getter: Any = None  # set by tracing.configure(): () -> str | None


def register_secret(value: str | None) -> None:
    """Never write ``value`` to any log line (API keys, provider keys, admin key)."""
    if value and len(value) >= _MIN_SECRET_LEN:
        _secrets.add(value)


def register_settings_secrets(settings: Settings) -> None:
    for name in (
        "admin_api_key",
        "anthropic_api_key",
        "openai_api_key",
        "gemini_api_key",
        "api_key_hash_secret",
        "pii_hash_secret",
    ):
        secret = getattr(settings, name, None)
        if secret is not None:
            register_secret(secret.get_secret_value())
    for url in (settings.redis_url, settings.redis_cluster):
        if url and "@" in url:  # redis://user:password@host
            register_secret(url.split("@", 1)[0].rsplit(":", 1)[-1])


def set_trace_id_getter(getter: Any) -> None:
    global _trace_id_getter
    _trace_id_getter = getter


def current_state() -> contextvars.ContextVar[dict[str, Any] | None]:
    """The context variable the access middleware sets to the request's scope state."""
    return _state


def _scrub(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _format_exception(exc_info: Any) -> str:
    etype, value, tb = exc_info
    frames = "".join(traceback.format_tb(tb)) if tb is not None else ""
    name = getattr(etype, "__name__", "Exception")
    if name in _ECHOING_EXCEPTIONS:
        detail = "(message withheld: it may contain request input)"
    else:
        detail = _scrub(str(value))[:500]
    head = "Traceback (most recent call last):\n" if frames else ""
    return f"{head}{frames}{name}: {detail}"


class SafetyFilter(logging.Filter):
    """Attached to every handler; see the module docstring.  Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            try:
                record.msg = record.getMessage()
            except Exception:  # a bad format string must not lose the line
                record.msg = str(record.msg)
            record.args = None
        if _secrets and isinstance(record.msg, str):
            record.msg = _scrub(record.msg)
        if record.exc_info:
            record.exc_text = _format_exception(record.exc_info)
            record.exc_info = None
        elif record.exc_text and _secrets:
            record.exc_text = _scrub(record.exc_text)
        fields = record.__dict__
        for key in [k for k in fields if k not in _RECORD_ATTRS]:
            if key == "color_message":  # uvicorn's ANSI-coloured duplicate of msg
                del fields[key]
            elif key.lower() in _SENSITIVE_KEYS:
                fields[key] = REDACTED
            elif _secrets and isinstance(fields[key], str):
                fields[key] = _scrub(fields[key])
        if "request_id" not in fields:
            state = _state.get()
            if state is not None and state.get("request_id"):
                fields["request_id"] = state["request_id"]
        if _trace_id_getter is not None and "trace_id" not in fields:
            tid = _trace_id_getter()
            if tid:
                fields["trace_id"] = tid
        return True


class JsonFormatter(OrjsonFormatter):
    """python-json-logger's orjson formatter with a cheaper field merge (the access line is
    written once per request) and a fallback for strings orjson refuses (lone surrogates).

    Output: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``pid``, ``message``, the
    record's extra fields, and ``exc_info`` when there is one.
    """

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        fields = record.__dict__
        if self.timestamp:
            key = self.timestamp if isinstance(self.timestamp, str) else "timestamp"
            log_data[key] = datetime.fromtimestamp(record.created, tz=UTC)
        rename = self.rename_fields
        for name in self._required_fields:
            log_data[rename.get(name, name)] = fields.get(name)
        log_data.update(message_dict)
        skip = self._skip_fields
        for key in [k for k in fields if k not in skip and k[:1] != "_"]:
            log_data[key] = fields[key]

    def jsonify_log_record(self, log_data: dict[str, Any]) -> str:
        try:
            return super().jsonify_log_record(log_data)
        except TypeError:
            return json.dumps(log_data, default=str, ensure_ascii=True)


def _default_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": f"{__name__}.JsonFormatter", **FORMATTER_OPTIONS},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "root": {"level": level, "handlers": ["console"]},
        "loggers": {
            # uvicorn's own loggers: no handlers of their own, so they reach the JSON root.
            name: {"level": level, "handlers": [], "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
        },
    }


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"LOG_CONFIG: cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError:
        raise ConfigError(f"LOG_CONFIG: {path} is not valid YAML") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ConfigError(f"LOG_CONFIG: {path} must be a dictConfig mapping with version: 1")
    return data


def logging_config(settings: Settings) -> dict[str, Any]:
    """The dictConfig to apply: LOG_CONFIG's file or the JSON default, with SafetyFilter
    on every handler."""
    if settings.log_config is not None:
        config = _load_yaml(Path(settings.log_config))
        # Loggers created at import time (ours, uvicorn's) stay enabled unless asked.
        config.setdefault("disable_existing_loggers", False)
    else:
        config = _default_config(settings.log_level)
    config.setdefault("filters", {})[FILTER_NAME] = {"()": f"{__name__}.SafetyFilter"}
    for handler in (config.get("handlers") or {}).values():
        if isinstance(handler, dict):
            filters = list(handler.get("filters") or [])
            if FILTER_NAME not in filters:
                filters.append(FILTER_NAME)
            handler["filters"] = filters
    return config


def setup_logging(settings: Settings) -> dict[str, Any]:
    """Apply :func:`logging_config`; a config that cannot be applied raises ConfigError."""
    register_settings_secrets(settings)
    config = logging_config(settings)
    try:
        # dictConfig consumes parts of the dict ("()" keys): keep the caller's copy intact.
        logging.config.dictConfig(copy.deepcopy(config))
    except (ValueError, TypeError, AttributeError, ImportError) as exc:
        # dictConfig's message names the handler/formatter; chained causes carry paths.
        cause = exc.__cause__ or exc
        raise ConfigError(f"LOG_CONFIG: cannot apply it: {exc}: {cause}") from None
    return config
