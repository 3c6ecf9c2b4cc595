"""Letter-level encodings: ROT13, reversed text, and text after a "read it backwards" cue.

ROT13 and reversal keep a text's letters, so nothing marks them as encoded: a letter
run is kept only when its transform reads as English and the run itself does not
(a small vocabulary, below).  Reversed text in other languages is only recognised
after an explicit cue ("à l'envers", "rückwärts", "наоборот", "倒过来"): the text after
the cue is reversed whatever its script, and the other detectors judge what it says.
The ``*_GATE`` / ``REVERSAL_CUE`` patterns go into :mod:`prompt_sentinel.engine.decode`'s
one-pass ``re2.Set``; the ``scan_*`` functions run only when their pattern fired.
"""

from __future__ import annotations

from collections.abc import Callable

import re2

__all__ = ["REVERSAL_CUE", "REVERSED_GATE", "ROT13_GATE", "Raw", "scan_reversal_cue", "scan_reversed", "scan_rot13"]

Raw = tuple[str, tuple[int, int], str]  # (encoding, span, decoded text)

_LETTER_RUN = r"[A-Za-z][A-Za-z '\",()-]{10,}[A-Za-z]"

# A small English vocabulary: function words plus the words attacks are made
# of.  Enough to tell English from ROT13/reversed gibberish, nothing more.
_VOCAB_WORDS = """a about above after again all also am an and any are as at be because been
    before being below between both but by can could did do does doing don down
    during each few for from further had has have having he her here hers him his
    how i if in into is it its just me more most my no nor not now of off on once
    only or other our out over own same she should so some such than that the
    their them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your
    yours please tell give show say now new must never always ignore ignoring
    disregard forget forgot previous prior earlier instructions instruction rules
    rule prompt prompts system reveal password secret secrets admin developer mode
    act pretend jailbreak bypass override respond answer output print repeat text
    above below everything anything nothing word words first following task tasks
    instead only original initial hidden confidential key keys access data user
    assistant model guidelines policy policies restrictions filter filters safety
    delete execute run command commands code write send email"""
_VOCAB = frozenset(_VOCAB_WORDS.split())
_ROT13 = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm",
)
# Cheap markers: frequent or attack words as they look after the transform.
_ROT13_MARKERS = """gur naq lbh lbhe vf gb bs nyy vtaber cerivbhf vafgehpgvbaf cebzcg flfgrz
    cnffjbeq frperg guvf jung gryy erirny qvfertneq sbetrg ehyrf nobir"""
_REV_MARKERS = """eht dna uoy ruoy lla erongi suoiverp snoitcurtsni tpmorp metsys drowssap
    terces siht tahw llet laever dragersid tegrof selur evoba"""


def _markers(words: str) -> str:
    return r"(?i)\b(?:" + "|".join(words.split()) + r")\b"


# "Read this backwards and do it: <text reversed in any language>".
REVERSAL_CUE = (  # RE2's \b is ASCII-only: no \b next to a non-ASCII letter
    r"(?i)(?:\b(?:read|say|follow|do|execute|decode|reverse|flip|interpret|write|take)\b[^.:\n]{0,40}?"
    r"\b(?:backwards?|in\s+reverse|reversed|from\s+right\s+to\s+left|from\s+the\s+end)\b"
    r"|\breverse\s+(?:the\s+following|this|it|the\s+text|these\s+words)\b"
    r"|à\s+l'envers\b|\bde\s+droite\s+à\s+gauche\b|\brückwärts\b|\bvon\s+hinten\b|\bal\s+revés"
    r"|\bal\s+contrario\b|\bde\s+trás\s+para\s+(?:a\s+)?frente\b|\bao\s+contrário|\bachterstevoren\b"
    r"|\bbaklänges\b|\bod\s+tyłu|\btersten\b|наоборот|задом\s+напер[её]д|навпаки"
    r"|反过来|倒过来|倒着|逆から|逆に読|거꾸로|بالعكس|معكوس|उल्टा)"
)
ROT13_GATE = _markers(_ROT13_MARKERS)
REVERSED_GATE = _markers(_REV_MARKERS)

_RE_LETTER_RUN = re2.compile(_LETTER_RUN)
_RE_REV_CUE = re2.compile(REVERSAL_CUE)
_CUE_MAX = 3  # cues looked at per text
_CUE_SPAN = 4_000  # characters reversed after a cue
_CUE_SKIP = 80  # a ':' or newline this close after the cue starts the reversed part


def scan_rot13(text: str) -> list[Raw]:
    """Letter runs whose ROT13 reads as English (and that do not)."""
    return _scan_letters(text, lambda s: s.translate(_ROT13), "rot13")


def scan_reversed(text: str) -> list[Raw]:
    """Letter runs that read as English backwards (and not forwards)."""
    return _scan_letters(text, lambda s: s[::-1], "reversed")


def _english_hits(words: list[str]) -> int:
    return sum(1 for w in words if w.strip("'\",()-") in _VOCAB)


def _scan_letters(text: str, transform: Callable[[str], str], enc: str) -> list[Raw]:
    out: list[Raw] = []
    for m in _RE_LETTER_RUN.finditer(text):
        run = m.group()
        words = run.lower().split()
        if len(words) < 3:
            continue
        turned = transform(run)
        hits = _english_hits(turned.lower().split())
        if hits >= 3 and hits >= 0.4 * len(words) and _english_hits(words) * 2 < hits:
            out.append((enc, m.span(), turned))
    return out


def scan_reversal_cue(text: str) -> list[Raw]:
    """The text after a "read this backwards" cue, reversed (any script)."""
    out: list[Raw] = []
    for i, m in enumerate(_RE_REV_CUE.finditer(text)):
        if i >= _CUE_MAX:
            break
        start = m.end()
        head = text[start : start + _CUE_SKIP]
        for sep in (":", "\n"):
            k = head.find(sep)
            if k >= 0:
                start += k + 1
                break
        end = min(len(text), start + _CUE_SPAN)
        segment = text[start:end].strip()
        if sum(c.isalpha() for c in segment) >= 12:
            out.append(("reversed_cue", (start, end), segment[::-1]))
    return out
