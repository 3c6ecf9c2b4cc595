"""Redaction never leaves a detected PII value in the text it returns.

Texts mix benign sentences, PII values and (sometimes) an attack sentence, so the
strip path of permissive mode (sentences removed, PII spans shifted) is covered too;
every redaction mode, every detection mode, prompts and chat messages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prompt_sentinel.engine.engine import Engine
from prompt_sentinel.engine.models import Mode
from prompt_sentinel.schemas import Message
from tests.properties.strategies import ATTACKS, BENIGN, PII_VALUES, SEPARATORS

SECRET = b"a-test-secret-of-32-bytes-length"


@st.composite
def texts_with_pii(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(BENIGN),
                st.sampled_from([v for _, v in PII_VALUES]),
                st.sampled_from(ATTACKS) if draw(st.booleans()) else st.nothing(),
            ),
            min_size=1,
            max_size=12,
        )
    )
    return draw(SEPARATORS).join(pieces)


@pytest.fixture(scope="module", params=["mask", "partial", "hash", "remove"])
def redacting(engine: Any, request: pytest.FixtureRequest) -> Engine:
    """The session engine's detectors and policy with another PII_REDACTION_MODE."""
    options = replace(engine.options, redaction_mode=request.param, redaction_secret=SECRET, pii_enabled=True)
    return Engine(engine.detectors, engine.policy, options)


def leaked(original: str, spans: list[tuple[int, int]], modified: str) -> list[str]:
    return [original[a:b] for a, b in spans if original[a:b] in modified]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts_with_pii(), mode=st.sampled_from(list(Mode)))
def test_prompt_redaction_leaves_no_detected_value(redacting: Engine, text: str, mode: Mode) -> None:
    res = redacting.detect(text, mode=mode, check_pii=True)
    spans = [(p.start, p.end) for p in res.pii_detected]
    if res.modified_prompt is not None:
        assert leaked(text, spans, res.modified_prompt) == []
    for p in res.pii_detected:
        assert text[p.start : p.end] not in p.masked_value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contents=st.lists(st.tuples(st.sampled_from(["system", "user", "tool"]), texts_with_pii()), min_size=1, max_size=4),
    mode=st.sampled_from(list(Mode)),
)
def test_message_redaction_leaves_no_detected_value(
    redacting: Engine, contents: list[tuple[str, str]], mode: Mode
) -> None:
    messages = [Message(role=role, content=text) for role, text in contents]  # type: ignore[arg-type]
    res = redacting.detect(messages=messages, mode=mode, check_pii=True)
    if res.modified_messages is None:
        return
    for i, (msg, new) in enumerate(zip(messages, res.modified_messages, strict=True)):
        spans = [(p.start, p.end) for p in res.pii_detected if p.message_index == i]
        assert leaked(msg.content, spans, new.content) == []


def test_the_property_can_fail(engine: Any) -> None:
    # A redaction that kept the value would be caught by `leaked`.
    text = "mail john.doe@example.com now"
    res = engine.detect(text)
    spans = [(p.start, p.end) for p in res.pii_detected]
    assert spans and leaked(text, spans, text) == ["john.doe@example.com"]
