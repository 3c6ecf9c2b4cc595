"""``prepare()``: the raw text plus every view detectors match on.

The normalised view comes from :mod:`prompt_sentinel.engine.text`, hidden payloads from
:mod:`prompt_sentinel.engine.decode`; this module puts them together, including payloads
that invisible characters split apart.
"""

from __future__ import annotations

from bisect import bisect_right

from prompt_sentinel.engine.decode import MAX_PAYLOADS, find_payloads, replace_surrogates
from prompt_sentinel.engine.models import DecodedPayload, PreparedText
from prompt_sentinel.engine.text import _RE_REMOVED, _delete_invisibles, normalise_report

__all__ = ["prepare"]


def _payloads_behind_invisibles(
    safe: str, found: tuple[DecodedPayload, ...], max_depth: int, budget: int
) -> tuple[DecodedPayload, ...]:
    """Payloads that invisible characters split apart (``aGVs\\u200bbG8...``).

    Decodes the text with invisibles removed and maps the spans back to raw
    indices; keeps only what the raw pass did not already find.
    """
    known = {(p.encoding, p.text) for p in found}
    new = [
        p
        for p in find_payloads(_delete_invisibles(safe), max_depth=max_depth, max_decoded_chars=budget)
        if (p.encoding, p.text) not in known
    ]
    if not new:
        return ()
    runs = [m.span() for m in _RE_REMOVED.finditer(safe)]
    starts: list[int] = []  # stripped index where each removed run sat
    shifts: list[int] = []  # chars removed up to and including that run
    removed = 0
    for s, e in runs:
        starts.append(s - removed)
        removed += e - s
        shifts.append(removed)

    def to_raw(i: int, end: bool) -> int:
        k = bisect_right(starts, i - 1 if end else i)
        return i + (shifts[k - 1] if k else 0)

    return tuple(
        DecodedPayload(p.encoding, (to_raw(p.span[0], False), to_raw(p.span[1], True)), p.text, p.depth) for p in new
    )


def prepare(raw: str, *, max_depth: int = 3, max_decoded_chars: int = 20_000) -> PreparedText:
    """Build every view of ``raw`` that detectors match on.

    Never raises on any str (empty, lone surrogates, control characters, long
    runs of emoji).  Cost is linear in ``len(raw)``; payload decoding is bounded
    by ``max_depth`` levels and ``max_decoded_chars`` characters in all.
    """
    safe = replace_surrogates(raw)
    norm = normalise_report(safe)
    payloads = find_payloads(safe, max_depth=max_depth, max_decoded_chars=max_decoded_chars)
    if norm.invisible_count and "invisible" in norm.obfuscations:
        left = max_decoded_chars - sum(len(p.text) for p in payloads)
        if left > 0 and len(payloads) < MAX_PAYLOADS:
            extra = _payloads_behind_invisibles(safe, payloads, max_depth, left)
            payloads += extra[: MAX_PAYLOADS - len(payloads)]
    return PreparedText(
        raw=raw,
        normalised=norm.text,
        invisible_count=norm.invisible_count,
        payloads=payloads,
        obfuscations=norm.obfuscations,
    )
