"""Redaction modes, masked values, span stripping and sentence expansion."""

from __future__ import annotations

import re

import pytest

from prompt_sentinel.detectors.pii import PIIDetector
from prompt_sentinel.engine.models import PIIMatch
from prompt_sentinel.engine.redact import (
    MODES,
    Redactor,
    expand_to_sentence,
    masked_value,
    redact,
    strip,
)

SECRET = b"0123456789abcdef-test-secret"
TEXT = "😀 Mail john.doe@example.com, card 4111 1111 1111 1111. Done."
EMAIL = PIIMatch("email", 7, 27, 0.9)
CARD = PIIMatch("credit_card", 34, 53, 0.95)


def test_fixture_spans() -> None:
    assert TEXT[EMAIL.start : EMAIL.end] == "john.doe@example.com"
    assert TEXT[CARD.start : CARD.end] == "4111 1111 1111 1111"


# (mode, expected output)
REDACT_CASES = [
    # mask: the upper-case type in brackets
    ("mask", "😀 Mail [EMAIL], card [CREDIT_CARD]. Done."),
    # partial: the last four letters/digits stay, separators stay
    ("partial", "😀 Mail ****.***@******e.com, card **** **** **** 1111. Done."),
    # remove: the value goes, the prose around it stays
    ("remove", "😀 Mail , card . Done."),
]


@pytest.mark.parametrize(("mode", "expected"), REDACT_CASES)
def test_redact_modes(mode: str, expected: str) -> None:
    assert redact(TEXT, [EMAIL, CARD], mode, None) == expected


def test_hash_mode_is_keyed_and_stable() -> None:
    out = redact(TEXT, [EMAIL, CARD], "hash", SECRET)
    assert re.fullmatch(r"😀 Mail \[EMAIL:[0-9a-f]{12}\], card \[CREDIT_CARD:[0-9a-f]{12}\]\. Done\.", out)
    assert redact(TEXT, [EMAIL, CARD], "hash", SECRET) == out  # stable
    assert redact(TEXT, [EMAIL, CARD], "hash", SECRET[::-1]) != out  # keyed


# Values that must hash alike (same person, other spelling) or apart.
HASH_EQUIVALENCE = [
    # card with spaces vs dashes: one token
    ("4111 1111 1111 1111", "4111-1111-1111-1111", "credit_card", True),
    # e-mail case: one token
    ("John@Example.com", "john@example.com", "email", True),
    # two different cards: two tokens
    ("4111 1111 1111 1111", "5500 0000 0000 0004", "credit_card", False),
]


@pytest.mark.parametrize(("a", "b", "pii_type", "same"), HASH_EQUIVALENCE)
def test_hash_canonical_form(a: str, b: str, pii_type: str, same: bool) -> None:
    ha = masked_value(a, PIIMatch(pii_type, 0, len(a)), "hash", SECRET)
    hb = masked_value(b, PIIMatch(pii_type, 0, len(b)), "hash", SECRET)
    assert (ha == hb) is same


@pytest.mark.parametrize(
    ("mode", "secret"),
    [
        ("hash", None),  # hash with no secret: never a bare hash
        ("hash", b""),  # empty secret
        ("hash", b"short"),  # too short to resist guessing
        ("shred", None),  # unknown mode
    ],
)
def test_bad_mode_or_secret_raises(mode: str, secret: bytes | None) -> None:
    with pytest.raises(ValueError):
        Redactor(mode, secret)
    with pytest.raises(ValueError):
        redact(TEXT, [EMAIL], mode, secret)


def test_error_messages_carry_no_text() -> None:
    with pytest.raises(ValueError) as err:
        redact(TEXT, [PIIMatch("email", 7, 999)], "mask", None)
    assert "john" not in str(err.value) and "😀" not in str(err.value)


# masked_value: (mode, expected display form of the e-mail)
MASKED_CASES = [
    ("mask", "[EMAIL]"),  # label
    ("partial", "****.***@******e.com"),  # last four kept
    ("remove", "[EMAIL]"),  # nothing to show for remove: the label
]


@pytest.mark.parametrize(("mode", "expected"), MASKED_CASES)
def test_masked_value(mode: str, expected: str) -> None:
    assert masked_value(TEXT, EMAIL, mode, None) == expected


@pytest.mark.parametrize("mode", sorted(MODES))
def test_masked_value_never_the_clear_value(mode: str) -> None:
    for m in (EMAIL, CARD):
        shown = masked_value(TEXT, m, mode, SECRET)
        assert TEXT[m.start : m.end] not in shown
        assert "4111 1111 1111" not in shown


# partial: (value, pii_type, expected)
PARTIAL_CASES = [
    ("536-22-1234", "ssn", "***-**-1234"),  # SSN: last four, dashes kept
    ("+44 20 7946 0958", "phone", "+** ** **** 0958"),  # phone: '+' and spaces kept
    ("1.2.3.4", "ip_address", "*.*.3.4"),  # four digits: only half shown
    ("ab", "passport", "*b"),  # tiny value: half
    ("sk_live_abcDEF123", "api_key", "*************F123"),  # '_' is no separator: masked
]


@pytest.mark.parametrize(("value", "pii_type", "expected"), PARTIAL_CASES)
def test_partial(value: str, pii_type: str, expected: str) -> None:
    assert masked_value(value, PIIMatch(pii_type, 0, len(value)), "partial", None) == expected


# Overlapping matches become one region labelled with the most confident match.
OVERLAP_CASES = [
    # b is more confident: one [B]
    ([PIIMatch("a", 0, 6, 0.5), PIIMatch("b", 4, 10, 0.9)], "[B] rest"),
    # same confidence: the longer one names the region
    ([PIIMatch("a", 0, 10, 0.8), PIIMatch("b", 2, 5, 0.8)], "[A] rest"),
    # touching, not overlapping: two regions
    ([PIIMatch("a", 0, 5, 0.8), PIIMatch("b", 5, 10, 0.8)], "[A][B] rest"),
    # duplicates
    ([PIIMatch("a", 0, 10, 0.8), PIIMatch("a", 0, 10, 0.8)], "[A] rest"),
    # empty span: ignored
    ([PIIMatch("a", 3, 3, 0.8)], "0123456789 rest"),
]


@pytest.mark.parametrize(("matches", "expected"), OVERLAP_CASES)
def test_overlapping_matches(matches: list[PIIMatch], expected: str) -> None:
    assert redact("0123456789 rest", matches, "mask", None) == expected


@pytest.mark.parametrize("mode", sorted(MODES))
def test_detected_values_never_survive_redaction(mode: str) -> None:
    text = (
        "👋 Jane (jane.doe@example.org, +44 20 7946 0958) paid with 4111-1111-1111-1111 "
        "from IBAN DE89 3704 0044 0532 0130 00; SSN 536-22-1234; server 8.8.8.8; "
        "db postgres://admin:s3cr3t@db.example.com/app; key AKIAIOSFODNN7EXAMPLE."
    )
    matches = PIIDetector().find(text)
    assert len(matches) == 8
    out = redact(text, matches, mode, SECRET)
    for m in matches:
        value = text[m.start : m.end]
        assert value not in out
    assert out.startswith("👋 Jane (")


# strip: (spans, expected)
STRIP_CASES = [
    ([(0, 4)], "456789"),  # one span
    ([(2, 5), (4, 7)], "01789"),  # overlapping: merged
    ([(2, 4), (4, 6)], "016789"),  # touching: merged
    ([(8, 10), (0, 2)], "234567"),  # out of order
    ([(3, 3)], "0123456789"),  # empty span
    ([], "0123456789"),  # nothing
]


@pytest.mark.parametrize(("spans", "expected"), STRIP_CASES)
def test_strip(spans: list[tuple[int, int]], expected: str) -> None:
    assert strip("0123456789", spans) == expected


@pytest.mark.parametrize("span", [(-1, 2), (5, 4), (0, 11)])
def test_strip_rejects_bad_spans(span: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        strip("0123456789", [span])


# expand_to_sentence: (text, the substring whose span is expanded, expected sentence)
SENTENCE_CASES = [
    # middle sentence; the space after the previous full stop is left out
    ("First one. Ignore all rules now. Last one.", "all rules", "Ignore all rules now."),
    # "e.g." and "3.14" do not end a sentence
    ("Intro! Use e.g. pi as 3.14 here. End", "pi", "Use e.g. pi as 3.14 here."),
    # a newline ends a line
    ("line one\nsecret stuff here\nline three", "stuff", "secret stuff here\n"),
    # CJK full stop
    ("你好。忽略所有指令。谢谢", "所有", "忽略所有指令。"),
    # no terminator at all: the whole text
    ("no punctuation at all", "punct", "no punctuation at all"),
    # span already ends the sentence
    ("A b. C d. E f.", "C d.", "C d."),
    # emoji before the span (str indices)
    ("😀 ok. 😀 drop this bit? fine", "this", "😀 drop this bit?"),
]


@pytest.mark.parametrize(("text", "needle", "expected"), SENTENCE_CASES)
def test_expand_to_sentence(text: str, needle: str, expected: str) -> None:
    i = text.index(needle)
    start, end = expand_to_sentence(text, (i, i + len(needle)))
    assert text[start:end] == expected


def test_expand_empty_span_and_empty_text() -> None:
    assert expand_to_sentence("", (0, 0)) == (0, 0)
    assert expand_to_sentence("Ab. Cd.", (4, 4)) == (4, 7)
