"""Text preparation: the normalised view detectors match on, and hidden payloads.

:func:`prompt_sentinel.engine.prepare.prepare` is the one entry point the engine calls;
this module gives it the normalised view. The normalised view
(``PreparedText.normalised``) is for matching only; its indices do not line up with the
raw text. Steps, in order:

1. lone surrogates become U+FFFD (length-preserving, so payload spans stay raw
   indices);
2. Unicode tag characters (U+E0000 block) are decoded to the ASCII they mirror
   and put back as ``" <ascii> "``; emoji subdivision flags are merely dropped;
   variation-selector runs that carry bytes are decoded the same way;
3. invisible characters are removed: zero-width, bidi controls, soft hyphen,
   fillers, variation selectors, C0/C1 controls (the information separators
   \x1c-\x1f and the braille blank become spaces);
4. NFKC (fullwidth, mathematical alphanumerics, circled letters ... to ASCII);
5. look-alikes folded to Latin (policy below), casefold, the folding once more
   (casefold creates a few look-alikes), NFKC again;
6. combining marks on ASCII letters are removed when used as styling (three or
   more such letters: strike-through or "zalgo" text);
7. spaced letters collapsed: ``i g n o r e``, ``i.g.n.o.r.e``, ``i-g-n-o-r-e``
   (>= 3 single letters, one separator kind per run); runs of one, two or
   three spaces each work, so ``i g n o r e  a l l`` keeps its word gap; a run
   spaced with single spaces only (``f o r g e t a l l``) gets its word
   boundaries back from :mod:`prompt_sentinel.engine.segment` when the split is
   clear.  Text with non-ASCII letters takes the any-script version (Cyrillic,
   Greek, accented Latin, Devanagari signs; Han and kana joined without spaces);
8. whitespace squeezed to single spaces, then step 7 once more (for runs whose
   spacing only became regular now), then leetspeak folded inside tokens that
   hold at least two letters (``0 1 3 4 5 7 @ $`` -> ``o i e a s t a s``, and
   ``9`` -> ``g``, ``8`` -> ``b`` between two letters; not in hex-only tokens, nor
   in tokens with the digits 2 or 6 or with an 8 or 9 elsewhere: ``covid19``;
   a ``1`` becomes ``l`` where only that makes a known word: ``ru1es``);
   before that, one run of ``* | _ ~ ^ + / .`` between two letters is dropped
   (``ig*nore``, ``pro/mpt``). Steps 7 and 8 live in :mod:`prompt_sentinel.engine.folding`.

Homoglyph policy: Cyrillic, Greek, Armenian, Cherokee and Lisu look-alikes are
folded only inside words that mix that script with Latin letters; once a text
shows such a word, whole words made only of look-alikes are folded too.  Text
written in those scripts is left alone.  Latin-script look-alikes (small
capitals, dotless i, Latin alpha ...) are always folded.

``normalise`` is idempotent: ``normalise(normalise(x)) == normalise(x)``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import re2

from prompt_sentinel.engine.charsets import (
    BENIGN_INVISIBLES,
    COMMON_INVISIBLES,
    CONFUSABLE_LOWER,
    CONFUSABLE_SCRIPTS,
    DELETE_INVISIBLE,
    HOMOGLYPH_FOLD,
    INVISIBLE_CLASS,
    LATIN_LOOKALIKE_FOLD,
    LOOKALIKE_CLASS,
    REMOVED_CLASS,
    STYLED_CLASS,
)
from prompt_sentinel.engine.decode import (
    decode_tag_run,
    is_flag_tag_run,
    replace_surrogates,
)
from prompt_sentinel.engine.folding import (
    LEET_TOKEN,
    SPACED_GATE,
    collapse_spacing,
    collapse_spacing_any,
    fold_words,
    splice,
)

__all__ = ["OBFUSCATIONS", "Normalisation", "normalise", "normalise_report"]

OBFUSCATIONS = (
    "invisible",
    "tag_chars",
    "variation_selectors",
    "homoglyph",
    "styled_letters",
    "combining_marks",
    "spacing",
    "leetspeak",
)

# --- patterns (all RE2, linear time) ------------------------------------------

_TAG_RUN = r"[\x{E0000}-\x{E007F}]+"
_VS_RUN = r"[\x{FE00}-\x{FE0F}\x{E0100}-\x{E01EF}]{4,}"
_CONTROL = r"[\x{0}-\x{8}\x{E}-\x{1B}\x{7F}]"
# "@" and "$" belong to words here because leetspeak turns them into letters.
_W = r"[\pL\pM\pN@$]*"
_MIXED_WORD = rf"{_W}(?:\p{{Latin}}{_W}[{CONFUSABLE_SCRIPTS}]|[{CONFUSABLE_SCRIPTS}]{_W}\p{{Latin}}){_W}"

_A_CONTROL, _A_LEET, _A_SPACED = range(3)
_ASCII_SET = re2.Set.SearchSet()
for _p in (_CONTROL, LEET_TOKEN, SPACED_GATE):
    _ASCII_SET.Add(_p)
_ASCII_SET.Compile()

_U_TAG, _U_INVIS, _U_SCRIPT, _U_LOOKALIKE, _U_STYLED = range(5)
_UNI_SET = re2.Set.SearchSet()
for _p in (_TAG_RUN, INVISIBLE_CLASS, f"[{CONFUSABLE_SCRIPTS}]", LOOKALIKE_CLASS, STYLED_CLASS):
    _UNI_SET.Add(_p)
_UNI_SET.Compile()

_RE_TAG_RUN = re2.compile(_TAG_RUN)
_RE_VS_RUN = re2.compile(_VS_RUN)
_RE_INVISIBLE = re2.compile(INVISIBLE_CLASS + "+")
_RE_REMOVED = re2.compile(REMOVED_CLASS + "+")
_RE_LATIN_JOINER = re2.compile(r"[a-zA-Z]" + INVISIBLE_CLASS + "+")
_RE_MIXED = re2.compile(_MIXED_WORD)
_RE_SCRIPT_ANY = re2.compile(f"[{CONFUSABLE_SCRIPTS}]")
_RE_C1 = re2.compile(r"[\x{80}-\x{84}\x{86}-\x{9F}]+")
_RE_LOOKALIKE_RUN = re2.compile(LOOKALIKE_CLASS + "+")
_RE_SCRIPT_WORD = re2.compile(rf"{_W}[{CONFUSABLE_SCRIPTS}]{_W}")
_RE_MARKED = re2.compile(r"[a-zA-Z]\pM+")


@dataclass(frozen=True, slots=True)
class Normalisation:
    """The normalised view of one text and what it took to get there."""

    text: str
    invisible_count: int = 0
    obfuscations: frozenset[str] = frozenset()


def _smuggled(text: str, seen: set[str]) -> tuple[str, int]:
    """Decode tag-character and variation-selector runs in place."""
    edits: list[tuple[int, int, str]] = []
    hidden = 0
    for m in _RE_TAG_RUN.finditer(text):
        s, e = m.span()
        if is_flag_tag_run(text, s, e):
            edits.append((s, e, ""))
            continue
        hidden += e - s
        seen.add("tag_chars")
        edits.append((s, e, f" {decode_tag_run(m.group())} "))
    text = splice(text, edits)
    edits = []
    for m in _RE_VS_RUN.finditer(text):
        cps = [ord(c) - 0xFE00 if ord(c) < 0xFE10 else ord(c) - 0xE0100 + 16 for c in m.group()]
        try:
            decoded = bytes(cps).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if decoded.isprintable() and decoded.strip():
            seen.add("variation_selectors")
            hidden += len(cps)
            edits.append((m.start(), m.end(), f" {decoded} "))
    return splice(text, edits), hidden


def _delete_invisibles(text: str) -> str:
    # str.replace for the common ones is ~20x faster than translate on emoji text.
    for c in COMMON_INVISIBLES:
        if c in text:
            text = text.replace(c, "")
    if _RE_INVISIBLE.search(text):
        text = text.translate(DELETE_INVISIBLE)
    return text


def _remove_invisibles(text: str) -> tuple[str, int]:
    """Delete invisible characters; count the ones with no innocent reading."""
    stripped = _delete_invisibles(text)
    removed = len(text) - len(stripped)
    benign = sum(text.count(c) for c in BENIGN_INVISIBLES) + (text[:1] == "\ufeff")
    if _RE_C1.search(text):  # mojibake (UTF-8 read as Latin-1) is full of C1 controls
        benign += sum(len(m.group()) for m in _RE_C1.finditer(text))
    if "\u200c" in text or "\u200d" in text:
        for m in _RE_LATIN_JOINER.finditer(text):
            run = m.group()
            benign -= run.count("\u200c") + run.count("\u200d")
    return stripped, max(0, removed - benign)


def _fold_lookalikes(text: str) -> str:
    return splice(
        text,
        [(m.start(), m.end(), m.group().translate(LATIN_LOOKALIKE_FOLD)) for m in _RE_LOOKALIKE_RUN.finditer(text)],
    )


def _fold_homoglyphs(text: str, *, lower: bool) -> tuple[str, bool]:
    """Fold look-alikes in mixed-script words (then in whole look-alike words).

    ``lower``: the text is already casefolded and must stay so.
    """

    def fold(word: str) -> str:
        folded = word.translate(HOMOGLYPH_FOLD)
        return folded.casefold() if lower else folded

    edits = [(m.start(), m.end(), folded) for m in _RE_MIXED.finditer(text) if (folded := fold(m.group())) != m.group()]
    if not edits:
        return text, False
    text = splice(text, edits)
    whole = [
        (m.start(), m.end(), fold(m.group()))
        for m in _RE_SCRIPT_WORD.finditer(text)
        if all(c.casefold() in CONFUSABLE_LOWER for c in m.group() if c.isalpha())
    ]
    return splice(text, whole), True


def _strip_marks(text: str) -> tuple[str, bool]:
    marked = [(s, e, text[s]) for s, e in (m.span() for m in _RE_MARKED.finditer(text))]
    if len(marked) < 3:
        return text, False
    return splice(text, marked), True


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def normalise_report(text: str) -> Normalisation:
    """Normalise ``text`` (see the module docstring) and say what was undone.

    When a pass folded separators or leetspeak, the steps can feed each other (a folded
    digit next to a combining mark, a run that only becomes "spaced" letters once folded),
    so the pass is repeated on its own output until nothing changes: the result is a
    fixed point, which is what makes ``normalise`` idempotent.  Ordinary text takes one pass.
    """
    n, folded = _normalise_once(text)
    for _ in range(3):
        if not folded:
            break
        again, folded = _normalise_once(n.text)
        if again.text == n.text:
            break
        n = Normalisation(again.text, n.invisible_count, n.obfuscations | again.obfuscations)
    return n


def _normalise_once(text: str) -> tuple[Normalisation, bool]:
    """One pass of every step; True when the separator/leetspeak loop changed the text."""
    seen: set[str] = set()
    invisible = 0
    s = replace_surrogates(text)
    if s.isascii():
        hits = _ASCII_SET.Match(s) or ()
        if _A_CONTROL in hits:
            s, invisible = _remove_invisibles(s)
            hits = _ASCII_SET.Match(s) or ()
            if invisible:
                seen.add("invisible")
        s = s.lower()
    else:
        uhits = _UNI_SET.Match(s) or ()
        if _U_TAG in uhits or _U_INVIS in uhits:
            s, hidden = _smuggled(s, seen)
            s, invisible = _remove_invisibles(s)
            if invisible:
                seen.add("invisible")
            invisible += hidden
        if _U_STYLED in uhits:
            seen.add("styled_letters")
        s = _nfkc(s)
        if _U_LOOKALIKE in uhits:  # before homoglyphs: a folded letter can make a word mixed
            s = _fold_lookalikes(s)
        # Looked for after NFKC, which makes Greek too (math alpha, the ohm sign in
        # "㏀"), as does casefold (U+0345 -> iota).
        homoglyphs = _U_SCRIPT in uhits or "\u0345" in s or _RE_SCRIPT_ANY.search(s) is not None
        if homoglyphs:
            s, mixed = _fold_homoglyphs(s, lower=False)
            if mixed:
                seen.add("homoglyph")
        if _U_LOOKALIKE in uhits:
            s = s.replace("İ", "I")  # its casefold keeps a combining dot
        s = s.casefold()
        if homoglyphs:
            s, mixed = _fold_homoglyphs(s, lower=True)
            if mixed:
                seen.add("homoglyph")
        if _U_LOOKALIKE in uhits:  # again: casefold makes some (Ɪ -> ɪ)
            folded = _fold_lookalikes(s)
            if folded != s:
                seen.add("styled_letters")
                s = folded
        s = _nfkc(s)
        if not s.isascii():
            s, marks = _strip_marks(s)
            if marks:
                seen.add("combining_marks")
        hits = _ASCII_SET.Match(s) or ()
    # Spaced letters: the ASCII pass (gated, RE2's ASCII \b) or, with other scripts about,
    # the any-script pass; before and after squeezing whitespace ("a  b c").
    collapse = collapse_spacing if s.isascii() else collapse_spacing_any
    spaced = _A_SPACED in hits or collapse is collapse_spacing_any
    collapsed = False
    if spaced:
        joined = collapse(s, seen)
        collapsed, s = joined is not s, joined
    s = " ".join(s.split())
    if spaced:
        joined = collapse(s, seen)
        collapsed, s = collapsed or joined is not s, joined
    # A joined run can be a new mixed-script word ("t-һ-е" -> "tһе") for the homoglyph step.
    rejoined = collapsed and collapse is collapse_spacing_any
    # Collapsing can make "1gn0r3" or "e.ignore": folding is not gated on a leetspeak hit alone.
    s, folded = fold_words(s, seen, leet=_A_LEET in hits or _A_SPACED in hits)
    if not s.isascii():
        s = _nfkc(s)  # a folded "0" may now compose with a combining mark after it
    return Normalisation(s, invisible, frozenset(seen)), folded or rejoined


def normalise(text: str) -> str:
    """The normalised view of ``text`` alone."""
    return normalise_report(text).text
