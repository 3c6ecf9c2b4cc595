"""Word-level folding for the normalised view: spaced letters, in-word separators, leetspeak.

The last steps of :func:`prompt_sentinel.engine.text.normalise_report` (steps 7 and 8 of
its docstring), on text that is already NFKC, casefolded and free of invisible
characters.  All patterns are RE2 (linear time).  Latin letters only: folding a digit
or dropping a separator next to a Cyrillic or Greek letter would make a new
mixed-script word, which the homoglyph step would then fold on a second pass.
"""

from __future__ import annotations

import unicodedata

import re2

from prompt_sentinel.engine.segment import commonest, known, segment

__all__ = ["LEET_TOKEN", "SPACED_GATE", "collapse_spacing", "collapse_spacing_any", "fold_words", "splice"]

_LEET = str.maketrans("013457@$", "oieastas")
_LEET_DIGITS = frozenset("013457$")
_HEX_ONLY = frozenset("0123456789abcdef")
_NOT_LEET = frozenset("26")
# 9 -> g and 8 -> b only between two letters ("i9nore", "o8ey"); a token with a 9 or 8
# anywhere else is left alone ("covid19", "win8").
_LEET_INNER = {"9": "g", "8": "b"}
# Second pass (leetspeak already seen in the text; :func:`_fold_leet_short`).
_LEET_ALL = _LEET | str.maketrans(_LEET_INNER)  # 8 and 9 wherever they stand
_LEET_NUMBERS = {"1": "i", "4": "a", "45": "as", "15": "is", "17": "it", "70": "to", "47": "at"}
_LEET_AFTER_APOSTROPHE = {"7": "t", "5": "s"}  # "didn'7", "it'5"
_LEET_SHORT = frozenset(
    ("a", "i", "am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my")
    + ("no", "of", "on", "or", "so", "to", "up", "us", "we")
)
# ASCII letters and digits with at least one digit; :func:`_fold_leet_short` checks that
# no other word character touches it (RE2 has no look-around, and its \b is ASCII-only).
_RE_LEET_REST = re2.compile(r"[a-z]*[0-9][a-z0-9]*")
_UNIT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz013457")
_DROP_UNITS = str.maketrans(dict.fromkeys(_UNIT_CHARS))

# Latin letters only (accents included: "syst3m3" next to "è").  Marks belong to the
# letter before them ("s\u0301@" must fold as NFKC's "ś@" would); a mark after a digit
# ends the token (folding it would make a new marked letter).
_LEET_L = r"\p{Latin}\pM*"
_LEET_D = "[0-9@$]"
LEET_TOKEN = rf"(?:{_LEET_L}|{_LEET_D})*(?:{_LEET_L}{_LEET_D}|{_LEET_D}{_LEET_L})(?:{_LEET_L}|{_LEET_D})*"
_U = "[a-zA-Z013457]"
_SEPARATORS = ("   ", "  ", " ", r"\. ", r"\.", "-", "_", r"\*", "/", r"\|", r"\+", "~", "·", "•")
_SPACED = r"\b(?:" + "|".join(rf"{_U}(?:{sep}{_U}){{2,}}" for sep in _SEPARATORS) + r")\b"
# The gate is looser than _SPACED: runs whose spacing only becomes regular once
# whitespace is squeezed ("a  b c") must still be seen.
SPACED_GATE = rf"\b{_U}(?:(?:[\s\x{{B}}\x{{1C}}-\x{{1F}}\x{{85}}\pZ]+|[._*/|+~·•-]|\. ){_U}){{2,}}\b"

_RE_SPACED = re2.compile(_SPACED)
# The same for letters of any script ("з-а-б-у-д-ь", "忘 掉 你", "v o l l s t ä n d i g"),
# used instead of it on non-ASCII text.  RE2's \b is ASCII-only, so the run must follow a
# non-letter (group 1 is the run); one separator class keeps the automaton small, and
# Python then keeps the stretches whose separators are all the same.
_UU = r"(?:\pL\pM*|\pM+|[013457])"  # a mark alone: "न ि र ् द े श" (Devanagari signs spaced out)
_SEP_ANY = r"(?:   |  | |\. |[.\-_*/|+~·•])"
_RE_SPACED_ANY = re2.compile(rf"(?:^|[^\pL\pN\pM])({_UU}(?:{_SEP_ANY}{_UU}){{2,}})(?:$|[^\pL\pN\pM])")
_RE_ADDRESS = re2.compile(r"[\pL\pN._%+-]+@[\pL\pN-]+(?:\.[\pL\pN-]+)+|(?:https?://|www\.)[^\s]+")
_CJK = re2.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_RE_LEET = re2.compile(LEET_TOKEN)
# Separators inside a word: "ig*nore", "pro/mpt", "e.xisting", "игнор/ируй" (hyphen and
# apostrophe are left: "e-mail", "don't"). Both letters in the same alphabetic script, so
# no mixed-script word is made; not Han, kana or Hangul, where "和/或" is "and/or".
_INWORD_SCRIPTS = ("Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari", "Bengali", "Thai")
_RE_INWORD_PUNCT = re2.compile("|".join(rf"(\p{{{sc}}}\pM*)[*|_~^+/.]+(\p{{{sc}}})" for sc in _INWORD_SCRIPTS))
# A hyphen or apostrophe inside a word is usually part of it ("e-mail", "don't", "l'IA"),
# but also the cheapest split of a trigger word ("sy'stem", "ex-ecute"): the two pieces are
# joined only when the whole is a known word more common than the rarer piece, each piece
# has two ASCII letters or more, and an apostrophe does not start an English contraction.
_SPLITTERS = ("-", "'", "\u2019")
_CONTRACTIONS = frozenset({"ll", "re", "ve"})


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping, ordered ``(start, end, replacement)`` edits."""
    if not edits:
        return text
    pieces: list[str] = []
    last = 0
    for s, e, rep in edits:
        pieces.append(text[last:s])
        pieces.append(rep)
        last = e
    pieces.append(text[last:])
    return "".join(pieces)


def collapse_spacing(text: str, seen: set[str]) -> str:
    """``i g n o r e`` / ``i.g.n.o.r.e`` -> ``ignore`` (adds "spacing" to ``seen``)."""
    edits: list[tuple[int, int, str]] = []
    n = len(text)
    for m in _RE_SPACED.finditer(text):
        run = m.group()
        s, e = m.span()
        # RE2's \b only knows ASCII: a run glued to another letter is part of a word.
        if (s and text[s - 1].isalnum()) or (e < n and (text[e].isalnum() or unicodedata.combining(text[e]))):
            continue
        units = [c for c in run if c in _UNIT_CHARS]
        if not any(c.isalpha() for c in units):
            continue  # "1 3 5" is a list of numbers
        if len(units) >= 4 and sum(c.isalpha() for c in units) >= 3:
            seen.add("spacing")
        joined = "".join(units)
        if not run.translate(_DROP_UNITS).strip(" "):
            # Letters and single spaces only: the spaces between words are gone too
            # ("f o r g e t a l l"); put the word boundaries back when the split is clear.
            joined = segment(joined) or joined
        edits.append((s, e, joined))
    return splice(text, edits)


def collapse_spacing_any(text: str, seen: set[str]) -> str:
    """:func:`collapse_spacing` for text with non-ASCII letters: ``з а б у д ь`` -> ``забудь``.

    Each stretch of at least three one-letter units with the same separator between them
    is joined (the regex keeps letters glued to either end out).  Han and kana are joined
    without spaces (the classifier reads each as a word); other letters get their word
    boundaries back when the split is clear (:func:`~prompt_sentinel.engine.segment.segment`).
    """
    edits: list[tuple[int, int, str]] = []
    for m in _RE_SPACED_ANY.finditer(text):
        start = m.start(1)
        units, seps = _units(m.group(1))
        k = 0
        while k < len(units):
            sep = seps[k] if k < len(seps) else ""
            j = k + 1
            while j < len(units) and seps[j - 1] == sep:
                j += 1
            if j - k < 3:
                k = j - 1 if j - 1 > k else j  # the last unit may start the next stretch
                continue
            letters = "".join(u for _, _, u in units[k:j])
            if any(c.isalpha() for c in letters):  # "1 3 5" is a list of numbers
                if sum(c.isalpha() for c in letters) >= 3:
                    seen.add("spacing")
                if sep.strip(" ") == "" and not _CJK.search(letters):
                    letters = segment(letters) or letters
                edits.append((start + units[k][0], start + units[j - 1][1], letters))
            k = j
    return splice(text, edits)


def _units(run: str) -> tuple[list[tuple[int, int, str]], list[str]]:
    """The one-letter units of a spaced run (a letter with its marks, or a leet digit) and
    the separators between them."""
    units: list[tuple[int, int, str]] = []
    seps: list[str] = []
    i, n = 0, len(run)
    while i < n:
        j = i + 1
        while j < n and _is_mark(run[j]):
            j += 1
        if units:
            seps.append(run[units[-1][1] : i])
        units.append((i, j, run[i:j]))
        i = j
        while i < n and not (run[i].isalpha() or run[i] in "013457" or _is_mark(run[i])):
            i += 1
    return units, seps


def _is_mark(c: str) -> bool:
    return unicodedata.category(c)[0] == "M"


def fold_words(text: str, seen: set[str], *, leet: bool) -> tuple[str, bool]:
    """In-word separators, then leetspeak, to a fixed point; True when anything changed.

    Each can expose the other ("e.1gn0re" -> "e.ignore" -> "eignore").  ``leet`` says the
    caller's gate saw a leetspeak token or a spaced run; separators are always looked for
    (collapsing spaced runs can create them).
    """
    if "@" in text or "://" in text or "www." in text:
        # E-mail addresses and URLs are left as they are ("jane.doe@example.com" is not
        # leetspeak for "janedoeaexamplecom"); the text between them is folded.
        pieces: list[str] = []
        folded = False
        last = 0
        for m in _RE_ADDRESS.finditer(text):
            part, changed = _fold_loop(text[last : m.start()], seen, leet)
            pieces += [part, m.group()]
            folded |= changed
            last = m.end()
        part, changed = _fold_loop(text[last:], seen, leet)
        return "".join([*pieces, part]), folded or changed
    return _fold_loop(text, seen, leet)


def _fold_loop(text: str, seen: set[str], leet: bool) -> tuple[str, bool]:
    folded = False
    for _ in range(4):
        nxt = _drop_inword_punct(text)
        if leet or nxt != text:
            nxt = _fold_leet(nxt, seen)
        if nxt == text:
            break
        text, leet, folded = nxt, True, True
    return text, folded


def _drop_inword_punct(text: str) -> str:
    """ "ig*nore" -> "ignore": one run of separators between two letters goes;
    "sy'stem" -> "system" when that makes a known word (:func:`_joins_to_word`)."""
    edits = []
    for m in _RE_INWORD_PUNCT.finditer(text):
        k = next(i for i in range(1, len(_INWORD_SCRIPTS) * 2, 2) if m.group(i) is not None)
        edits.append((m.start() + len(m.group(k)), m.end() - len(m.group(k + 1)), ""))
    return _join_split_words(splice(text, edits))


def _join_split_words(text: str) -> str:
    """ "sy'stem" -> "system", "ex-ecute" -> "execute" (see :data:`_SPLITTERS`).

    ``str.find`` over the few separators and a scan of the letters around each: about
    three times cheaper here than a regex with groups, which costs ~20 µs per 1,000
    characters of ordinary prose, nearly all of it on contractions that stay.
    """
    edits: list[tuple[int, int, str]] = []
    n = len(text)
    for sep in _SPLITTERS:
        i = text.find(sep)
        while i != -1:
            k = i + 1
            while k < n and "a" <= text[k] <= "z":
                k += 1
            j = i
            while k - i > 2 and j > 0 and "a" <= text[j - 1] <= "z":  # "it's": no need to look left
                j -= 1
            if (
                i - j >= 2
                and k - i > 2
                and (j == 0 or not text[j - 1].isalnum())
                and (k == n or not text[k].isalnum())
                and _joins_to_word(text[j:i], sep, text[i + 1 : k])
            ):
                edits.append((i, i + 1, ""))
            i = text.find(sep, max(k, i + 1))
    edits.sort()
    return splice(text, edits)


def _joins_to_word(a: str, sep: str, b: str) -> bool:
    if sep != "-" and b in _CONTRACTIONS:
        return False
    whole = a + b
    if not known(whole):
        return False
    if not (known(a) and known(b)):
        return True
    rarer = b if commonest([a, b]) == a else a
    return commonest([whole, rarer]) == whole


def _inner_leet(tok: str) -> str | None:
    """``tok`` with interior 8/9 folded, or None when an 8 or 9 is not interior."""
    if "8" not in tok and "9" not in tok:
        return tok
    chars = list(tok)
    for i, c in enumerate(tok):
        if c in _LEET_INNER:
            if not (0 < i < len(tok) - 1 and tok[i - 1].isalpha() and tok[i + 1].isalpha()):
                return None
            chars[i] = _LEET_INNER[c]
    return "".join(chars)


def _one_as_l(tok: str, folded: str) -> str:
    """A "1" reads as "i" unless only reading some as "l" makes a known word ("ru1es"; the
    commonest such word when several do)."""
    ones = [i for i, c in enumerate(tok) if c == "1"]
    if len(ones) > 4 or known(folded):
        return folded
    candidates = []
    for mask in range(1, 1 << len(ones)):
        chars = list(folded)
        for bit, i in enumerate(ones):
            if mask >> bit & 1:
                chars[i] = "l"
        candidates.append("".join(chars))
    return commonest(candidates) or folded


def _fold_leet(text: str, seen: set[str]) -> str:
    edits: list[tuple[int, int, str]] = []
    interior = 0
    for m in _RE_LEET.finditer(text):
        tok = m.group()
        if len(tok) > 40 or _NOT_LEET.intersection(tok) or _HEX_ONLY.issuperset(tok):
            continue
        letters = sum(c.isalpha() for c in tok)
        if letters < 2 and not (letters == 1 and len(tok) >= 3):
            continue
        folded = _inner_leet(tok.translate(_LEET))
        if folded is None:
            continue
        if "1" in tok:
            folded = _one_as_l(tok, folded)
        if letters < 2 and not known(folded):
            continue  # one letter among digits ("4x4", "b52"): only a known word ("4ll", "7h3")
        if any(
            tok[i] in _LEET_DIGITS and tok[i - 1].isalpha() and tok[i + 1].isalpha() for i in range(1, len(tok) - 1)
        ):
            interior += 1
        edits.append((m.start(), m.end(), folded))
    if interior < 2:
        return splice(text, edits)
    seen.add("leetspeak")
    return _fold_leet_short(splice(text, edits))


def _fold_leet_short(text: str) -> str:
    """Second pass, only in text already shown to be leetspeak: the tokens the first pass
    leaves because alone they are as likely numbers or names: digits-only words ("45" as,
    "70" to, "4150" also), one letter and one digit ("1f", "0r", "8y"), and 8/9 at a word's
    edge ("9uid3l1n35", "8est").  Each only when it folds to a word (:data:`_LEET_NUMBERS`,
    :data:`_LEET_SHORT`, or a known word of three letters or more).
    """
    edits: list[tuple[int, int, str]] = []
    n = len(text)
    for m in _RE_LEET_REST.finditer(text):
        tok, start, end = m.group(), m.start(), m.end()
        before = text[start - 1] if start else " "
        if (end < n and _is_word_char(text[end])) or (before != "'" and _is_word_char(before)):
            continue
        if before == "'":
            folded = _LEET_AFTER_APOSTROPHE.get(tok)
        elif tok in _LEET_NUMBERS:
            folded = _LEET_NUMBERS[tok]
        elif _NOT_LEET.intersection(tok) or (len(tok) > 4 and _HEX_ONLY.issuperset(tok)):
            continue
        else:
            folded = tok.translate(_LEET_ALL)
            if "1" in tok:
                folded = _one_as_l(tok, folded)
            if not (folded in _LEET_SHORT or (len(folded) >= 3 and known(folded))):
                continue
        if folded:
            edits.append((start, end, folded))
    return splice(text, edits)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_" or _is_mark(c)
