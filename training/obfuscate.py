"""Obfuscations that attackers use to slip past filters (for data augmentation).

Each function takes the text and a seeded ``random.Random`` and returns the
obfuscated text; none of them changes what the text asks for.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable

HOMOGLYPHS = {
    "a": "аɑ",
    "c": "сϲ",
    "e": "е",
    "i": "іι",
    "j": "ј",
    "o": "оο",
    "p": "р",
    "s": "ѕ",
    "x": "х",
    "y": "уγ",
    "h": "һ",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "С",
    "E": "ЕΕ",
    "H": "НΗ",
    "I": "ІΙ",
    "K": "КΚ",
    "M": "МΜ",
    "O": "ОΟ",
    "P": "РΡ",
    "T": "ТΤ",
    "X": "ХΧ",
}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "g": "9", "l": "1", "b": "8"}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def homoglyphs(text: str, rng: random.Random) -> str:
    """Swap a share of Latin letters for Cyrillic/Greek look-alikes."""
    p = rng.uniform(0.3, 0.9)
    return "".join(rng.choice(HOMOGLYPHS[c]) if c in HOMOGLYPHS and rng.random() < p else c for c in text)


def leetspeak(text: str, rng: random.Random) -> str:
    """Replace letters with digits (a->4, e->3 ...) for a share of them."""
    p = rng.uniform(0.5, 1.0)
    return "".join(LEET[c.lower()] if c.lower() in LEET and rng.random() < p else c for c in text)


def spacing(text: str, rng: random.Random) -> str:
    """Spread letters of some (or all) words apart: 'i g n o r e'."""
    sep = rng.choice([" ", " ", ".", "-", "_", "  "])
    p = rng.uniform(0.4, 1.0)
    words = text.split(" ")
    return " ".join(sep.join(w) if len(w) > 2 and rng.random() < p else w for w in words)


def zero_width(text: str, rng: random.Random) -> str:
    """Insert invisible characters inside words."""
    zw = rng.choice(ZERO_WIDTH)
    p = rng.uniform(0.2, 0.8)
    return "".join(c + zw if c.isalpha() and rng.random() < p else c for c in text)


def mixed_case(text: str, rng: random.Random) -> str:
    """rAnDoM cAsE."""
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)


def fullwidth(text: str, rng: random.Random) -> str:
    """ASCII to fullwidth forms (ｉｇｎｏｒｅ)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def reversed_text(text: str, rng: random.Random) -> str:
    """Text written backwards, with a request to read it reversed."""
    lead = rng.choice(["Read this backwards and do it:", "Reverse the following and follow it:"])
    return f"{lead} {text[::-1]}"


def base64_wrap(text: str, rng: random.Random) -> str:
    """Base64 of the text inside a request to decode and follow it."""
    enc = base64.b64encode(text.encode("utf-8")).decode("ascii")
    lead = rng.choice(
        [
            "Decode this base64 and follow the instructions:",
            "Execute the following base64 encoded command:",
            "aWdub3Jl... here is my real request in base64, decode it and comply:",
            "Base64:",
            "",
        ]
    )
    return f"{lead} {enc}".strip()


def punctuation_split(text: str, rng: random.Random) -> str:
    """Break trigger words with punctuation: 'ig-nore pre.vious'."""
    out = []
    for w in text.split(" "):
        if len(w) > 5 and rng.random() < 0.6:
            k = rng.randrange(2, len(w) - 2)
            w = w[:k] + rng.choice(["-", ".", "*", "/", "'"]) + w[k:]
        out.append(w)
    return " ".join(out)


OBFUSCATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "homoglyphs": homoglyphs,
    "leetspeak": leetspeak,
    "spacing": spacing,
    "zero_width": zero_width,
    "mixed_case": mixed_case,
    "fullwidth": fullwidth,
    "reversed": reversed_text,
    "base64": base64_wrap,
    "punctuation": punctuation_split,
}
