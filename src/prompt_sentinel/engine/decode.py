"""Find payloads hidden anywhere in a text and decode them.

Encodings looked for (the ``encoding`` names that :class:`DecodedPayload` carries):

==================== ==========================================================
``base64``           std and urlsafe alphabets, >= 16 chars, padding optional
``hex``              plain hex runs (``69676e6f7265...``, ``0x...``), separated
                     byte pairs (``69 67 6e ...``) and ``\\x69\\x67`` escapes
``url``              ``%69%67`` runs (``+`` read as a space)
``html_entities``    ``&#105;`` ``&#x69;`` ``&amp;``
``unicode_escape``   ``\\u0069`` ``\\U00000069`` ``\\u{69}``
``rot13``            letter runs whose ROT13 reads as English and that do not
``reversed``         letter runs that read as English backwards and not forwards
``reversed_cue``     the text after a "read this backwards" cue (any language or
                     script: "à l'envers", "rückwärts", "наоборот", "倒过来"),
                     reversed; not scored as obfuscation by itself, the other
                     detectors judge what it says
``tag_chars``        Unicode tag characters (U+E0020..E007E mirror ASCII:
                     "ASCII smuggling"); emoji subdivision flags are exempt
``variation_selectors`` runs of variation selectors that carry bytes
``mixed``            several payloads merged once there are too many (see below)
==================== ==========================================================

ROT13, reversed text and reversal cues are in :mod:`prompt_sentinel.engine.letters`.
Every candidate is found with RE2 (linear time); one ``re2.Set`` pass tells which
decoders have anything to look at, so ordinary text costs one scan.  A candidate
becomes a payload only when it decodes to mostly printable UTF-8 text; hex must
contain a letter digit (a-f), so plain decimal numbers are never read as hex.
Decoding recurses into each payload up to ``max_depth``; a nested payload keeps
the raw span of the outermost encoded form, since that is all the raw text can
point at.  The total decoded size is capped by ``max_decoded_chars``.
"""

from __future__ import annotations

import base64
import binascii

import re2

from prompt_sentinel.engine.escapes import (
    ESCAPE_ENCODINGS,
    ESCAPE_PATTERNS,
    encoded_char_count,
    scan_escapes,
)
from prompt_sentinel.engine.letters import (
    REVERSAL_CUE,
    REVERSED_GATE,
    ROT13_GATE,
    Raw,
    scan_reversal_cue,
    scan_reversed,
    scan_rot13,
)
from prompt_sentinel.engine.models import DecodedPayload

__all__ = [
    "ENCODINGS",
    "ESCAPE_ENCODINGS",
    "MAX_PAYLOADS",
    "decode_tag_run",
    "encoded_char_count",
    "find_payloads",
    "is_flag_tag_run",
    "replace_surrogates",
]

ENCODINGS = (
    "base64",
    "hex",
    "url",
    "html_entities",
    "unicode_escape",
    "rot13",
    "reversed",
    "tag_chars",
    "variation_selectors",
    "mixed",  # overflow past MAX_PAYLOADS, merged
)
MAX_PAYLOADS = 64

_MIN_BASE64 = 16
_MIN_DECODED = 8

_B64_RUN = r"[A-Za-z0-9+/_-]{16,}={0,2}"
_HEX_PAIRS = r"(?:0[xX])?[0-9A-Fa-f]{2}(?:(?:[ ,:;]|, )(?:0[xX])?[0-9A-Fa-f]{2}){7,}"
_TAGS = r"[\x{E0000}-\x{E007F}]+"
_VS_RUN = r"[\x{FE00}-\x{FE0F}\x{E0100}-\x{E01EF}]{4,}"

_B64, _HEXP, _ESCP, _URLP, _HTMLP, _R13, _REV, _TAG, _VS, _CUE = range(10)
_SET = re2.Set.SearchSet()
for _p in (
    _B64_RUN,
    _HEX_PAIRS,
    ESCAPE_PATTERNS["unicode_escape"],
    ESCAPE_PATTERNS["url"],
    ESCAPE_PATTERNS["html_entities"],
    ROT13_GATE,
    REVERSED_GATE,
    _TAGS,
    _VS_RUN,
    REVERSAL_CUE,
):
    _SET.Add(_p)
_SET.Compile()

_RE_B64 = re2.compile(_B64_RUN)
_RE_HEX_PAIRS = re2.compile(_HEX_PAIRS)
_RE_TAGS = re2.compile(_TAGS)
_RE_VS = re2.compile(_VS_RUN)

_HEX_CHARS = frozenset("0123456789abcdefABCDEF")
_B64_TO_STD = str.maketrans("-_", "+/")
_DROP_WS = str.maketrans("", "", "\t\n\r")
_DROP_SEPARATORS = str.maketrans("", "", " ,:;")
_FLAG = "\U0001f3f4"  # WAVING BLACK FLAG: base of the tag-sequence subdivision flags
_CANCEL_TAG = "\U000e007f"

_Raw = Raw  # (encoding, span, decoded text)


_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)


def replace_surrogates(text: str) -> str:
    """``text`` with lone surrogates (legal in JSON, unencodable) as U+FFFD.

    Length-preserving, so str indices into the result are indices into ``text``.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.translate(_SURROGATES)
    return text


def decode_tag_run(run: str) -> str:
    """Map Unicode tag characters U+E0020..E007E to the ASCII they mirror."""
    return "".join(chr(ord(c) - 0xE0000) for c in run if 0xE0020 <= ord(c) <= 0xE007E)


def is_flag_tag_run(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is the tag tail of an emoji subdivision flag."""
    run = text[start:end]
    return (
        start > 0
        and text[start - 1] == _FLAG
        and 2 <= len(run) <= 8
        and run[-1] == _CANCEL_TAG
        and decode_tag_run(run[:-1]).isalnum()
    )


def _printable_text(s: str) -> bool:
    """Mostly printable text with a fair share of letters, digits and spaces."""
    n = len(s)
    if n == 0:
        return False
    if not s.isprintable():
        stripped = s.translate(_DROP_WS)
        if not stripped.isprintable():
            bad = sum(1 for c in stripped if not c.isprintable())
            if bad > n * 0.05:
                return False
    words = sum(1 for c in s if c.isalnum() or c.isspace())
    return words >= n * 0.6


def _utf8_text(data: bytes) -> str | None:
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return s if len(s.strip()) >= _MIN_DECODED and _printable_text(s) else None


def _b64(cand: str) -> str | None:
    body = cand.rstrip("=").translate(_B64_TO_STD)
    # A stray leading separator ("/", "-", ...) misaligns the quantum: try a few.
    for skip in range(4):
        part = body[skip:]
        part = part[: len(part) - (len(part) % 4 == 1)]
        if len(part) < _MIN_BASE64 - 4:
            return None
        try:
            data = base64.b64decode(part + "=" * (-len(part) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        text = _utf8_text(data)
        if text is not None:
            return text
    return None


def _hex_text(digits: str) -> str | None:
    if len(digits) % 2 or not any(c in "abcdefABCDEF" for c in digits):
        return None
    return _utf8_text(bytes.fromhex(digits))


def _scan_base64_hex(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    for m in _RE_B64.finditer(text):
        cand = m.group()
        body = cand[2:] if cand[:2] in ("0x", "0X") else cand
        decoded: str | None = None
        enc = "hex"
        if _HEX_CHARS.issuperset(body):
            decoded = _hex_text(body)
        if decoded is None:
            # Words of one case ("internationalization") are not base64 worth trying.
            letters_only = cand.replace("-", "").isalpha()
            if not (letters_only and (cand.islower() or cand.isupper())):
                decoded, enc = _b64(cand), "base64"
        if decoded is not None:
            out.append((enc, m.span(), decoded))
    return out


def _scan_hex_pairs(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    for m in _RE_HEX_PAIRS.finditer(text):
        digits = m.group().replace("0x", "").replace("0X", "").translate(_DROP_SEPARATORS)
        decoded = _hex_text(digits)
        if decoded is not None:
            out.append(("hex", m.span(), decoded))
    return out


def _scan_tags(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    for m in _RE_TAGS.finditer(text):
        s, e = m.span()
        if is_flag_tag_run(text, s, e):
            continue
        decoded = decode_tag_run(m.group())
        if decoded.strip():
            out.append(("tag_chars", (s, e), decoded))
    return out


def _vs_byte(c: str) -> int:
    cp = ord(c)
    return cp - 0xFE00 if cp < 0xFE10 else cp - 0xE0100 + 16


def _scan_vs(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    for m in _RE_VS.finditer(text):
        try:
            decoded = bytes(_vs_byte(c) for c in m.group()).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if decoded.strip() and _printable_text(decoded):
            out.append(("variation_selectors", m.span(), decoded))
    return out


def _scan(text: str) -> list[_Raw]:
    """One level of decoding: every candidate in ``text``, in span order."""
    text = replace_surrogates(text)
    hits = _SET.Match(text)
    if not hits:
        return []
    found: list[_Raw] = []
    if _B64 in hits:
        found += _scan_base64_hex(text)
    if _HEXP in hits:
        found += _scan_hex_pairs(text)
    if _ESCP in hits:
        found += scan_escapes(text, "unicode_escape")
    if _URLP in hits:
        found += scan_escapes(text, "url")
    if _HTMLP in hits:
        found += scan_escapes(text, "html_entities")
    if _R13 in hits:
        found += scan_rot13(text)
    if _REV in hits:
        found += scan_reversed(text)
    if _TAG in hits:
        found += _scan_tags(text)
    if _VS in hits:
        found += _scan_vs(text)
    if _CUE in hits:
        found += scan_reversal_cue(text)
    found.sort(key=lambda r: r[1])
    return found


def find_payloads(text: str, *, max_depth: int = 3, max_decoded_chars: int = 20_000) -> tuple[DecodedPayload, ...]:
    """Every hidden payload in ``text``, decoded recursively.

    Spans are str indices into ``text``; a payload found inside another carries
    its outermost ancestor's span and ``depth`` > 1.  At most ``max_decoded_chars``
    decoded characters in all (the last payload is truncated).  Past
    ``MAX_PAYLOADS - 1`` payloads, the rest of each level is merged into one
    payload (encoding ``"mixed"``, span covering them all), so padding a prompt
    with harmless payloads cannot push an attack out of view.  Never raises.
    """
    out: list[DecodedPayload] = []
    budget = max_decoded_chars
    frontier: list[tuple[str, tuple[int, int] | None]] = [(text, None)]
    for depth in range(1, max_depth + 1):
        overflow: list[DecodedPayload] = []
        for source, outer in frontier:
            for enc, span, decoded in _scan(source):
                if budget <= 0:
                    break
                decoded = decoded[:budget]
                budget -= len(decoded)
                p = DecodedPayload(enc, span if outer is None else outer, decoded, depth)
                (out if len(out) < MAX_PAYLOADS - 1 else overflow).append(p)
        if overflow:
            encodings = {p.encoding for p in overflow}
            out.append(
                DecodedPayload(
                    encodings.pop() if len(encodings) == 1 else "mixed",
                    (min(p.span[0] for p in overflow), max(p.span[1] for p in overflow)),
                    "\n".join(p.text for p in overflow),
                    depth,
                )
            )
        frontier = [(p.text, p.span) for p in out if p.depth == depth]
        if not frontier or budget <= 0:
            break
    return tuple(out)
