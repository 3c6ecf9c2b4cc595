"""Escape-style encodings: URL ``%xx``, HTML entities, ``\\xHH`` / ``\\uXXXX`` escapes.

Unlike base64 or hex, these mix escapes with plain text (``ign%6fre previous
instructi%6fns``), so a payload is a *region*: escape runs on one line that lie
close together are merged, and the region grows to the ends of the words it
touches; the whole region is decoded, plain text included.  All matching is
RE2; the standard library decoders (``urllib.parse.unquote``, ``html.unescape``)
are avoided because they run Python ``re`` on their input.
"""

from __future__ import annotations

import html.entities
from collections.abc import Callable
from dataclasses import dataclass

import re2

__all__ = [
    "ESCAPE_ENCODINGS",
    "ESCAPE_PATTERNS",
    "encoded_char_count",
    "scan_escapes",
    "surrogate_free",
]

# One escape of each family; the keys are DecodedPayload.encoding names.
ESCAPE_PATTERNS = {
    "unicode_escape": (r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|u\{[0-9A-Fa-f]{1,6}\})"),
    "url": r"%[0-9A-Fa-f]{2}",
    "html_entities": r"&(?:#[xX][0-9A-Fa-f]{1,6};?|#[0-9]{1,7};?|[A-Za-z][A-Za-z0-9]{1,31};)",
}
# Encodings whose span mixes plain text with escapes: only the escapes count as
# "encoded characters" when judging how much of the input was hidden.
ESCAPE_ENCODINGS = frozenset(ESCAPE_PATTERNS)

_MERGE_GAP = 40  # escape runs this close (same line) decode as one region
_WORD_REACH = 64  # how far a region grows to reach the ends of its words
_MIN_LONE = 6  # a region with one escape must decode to at least this much text


def surrogate_free(s: str) -> str:
    """Join surrogate pairs (``\\ud83d\\ude00`` escapes); lone halves become U+FFFD."""
    return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _chr(cp: int) -> str:
    return chr(cp) if 0 <= cp <= 0x10FFFF else "\ufffd"


def _sub(region: str, one_re: re2._Regexp, fn: Callable[[str], str]) -> str:
    pieces: list[str] = []
    last = 0
    for m in one_re.finditer(region):
        pieces.append(region[last : m.start()])
        pieces.append(fn(m.group()))
        last = m.end()
    pieces.append(region[last:])
    return "".join(pieces)


def _url_run(run: str) -> str:
    return bytes.fromhex(run.replace("%", "")).decode("utf-8", "replace")


def _esc_run(run: str) -> str:
    pieces: list[str] = []
    pending = bytearray()  # consecutive \xHH escapes are UTF-8 bytes
    for m in _FAMILIES["unicode_escape"].one.finditer(run):
        esc = m.group()
        if esc[1] == "x":
            pending.append(int(esc[2:], 16))
            continue
        if pending:
            pieces.append(pending.decode("utf-8", "replace"))
            pending.clear()
        pieces.append(_chr(int(esc[2:].strip("{}"), 16)))
    if pending:
        pieces.append(pending.decode("utf-8", "replace"))
    return surrogate_free("".join(pieces))


def _html_one(ent: str) -> str:
    if ent[1] == "#":
        body = ent[2:].rstrip(";")
        cp = int(body[1:], 16) if body[:1] in "xX" else int(body)
        return surrogate_free(_chr(cp))
    return html.entities.html5.get(ent[1:], ent)


@dataclass(frozen=True, slots=True)
class _Family:
    run: re2._Regexp  # a run of adjacent escapes
    one: re2._Regexp  # one escape
    marker: str  # the character every escape starts with
    decode_run: Callable[[str], str]
    plus_is_space: bool = False


_FAMILIES = {
    "unicode_escape": _Family(
        re2.compile(f"(?:{ESCAPE_PATTERNS['unicode_escape']})+"),
        re2.compile(ESCAPE_PATTERNS["unicode_escape"]),
        "\\",
        _esc_run,
    ),
    "url": _Family(
        re2.compile(f"(?:{ESCAPE_PATTERNS['url']})+"),
        re2.compile(ESCAPE_PATTERNS["url"]),
        "%",
        _url_run,
        plus_is_space=True,
    ),
    "html_entities": _Family(
        re2.compile(f"(?:{ESCAPE_PATTERNS['html_entities']})+"),
        re2.compile(ESCAPE_PATTERNS["html_entities"]),
        "&",
        lambda run: _sub(run, _FAMILIES["html_entities"].one, _html_one),
    ),
}


def _regions(text: str, run_re: re2._Regexp) -> list[tuple[int, int]]:
    """Spans of escape runs merged when close, grown to the ends of their words.

    Linear: each region grows at most ``_WORD_REACH`` chars each way and never
    back over the previous region.
    """
    merged: list[list[int]] = []
    for m in run_re.finditer(text):
        s, e = m.span()
        if merged:
            gap = text[merged[-1][1] : s]
            if len(gap) <= _MERGE_GAP and "\n" not in gap:
                merged[-1][1] = e
                continue
        merged.append([s, e])
    out: list[tuple[int, int]] = []
    floor = 0
    n = len(text)
    for s, e in merged:
        lo = max(floor, s - _WORD_REACH)
        while s > lo and not text[s - 1].isspace():
            s -= 1
        hi = min(n, e + _WORD_REACH)
        while e < hi and not text[e].isspace():
            e += 1
        if out and s <= out[-1][1]:
            s = out.pop()[0]
        out.append((s, e))
        floor = e
    return out


def scan_escapes(text: str, encoding: str) -> list[tuple[str, tuple[int, int], str]]:
    """``(encoding, span, decoded)`` for each region of ``encoding`` escapes.

    A ``unicode_escape`` region made only of ``\\xHH`` escapes is reported as
    ``hex``.  A lone ``&amp;`` or ``%20`` hides nothing and is not reported.
    """
    fam = _FAMILIES[encoding]
    out: list[tuple[str, tuple[int, int], str]] = []
    for s, e in _regions(text, fam.run):
        region = text[s:e]
        plain = region.replace("+", " ") if fam.plus_is_space else region
        decoded = _sub(plain, fam.run, fam.decode_run)
        if decoded == region or not decoded.strip():
            continue
        if region.count(fam.marker) < 2 and len(decoded.strip()) < _MIN_LONE:
            continue
        enc = encoding
        if encoding == "unicode_escape" and "\\u" not in region and "\\U" not in region:
            enc = "hex"
        out.append((enc, (s, e), decoded))
    return out


def encoded_char_count(encoding: str, segment: str) -> int:
    """How many characters of ``segment`` (a payload's raw span) are encoded.

    For escape encodings only the escape sequences count, so a URL with one
    ``%20`` is not "a substantial encoded input"; for the others, the span.
    """
    if encoding == "hex" and "\\x" in segment:
        encoding = "unicode_escape"
    if encoding not in _FAMILIES:
        return len(segment)
    # RE2 needs UTF-8: a lone surrogate in the raw span would raise (escapes are ASCII,
    # so the count is unchanged).
    return sum(len(m.group()) for m in _FAMILIES[encoding].run.finditer(surrogate_free(segment)))
