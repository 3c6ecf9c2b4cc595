"""Inputs the property and fuzz tests found, kept as plain cases."""

from __future__ import annotations

from typing import Any

import pytest

from prompt_sentinel.engine.escapes import encoded_char_count
from prompt_sentinel.engine.models import DetectContext
from prompt_sentinel.engine.prepare import prepare


@pytest.mark.parametrize(
    "text",
    [
        "\\x00\\\ud800",  # an escape run next to a lone surrogate: RE2 could not encode the span
        "\\x41\\x42\\x43\ud800 \\u0041\\u0042",  # the same inside a longer escape region
        "%41%42%43\udfff%44",  # URL escapes around a lone low surrogate
    ],
)
def test_encoding_detector_survives_lone_surrogates(engine: Any, text: str) -> None:
    # The engine turned the exception into an empty result, so the encoding detector was
    # silently skipped for the whole prompt: called directly, it must answer.
    prepared = prepare(text)
    for det in engine.detectors:
        det.detect(prepared, DetectContext())


@pytest.mark.parametrize(
    ("encoding", "segment", "count"),
    [
        ("unicode_escape", "\\x41\\x42\ud800", 8),  # two escapes; the surrogate is not one
        ("url", "%41\udfff%42", 6),  # two escapes around a lone low surrogate
        ("url", "%41%42", 6),  # no surrogate: unchanged
    ],
)
def test_encoded_char_count_with_surrogates(encoding: str, segment: str, count: int) -> None:
    assert encoded_char_count(encoding, segment) == count


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a card right after a phone number: the card pattern first matched "7946 0958 4111
        # 1111" (Luhn fails) and the search went on after it, past the real card; and the
        # length-capped phone match ended inside the card's digits, so it was dropped as
        # "glued" before it could be shortened to the valid number
        ("+44 20 7946 0958 4111 1111 1111 1111", ["+44 20 7946 0958", "4111 1111 1111 1111"]),
        # the same value twice, then a card (found by test_redaction: one copy leaked)
        (
            "+44 20 7946 0958 +44 20 7946 0958 4111 1111 1111 1111",
            ["+44 20 7946 0958", "+44 20 7946 0958", "4111 1111 1111 1111"],
        ),
        # a full stop after the phone: the phone was lost
        ("+44 20 7946 0958. 4111 1111 1111 1111", ["+44 20 7946 0958", "4111 1111 1111 1111"]),
        # a card whose pattern's optional 3-digit group took the start of an SSN
        (
            "4111 1111 1111 1111 4111 1111 1111 1111 536-22-1234",
            ["4111 1111 1111 1111", "4111 1111 1111 1111", "536-22-1234"],
        ),
        # a phone followed by an address: four one-digit groups to shed, not three
        (
            "+44 20 7946 0958 +44 20 7946 0958 8.8.8.8",
            ["+44 20 7946 0958", "+44 20 7946 0958", "8.8.8.8"],
        ),
        # a phone followed by a long digit run: shortened to the valid number
        ("+1 415 555 2671 1234567890123", ["+1 415 555 2671"]),
        # still refused: a number glued to more digits, and an image file name
        ("+1 415 555 26712345", []),
        ("logo@2x.png", []),
    ],
)
def test_pii_next_to_other_digits_is_found(engine: Any, text: str, values: list[str]) -> None:
    [pii] = [d for d in engine.detectors if d.name == "pii"]
    found = [text[m.start : m.end] for m in pii.detect(prepare(text), DetectContext()).pii]
    assert found == values
