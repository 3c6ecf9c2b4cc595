"""Build a modified prompt from spans: PII redaction and span stripping.

Spans are [start, end) str indices into the raw text (as the detectors give
them).  Nothing here uses a regex on user text.

Redaction modes (:data:`MODES`):

- ``mask`` (default): ``[EMAIL]``, ``[CREDIT_CARD]``: the type, upper-case.
- ``partial``: letters and digits become ``*`` except the last four (at most
  half of them, so a short value is never mostly shown); separators such as
  spaces, ``-``, ``.`` and ``@`` stay, so ``4111 1111 1111 1111`` becomes
  ``**** **** **** 1111``.
- ``hash``: ``[EMAIL:1a2b3c4d5e6f]``, the first 12 hex digits of an
  HMAC-SHA256 keyed with a server secret over the type and the canonical value
  (separators dropped from numbers, e-mail lower-cased), so one value always
  maps to one token and can be correlated across prompts without being
  stored.  A hash without a key could be reversed by enumerating small value
  spaces (an SSN has 10^9), so this mode refuses to run without a secret.
- ``remove``: the value is deleted.

Overlapping matches are merged into one replaced region, labelled with the
type of the most confident match in it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from prompt_sentinel.engine.models import PIIMatch

__all__ = [
    "MIN_SECRET_BYTES",
    "MODES",
    "Redactor",
    "expand_to_sentence",
    "masked_value",
    "redact",
    "strip",
]

MODES: frozenset[str] = frozenset({"mask", "partial", "hash", "remove"})
MIN_SECRET_BYTES = 16
_KEEP_LAST = 4
_HASH_HEX = 12
_SENTENCE_ENDS = frozenset(".!?\n\u3002\uff01\uff1f\u2026")  # . ! ? newline 。！？…
_SEPARATORS = frozenset(" -.()/+:")


class Redactor:
    """Replaces PII spans in one fixed mode; checks mode and secret once, up front."""

    def __init__(self, mode: str = "mask", secret: bytes | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown redaction mode {mode!r}; use one of {sorted(MODES)}")
        if mode == "hash" and (not secret or len(secret) < MIN_SECRET_BYTES):
            raise ValueError(f"redaction mode 'hash' needs a secret of at least {MIN_SECRET_BYTES} bytes")
        self.mode = mode
        self._secret = secret or b""

    def replacement(self, text: str, match: PIIMatch) -> str:
        """What replaces ``text[match.start:match.end]``."""
        value = text[match.start : match.end]
        if self.mode == "mask":
            return _label(match.pii_type)
        if self.mode == "partial":
            return _partial(value)
        if self.mode == "hash":
            return f"[{match.pii_type.upper()}:{self._digest(match.pii_type, value)}]"
        return ""

    def redact(self, text: str, matches: Sequence[PIIMatch]) -> str:
        """``text`` with every match replaced; overlapping matches become one region."""
        parts: list[str] = []
        pos = 0
        for start, end, best in _merge(text, matches):
            parts.append(text[pos:start])
            parts.append(self.replacement(text, PIIMatch(best.pii_type, start, end)))
            pos = end
        parts.append(text[pos:])
        return "".join(parts)

    def _digest(self, pii_type: str, value: str) -> str:
        message = f"{pii_type}\x00{_canonical(pii_type, value)}".encode("utf-8", "surrogatepass")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:_HASH_HEX]


def redact(text: str, matches: Sequence[PIIMatch], mode: str = "mask", secret: bytes | None = None) -> str:
    """``text`` with each PII match replaced according to ``mode`` (see module doc).

    Raises ValueError for an unknown mode, for ``hash`` without a secret of at
    least :data:`MIN_SECRET_BYTES` bytes, and for a span outside the text.
    """
    return Redactor(mode, secret).redact(text, matches)


def masked_value(text: str, match: PIIMatch, mode: str = "mask", secret: bytes | None = None) -> str:
    """A display form of one match for API responses; never the clear value.

    ``remove`` has nothing to display, so it gives the ``mask`` label.
    """
    _check_span(text, match.start, match.end)
    if mode == "remove":
        return _label(match.pii_type)
    return Redactor(mode, secret).replacement(text, match)


def strip(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without the given [start, end) spans (overlapping or touching ones merged)."""
    parts: list[str] = []
    pos = 0
    for start, end in _merge_spans(text, spans):
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def expand_to_sentence(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Grow ``span`` to the sentence or line around it.

    A sentence ends at ``!``, ``?``, ``…``, a newline, CJK full stops, or a
    ``.`` followed by whitespace or the end of the text, unless it closes an
    abbreviation like ``e.g.`` (so neither ``e.g.`` nor ``3.14`` ends one).
    The end terminator is included; the whitespace after the previous one is
    not.  Linear scan, no regex.
    """
    start, end = span
    _check_span(text, start, end)
    i = start
    while i > 0 and not _ends_sentence(text, i - 1):
        i -= 1
    while i < start and text[i].isspace():
        i += 1
    j = end
    while j < len(text) and (j == start or not _ends_sentence(text, j - 1)):
        j += 1
    return i, j


def _ends_sentence(text: str, i: int) -> bool:
    c = text[i]
    if c not in _SENTENCE_ENDS:
        return False
    if c != ".":
        return True
    if i >= 2 and text[i - 2] == ".":  # the second dot of "e.g.", "i.e.", "U.S."
        return False
    return i + 1 == len(text) or text[i + 1].isspace()


def _label(pii_type: str) -> str:
    return f"[{pii_type.upper()}]"


def _partial(value: str) -> str:
    alnum = sum(c.isalnum() for c in value)
    keep = min(_KEEP_LAST, alnum // 2)
    out: list[str] = []
    for c in reversed(value):
        if c.isalnum():
            out.append(c if keep > 0 else "*")
            keep -= 1
        elif c in _SEPARATORS or c == "@" or c.isspace():
            out.append(c)
        else:
            out.append("*")
    return "".join(reversed(out))


def _canonical(pii_type: str, value: str) -> str:
    if pii_type == "email":
        return value.lower()
    if pii_type in ("phone", "credit_card", "ssn", "iban", "us_bank_routing", "uk_nino"):
        return "".join(c for c in value if c.isalnum()).upper()
    return value


def _check_span(text: str, start: int, end: int) -> None:
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) outside a text of length {len(text)}")


def _merge_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        _check_span(text, start, end)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _merge(text: str, matches: Sequence[PIIMatch]) -> list[tuple[int, int, PIIMatch]]:
    """Regions of overlapping matches, each with its most confident (then longest) match."""
    regions: list[tuple[int, int, PIIMatch]] = []
    for m in sorted(matches, key=lambda m: (m.start, m.end)):
        _check_span(text, m.start, m.end)
        if m.end == m.start:
            continue
        if regions and m.start < regions[-1][1]:
            start, end, best = regions[-1]
            better = (m.confidence, m.end - m.start) > (best.confidence, best.end - best.start)
            regions[-1] = (start, max(end, m.end), m if better else best)
        else:
            regions.append((m.start, m.end, m))
    return regions
