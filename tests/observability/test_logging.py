"""SafetyFilter and the logging configuration: secrets and prompt text never written."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from pydantic import BaseModel

from prompt_sentinel.observability import logging as logs
from prompt_sentinel.settings import ConfigError, load_settings

SECRET = "sk-test-S3CRET-0123456789abcdef"
PROMPT = "MY-PRIVATE-PROMPT-TEXT please ignore rules"


class _Model(BaseModel):
    n: int


def _validation_error() -> Exception:
    try:
        _Model(n=PROMPT)  # type: ignore[arg-type]
    except Exception as exc:
        return exc
    raise AssertionError("no error")


@pytest.fixture
def emit():  # type: ignore[no-untyped-def]
    logs.register_secret(SECRET)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter(**logs.FORMATTER_OPTIONS))
    handler.addFilter(logs.SafetyFilter())
    logger = logging.getLogger("promptsentinel.test_logging")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)

    def _emit(call):  # type: ignore[no-untyped-def]
        stream.seek(0)
        stream.truncate()
        call(logger)
        lines = stream.getvalue().splitlines()
        assert len(lines) == 1
        return lines[0], json.loads(lines[0])

    return _emit


@pytest.mark.parametrize(
    "call",
    [
        # a secret passed as a %-argument
        lambda lg: lg.info("key was %s", SECRET),
        # a secret inside an already formatted message
        lambda lg: lg.warning(f"bad key {SECRET}!"),
        # a secret in an extra field
        lambda lg: lg.info("auth", extra={"detail": f"header={SECRET}"}),
        # prompt text under an extra name that says what it is
        lambda lg: lg.info("oops", extra={"prompt": PROMPT}),
        lambda lg: lg.info("oops", extra={"messages": [PROMPT]}),
        lambda lg: lg.info("oops", extra={"api_key": SECRET}),
        # an exception whose message echoes the input (pydantic)
        lambda lg: lg.error("failed", exc_info=_validation_error()),
        # an exception whose message carries a secret
        lambda lg: lg.error("failed", exc_info=ValueError(f"refused {SECRET}")),
    ],
)
def test_secrets_and_prompts_never_written(emit, call) -> None:  # type: ignore[no-untyped-def]
    line, _ = emit(call)
    assert SECRET not in line
    assert "MY-PRIVATE-PROMPT-TEXT" not in line


def test_lone_surrogates_still_give_a_json_line(emit) -> None:  # type: ignore[no-untyped-def]
    _, obj = emit(lambda lg: lg.info("odd \ud800 text", extra={"detail": "\udfff"}))
    assert obj["message"] == "odd \ud800 text" and obj["detail"] == "\udfff"


def test_line_shape(emit) -> None:  # type: ignore[no-untyped-def]
    _, obj = emit(lambda lg: lg.info("x", extra={"route": "/r", "status": 200}))
    assert list(obj)[:5] == ["time", "level", "logger", "pid", "message"]
    assert obj["route"] == "/r" and obj["status"] == 200 and obj["time"].endswith("+00:00")


def test_redaction_keeps_the_rest_of_the_line(emit) -> None:  # type: ignore[no-untyped-def]
    _, obj = emit(lambda lg: lg.info("key %s for %s", SECRET, "tenant-7"))
    assert obj["message"] == f"key {logs.REDACTED} for tenant-7"


def test_exception_traceback_kept_without_echoed_input(emit) -> None:  # type: ignore[no-untyped-def]
    _, obj = emit(lambda lg: lg.error("failed", exc_info=_validation_error()))
    assert "ValidationError" in obj["exc_info"] and "withheld" in obj["exc_info"]


def test_request_id_added_inside_a_request(emit) -> None:  # type: ignore[no-untyped-def]
    token = logs.current_state().set({"request_id": "rid-42"})
    try:
        _, obj = emit(lambda lg: lg.info("inside"))
    finally:
        logs.current_state().reset(token)
    assert obj["request_id"] == "rid-42"


def test_short_values_are_not_treated_as_secrets() -> None:
    logs.register_secret("abc")  # would redact ordinary words
    assert "abc" not in logs._secrets


def test_default_config_is_json_on_stdout_with_the_filter(restore_logging, capsys) -> None:  # type: ignore[no-untyped-def]
    config = logs.setup_logging(load_settings(log_level="DEBUG"))
    assert config["handlers"]["console"]["filters"] == [logs.FILTER_NAME]
    logging.getLogger("promptsentinel.test").info("hello %s", "world", extra={"n": 1})
    out = capsys.readouterr().out.strip().splitlines()
    obj = json.loads(out[-1])
    assert obj["message"] == "hello world" and obj["level"] == "INFO" and obj["n"] == 1
    assert {"time", "logger", "pid"} <= obj.keys()


SPEC_YAML = """
version: 1
formatters:
  default:
    format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
  json:
    class: pythonjsonlogger.jsonlogger.JsonFormatter
handlers:
  console:
    class: logging.StreamHandler
    level: INFO
    formatter: json
    stream: ext://sys.stdout
  file:
    class: logging.handlers.RotatingFileHandler
    level: WARNING
    formatter: json
    filename: {filename}
    maxBytes: 10485760
    backupCount: 5
loggers:
  promptsentinel:
    level: INFO
    handlers: [console, file]
    propagate: false
"""


def test_log_config_file_of_the_deployment_guide_is_honoured(restore_logging, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log_file = tmp_path / "app.log"
    cfg = tmp_path / "logging.yaml"
    cfg.write_text(SPEC_YAML.format(filename=log_file))
    config = logs.setup_logging(load_settings(log_config=cfg))
    assert all(logs.FILTER_NAME in h["filters"] for h in config["handlers"].values())
    logs.register_secret(SECRET)
    logging.getLogger("promptsentinel.engine").warning("detector failed with %s", SECRET)
    for h in logging.getLogger("promptsentinel").handlers:
        h.flush()
    obj = json.loads(log_file.read_text().strip().splitlines()[-1])
    assert obj["message"] == f"detector failed with {logs.REDACTED}"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read"),  # the file does not exist
        ("version: [1", "not valid YAML"),  # broken YAML
        ("handlers: {}", "version: 1"),  # not a dictConfig mapping
        # a handler that cannot be built (its directory does not exist)
        (SPEC_YAML.format(filename="/nonexistent-dir/x/app.log"), "cannot apply"),
    ],
)
def test_bad_log_config_stops_start_up_naming_the_key(
    restore_logging,
    tmp_path: Path,
    content: str | None,
    fragment: str,  # type: ignore[no-untyped-def]
) -> None:
    cfg = tmp_path / "logging.yaml"
    if content is not None:
        cfg.write_text(content)
    with pytest.raises(ConfigError, match="LOG_CONFIG") as err:
        logs.setup_logging(load_settings(log_config=cfg))
    assert fragment in str(err.value)
